"""Authorization matrix entries for the project-level URLs (login, health, audit log).

See tafel.testing.matrix for the format."""

ENTRIES = {
    # Beheer screens (issue 12, item 8c): the beheerder only; everyone else is told the page does not exist.
    "beheer:index": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 200,
        }
    },
    "beheer:list": {
        "kwargs": lambda w: {"kind": "gemeenten"},
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 200,
        },
    },
    "beheer:add": {
        "kwargs": lambda w: {"kind": "interventies"},
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 200,
        },
    },
    "beheer:edit": {
        "kwargs": lambda w: {"kind": "gemeenten", "entry_id": w.case.municipality_id},
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 200,
        },
    },
    "audit_log": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 200,
            "beheerder": 200,
        }
    },
    "health": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 200,
            "nonconvenant": 200,
            "analyst": 200,
            "anonymous": 200,
            "fg": 200,
            "beheerder": 200,
        }
    },
    "home": {
        "expect": {
            "regisseur": 302,
            "member": 302,
            "partner": 302,
            "nonconvenant": 302,
            "analyst": 302,
            "anonymous": 302,
            "fg": 302,
            "beheerder": 302,
        }
    },
    "login": {
        "expect": {
            "regisseur": 302,
            "member": 302,
            "partner": 302,
            "nonconvenant": 302,
            "analyst": 302,
            "anonymous": 200,
            "fg": 302,
            "beheerder": 302,
        }
    },
    "logout": {
        "method": "post",
        "isolated": True,
        "expect": {
            "regisseur": 302,
            "member": 302,
            "partner": 302,
            "nonconvenant": 302,
            "analyst": 302,
            "anonymous": 302,
            "fg": 302,
            "beheerder": 302,
        },
    },
    "set_language": {
        "isolated": True,
        "expect": {
            "regisseur": 302,
            "member": 302,
            "partner": 302,
            "nonconvenant": 302,
            "analyst": 302,
            "anonymous": 302,
            "fg": 302,
            "beheerder": 302,
        },
    },
}
