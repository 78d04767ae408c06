"""Issue 10 finding 8, end to end: what people type as a reason — escalation, closure proposal, status change,
phase change, escalation notes and arguments — reaches the audit log through neither the pages nor the API.

The audit log outlives retention; the reason stays in its domain record, which retention destroys. The
service-level guarantees (audit() refuses free text) are in test_audit_no_free_text.py; this test drives the
real pages and API operations, so a view or endpoint that wrote its own audit row with the text would fail.
On the code before the change the escalation, closure-proposal and status-change reasons were in the log.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tafel.api.tests.conftest import ApiClient, make_key
from tafel.cases.services import manual_transitions
from tafel.core.models import AuditEvent
from tafel.lifecycle.models import Escalation
from tafel.lifecycle.tests.factories import running_case

pytestmark = pytest.mark.django_db

SECRET = "Moeder-vertelde-over-Kees"
SENTENCE = f"Vader dreigt weer, zegt {SECRET} tegen de buren."


def _log() -> str:
    rows = AuditEvent.objects.values("reason", "details", "actor_label", "roles", "purpose", "origin")
    return json.dumps(list(rows), default=str, ensure_ascii=False)


def _api(user) -> ApiClient:
    return ApiClient(Client(), {"Authorization": f"Bearer {make_key(user)}"})


def test_a_status_change_reason_typed_on_the_page_is_not_in_the_audit_log(client, case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    case.refresh_from_db()
    to_status = next(s for s in manual_transitions(case) if s != case.status)
    client.force_login(procesregisseur)
    response = client.post(
        reverse("cases:transition", args=[case.pk]),
        {"to_status": to_status, "reason": SENTENCE, "version": case.version},
    )
    assert response.status_code == 302
    assert case.status_changes.filter(reason=SENTENCE).exists()
    assert AuditEvent.objects.filter(case_id=case.pk).exists()
    assert SECRET not in _log()


def test_escalation_and_closure_reasons_typed_on_pages_and_api_are_not_in_the_audit_log(
    client, case, procesregisseur, professional
):
    case, _ = running_case(case, procesregisseur, professional)
    client.force_login(professional)
    page = client.post(reverse("lifecycle:case_action", args=[case.pk, "escalatie"]), {"reason": SENTENCE})
    assert page.status_code == 302
    escalation = Escalation.objects.get(case=case)
    assert escalation.reason == SENTENCE

    assert (
        _api(procesregisseur).post(f"/lifecycle/escalations/{escalation.pk}/arguments", {"text": SENTENCE}).status_code
        == 201
    )
    advanced = _api(procesregisseur).post(f"/lifecycle/escalations/{escalation.pk}/advance", {"note": SENTENCE})
    assert advanced.status_code in (200, 201)
    phase = _api(procesregisseur).post(
        f"/lifecycle/cases/{case.pk}/phase", {"to_phase": "risicogestuurde_zorg", "reason": SENTENCE}
    )
    assert phase.status_code == 201
    proposal = client.post(reverse("lifecycle:case_action", args=[case.pk, "voorstel-afsluiten"]), {"reason": SENTENCE})
    assert proposal.status_code in (200, 302)
    assert case.closure_proposals.filter(reason=SENTENCE).exists()
    assert _api(professional).post(f"/lifecycle/cases/{case.pk}/riec", {"reason": SENTENCE}).status_code in (201, 403)

    assert AuditEvent.objects.filter(case_id=case.pk).count() >= 5
    assert SECRET not in _log()
