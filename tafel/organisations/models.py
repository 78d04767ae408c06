"""Organisations, municipalities, users and roles (SPEC §1)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tafel.core.choices import ChoiceLabels, TextChoices


class OrganisationType(TextChoices):
    POLITIE = "politie", _("Politie")
    OM = "om", _("Openbaar Ministerie")
    RECLASSERING = "reclassering", _("Reclassering")
    RAAD = "raad", _("Raad voor de Kinderbescherming")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    GEMEENTE = "gemeente", _("Gemeente")
    JEUGDBESCHERMING = "jeugdbescherming", _("Jeugdbescherming")
    GGZ = "ggz", _("GGZ")
    VERSLAVINGSZORG = "verslavingszorg", _("Verslavingszorg")
    ZORG = "zorg", _("Zorg en welzijn")
    ZVH = "zvh", _("Zorg- en Veiligheidshuis")
    RIEC = "riec", _("RIEC")


# Organisation types that count as criminal-justice partners (triage criterion d, privacy rules).
JUSTICE_TYPES = frozenset({OrganisationType.POLITIE, OrganisationType.OM, OrganisationType.RECLASSERING})


class Organisation(ChoiceLabels, models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    type = models.CharField(_("soort"), max_length=20, choices=OrganisationType.choices)
    convenant_signed = models.BooleanField(_("convenant getekend"), default=False)
    convenant_signed_on = models.DateField(_("convenant getekend op"), null=True, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name

    @property
    def is_house(self) -> bool:
        return self.type == OrganisationType.ZVH


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    code = models.CharField(_("CBS-code"), max_length=10, blank=True)
    is_centrumgemeente = models.BooleanField(_("centrumgemeente"), default=False)
    # Triage routing reason g: the house's maximum number of active ZVH cases for this municipality.
    max_caseload = models.PositiveIntegerField(_("maximale caseload"), default=50)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name


class Role(TextChoices):
    PROCESREGISSEUR = "procesregisseur", _("Procesregisseur")
    CASUSREGISSEUR = "casusregisseur", _("Casusregisseur")
    PROFESSIONAL = "professional", _("Professional")
    AANMELDER = "aanmelder", _("Aanmelder")
    INFORMATIEMEDEWERKER = "informatiemedewerker", _("Informatiemedewerker")
    KETENMANAGER = "ketenmanager", _("Ketenmanager")
    ANALIST = "analist", _("Analist / stuurgroep")
    BEHEERDER = "beheerder", _("Functioneel beheerder")
    # The house's privacy officer (functionaris gegevensbescherming): audit, retention, data-subject rights.
    FG = "fg", _("Functionaris gegevensbescherming (FG)")


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, null=True, related_name="users"
    )
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    job_title = models.CharField(_("functie"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        # Cached per instance: roles are read on every access check.
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            if not self.pk:
                cached = frozenset()
            else:
                cached = frozenset(self.roles.values_list("role", flat=True))
            self._role_codes = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def in_house(self) -> bool:
        return self.organisation_id is not None and self.organisation.type == OrganisationType.ZVH


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")

    def __str__(self) -> str:
        return self.get_role_display()
