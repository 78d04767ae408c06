"""Casusevaluatie (SPEC §5.5, 003:L921-961): the case's course drawn as moments on its timeline, per moment what
went well, what did not and which decisions were risky; lessons that become improvement actions (verbeteracties);
who took part; and case-review interviews (001 Bijlage 3) stored as responses to a built-in questionnaire.

Persons are never named in an evaluation: the services refuse texts that contain a name or BSN of a person in
the case and the pages label persons by their role ("vader", "moeder", "kind 1").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tafel.cases.models import InfoCategory
from tafel.core.choices import TextChoices


class EvaluationStatus(TextChoices):
    CONCEPT = "concept", _("Concept")
    AFGEROND = "afgerond", _("Afgerond")


class Evaluation(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evaluations")
    title = models.CharField(_("titel"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.CONCEPT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("gestart"))
    updated_at = models.DateTimeField(_("gewijzigd"))
    finalised_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic concurrency: every write of the evaluation's own fields bumps it.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("casusevaluatie")
        verbose_name_plural = _("casusevaluaties")

    def __str__(self) -> str:
        return f"casusevaluatie {self.pk} van casus {self.case_id}"

    @property
    def is_final(self) -> bool:
        return self.status == EvaluationStatus.AFGEROND


class EvaluationStatusChange(models.Model):
    """Finalising and reopening, with who, when and why (a reopening always has a reason)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="status_changes")
    to_status = models.CharField(max_length=10, choices=EvaluationStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(_("reden"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation_id} → {self.to_status}"


class Moment(models.Model):
    """One moment in the course of the case: taken from the timeline or added by hand. A moment taken from the
    timeline keeps the supplier and category of its source, so the item rules of SPEC §6 still decide who
    sees it (a moment about a medical note is not shown to a partner that may not read the note)."""

    MANUAL = "handmatig"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="moments")
    at = models.DateTimeField(_("datum"))
    kind = models.CharField(_("soort"), max_length=20)
    description = models.CharField(_("omschrijving"), max_length=300)
    went_well = models.TextField(_("wat ging goed"), blank=True)
    went_wrong = models.TextField(_("wat ging niet goed"), blank=True)
    risky_decisions = models.TextField(_("welke beslissingen waren riskant"), blank=True)
    source_key = models.CharField(max_length=80, blank=True)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    supplied_by_org = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(max_length=20, choices=InfoCategory.choices, default=InfoCategory.ALGEMEEN)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("moment")
        verbose_name_plural = _("momenten")

    def __str__(self) -> str:
        return f"moment {self.pk} van evaluatie {self.evaluation_id}"

    @property
    def kind_label(self) -> str:
        from tafel.lifecycle.selectors import TIMELINE_KINDS

        return "Handmatig" if self.kind == self.MANUAL else TIMELINE_KINDS.get(self.kind, self.kind)


class Lesson(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="lessons")
    text = models.TextField(_("les"))
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("les")
        verbose_name_plural = _("lessen")

    def __str__(self) -> str:
        return f"les {self.pk} van evaluatie {self.evaluation_id}"


class ImprovementStatus(TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Gedaan")


class ImprovementAction(models.Model):
    """A verbeteractie: what will change, who does it (a user and their organisation) and by when."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="improvement_actions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("verbeteractie"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("eigenaar"), on_delete=models.PROTECT, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("uiterlijk"))
    status = models.CharField(
        _("status"), max_length=10, choices=ImprovementStatus.choices, default=ImprovementStatus.OPEN
    )
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    result = models.TextField(_("resultaat"), blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("verbeteractie")
        verbose_name_plural = _("verbeteracties")
        indexes = [models.Index(fields=["status", "due_date"]), models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return f"verbeteractie {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status == ImprovementStatus.OPEN and self.due_date < timezone.localdate()


class Participant(models.Model):
    """Who took part in the evaluation, for the record: organisation and function (no names needed)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    function = models.CharField(_("functie"), max_length=100)

    class Meta:
        ordering = ["organisation__name", "function", "id"]

    def __str__(self) -> str:
        return f"deelnemer {self.pk} van evaluatie {self.evaluation_id}"


class ReviewInterview(models.Model):
    """A case-review interview (001 Bijlage 3): the answers are a reports.Response to the built-in questionnaire
    "casusreview"; this row ties it to the evaluation, so only those who may read the evaluation read them."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="interviews")
    response = models.OneToOneField("reports.Response", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    function = models.CharField(_("functie"), max_length=100)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent (gebruiker)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"interview {self.pk} van evaluatie {self.evaluation_id}"
