"""Every read of personal data through a page or the API leaves an audit event (SPEC §6, issue 4). The
matrix's GET entries are replayed as the house's procesregisseur (and the FG for the FG pages); each one
that succeeds must add at least one audit row naming a case or a person, unless it is listed below as
showing no personal data."""

from __future__ import annotations

import pytest
from django.db import transaction

from tafel.core.models import AuditEvent
from tafel.testing import matrix
from tafel.testing.world import build_world, client_for, token_for
from tests.test_authorization_matrix import _request

# Pages and operations that show no personal data of a case or person (configuration, aggregates, the
# user's own account, documents about the API itself). Each must say why.
NO_PERSONAL_DATA = {
    "health": "liveness only",
    "login": "login form",
    "toegankelijkheid": "the public accessibility statement",
    "home": "redirect",
    "set_language": "language switch",
    "api:openapi-json": "the API description",
    "api:openapi-view": "the API description",
    "privacy:otp_setup": "the user's own second factor",
    "privacy:otp_verify": "the user's own second factor",
    "privacy:reglement_list": "configuration",
    "privacy:reglement_edit": "configuration",
    "reports:dashboard": "aggregated, suppressed figures",
    "reports:goals": "configuration of targets",
    "reports:questionnaire_fill": "an empty questionnaire (no case or person in it)",
    "reports:questionnaire_index": "the titles of open questionnaires and when this user filled them in",
    "reports:questionnaire_results": "averages per item, suppressed; open answers are not shown",
    "api:indicator_list": "aggregated figures",
    "api:questionnaire_list": "names of questionnaires",
    "api:questionnaire_results": "averages per item, suppressed; open answers are not returned",
    "reports:session_rating": "an empty rating form for a meeting (its type and date, no case or person)",
    "reports:session_rating_client": "an empty rating form for a meeting (its type and date, no case or person)",
    "api:indicator_get": "aggregated figures",
    "api:intervention_catalogue": "configuration",
    "meetings:new": "empty form",
    "meetings:list": "meeting dates and types, no case content",
    "api:meeting_list": "meeting dates and types, no case content",
    "cases:aanmelding_new": "empty form",
    "lifecycle:notifications": "the user's own messages, each audited where it is opened",
    "api:notification_list": "the user's own messages",
    "lifecycle:enrichment_inbox": "the user's own requests",
    "lifecycle:dashboard": "follow-up overview; audits each case it lists (CASE_LIST), none of the regisseur's here",
    "api:follow_up_list": "follow-up overview; audits each case it lists (CASE_LIST), none of the regisseur's own here",
    "cases:werkvoorraad": "references of the regisseur's own work, audited as a list where cases are shown",
    "audit_log": "the audit log itself (its reading is audited as AUDIT_VIEW without a case)",
    "privacy:fg": "the audit log itself",
    "privacy:audit_export": "the audit log itself",
    "privacy:retention": "retention report (audited as RETENTION_REPORT)",
    "api:case_events": "event feed of ids, audited as EVENT_FEED_READ",
    "api:cloudevents_feed": "the same feed as CloudEvents (ids and codes), audited as EVENT_FEED_READ",
    "api:action_list_mine": "the user's own actions",
    "api:aanmelding_list": "the organisation's own submissions",
    "reports:drilldown": "audits each case it lists (audit_drilldown); the test world lists none",
    "api:meeting_agenda_proposals": "audits each case it proposes (list.agendavoorstel); the world proposes none",
    "meetings:update": "the author's own pre-meeting update form",
    "meetings:my_work": "own work; audits each case it lists (PLAN_VIEW), none in the test world",
    "api:my_work": "own work; audits each case it lists (PLAN_VIEW), none in the test world",
    "api:triage_queue": "house's triage queue; audits each case it lists (CASE_LIST), none waiting in the test world",
}

# Reads that do not write an audit event yet; their owners were told (see the privacy report). Remove an
# entry when its view audits the read.
AWAITING_AUDIT: dict[str, str] = {}


@pytest.fixture
def fast_pdf(monkeypatch):
    import weasyprint

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *args, **kwargs: b"%PDF-1.7 test")


def test_every_successful_read_of_personal_data_is_audited(db, settings, fast_pdf):
    settings.TAFEL_REQUIRE_2FA = False
    w = build_world()
    entries = matrix.load_entries()
    urls, ops = matrix.url_names(), matrix.api_operations()
    clients = {a: client_for(w, a) for a in ("regisseur", "fg")}
    tokens = {a: token_for(w, a) for a in ("regisseur", "fg")}
    unaudited, checked = [], 0
    for key in sorted(entries):
        entry = entries[key]
        is_get = (key in urls and entry.get("method", "get") == "get") or (key in ops and ops[key][0] == "get")
        if not is_get or key in NO_PERSONAL_DATA or key in AWAITING_AUDIT:
            continue
        actor = "fg" if key.startswith("privacy:person") else "regisseur"
        if entry["expect"][actor] != 200:
            continue
        sid = transaction.savepoint()
        try:
            before = AuditEvent.objects.count()
            status = _request(w, key, entry, actor, clients, tokens)
            new = AuditEvent.objects.order_by("-id")[: max(AuditEvent.objects.count() - before, 0)]
            named = [e for e in new if e.case_id or e.person_id]
            checked += 1
            if status == 200 and not named:
                unaudited.append(key)
        finally:
            transaction.savepoint_rollback(sid)
    assert checked >= 20
    assert not unaudited, f"reads without an audit event naming a case or person: {unaudited}"
