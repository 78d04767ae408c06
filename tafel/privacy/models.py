"""Privacy (SPEC §6, issue 4): the reglement per overleg type, consent, justified shares, restrictions that
suppliers put on their own items, rectification history, and what retention leaves behind.

The access answers built on these rows live in the policy (the item rules are `tafel.cases.access`); this app
holds the data and the services that write it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tafel.access.choices import ConsentPurpose, RestrictionScope
from tafel.cases.models import InfoCategory, SuppliedContent
from tafel.core.choices import TextChoices


def _default_categories() -> list[str]:
    return [c.value for c in InfoCategory]


class Reglement(models.Model):
    """The privacy reglement of one overleg type (SPEC §6, 000:L3221): purpose, actors, which information,
    exchange rules and the retention period. The beheerder edits it; users see it where they share."""

    overleg_type = models.OneToOneField(
        "meetings.OverlegType", verbose_name=_("overlegtype"), on_delete=models.CASCADE, related_name="reglement"
    )
    purpose = models.TextField(_("doel"))
    # OrganisationType values whose organisations take part under this reglement.
    participating_org_types = models.JSONField(_("deelnemende organisatiesoorten"), default=list, blank=True)
    # InfoCategory values that may be exchanged at all under this reglement.
    categories = models.JSONField(_("toegestane informatiecategorieën"), default=_default_categories, blank=True)
    # Which organisation types may read justitiële gegevens and jeugd information (SPEC §6: "per reglement").
    justitieel_org_types = models.JSONField(
        _("organisatiesoorten die justitiële gegevens zien"), default=list, blank=True
    )
    jeugd_org_types = models.JSONField(_("organisatiesoorten die jeugdinformatie zien"), default=list, blank=True)
    # The grounds on which sensitive information may be shared; a share picks one (000:L3689).
    exchange_rules = models.JSONField(_("uitwisselingsregels (gronden voor delen)"), default=list, blank=True)
    retention_months = models.PositiveSmallIntegerField(_("bewaartermijn na afsluiting (maanden)"), default=60)
    legal_basis = models.TextField(_("grondslag"), blank=True)
    updated_at = models.DateTimeField(_("gewijzigd"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("privacyreglement")
        verbose_name_plural = _("privacyreglementen")

    def __str__(self) -> str:
        return f"Reglement {self.overleg_type}"


class ConsentForm(TextChoices):
    WRITTEN = "written", _("Schriftelijk")
    VERBAL = "verbal", _("Mondeling")


class Consent(models.Model):
    """Consent of one person for one purpose in one case (SPEC §6: "the covenant does not release an
    organisation from asking consent", 000:L3450)."""

    person = models.ForeignKey("persons.Person", on_delete=models.CASCADE, related_name="consents")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("doel"), max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("gegeven op"))
    form = models.CharField(_("vorm"), max_length=10, choices=ConsentForm.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reden intrekking"), blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["case", "purpose"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Share(models.Model):
    """A recorded, justified share of one item with one organisation (SPEC §6: "much is allowed for safety,
    if argued and documented"). The item is named by its model label and id so every content model can be
    shared without a foreign key per model."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="shares")
    item_type = models.CharField(_("soort item"), max_length=60)
    item_id = models.BigIntegerField(_("item"))
    from_org = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("gedeeld met"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("grond (uit het reglement)"), max_length=300)
    explanation = models.TextField(_("toelichting"))
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField()

    class Meta:
        ordering = ["-shared_at", "-id"]
        indexes = [models.Index(fields=["case", "to_org"]), models.Index(fields=["item_type", "item_id"])]
        constraints = [models.UniqueConstraint(fields=["item_type", "item_id", "to_org"], name="unique_share_per_org")]

    def __str__(self) -> str:
        return f"{self.item_type} #{self.item_id} → {self.to_org_id}"


class ItemRestriction(models.Model):
    """A supplier's restriction of its own politie/OM item (SPEC §6, 002:L2340-2356: information withheld
    for an ongoing investigation)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="item_restrictions")
    item_type = models.CharField(max_length=60)
    item_id = models.BigIntegerField()
    scope = models.CharField(_("zichtbaar voor"), max_length=10, choices=RestrictionScope.choices)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item_type", "item_id"], name="unique_item_restriction")]

    def __str__(self) -> str:
        return f"{self.item_type} #{self.item_id}: {self.scope}"


class CaseAttachment(SuppliedContent):
    """A document attached to a case by a partner; checked for type and size on upload (issue 4 §9)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("bestand"), upload_to="attachments/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class PersonRectification(models.Model):
    """History of corrections to a person's data (AVG art. 16)."""

    person = models.ForeignKey("persons.Person", on_delete=models.CASCADE, related_name="rectifications")
    field = models.CharField(_("veld"), max_length=50)
    old_value = models.TextField(_("oude waarde"), blank=True)
    new_value = models.TextField(_("nieuwe waarde"), blank=True)
    reason = models.TextField(_("reden"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.field} ({self.at:%Y-%m-%d})"


class PersonRestrictionDecision(models.Model):
    """AVG art. 18: each decision to restrict the processing of a person's data, or to lift it, with its
    reason. The reason lives here — the audit log keeps only the event (issue 10 finding 8) — and goes with the
    person when retention deletes them."""

    person = models.ForeignKey("persons.Person", on_delete=models.CASCADE, related_name="restriction_decisions")
    restricted = models.BooleanField(_("beperkt"))
    reason = models.TextField(_("reden"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{'beperkt' if self.restricted else 'opgeheven'} ({self.at:%Y-%m-%d})"


class RetainedCaseStat(models.Model):
    """What retention keeps of a destroyed case: no personal data, enough for the reports to keep counting
    it (SPEC §6: aggregated statistics kept pseudonymised)."""

    case_pseudonym = models.CharField(_("pseudoniem"), max_length=64, unique=True)
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    theme = models.CharField(max_length=20)
    route = models.CharField(max_length=20)
    status_at_closure = models.CharField(max_length=20)
    created_year = models.PositiveSmallIntegerField()
    created_quarter = models.PositiveSmallIntegerField()
    closed_year = models.PositiveSmallIntegerField()
    closed_quarter = models.PositiveSmallIntegerField()
    person_count = models.PositiveSmallIntegerField()
    # For the re-entry figure (heraanmelding_12m): per quarter in which the case left active handling, whether
    # it re-entered within 12 months, as [{"y": 2025, "q": 2, "r": true}, …], computed at destruction.
    reentry_exits = models.JSONField(default=list, blank=True)
    destroyed_at = models.DateTimeField()
    run = models.ForeignKey("DestructionRecord", on_delete=models.PROTECT, related_name="stats")

    def __str__(self) -> str:
        return self.case_pseudonym[:12]


class DestructionRecord(models.Model):
    """One run of the retention job: counts and hashed references only (no personal data)."""

    run_at = models.DateTimeField()
    run_id = models.CharField(max_length=40, unique=True)
    as_of = models.DateTimeField(_("peildatum"))
    actor_label = models.CharField(max_length=200, blank=True)
    cases_destroyed = models.PositiveIntegerField(default=0)
    persons_deleted = models.PositiveIntegerField(default=0)
    items_deleted = models.PositiveIntegerField(default=0)
    case_references_hashed = models.JSONField(default=list)

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"Vernietiging {self.run_at:%Y-%m-%d %H:%M} ({self.cases_destroyed})"
