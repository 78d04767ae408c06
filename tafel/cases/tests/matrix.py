"""Authorization matrix entries for intake, triage and the case pages.

See tafel.testing.matrix for the format."""

ENTRIES = {
    "cases:aanmelding_detail": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        }
    },
    "cases:aanmelding_new": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 200,
            "nonconvenant": 200,
            "analyst": 403,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 403,
        }
    },
    "cases:aanmelding_supply_info": {
        "method": "post",
        "expect": {
            "regisseur": 403,
            "member": 200,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "cases:detail": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 404,
            "nonconvenant": 200,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        }
    },
    "cases:list": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 200,
            "nonconvenant": 200,
            "analyst": 200,
            "anonymous": 302,
            "fg": 200,
            "beheerder": 200,
        }
    },
    "cases:note_add": {
        "method": "post",
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 404,
            "nonconvenant": 200,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "cases:organisation_add": {
        "method": "post",
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 404,
            "nonconvenant": 403,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "cases:participation_partner": {
        "method": "post",
        "kwargs": lambda w: {"case_id": w.case.pk, "organisation_id": w.shelter.pk},
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 404,
            "nonconvenant": 403,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "cases:person_match": {
        "method": "post",
        "expect": {
            "regisseur": 400,
            "member": 400,
            "partner": 400,
            "nonconvenant": 400,
            "analyst": 403,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 403,
        },
    },
    "cases:transition": {
        "method": "post",
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 404,
            "nonconvenant": 403,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "cases:triage": {
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 404,
            "nonconvenant": 403,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        }
    },
    "cases:werkvoorraad": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 200,
            "nonconvenant": 200,
            "analyst": 200,
            "anonymous": 302,
            "fg": 200,
            "beheerder": 200,
        }
    },
}

# Issue 11 keeps its entries in their own module (see there).
from .matrix_joining import ENTRIES as _JOINING_ENTRIES  # noqa: E402

ENTRIES.update(_JOINING_ENTRIES)

from .matrix_participants import ENTRIES as _PARTICIPANT_ENTRIES  # noqa: E402

ENTRIES.update(_PARTICIPANT_ENTRIES)
