"""The effectiviteitsmatrix (goals per overleg type) and report jobs (SPEC §7)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# A report takes seconds; one not finished after this long was cut off (a restart of the server).
STALE_AFTER = datetime.timedelta(minutes=15)


class Direction(models.TextChoices):
    AT_LEAST = "at_least", "Minimaal (hoger is beter)"
    AT_MOST = "at_most", "Maximaal (lager is beter)"


class Goal(models.Model):
    """One row of the effectiviteitsmatrix (000:L4407-4428): what an overleg type aims at, the selection,
    input and follow-up criteria derived from that aim, and the indicator with the target that shows whether
    it is reached — per quarter, so the PDCA loop closes."""

    overleg_type = models.ForeignKey(
        "meetings.OverlegType",
        verbose_name="soort overleg",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        help_text="Leeg: een doel van het hele huis.",
    )
    theme = models.CharField("thema", max_length=20, blank=True, help_text="Leeg: alle thema's.")
    title = models.CharField("doel", max_length=200)
    description = models.TextField("toelichting", blank=True)
    selection_criteria = models.TextField("selectiecriteria", blank=True, help_text="Welke casussen horen erbij?")
    input_criteria = models.TextField("inputcriteria", blank=True, help_text="Wat moet er minimaal aan tafel komen?")
    follow_up_criteria = models.TextField(
        "vervolgcriteria", blank=True, help_text="Wat moet er na het overleg gebeuren?"
    )
    indicator_code = models.CharField("indicator", max_length=40)
    target_value = models.DecimalField("streefwaarde", max_digits=10, decimal_places=1)
    direction = models.CharField("richting", max_length=10, choices=Direction.choices, default=Direction.AT_LEAST)
    active = models.BooleanField("actief", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["overleg_type__name", "title", "id"]
        verbose_name = "doel"
        verbose_name_plural = "doelen (effectiviteitsmatrix)"

    def __str__(self) -> str:
        return self.title

    def reached(self, value: float | None) -> bool | None:
        if value is None:
            return None
        target = float(self.target_value)
        return value >= target if self.direction == Direction.AT_LEAST else value <= target


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (XLSX)"
    CSV = "csv", "CSV"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "In de wachtrij"
    RUNNING = "running", "Bezig"
    DONE = "done", "Klaar"
    FAILED = "failed", "Mislukt"


class ReportJob(models.Model):
    """A quarterly or annual report being made in the background. The file holds aggregates only, small
    cells suppressed; only the user who asked for it can download it."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    format = models.CharField(max_length=4, choices=ReportFormat.choices)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "rapportage"
        verbose_name_plural = "rapportages"
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_at_most_100")]

    def __str__(self) -> str:
        return self.filename or f"rapportage {self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED) or self.interrupted

    @property
    def interrupted(self) -> bool:
        """Still queued or running long after a report takes (seconds): the server stopped while making it.
        The page stops polling and asks to start it again."""
        if self.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return False
        return self.created_at < timezone.now() - STALE_AFTER


class ResearchExport(models.Model):
    """One pseudonymised case-level export handed to an approved researcher (issue 6 item 6). The file itself
    is not kept: only who asked, for whom, under which approval, for which period and how many rows."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    researcher_name = models.CharField("onderzoeker", max_length=200)
    researcher_organisation = models.CharField("organisatie onderzoeker", max_length=200)
    approval_reference = models.CharField("kenmerk goedkeuring", max_length=100)
    purpose = models.TextField("doel van het onderzoek")
    period_start = models.DateField("periode vanaf")
    period_end = models.DateField("periode tot en met")
    row_count = models.PositiveIntegerField("aantal rijen", default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "onderzoeksexport"
        verbose_name_plural = "onderzoeksexports"

    def __str__(self) -> str:
        return f"{self.approval_reference} ({self.researcher_name})"


# --- learning instruments (SPEC §5.5, issue 6 item 5) -------------------------------------------------------


class QuestionKind(models.TextChoices):
    LIKERT = "likert", "Stelling (1–5)"
    SCALE10 = "scale10", "Cijfer (1–10)"
    NUMBER = "number", "Getal (schatting)"
    TEXT = "text", "Open vraag"


class Questionnaire(models.Model):
    """A built-in learning instrument: the partner survey (001 Bijlage 4) and the session ratings after a
    meeting. Shipped by a data migration; answers feed the monitor as averages per item."""

    code = models.SlugField("code", max_length=40, unique=True)
    title = models.CharField("titel", max_length=200)
    introduction = models.TextField("toelichting", blank=True)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "vragenlijst"
        verbose_name_plural = "vragenlijsten"

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("volgorde")
    kind = models.CharField("soort", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("vraag", max_length=300)
    low_label = models.CharField("betekenis laagste waarde", max_length=60, blank=True)
    high_label = models.CharField("betekenis hoogste waarde", max_length=60, blank=True)

    class Meta:
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "order"], name="question_order_unique")]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One filled-in questionnaire. The respondent is kept for the record (who took part); results are only
    ever shown as averages per item."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}: antwoorden {self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"antwoord {self.pk}"
