"""Authorization matrix entries of issue 11 for the planner's safety rules in the API (marker, client invite).

Kept apart from matrix.py so parallel work on the meeting pages merges cleanly; matrix.py folds them in."""

import json

_PLAN = {
    "member": 403,
    "partner": 404,
    "nonconvenant": 404,
    "analyst": 404,
    "anonymous": 401,
    "fg": 404,
    "beheerder": 404,
}

ENTRIES = {
    "api:agenda_item_safety_marker": {
        # One person named: past the access check, the procesregisseur meets the "at least two" rule.
        "body": json.dumps({"marker": "stalking", "reason": "Matrix.", "person_ids": [1]}),
        "expect": {"regisseur": 422, **_PLAN},
    },
    "api:agenda_item_client_invite": {
        "body": json.dumps({"person_id": 999999}),
        "expect": {"regisseur": 422, **_PLAN},
    },
}
