"""Test helpers shared by every app's tests: the standard actors and a case made through the services."""

from __future__ import annotations

import datetime
import itertools

from tafel.cases.models import EntryRoute, PersonRole, Theme
from tafel.cases.services import AanmeldingInput, PersonInput, aanmelding_create
from tafel.organisations.models import Municipality, Organisation, OrganisationType, User, UserRole

_seq = itertools.count(1)


def make_org(name: str | None = None, type: str = OrganisationType.POLITIE, convenant: bool = True) -> Organisation:
    return Organisation.objects.create(name=name or f"Organisatie {next(_seq)}", type=type, convenant_signed=convenant)


def make_user(org: Organisation, *roles: str, username: str | None = None, **extra) -> User:
    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(
        username=username,
        password="testpass-Tafel-2026",
        first_name=extra.pop("first_name", username.capitalize()),
        last_name=extra.pop("last_name", "Test"),
        email=extra.pop("email", f"{username}@example.org"),
        organisation=org,
        **extra,
    )
    for role in roles:
        UserRole.objects.create(user=user, role=role)
    return user


def make_municipality(name: str | None = None, max_caseload: int = 50) -> Municipality:
    return Municipality.objects.create(name=name or f"Gemeente {next(_seq)}", max_caseload=max_caseload)


def aanmelding_input(
    municipality: Municipality, persons: list[PersonInput] | None = None, **overrides
) -> AanmeldingInput:
    data = AanmeldingInput(
        route=EntryRoute.VELD,
        theme=Theme.HUISELIJK_GEWELD,
        municipality_id=municipality.pk,
        title="Gezin met zorgen",
        reason="Herhaald huiselijk geweld, meerdere meldingen in drie maanden.",
        summary="Vader pleegt geweld, moeder en kinderen onveilig; hulp komt niet van de grond.",
        life_domains={"huisvesting": "Dreigende uithuiszetting", "financien": "Schulden"},
        client_knows=True,
        persons=persons
        or [
            PersonInput(
                first_names="Pieter",
                last_name="Janssen",
                date_of_birth=datetime.date(1980, 3, 14),
                gender="m",
                role=PersonRole.PLEGER,
            )
        ],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def make_case(actor: User, municipality: Municipality, **overrides):
    """A case created the way a user creates one: through an aanmelding."""
    return aanmelding_create(actor=actor, data=aanmelding_input(municipality, **overrides)).case


def screen(user: User, *persons) -> None:
    """Screen each person as an aanmelder would before linking them (SPEC §3.2): by surname and date of birth,
    or the BSN. Linking an existing person to an aanmelding needs this (issue 10, finding 2)."""
    from tafel.cases.screening import person_match
    from tafel.persons import matching

    for person in persons:
        bsn = person.bsn if person.bsn_encrypted else ""
        query = matching.NameParts(
            first_names=person.first_names,
            prefix=person.prefix,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth,
            bsn=bsn,
        )
        found = [c.person.pk for c in person_match(viewer=user, query=query, limit=50)]
        assert person.pk in found, f"screening does not find {person.pk}"
