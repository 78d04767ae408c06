"""Seed one Tafel house for the federation process test: a worker with an API token, a municipality, and
(per house) the persons the test looks for. Prints JSON with the token and the municipality id.

Run with the house's environment: `python tests/federation/house_seed.py <role>`, role one of
asking / knowing / restricting."""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tafel.settings")

import django  # noqa: E402

django.setup()

from tafel.api.services import api_token_create  # noqa: E402
from tafel.cases.models import Case, PersonRole  # noqa: E402
from tafel.cases.services import PersonInput  # noqa: E402
from tafel.core import crypto  # noqa: E402
from tafel.organisations.models import Role  # noqa: E402
from tafel.persons.models import Person  # noqa: E402
from tafel.testing import make_case, make_municipality, make_org, make_user  # noqa: E402


def main(role: str) -> dict:
    house = make_org("Zorg- en Veiligheidshuis", type="zvh")
    regisseur = make_user(
        house, Role.PROCESREGISSEUR, username="regisseur", first_name="Rian", last_name="Regisseur", phone="030-1234567"
    )
    worker = make_user(make_org("Politie"), Role.PROFESSIONAL, username="agent")
    municipality = make_municipality("Gemeente")
    token = api_token_create(
        actor=None, user=worker, name="federatietest", scopes=["persons:match", "aanmeldingen:write"]
    ).key
    if role == "knowing":
        case = make_case(
            worker,
            municipality,
            persons=[
                PersonInput(
                    first_names="Pieter",
                    last_name="Janssen",
                    date_of_birth=datetime.date(1980, 3, 14),
                    gender="m",
                    role=PersonRole.PLEGER,
                )
            ],
        )
        Case.objects.filter(pk=case.pk).update(procesregisseur=regisseur)
        Person.objects.filter(last_name="Janssen").update(bsn_encrypted=crypto.encrypt("111222333"))
    if role == "restricting":
        make_case(
            worker,
            municipality,
            persons=[
                PersonInput(
                    first_names="Sanne",
                    last_name="Verborgen",
                    date_of_birth=datetime.date(1975, 6, 1),
                    gender="v",
                    role=PersonRole.SLACHTOFFER,
                )
            ],
        )
        # AVG art. 18: restricted before any publication.
        Person.objects.filter(last_name="Verborgen").update(processing_restricted=True)
    return {"token": token, "municipality_id": municipality.pk}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
