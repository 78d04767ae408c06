"""The pseudonymised research export (issue 6 item 6): no names, BSN, free text or exact dates leave the
house; pseudonyms are stable across exports; only the ketenmanager and the beheerder make one; each export
is recorded and audited."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse

from tafel.cases.models import Aanmelding, Case, CaseNote, PersonRole, Triage, TriageCriterion
from tafel.cases.services import PersonInput
from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.persons.models import Person
from tafel.reports.models import ResearchExport
from tafel.reports.research import case_pseudonym
from tafel.reports.tests.conftest import at
from tafel.testing import make_case

URL = reverse("reports:research_export")

FORM = {
    "researcher_name": "Dr. Onderzoeker",
    "researcher_organisation": "Universiteit Utrecht",
    "approval_reference": "METC-2025-017",
    "purpose": "Effect van de Casus-op-Maat-aanpak op herhaald huiselijk geweld.",
    "period_start": "2025-01-01",
    "period_end": "2026-12-31",
}

DATE_COLUMNS = ("begin", "einde")


@pytest.fixture
def every_row(settings):
    """k = 1: nothing generalised beyond the finest level, nothing suppressed, so the tests below can check
    each column; the k-anonymity itself is tested in tests/security/test_finding_16_research_k_anonymity.py."""
    settings.TAFEL_RESEARCH_K = 1


@pytest.fixture
def bsn_case(history):
    """A case whose person has a BSN and an unmistakable name, inside the export period."""
    with time_machine.travel(at(2025, 8, 14, 9), tick=False):
        return make_case(
            history.aanmelder,
            history.hilversum,
            persons=[
                PersonInput(
                    first_names="Marieke",
                    last_name="Zonneveldhuis",
                    date_of_birth=datetime.date(1987, 11, 23),
                    bsn="111222333",
                    role=PersonRole.SLACHTOFFER,
                )
            ],
        )


def _export(client, **overrides) -> list[dict[str, str]]:
    response = client.post(URL, {**FORM, **overrides})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_export_holds_no_names_bsn_free_text_or_exact_dates(client, history, bsn_case, ketenmanager):
    client.force_login(ketenmanager)
    response = client.post(URL, FORM)
    text = response.content.decode("utf-8-sig")

    forbidden = {"111222333", "Marieke", "Zonneveldhuis", "1987-11-23", "23-11-1987"}
    for person in Person.objects.all():
        forbidden |= {person.last_name, person.full_name}
        if person.date_of_birth:
            forbidden.add(person.date_of_birth.isoformat())
    for case in Case.objects.all():
        forbidden |= {case.reference, case.title, case.created_at.date().isoformat()}
    for aanmelding in Aanmelding.objects.all():
        forbidden |= {aanmelding.reason, aanmelding.summary, aanmelding.info_supplied, aanmelding.info_requested}
        forbidden |= {str(v) for v in (aanmelding.life_domains or {}).values()}
    forbidden |= set(Triage.objects.exclude(override_reason="").values_list("override_reason", flat=True))
    forbidden |= set(TriageCriterion.objects.values_list("argument", flat=True))
    forbidden |= set(CaseNote.objects.values_list("text", flat=True))
    forbidden.discard("")
    leaked = sorted(value for value in forbidden if value in text)
    assert not leaked, f"the research export leaks: {leaked}"

    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    # At most one row per person in a case created in 2025-2026 (rows that stand out are left out).
    assert 0 < len(rows) <= sum(case.case_persons.count() for case in Case.objects.all())
    for row in rows:
        for column in DATE_COLUMNS:
            assert re.fullmatch(r"|alle|\d{4}(Q[1-4]|H[12])?", row[column]), row[column]


def test_each_person_is_a_row_with_age_band_and_quarter(client, history, bsn_case, ketenmanager, every_row):
    client.force_login(ketenmanager)
    rows = _export(client)
    assert len(rows) == sum(case.case_persons.count() for case in Case.objects.all())
    bsn_row = next(r for r in rows if r["casus_pseudoniem"] == case_pseudonym(bsn_case.pk))
    # Born 23-11-1987, case started 14-08-2025: 37 years old.
    assert (bsn_row["rol"], bsn_row["leeftijdsgroep"], bsn_row["begin"]) == ("slachtoffer", "35-44", "2025Q3")
    assert re.fullmatch(r"[0-9a-f]{16}", bsn_row["persoon_pseudoniem"])


def test_export_carries_coarse_case_facts(client, history, ketenmanager, every_row):
    client.force_login(ketenmanager)
    rows = {r["casus_pseudoniem"]: r for r in _export(client)}
    a = rows[case_pseudonym(history.cases["A"].pk)]
    assert (a["regio"], a["thema"], a["instroomroute"]) == ("Hilversum", "huiselijk_geweld", "veld")
    assert (a["begin"], a["triage_uitkomst"], a["aantal_besprekingen"]) == ("2025Q2", "zvh_com", "1")
    e = rows[case_pseudonym(history.cases["E"].pk)]
    assert (e["status"], e["einde"]) == ("afgesloten", "2025Q2")
    # B was deferred once and discussed once: only the discussion counts.
    assert rows[case_pseudonym(history.cases["B"].pk)]["aantal_besprekingen"] == "1"


def test_pseudonyms_are_stable_across_two_exports(client, history, ketenmanager, every_row):
    client.force_login(ketenmanager)
    first = _export(client)
    second = _export(client, researcher_name="Een ander", approval_reference="METC-2026-002")
    pairs = [(r["casus_pseudoniem"], r["persoon_pseudoniem"]) for r in first]
    assert pairs == [(r["casus_pseudoniem"], r["persoon_pseudoniem"]) for r in second]
    # The same person in two cases (E re-enters as F) has one pseudonym, so a researcher can follow re-entry.
    persons = {}
    for case, person in pairs:
        persons.setdefault(case, set()).add(person)
    assert persons[case_pseudonym(history.cases["E"].pk)] & persons[case_pseudonym(history.cases["F"].pk)]


def test_period_limits_the_cases(client, history, ketenmanager, every_row):
    client.force_login(ketenmanager)
    rows = _export(client, period_start="2025-04-01", period_end="2025-06-30")
    expected = {case_pseudonym(history.cases[n].pk) for n in ("A", "B", "C", "D", "G")}
    assert {r["casus_pseudoniem"] for r in rows} == expected


def test_export_is_recorded_listed_and_audited(client, history, beheerder):
    client.force_login(beheerder)
    rows = _export(client)
    record = ResearchExport.objects.get()
    assert (record.requested_by, record.approval_reference, record.row_count) == (beheerder, "METC-2025-017", len(rows))
    assert (record.period_start, record.period_end) == (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))
    event = AuditEvent.objects.filter(actor=beheerder, event_type=CoreEvent.CASE_LIST).get()
    assert event.details["research_export_id"] == record.pk
    assert (event.reason, event.purpose) == ("research_export", "onderzoek")
    page = client.get(URL).content.decode()
    assert "METC-2025-017" in page and "Dr. Onderzoeker" in page


def test_approval_reference_is_required(client, history, ketenmanager):
    client.force_login(ketenmanager)
    response = client.post(URL, {**FORM, "approval_reference": " "})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "kenmerk van de goedkeuring" in response.content.decode()
    assert not ResearchExport.objects.exists()
    assert not AuditEvent.objects.filter(actor=ketenmanager).exists()


@pytest.mark.parametrize("who", ["analyst", "professional", "procesregisseur"])
def test_only_ketenmanager_and_beheerder_may_export(client, history, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, FORM).status_code == 403
    assert not ResearchExport.objects.exists()


def test_outsider_and_anonymous_get_no_export(client, history, outsider):
    assert client.get(URL).status_code == 302
    client.force_login(outsider)
    assert client.post(URL, FORM).status_code == 403
    assert not ResearchExport.objects.exists()
