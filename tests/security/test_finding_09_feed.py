"""Issue 10 finding 9: the event feed showed reads (and the reading organisation) to other participants, and
activity on items the caller may not see. The feed now carries an allowlist of write events only, and an event
about a piece of content only when the caller may read that item."""

from __future__ import annotations

import pytest
from django.test import Client

from tafel.api.services import api_token_create
from tafel.cases.audit_events import CaseEvent
from tafel.cases.services import case_add_note, case_add_organisation
from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.evaluations.audit_events import EvaluationEvent
from tafel.lifecycle.selectors import FEED_EVENTS
from tafel.privacy.audit_events import PrivacyEvent

pytestmark = pytest.mark.django_db

READS = [
    CaseEvent.CASE_VIEW,
    PrivacyEvent.ATTACHMENT_VIEW,
    EvaluationEvent.EVALUATION_VIEW,
    EvaluationEvent.IMPROVEMENT_ACTION_LIST,
    PrivacyEvent.PERSON_EXPORT,
    CoreEvent.ACCESS_DENIED,
]


def _feed(user) -> list[dict]:
    from tafel.api.models import SCOPES

    key = api_token_create(actor=None, user=user, name="security", scopes=list(SCOPES), days=30).key
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/events?cursor=0&limit=500")
    assert response.status_code == 200
    return response.json()["items"]


@pytest.fixture
def shared(case, procesregisseur, outsider):
    case_add_organisation(actor=procesregisseur, case=case, organisation=outsider.organisation, reason="GGZ nodig.")
    return case


def test_the_feed_never_carries_a_read(shared, procesregisseur, professional, outsider):
    for event in READS:
        audit(actor=procesregisseur, event=event, case_id=shared.pk)
    types = {item["type"] for item in _feed(outsider)}
    assert not types & {int(e) for e in READS}
    assert types <= {int(e) for e in FEED_EVENTS}
    assert CaseEvent.CASE_PARTICIPANT_ADD in types


def test_the_feed_leaves_out_activity_on_items_the_caller_may_not_read(shared, professional, outsider):
    note = case_add_note(actor=professional, case=shared, text="Medische informatie.", category="medisch")
    mine = [i for i in _feed(professional) if i["type"] == CaseEvent.CASE_NOTE_ADD]
    theirs = [i for i in _feed(outsider) if i["type"] == CaseEvent.CASE_NOTE_ADD]
    assert mine and not theirs
    assert note.pk
