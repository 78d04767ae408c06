"""The triage page: side-by-side aanmelding and decision, caseload cap, access."""

import pytest
from django.urls import reverse

from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import AanmeldingStatus, Case, CaseStatus, Triage
from tafel.cases.services import CriterionInput, TriageInput, triage_decide
from tafel.core.models import AuditEvent
from tafel.testing import make_case, make_municipality

pytestmark = pytest.mark.django_db


def triage_url(case):
    return reverse("cases:triage", args=[case.pk])


def decision(case, **overrides) -> dict:
    data = {"version": str(case.version), "mode": "desk", "outcome": "lokaal", "lokaal_reason": "a", "feedback": ""}
    for code in "abcde":
        data[f"criterion_{code}"] = "ja" if code in "de" else "nee"
        data[f"criterion_{code}_argument"] = f"Argument {code}."
    data.update(overrides)
    return data


def test_triage_page_renders_side_by_side_for_the_procesregisseur(client, procesregisseur, case):
    client.force_login(procesregisseur)
    response = client.get(triage_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "tafel-split" in html
    assert "Herhaald huiselijk geweld" in html  # the aanmelding, left
    for code in "abcde":
        assert f'name="criterion_{code}"' in html and f'name="criterion_{code}_argument"' in html
    assert "Reguliere interventies zijn herhaaldelijk mislukt" in html  # help text of criterion b
    assert "Caseload Hilversum: 0 van maximaal 50 ZVH-casussen." in html
    assert f'name="version" value="{case.version}"' in html
    assert AuditEvent.objects.filter(event_type=CaseEvent.TRIAGE_VIEW, case_id=case.pk).exists()
    assert " style=" not in html and "<script>" not in html


def test_triage_page_is_not_found_for_an_outsider(client, outsider, case):
    client.force_login(outsider)
    assert client.get(triage_url(case)).status_code == 404
    assert client.post(triage_url(case), decision(case)).status_code == 404


def test_triage_page_is_forbidden_to_a_participant_who_is_not_procesregisseur(client, professional, case):
    client.force_login(professional)
    assert client.get(triage_url(case)).status_code == 403
    assert client.post(triage_url(case), decision(case)).status_code == 403
    assert not Triage.objects.exists()


def test_triage_page_redirects_anonymous_to_login(client, case):
    response = client.get(triage_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_triage_lokaal_a_routes_the_case_and_the_aanmelder_sees_the_decision(
    client, procesregisseur, professional, case
):
    client.force_login(procesregisseur)
    response = client.post(triage_url(case), decision(case, feedback="Het wijkteam pakt dit op."))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    case.refresh_from_db()
    assert case.status == CaseStatus.LOKAAL
    triage = Triage.objects.get()
    assert triage.lokaal_reason == "a"
    assert {c.criterion: c.met for c in triage.criteria.all()} == {
        "a": False,
        "b": False,
        "c": False,
        "d": True,
        "e": True,
    }
    detail_page = client.get(response["Location"]).content.decode()
    assert "Triagebesluit vastgelegd" in detail_page
    assert "a. niet (zeer) complex" in detail_page

    aanmelding = case.aanmeldingen.get()
    assert aanmelding.status == AanmeldingStatus.BESLOTEN
    client.force_login(professional)
    html = client.get(reverse("cases:aanmelding_detail", args=[aanmelding.pk])).content.decode()
    assert "Besluit: Lokaal oppakken." in html
    assert "a. niet (zeer) complex" in html
    assert "Het wijkteam pakt dit op." in html


def test_triage_reports_missing_verdicts_at_the_fields_and_decides_nothing(client, procesregisseur, case):
    client.force_login(procesregisseur)
    data = decision(case, criterion_a="", criterion_b_argument="", outcome="")
    response = client.post(triage_url(case), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geef voor criterium a aan of het voldoet." in html
    assert "Geef een kort argument bij criterium b." in html
    assert "Kies een uitkomst." in html
    assert 'href="#id_criterion_a_0"' in html
    # What was typed stays.
    assert "Argument c." in html
    assert not Triage.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.AANGEMELD


def test_triage_team_decision_needs_its_members(client, procesregisseur, case):
    client.force_login(procesregisseur)
    response = client.post(triage_url(case), decision(case, mode="team"))
    assert "Leg vast wie aan het triageteam deelnamen." in response.content.decode()
    response = client.post(triage_url(case), decision(case, mode="team", team_members=[str(procesregisseur.pk)]))
    assert response.status_code == 302
    assert list(Triage.objects.get().team_members.all()) == [procesregisseur]


def test_triage_refuses_zvh_when_the_municipality_caseload_is_full(client, procesregisseur, professional):
    full = make_municipality("Volstad", max_caseload=1)
    running = make_case(professional, full)
    triage_decide(
        actor=procesregisseur,
        case=running,
        data=TriageInput(criteria=[CriterionInput(c, True, "ja") for c in "abcde"], outcome="zvh_com"),
    )
    from tafel.cases.services import PersonInput

    new = make_case(professional, full, persons=[PersonInput(first_names="Els", last_name="Vos", role="slachtoffer")])
    client.force_login(procesregisseur)

    page = client.get(triage_url(new)).content.decode()
    assert "Caseload Volstad: 1 van maximaal 1 ZVH-casussen." in page
    assert "De maximale caseload is bereikt." in page

    data = decision(new, outcome="zvh_com", lokaal_reason="")
    for code in "abcde":
        data[f"criterion_{code}"] = "ja"
    response = client.post(triage_url(new), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "De maximale caseload van Volstad is bereikt (1 van 1)." in html
    assert "Caseload bereikt: vul een reden in om toch een ZVH-aanpak te starten." in html
    new.refresh_from_db()
    assert new.status == CaseStatus.AANGEMELD

    data["caseload_override_reason"] = "Acuut gevaar voor de kinderen."
    assert client.post(triage_url(new), data).status_code == 302
    new.refresh_from_db()
    assert new.status == CaseStatus.ACTIEF


def test_triage_on_a_stale_version_keeps_the_input_and_says_why(client, procesregisseur, case):
    client.force_login(procesregisseur)
    data = decision(case, version=str(case.version - 1 if case.version > 1 else 99))
    response = client.post(triage_url(case), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft deze casus intussen gewijzigd." in html
    assert "Argument a." in html
    assert f'name="version" value="{Case.objects.get(pk=case.pk).version}"' in html
    assert not Triage.objects.exists()


def test_triage_page_of_a_routed_case_offers_no_form(client, procesregisseur, case):
    client.force_login(procesregisseur)
    client.post(triage_url(case), decision(case))
    html = client.get(triage_url(case)).content.decode()
    assert "kan nu niet worden getrieerd" in html
    assert 'id="triagebesluit"' not in html
