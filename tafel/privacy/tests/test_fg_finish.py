"""Issue 12, item 8: the FG searches the audit trail by kenmerk, and the inzage PDF reads as a letter to the
citizen (Dutch labels, Dutch dates, explanations; no field names, ISO timestamps or database ids)."""

import datetime

import pytest
from django.urls import reverse

from tafel.core.tests.pdfua import assert_pdf_ua
from tafel.organisations.models import Role
from tafel.privacy.inzage import citizen_sections
from tafel.privacy.selectors import AuditFilters, audit_search, person_export
from tafel.testing import make_case, make_user


@pytest.fixture
def fg(house):
    return make_user(house, Role.FG, username="fg")


def test_fg_finds_a_case_s_audit_events_by_its_kenmerk(client, case, fg, professional, municipality):
    other = make_case(professional, municipality)
    client.force_login(professional)
    for c in (case, other):
        assert client.get(reverse("cases:detail", args=[c.pk])).status_code == 200
    rows = audit_search(viewer=fg, filters=AuditFilters(reference=case.reference.lower()))
    assert rows.exists() and set(rows.values_list("case_id", flat=True)) == {case.pk}
    assert not audit_search(viewer=fg, filters=AuditFilters(reference="ZVH-0000-999999")).exists()
    client.force_login(fg)
    page = client.get(reverse("privacy:fg"), {"kenmerk": case.reference}).content.decode()
    assert 'name="kenmerk"' in page and case.reference in page


def test_inzage_for_the_citizen_has_dutch_labels_dates_and_explanations(client, case, fg):
    person = case.case_persons.first().person
    data = person_export(viewer=fg, person_id=person.pk)
    sections = citizen_sections(data)
    by_heading = {s.heading: s for s in sections}
    assert {"Uw gegevens", "Casussen waarin u voorkomt", "Wie uw gegevens heeft gebruikt"} <= set(by_heading)
    assert all(s.explanation for s in sections)
    cases = dict(by_heading["Casussen waarin u voorkomt"].rows[0])
    assert cases["Kenmerk"] == case.reference
    started = cases["Begonnen op"]
    assert "T" not in started and started.split()[1].endswith(".") or started.split()[1] == "mei"
    labels = [label for s in sections for row in s.rows for label, _ in row]
    assert "created_at" not in labels and "first_names" not in labels
    values = " ".join(value for s in sections for row in s.rows for _, value in row)
    assert "T0" not in values and "T1" not in values and "T2" not in values  # no ISO timestamps
    # Dutch date of birth.
    personal = dict(by_heading["Uw gegevens"].rows[0])
    born = person.date_of_birth
    if born:
        assert personal["Geboortedatum"].startswith(f"{born.day} ") and str(born.year) in personal["Geboortedatum"]
    client.force_login(fg)
    pdf = client.get(reverse("privacy:person_export_pdf", args=[person.pk]))
    assert pdf.status_code == 200
    assert_pdf_ua(pdf.content)


def test_inzage_values_are_readable():
    from tafel.privacy.inzage import _value

    assert _value("given_on", "2026-10-17", {}) == "17 okt. 2026"
    assert _value("at", "2026-10-17T12:30:00+00:00", {}) == "17 okt. 2026 14:30"
    assert _value("at", datetime.datetime(2026, 5, 3, 8, 0, tzinfo=datetime.UTC), {}) == "3 mei 2026 10:00"
    assert _value("processing_restricted", False, {}) == "nee"
    assert _value("case_id", 7, {7: "ZVH-2026-000007"}) == "ZVH-2026-000007"
    assert _value("category", "medisch", {}) == "Medisch / GGZ"
    assert _value("gender", "v", {}) == "vrouw"
    assert _value("withdrawn_at", None, {}) == "—"
