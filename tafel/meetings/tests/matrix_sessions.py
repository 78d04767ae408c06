"""Authorization matrix entries of issue 11 for the planner's safety rules in the API (marker, client invite)
and for "Mijn werk" (my invitations, actions and updates; the invitee's answer).

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
        "expect": {"regisseur": 400, **_PLAN},
    },
    "api:agenda_item_client_invite": {
        "body": json.dumps({"person_id": 999999}),
        "expect": {"regisseur": 400, **_PLAN},
    },
}

_EVERYONE = {
    "regisseur": 200,
    "member": 200,
    "partner": 200,
    "nonconvenant": 200,
    "analyst": 200,
    "fg": 200,
    "beheerder": 200,
}
# Only the invitee answers their own invitation; anyone else's reads as absent.
_INVITEE_ONLY = {
    "regisseur": 404,
    "partner": 404,
    "nonconvenant": 404,
    "analyst": 404,
    "fg": 404,
    "beheerder": 404,
}

ENTRIES.update(
    {
        "meetings:my_work": {"expect": {**_EVERYONE, "anonymous": 302}},
        "api:my_work": {"expect": {**_EVERYONE, "anonymous": 401}},
        "meetings:invitation_respond": {
            "method": "post",
            # An empty answer: the member's own invitation, refused at the field.
            "expect": {**_INVITEE_ONLY, "member": 422, "anonymous": 302},
        },
        "api:invitation_respond": {
            # The World's meeting has been held: past the access check, the member meets "too late".
            "body": json.dumps({"response": "declined"}),
            "expect": {**_INVITEE_ONLY, "member": 409, "anonymous": 401},
        },
    }
)

# The triage queue (issue 11 part 5) is the house's: anyone else is refused outright.
ENTRIES["api:triage_queue"] = {
    "expect": {
        "regisseur": 200,
        "member": 403,
        "partner": 403,
        "nonconvenant": 403,
        "analyst": 403,
        "fg": 403,
        "beheerder": 403,
        "anonymous": 401,
    }
}


# Issue 11 item 7, the DIK-check: the World's case is on the meeting and the police (the member's
# organisation) take part, so each person of the case has a check. The meeting has been held: the police get
# past the access check and meet "too late"; everyone else reads the check as absent.
def _check(w):
    from tafel.meetings.models import PoliceCheck

    return {"check_id": PoliceCheck.objects.filter(case=w.case).first().pk}


_POLICE_ONLY = {
    "regisseur": 404,
    "partner": 404,
    "nonconvenant": 404,
    "analyst": 404,
    "fg": 404,
    "beheerder": 404,
}
_NOT_POLICE = {"regisseur": 403, "partner": 403, "nonconvenant": 403, "analyst": 403, "fg": 403, "beheerder": 403}

ENTRIES.update(
    {
        "meetings:police_check_answer": {
            "method": "post",
            "kwargs": _check,
            "expect": {**_POLICE_ONLY, "member": 422, "anonymous": 302},
        },
        "api:police_check_list": {"expect": {**_NOT_POLICE, "member": 200, "anonymous": 401}},
        "api:police_check_answer": {
            "kwargs": _check,
            "body": json.dumps({"known": True}),
            "expect": {**_POLICE_ONLY, "member": 409, "anonymous": 401},
        },
        "api:meeting_police_checks": {
            "expect": {
                "regisseur": 200,
                "member": 403,
                "partner": 404,
                "nonconvenant": 404,
                "analyst": 404,
                "anonymous": 401,
                "fg": 404,
                "beheerder": 404,
            }
        },
    }
)
