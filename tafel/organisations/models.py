"""Organisations, municipalities, users and roles (SPEC §1)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class OrganisationType(models.TextChoices):
    POLITIE = "politie", "Politie"
    OM = "om", "Openbaar Ministerie"
    RECLASSERING = "reclassering", "Reclassering"
    RAAD = "raad", "Raad voor de Kinderbescherming"
    VEILIG_THUIS = "veilig_thuis", "Veilig Thuis"
    GEMEENTE = "gemeente", "Gemeente"
    JEUGDBESCHERMING = "jeugdbescherming", "Jeugdbescherming"
    GGZ = "ggz", "GGZ"
    VERSLAVINGSZORG = "verslavingszorg", "Verslavingszorg"
    ZORG = "zorg", "Zorg en welzijn"
    ZVH = "zvh", "Zorg- en Veiligheidshuis"
    RIEC = "riec", "RIEC"


# Organisation types that count as criminal-justice partners (triage criterion d, privacy rules).
JUSTICE_TYPES = frozenset({OrganisationType.POLITIE, OrganisationType.OM, OrganisationType.RECLASSERING})


class Organisation(models.Model):
    name = models.CharField("naam", max_length=200, unique=True)
    type = models.CharField("soort", max_length=20, choices=OrganisationType.choices)
    convenant_signed = models.BooleanField("convenant getekend", default=False)
    convenant_signed_on = models.DateField("convenant getekend op", null=True, blank=True)
    email = models.EmailField("e-mailadres", blank=True)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"

    def __str__(self) -> str:
        return self.name

    @property
    def is_house(self) -> bool:
        return self.type == OrganisationType.ZVH


class Municipality(models.Model):
    name = models.CharField("naam", max_length=100, unique=True)
    code = models.CharField("CBS-code", max_length=10, blank=True)
    is_centrumgemeente = models.BooleanField("centrumgemeente", default=False)
    # Triage routing reason g: the house's maximum number of active ZVH cases for this municipality.
    max_caseload = models.PositiveIntegerField("maximale caseload", default=50)

    class Meta:
        ordering = ["name"]
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PROCESREGISSEUR = "procesregisseur", "Procesregisseur"
    CASUSREGISSEUR = "casusregisseur", "Casusregisseur"
    PROFESSIONAL = "professional", "Professional"
    AANMELDER = "aanmelder", "Aanmelder"
    INFORMATIEMEDEWERKER = "informatiemedewerker", "Informatiemedewerker"
    KETENMANAGER = "ketenmanager", "Ketenmanager"
    ANALIST = "analist", "Analist / stuurgroep"
    BEHEERDER = "beheerder", "Functioneel beheerder"


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.PROTECT, null=True, related_name="users"
    )
    phone = models.CharField("telefoon", max_length=30, blank=True)
    job_title = models.CharField("functie", max_length=100, blank=True)

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"

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
    role = models.CharField("rol", max_length=30, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]
        verbose_name = "rol"
        verbose_name_plural = "rollen"

    def __str__(self) -> str:
        return self.get_role_display()
