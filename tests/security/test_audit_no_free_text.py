"""Issue 10 finding 8: the audit log holds ids and codes only, never free text.

The audit log outlives retention (it must: it is the evidence of who read what), so text a person typed — an
escalation's reason, a closure proposal's reason, a status change's reason — would outlive the case it speaks
of. The text stays in the domain record (which retention destroys); the audit event carries a code and ids.
These tests fail on the code before the change: there `audit()` took any text as `reason`, and the services
passed the user's words to it.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from tafel.access.audit_events import AccessEvent
from tafel.cases.audit_events import CaseEvent
from tafel.core.audit import AuditFreeText, audit, audit_many
from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.lifecycle import services as lifecycle
from tafel.lifecycle.audit_events import LifecycleEvent
from tafel.lifecycle.tests.factories import running_case
from tafel.privacy.audit_events import PrivacyEvent

pytestmark = pytest.mark.django_db

SECRET = "Moeder-vertelde-over-Kees"  # typed by a person; must never reach the audit log
SENTENCE = f"Vader dreigt weer, zegt {SECRET} tegen de buren."

CRITERIA = {"care_started": True}
PLAN = "Bij een nieuwe melding direct het casusoverleg."


@pytest.fixture
def fg(house):
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    return make_user(house, Role.FG, username="fg")


def _log_text() -> str:
    rows = AuditEvent.objects.values("reason", "details", "actor_label", "roles", "purpose", "origin")
    return json.dumps(list(rows), default=str, ensure_ascii=False)


def test_audit_refuses_a_sentence_as_reason(professional):
    with pytest.raises(AuditFreeText):
        audit(actor=professional, event=CaseEvent.CASE_TRANSITION, case_id=1, reason="Info mist nog.")
    with pytest.raises(AuditFreeText):
        audit_many(actor=professional, event=CoreEvent.CASE_LIST, case_ids=[1], reason="de monitor van Q2")
    assert not AuditEvent.objects.exists()


def test_audit_refuses_free_text_in_details(professional):
    with pytest.raises(AuditFreeText):
        audit(actor=professional, event=PrivacyEvent.ITEM_SHARE, case_id=1, details={"explanation": SENTENCE})
    with pytest.raises(AuditFreeText):
        audit(actor=professional, event=PrivacyEvent.ITEM_SHARE, case_id=1, details={"items": [{"note": SENTENCE}]})
    with pytest.raises(AuditFreeText):
        audit(actor=professional, event=PrivacyEvent.ITEM_SHARE, case_id=1, details={"Vrije tekst": 1})
    assert not AuditEvent.objects.exists()


def test_audit_takes_codes_ids_numbers_and_dates(professional):
    event = audit(
        actor=professional,
        event=LifecycleEvent.ESCALATION_STEP,
        case_id=7,
        reason="escalation.directors_clock_expired",
        details={"escalation": 3, "step": 6, "withdrawn": False, "due_on": datetime.date(2026, 1, 5), "ids": [1, 2]},
    )
    event.refresh_from_db()
    assert event.reason == "escalation.directors_clock_expired"
    assert event.details == {"escalation": 3, "step": 6, "withdrawn": False, "due_on": "2026-01-05", "ids": [1, 2]}


def test_status_change_reason_stays_in_the_status_history_only(case, procesregisseur):
    from tafel.cases.models import CaseStatus
    from tafel.cases.services import case_transition

    change = case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.VERRIJKEN, reason=SENTENCE)

    assert change.reason == SENTENCE
    assert SECRET not in _log_text()


def test_escalation_reasons_notes_and_decision_stay_in_the_escalation(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    escalation = lifecycle.escalation_start(actor=professional, case=case, reason=SENTENCE)
    lifecycle.escalation_advance(actor=procesregisseur, escalation=escalation, note=SENTENCE)
    lifecycle.escalation_advance(
        actor=procesregisseur,
        escalation=escalation,
        proposal=SENTENCE,
        proposal_until=timezone.localdate() + datetime.timedelta(days=30),
        subtasks_in=SENTENCE,
    )
    lifecycle.escalation_advance(actor=procesregisseur, escalation=escalation, note=SENTENCE)
    lifecycle.escalation_resolve(actor=procesregisseur, escalation=escalation, resolution=SENTENCE)

    escalation.refresh_from_db()
    assert escalation.reason == SENTENCE and escalation.resolution == SENTENCE
    assert escalation.log.filter(note=SENTENCE).exists()
    assert AuditEvent.objects.filter(case_id=case.pk, event_type=LifecycleEvent.ESCALATION_STEP).count() == 3
    assert SECRET not in _log_text()


def test_closure_proposal_and_its_rejection_keep_their_reasons_out_of_the_log(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    proposal = lifecycle.closure_propose(actor=professional, case=case, reason=SENTENCE)
    lifecycle.closure_proposal_reject(actor=procesregisseur, proposal=proposal, note=SENTENCE)

    proposal.refresh_from_db()
    assert proposal.reason == SENTENCE and proposal.decision_note == SENTENCE
    assert AuditEvent.objects.filter(case_id=case.pk, event_type=LifecycleEvent.CLOSURE_PROPOSE).exists()
    assert SECRET not in _log_text()


def test_closure_phase_change_and_reentry_reasons_stay_in_their_records(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    lifecycle.phase_change(actor=procesregisseur, case=case, to_phase="risicogestuurde_zorg", reason=SENTENCE)
    lifecycle.case_close(
        confirm_reason="De open acties gaan lokaal verder.",
        actor=procesregisseur,
        case=case,
        reason=SENTENCE,
        criteria=CRITERIA,
        afsluitingsplan=PLAN,
        goal_reached="bereikt",
    )
    case.refresh_from_db()
    lifecycle.case_reenter(actor=professional, case=case, reason=SENTENCE)

    assert case.closures.filter(reason=SENTENCE).exists()
    assert case.status_changes.filter(reason__contains=SECRET).exists()
    assert SECRET not in _log_text()


def test_privacy_reasons_stay_in_consent_rectification_and_restriction_records(case, procesregisseur, fg):
    from tafel.cases.models import CasePerson
    from tafel.privacy import services as privacy
    from tafel.privacy.models import PersonRestrictionDecision

    person = CasePerson.objects.filter(case=case).first().person
    privacy.person_restrict(actor=fg, person=person, restricted=True, reason=SENTENCE)
    privacy.person_rectify(actor=fg, person=person, field="last_name", new_value="Jansen", reason=SENTENCE)

    assert PersonRestrictionDecision.objects.get(person=person).reason == SENTENCE
    assert person.rectifications.filter(reason=SENTENCE).exists()
    assert SECRET not in _log_text()


def test_fg_audit_search_logs_which_filters_were_used_not_the_typed_name(client, fg):
    client.force_login(fg)
    client.get("/privacy/fg/", {"user": SECRET, "case": "12"})

    event = AuditEvent.objects.get(event_type=AccessEvent.AUDIT_VIEW)
    assert event.details == {"filters": {"user": True, "case": "12"}}
    assert SECRET not in _log_text()
