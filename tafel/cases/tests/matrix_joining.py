"""Authorization matrix entries of issue 11 (joining meldingen, proposals, classification edits).

Kept apart from matrix.py so parallel work on the case pages merges cleanly; matrix.py folds them in."""

import json

# Pages the house's procesregisseur uses; an organisation in the case sees the case but may not decide (403).
_CLASSIFY_PAGE = {
    "regisseur": 200,
    "member": 403,
    "partner": 404,
    "nonconvenant": 403,
    "analyst": 404,
    "anonymous": 302,
    "fg": 404,
    "beheerder": 404,
}

ENTRIES = {
    "cases:classify": {"method": "post", "expect": _CLASSIFY_PAGE},
    "cases:person_role": {"method": "post", "expect": _CLASSIFY_PAGE},
    "cases:proposal_decide": {
        "method": "post",
        # The World has no proposal: the procesregisseur gets past the case check and then a 404.
        "kwargs": lambda w: {"case_id": w.case.pk, "proposal_id": 999999},
        "expect": {**_CLASSIFY_PAGE, "regisseur": 404},
    },
    "api:case_changes": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 404,
            "nonconvenant": 200,
            "analyst": 404,
            "anonymous": 401,
            "fg": 404,
            "beheerder": 404,
        }
    },
    "api:case_classify": {
        # A version that never matches: past the access check, the procesregisseur meets the version check.
        "body": json.dumps({"urgency": "acuut", "reason": "Matrix.", "expected_version": 999}),
        "expect": {
            "regisseur": 409,
            "member": 403,
            "partner": 404,
            "nonconvenant": 403,
            "analyst": 404,
            "anonymous": 401,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "api:case_person_role": {
        "body": json.dumps({"role": "getuige", "reason": "Matrix."}),
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 404,
            "nonconvenant": 403,
            "analyst": 404,
            "anonymous": 401,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "api:case_proposal_decide": {
        "kwargs": lambda w: {"case_id": w.case.pk, "proposal_id": 999999},
        "body": json.dumps({"accept": True}),
        "expect": {
            "regisseur": 404,
            "member": 403,
            "partner": 404,
            "nonconvenant": 403,
            "analyst": 404,
            "anonymous": 401,
            "fg": 404,
            "beheerder": 404,
        },
    },
}
