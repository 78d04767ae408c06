"""Writes of persons."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tafel.core import crypto
from tafel.core.audit import audit
from tafel.core.errors import ValidationFailed
from tafel.organisations.models import Municipality
from tafel.persons import matching
from tafel.persons.audit_events import PersonEvent
from tafel.persons.models import Gender, Person


@dataclass
class PersonData:
    first_names: str = ""
    prefix: str = ""
    last_name: str = ""
    birth_last_name: str = ""
    date_of_birth: datetime.date | None = None
    gender: str = Gender.ANDERS
    bsn: str = ""
    address: str = ""
    municipality_id: int | None = None


PERSON_TEXT_LIMITS = {
    name: Person._meta.get_field(name).max_length
    for name in ("first_names", "prefix", "last_name", "birth_last_name", "address")
}


def person_validate(data: PersonData, *, prefix: str = "") -> dict[str, list[str]]:
    """Field errors in Dutch, keyed by field name (with an optional prefix for nested forms)."""
    errors: dict[str, list[str]] = {}
    if not data.last_name.strip():
        errors.setdefault(f"{prefix}last_name", []).append("Vul de achternaam in.")
    if data.date_of_birth and data.date_of_birth > timezone.localdate():
        errors.setdefault(f"{prefix}date_of_birth", []).append("De geboortedatum kan niet in de toekomst liggen.")
    if data.date_of_birth and data.date_of_birth.year < 1900:
        errors.setdefault(f"{prefix}date_of_birth", []).append("Controleer de geboortedatum: vóór 1900.")
    bsn = data.bsn.strip().replace(" ", "").replace(".", "")
    if bsn and not crypto.bsn_is_valid(bsn):
        errors.setdefault(f"{prefix}bsn", []).append("Dit is geen geldig BSN (de elfproef klopt niet).")
    if data.gender not in Gender.values:
        errors.setdefault(f"{prefix}gender", []).append("Kies een geldig geslacht.")
    if data.municipality_id is not None and not Municipality.objects.filter(pk=data.municipality_id).exists():
        errors.setdefault(f"{prefix}municipality_id", []).append("Deze gemeente is niet bekend.")
    # Column lengths are checked here, not left to the database (PostgreSQL would refuse with an error).
    for name, limit in PERSON_TEXT_LIMITS.items():
        if len(getattr(data, name) or "") > limit:
            errors.setdefault(f"{prefix}{name}", []).append(f"Maximaal {limit} tekens.")
    return errors


def name_parts(data: PersonData | Person) -> matching.NameParts:
    bsn = data.bsn if isinstance(data, PersonData) else ""
    return matching.NameParts(
        first_names=data.first_names,
        prefix=data.prefix,
        last_name=data.last_name,
        birth_last_name=data.birth_last_name,
        date_of_birth=data.date_of_birth,
        bsn=bsn,
    )


def build_person(data: PersonData, *, organisation_id: int | None) -> Person:
    """An unsaved Person with encrypted BSN and matching keys (also used by bulk demo inserts)."""
    bsn = data.bsn.strip().replace(" ", "").replace(".", "")
    if len(bsn) == 8:
        bsn = "0" + bsn
    keys = matching.person_keys(name_parts(data))
    return Person(
        first_names=data.first_names.strip(),
        prefix=data.prefix.strip(),
        last_name=data.last_name.strip(),
        birth_last_name=data.birth_last_name.strip(),
        date_of_birth=data.date_of_birth,
        gender=data.gender,
        bsn_encrypted=crypto.encrypt(bsn),
        bsn_hash=crypto.keyed_hash(bsn),
        address=data.address.strip(),
        municipality_id=data.municipality_id,
        created_by_org_id=organisation_id,
        **keys,
    )


@transaction.atomic
def person_create(*, actor, data: PersonData) -> Person:
    errors = person_validate(data)
    if errors:
        raise ValidationFailed("De persoonsgegevens zijn niet volledig of niet juist.", field_errors=errors)
    person = build_person(data, organisation_id=actor.organisation_id)
    person.save()
    audit(actor=actor, event=PersonEvent.PERSON_CREATE, person_id=person.pk)
    return person
