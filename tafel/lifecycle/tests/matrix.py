"""Authorization matrix entries for the lifecycle app (see tafel.testing.matrix and
tests/test_authorization_matrix.py). Actors: regisseur (house), member (police, in the case, casusregisseur),
partner (GGZ, not in the case), nonconvenant (in the case, no convenant), analyst, anonymous, fg, beheerder.

Every request runs in a savepoint that is rolled back, so the escalation built for the escalation pages and
the writes of successful POSTs do not leak into the next request."""

from __future__ import annotations

import datetime
import json


def _escalation(w):
    from django.utils import timezone

    from tafel.lifecycle.models import Escalation

    return Escalation.objects.create(
        case=w.case,
        started_by=w.users["member"],
        started_by_org=w.police,
        started_at=timezone.now(),
        reason="We zitten vast (matrix)",
    )


def _enrichment(w):
    from django.utils import timezone

    from tafel.lifecycle.models import EnrichmentRequest

    return EnrichmentRequest.objects.create(
        case=w.case, organisation=w.ggz, requested_by=w.users["regisseur"], requested_at=timezone.now()
    )


def _e(regisseur, member, partner, nonconvenant, analyst, anonymous, fg, beheerder) -> dict:
    return {
        "regisseur": regisseur,
        "member": member,
        "partner": partner,
        "nonconvenant": nonconvenant,
        "analyst": analyst,
        "anonymous": anonymous,
        "fg": fg,
        "beheerder": beheerder,
    }


ESC = {"kwargs": lambda w: {"escalation_id": _escalation(w).pk}}
ESC_ACTION = {"kwargs": lambda w: {"escalation_id": _escalation(w).pk, "action": "argument"}}
ENRICH = {"kwargs": lambda w: {"request_id": _enrichment(w).pk}}

ENTRIES: dict[str, dict] = {
    "api:bodemeis_breach_report": {
        "body": json.dumps({"bodemeis_id": 999999, "description": "x"}),
        "expect": _e(400, 400, 404, 400, 404, 401, 404, 404),
    },
    "api:case_afschalen": {
        "body": json.dumps(
            {
                "reason": "x",
                "handover_to": "Wijkteam",
                "handover_on": "2026-01-01",
                "family_present": True,
                "goal_reached": "bereikt",
                "confirm_reason": "x",
            }
        ),
        "expect": _e(201, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:case_close": {
        "body": json.dumps(
            {
                "reason": "x",
                "criteria": {"care_started": True},
                "afsluitingsplan": "Plan",
                "goal_reached": "niet",
                "confirm_reason": "x",
            }
        ),
        "expect": _e(201, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:case_events": {"expect": _e(200, 200, 200, 200, 200, 401, 200, 200)},
    "api:case_opschalen_riec": {
        "body": json.dumps({"reason": "x"}),
        "expect": _e(201, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:case_phase_change": {
        "body": json.dumps({"to_phase": "risicogestuurde_zorg", "reason": "Stabiel"}),
        "expect": _e(201, 201, 404, 403, 404, 401, 404, 404),
    },
    "api:case_reenter": {"body": json.dumps({"reason": "x"}), "expect": _e(409, 409, 404, 409, 404, 401, 404, 404)},
    "api:case_timeline": {"expect": _e(200, 200, 404, 200, 404, 401, 404, 404)},
    "api:closure_propose": {"body": json.dumps({"reason": "x"}), "expect": _e(201, 201, 404, 201, 404, 401, 404, 404)},
    "api:enrichment_answer": {
        "body": json.dumps({"known": False}),
        **ENRICH,
        # The request went to the partner (GGZ); the reporter-only school has none to answer.
        "expect": {**_e(404, 404, 201, 404, 404, 401, 404, 404), "reporter": 404},
    },
    "api:enrichment_request": {
        "body": json.dumps({"organisation_ids": [999999]}),
        "expect": _e(400, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:escalation_advance": {
        "body": json.dumps({"note": "x"}),
        **ESC,
        "expect": _e(200, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:escalation_argument_add": {
        "body": json.dumps({"text": "Argument"}),
        **ESC,
        "expect": _e(201, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:escalation_get": {**ESC, "expect": _e(200, 200, 404, 200, 404, 401, 404, 404)},
    "api:escalation_resolve": {
        "body": json.dumps({"resolution": "Besloten"}),
        **ESC,
        "expect": _e(200, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:escalation_start": {
        "body": json.dumps({"reason": "Vast"}),
        "expect": _e(201, 201, 404, 201, 404, 401, 404, 404),
    },
    "api:intervention_add": {
        "body": json.dumps({"type_id": 999999, "started_on": "2026-01-01"}),
        "expect": _e(400, 400, 404, 400, 404, 401, 404, 404),
    },
    "api:intervention_catalogue": {"expect": _e(200, 200, 200, 200, 403, 401, 403, 403)},
    "api:notification_list": {"expect": _e(200, 200, 200, 200, 200, 401, 200, 200)},
    "api:progress_update_submit": {
        "body": json.dumps({"problem": "Stand"}),
        "expect": _e(201, 201, 404, 403, 404, 401, 404, 404),
    },
    "api:rappel_set": {
        # A month ahead: a rappel lies in the future, and at most ten years ahead (tafel.core.dates).
        "body": json.dumps({"due_on": (datetime.date.today() + datetime.timedelta(days=30)).isoformat()}),
        "expect": _e(201, 201, 404, 403, 404, 401, 404, 404),
    },
    "api:vt_decide": {
        "body": json.dumps({"risk_level": "laag", "route": "onderzoek", "reason": "x"}),
        "expect": _e(201, 403, 404, 403, 404, 401, 404, 404),
    },
    "lifecycle:case": {"expect": _e(200, 200, 404, 200, 404, 302, 404, 404)},
    "lifecycle:case_action": {
        "method": "post",
        "data": {"reason": "Vast"},
        "kwargs": lambda w: {"case_id": w.case.pk, "action": "escalatie"},
        "expect": _e(302, 302, 404, 302, 404, 302, 404, 404),
    },
    # Issue 11: the follow-up overview is for everyone who works with cases, scoped to what they may see.
    "lifecycle:dashboard": {"expect": _e(200, 200, 200, 200, 403, 302, 403, 403)},
    "api:follow_up_list": {"expect": _e(200, 200, 200, 200, 403, 401, 403, 403)},
    "lifecycle:enrichment_inbox": {"expect": _e(200, 200, 200, 200, 200, 302, 200, 200)},
    "lifecycle:escalation": {**ESC, "expect": _e(200, 200, 404, 200, 404, 302, 404, 404)},
    "lifecycle:escalation_action": {
        "method": "post",
        "data": {"text": "Argument"},
        **ESC_ACTION,
        "expect": _e(302, 403, 404, 403, 404, 302, 404, 404),
    },
    "lifecycle:notifications": {"expect": _e(200, 200, 200, 200, 200, 302, 200, 200)},
    "lifecycle:timeline": {"expect": _e(200, 200, 404, 200, 404, 302, 404, 404)},
    "lifecycle:timeline_pdf": {"expect": _e(200, 200, 404, 200, 404, 302, 404, 404)},
}

# Issue 11: Veilig Thuis closes the monitoring after a handover (the World's case has none running: 409).
ENTRIES["api:vt_monitoring_close"] = {
    "body": json.dumps({"reason": "x"}),
    "expect": _e(409, 403, 404, 403, 404, 401, 404, 404),
}

# Issue 12, item 6b: the regie checklist. A procesregisseur's item: the house ticks it, a member of the case
# (the casusregisseur of the World's plan) may not.
_CHECKLIST_ITEM = {"kwargs": lambda w: {"case_id": w.case.pk, "item": "pr_team"}}
ENTRIES["lifecycle:checklist_tick"] = {
    "method": "post",
    "data": {"item": "pr_team", "ticked": "1"},
    "expect": _e(302, 403, 404, 403, 404, 302, 404, 404),
}
ENTRIES["api:case_checklist"] = {"expect": _e(200, 200, 404, 200, 404, 401, 404, 404)}
ENTRIES["api:case_checklist_tick"] = {
    "body": json.dumps({"ticked": True}),
    **_CHECKLIST_ITEM,
    "expect": _e(200, 403, 404, 403, 404, 401, 404, 404),
}
