"""Issue 11 on the case page: the current role and since when, the proposals with their decision forms, the
classification history and the procesregisseur's edit forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tafel.cases.models import CasePerson, CaseProposal, CaseProposalStatus, PersonRole, ProposalKind, Theme, Urgency
from tafel.cases.tests.test_services_joining import _join, _stalking_case


@pytest.fixture
def joined(professional, outsider, municipality, procesregisseur):
    case = _stalking_case(professional, municipality)
    _join(outsider, municipality, case, urgency=Urgency.HOOG, theme=Theme.HUISELIJK_GEWELD)
    return case


def test_case_page_shows_role_change_history_and_open_proposals(client, joined, procesregisseur):
    client.force_login(procesregisseur)
    html = client.get(reverse("cases:detail", args=[joined.pk])).content.decode()
    assert "Verdachte" in html and "sinds" in html
    assert 'id="voorstellen"' in html and "Ander thema" in html
    assert 'id="wijzigingen"' in html and "Gekoppelde aanmelding" in html
    assert 'id="classificatie-wijzigen"' in html and 'id="rol-wijzigen"' in html


def test_member_sees_history_but_no_proposals_or_edit_forms(client, joined, professional):
    client.force_login(professional)
    html = client.get(reverse("cases:detail", args=[joined.pk])).content.decode()
    assert 'id="wijzigingen"' in html
    assert 'id="voorstellen"' not in html and 'id="classificatie-wijzigen"' not in html


def test_decline_without_reason_shows_a_field_error_and_keeps_the_proposal_open(client, joined, procesregisseur):
    client.force_login(procesregisseur)
    proposal = CaseProposal.objects.get(case=joined, kind=ProposalKind.THEME)
    url = reverse("cases:proposal_decide", args=[joined.pk, proposal.pk])
    response = client.post(url, {f"p{proposal.pk}-decision": "decline", f"p{proposal.pk}-reason": ""})
    assert response.status_code == 200
    assert "Vul een reden in." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == CaseProposalStatus.OPEN
    response = client.post(url, {f"p{proposal.pk}-decision": "accept", f"p{proposal.pk}-reason": ""})
    assert response.status_code == 302
    joined.refresh_from_db()
    assert joined.theme == Theme.HUISELIJK_GEWELD


def test_classification_and_role_forms(client, joined, procesregisseur):
    client.force_login(procesregisseur)
    response = client.post(
        reverse("cases:classify", args=[joined.pk]),
        {"urgency": "acuut", "theme": joined.theme, "reason": "", "version": joined.version},
    )
    assert response.status_code == 200 and "Vul een reden in." in response.content.decode()
    joined.refresh_from_db()
    response = client.post(
        reverse("cases:classify", args=[joined.pk]),
        {"urgency": "acuut", "theme": joined.theme, "reason": "Wapen gezien.", "version": joined.version},
    )
    assert response.status_code == 302
    joined.refresh_from_db()
    assert joined.urgency == Urgency.ACUUT
    mark = CasePerson.objects.get(case=joined, person__first_names="Mark")
    response = client.post(
        reverse("cases:person_role", args=[joined.pk]),
        {"person": mark.person_id, "role": "pleger", "reason": "Veroordeeld."},
    )
    assert response.status_code == 302
    mark.refresh_from_db()
    assert mark.role == PersonRole.PLEGER


def test_outsider_gets_404_and_member_403_on_the_edit_pages(client, joined, outsider, professional, analyst):
    for user, code in ((analyst, 404), (professional, 403)):
        client.force_login(user)
        assert client.post(reverse("cases:classify", args=[joined.pk]), {}).status_code == code
        assert client.post(reverse("cases:person_role", args=[joined.pk]), {}).status_code == code
