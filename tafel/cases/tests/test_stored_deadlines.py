"""Issue 14, the werkvoorraad: the stored response deadlines (Aanmelding.response_deadline), each case's earliest
(Case.triage_deadline) and the queue's rank (Case.triage_rank) stay equal to a computation from scratch after
every writer: intake through the service, the page and the API, joining meldingen, Veilig Thuis meldingen, a
change of urgency, the demo generator and the migration's backfill (tafel/cases/deadlines.py)."""

from __future__ import annotations

import datetime
import importlib
import io
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from tafel.api.tests.conftest import aanmelding_payload, as_user, session_client, token_client  # noqa: F401
from tafel.cases import changes
from tafel.cases.models import TRIAGE_URGENCY_RANK, Aanmelding, Case, CasePerson, PersonRole, Urgency
from tafel.cases.screening import person_match
from tafel.cases.services import PersonInput, aanmelding_create
from tafel.cases.tests.test_views_aanmelding import form_data
from tafel.lifecycle.services.vt import vt_melding_create
from tafel.persons.matching import NameParts
from tafel.testing import aanmelding_input

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = datetime.UTC

# Moments around the house's midnight in winter and summer and the daylight-saving changes of 2026.
MOMENTS = [
    datetime.datetime(2026, 1, 10, 22, 59, 59, tzinfo=UTC),
    datetime.datetime(2026, 1, 10, 23, 0, 0, tzinfo=UTC),
    datetime.datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
    datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime.datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC),
    datetime.datetime(2026, 6, 30, 22, 0, tzinfo=UTC),
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime.datetime(2026, 12, 31, 23, 0, 0, 1, tzinfo=UTC),
]
DAYS = [None, None, 0, 1, 7, 14, 30, 365]


def from_scratch() -> tuple[dict, dict]:
    """(aanmelding id → deadline, case id → (triage deadline, rank)), computed in Python from the inputs."""
    aanmeldingen = {}
    earliest: dict[int, datetime.date] = {}
    for pk, case_id, created_at, days in Aanmelding.objects.values_list(
        "pk", "case_id", "created_at", "desired_response_days"
    ):
        deadline = None if days is None else created_at.astimezone(AMSTERDAM).date() + datetime.timedelta(days=days)
        aanmeldingen[pk] = deadline
        if deadline is not None and (case_id not in earliest or deadline < earliest[case_id]):
            earliest[case_id] = deadline
    cases = {
        pk: (earliest.get(pk), 2 * TRIAGE_URGENCY_RANK.get(urgency, 3) + (pk not in earliest))
        for pk, urgency in Case.objects.values_list("pk", "urgency")
    }
    return aanmeldingen, cases


def stored() -> tuple[dict, dict]:
    return (
        dict(Aanmelding.objects.values_list("pk", "response_deadline")),
        {pk: (d, r) for pk, d, r in Case.objects.values_list("pk", "triage_deadline", "triage_rank")},
    )


def assert_stored_equals_from_scratch() -> None:
    expected = from_scratch()
    assert stored() == expected
    return expected


def _join(actor, municipality, person, **overrides):
    # The sender screens first (SPEC §3.2): an aanmelder links only a person its own screening showed it.
    person_match(
        viewer=actor,
        query=NameParts(first_names=person.first_names, last_name=person.last_name, date_of_birth=person.date_of_birth),
    )
    data = aanmelding_input(
        municipality, persons=[PersonInput(existing_person_id=person.pk, role=PersonRole.BETROKKENE)], **overrides
    )
    return aanmelding_create(actor=actor, data=data)


def test_intake_and_joining_meldingen_keep_the_stored_deadlines_equal_to_the_rule(
    professional, municipality, procesregisseur
):
    rng = random.Random(1414)
    cases = []
    for step in range(30):
        moment = rng.choice(MOMENTS) + datetime.timedelta(days=rng.choice([0, 0, 3]))
        overrides = {"desired_response_days": rng.choice(DAYS), "urgency": rng.choice(list(Urgency))}
        with time_machine.travel(moment, tick=False):
            if cases and rng.random() < 0.5:
                # A joining melding: earlier, later or without a deadline of its own.
                case = rng.choice(cases)
                person = CasePerson.objects.filter(case=case).first().person
                result = _join(professional, municipality, person, **overrides)
                assert result.joined_existing and result.case.pk == case.pk
                # The returned case carries the stored deadline (callers render it).
                assert result.case.triage_deadline == from_scratch()[1][case.pk][0]
            else:
                persons = [
                    PersonInput(
                        first_names=f"Persoon{step}",
                        last_name=f"Achternaam{step}",
                        date_of_birth=datetime.date(1970 + step, 1, 1),
                        gender="v",
                        role=PersonRole.PLEGER,
                    )
                ]
                data = aanmelding_input(municipality, persons=persons, **overrides)
                if rng.random() < 0.3:
                    cases.append(vt_melding_create(actor=professional, origin="politie", data=data).case)
                else:
                    cases.append(aanmelding_create(actor=professional, data=data).case)
        expected = assert_stored_equals_from_scratch()
    # The run was varied: cases with several aanmeldingen, with and without deadlines, every rank parity.
    assert Aanmelding.objects.count() > len(cases) + 5
    assert None in expected[0].values()
    assert len({d for d, _ in expected[1].values() if d}) > 5


def test_page_and_api_intake_store_the_deadline_in_the_house_zone(client, professional, municipality, as_user):  # noqa: F811
    # 22:30 UTC on 30 June is already 1 July in Amsterdam: the deadline counts from 1 July.
    with time_machine.travel(datetime.datetime(2026, 6, 30, 22, 30, tzinfo=UTC), tick=False):
        client.force_login(professional)
        assert client.post(reverse("cases:aanmelding_new"), form_data(municipality)).status_code == 302
        payload = aanmelding_payload(municipality, desired_response_days=3)
        assert as_user(professional).post("/aanmeldingen", payload).status_code == 201
    assert_stored_equals_from_scratch()
    assert sorted(Case.objects.values_list("triage_deadline", flat=True)) == [
        datetime.date(2026, 7, 4),
        datetime.date(2026, 7, 11),
    ]


def test_a_change_of_urgency_moves_the_case_in_the_queue(professional, municipality, procesregisseur):
    case = aanmelding_create(
        actor=professional, data=aanmelding_input(municipality, urgency=Urgency.NORMAAL, desired_response_days=5)
    ).case
    changes.case_classification_update(
        actor=procesregisseur, case=case, urgency=Urgency.ACUUT, reason="Dreiging", expected_version=case.version
    )
    assert assert_stored_equals_from_scratch()[1][case.pk][1] == 0


def test_demo_generator_writes_the_stored_deadlines():
    call_command("demo", seed=3, cases=60, verbosity=0, stdout=io.StringIO())
    aanmeldingen, cases = assert_stored_equals_from_scratch()
    assert sum(d is not None for d in aanmeldingen.values()) > 20


def test_the_backfill_computes_what_the_writers_store(professional, municipality):
    for i, moment in enumerate(MOMENTS):
        with time_machine.travel(moment, tick=False):
            data = aanmelding_input(municipality, desired_response_days=DAYS[i % len(DAYS)], title=f"Casus {i}")
            aanmelding_create(actor=professional, data=data)
    written = assert_stored_equals_from_scratch()
    Aanmelding.objects.update(response_deadline=None)
    Case.objects.update(triage_deadline=None)
    migration = importlib.import_module("tafel.cases.migrations.0007_stored_triage_deadlines")
    migration.backfill(apps, None)
    assert stored() == written
