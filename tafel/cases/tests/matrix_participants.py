"""Authorization matrix entries for adding and removing partner organisations (issue 11 item 6): the house's
process roles decide; an organisation in the case sees the case but may not (403); outsiders get 404."""

import json


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


# The police take part in the World's case with an open action, an invitation and the casusregisseur: the
# confirmation page lists them. The school reports only and has nothing open: it can be removed.
POLICE = {"kwargs": lambda w: {"case_id": w.case.pk, "organisation_id": w.police.pk}}
SCHOOL = {"kwargs": lambda w: {"case_id": w.case.pk, "organisation_id": w.school.pk}}

ENTRIES = {
    "cases:participation_remove": {**POLICE, "expect": _e(200, 403, 404, 403, 404, 302, 404, 404)},
    "api:case_organisation_add": {
        # An organisation id that does not exist: the house gets past the case check and then a field error.
        "body": json.dumps({"organisation_id": 999999, "reason": "Betrokken bij het gezin"}),
        "expect": _e(400, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:case_participation_removal_check": {**POLICE, "expect": _e(200, 403, 404, 403, 404, 401, 404, 404)},
    "api:case_participation_remove": {
        **SCHOOL,
        "body": json.dumps({"reason": "Melding verwerkt"}),
        "expect": _e(200, 403, 404, 403, 404, 401, 404, 404),
    },
}
