"""Persons, shared across cases (SPEC §2). Deduplicated at entry through the matcher (SPEC §3.2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tafel.core import crypto
from tafel.core.choices import TextChoices


class Gender(TextChoices):
    MAN = "m", _("Man")
    VROUW = "v", _("Vrouw")
    ANDERS = "x", _("Anders / onbekend")


class Person(models.Model):
    first_names = models.CharField(_("voornamen"), max_length=200, blank=True)
    prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=200)
    birth_last_name = models.CharField(_("geboortenaam"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True, db_index=True)
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices, default=Gender.ANDERS)
    # BSN is encrypted at rest; the keyed hash lets us find a person by BSN without decrypting.
    bsn_encrypted = models.TextField(blank=True, editable=False)
    bsn_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = models.CharField(_("adres / feitelijke verblijfplaats"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "organisations.Municipality", verbose_name=_("gemeente"), on_delete=models.SET_NULL, null=True, blank=True
    )
    # Matching keys (tafel.persons.matching.person_keys). The phon_* columns are the blocking keys, each indexed
    # together with the date of birth (Meta.indexes).
    norm_first = models.CharField(max_length=200, blank=True)
    norm_last = models.CharField(max_length=200, blank=True)
    norm_birth_last = models.CharField(max_length=200, blank=True)
    phon_first = models.CharField(max_length=60, blank=True)
    phon_last = models.CharField(max_length=60, blank=True)
    phon_birth_last = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # AVG art. 18: while restricted, the person's data is shown only to the FG and the procesregisseur.
    processing_restricted = models.BooleanField(_("verwerking beperkt"), default=False)
    created_by_org = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        # Screening with a date of birth looks up (key, date) pairs: the key with the typed date, the ~80 dates one
        # typo away and an unknown date (tafel.cases.screening._may_be_shown), without reading the thousands of
        # persons that share a common key at national scale. A lookup by key alone uses the same indexes.
        indexes = [
            models.Index(fields=["phon_last", "date_of_birth"], name="person_phon_last_dob"),
            models.Index(fields=["phon_birth_last", "date_of_birth"], name="person_phon_birth_last_dob"),
            models.Index(fields=["phon_first", "date_of_birth"], name="person_phon_first_dob"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_names, self.prefix, self.last_name) if part)

    @property
    def bsn(self) -> str:
        return crypto.decrypt(self.bsn_encrypted)

    @property
    def bsn_masked(self) -> str:
        return crypto.bsn_mask(self.bsn) if self.bsn_encrypted else ""
