"""Authorization matrix entries for the monitor (reports). Seeded by the privacy work from the observed
behaviour; job and goal ids are placeholders that do not exist (404 for everyone who may ask).

See tafel.privacy.matrix for the format."""

ENTRIES = {
    "api:indicator_get": {
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 403,
            "nonconvenant": 403,
            "analyst": 200,
            "anonymous": 401,
            "fg": 403,
            "beheerder": 200,
        }
    },
    "api:indicator_list": {
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 403,
            "nonconvenant": 403,
            "analyst": 200,
            "anonymous": 401,
            "fg": 403,
            "beheerder": 200,
        }
    },
    "reports:dashboard": {
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 403,
            "nonconvenant": 403,
            "analyst": 200,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 200,
        }
    },
    "reports:drilldown": {
        "expect": {
            "regisseur": 200,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        }
    },
    "reports:goal_delete": {
        "method": "post",
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "reports:goal_edit": {
        "expect": {
            "regisseur": 403,
            "member": 403,
            "partner": 403,
            "nonconvenant": 403,
            "analyst": 403,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 403,
        }
    },
    "reports:goal_new": {
        "expect": {
            "regisseur": 403,
            "member": 403,
            "partner": 403,
            "nonconvenant": 403,
            "analyst": 403,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 403,
        }
    },
    "reports:goals": {
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 403,
            "nonconvenant": 403,
            "analyst": 200,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 200,
        }
    },
    "reports:questionnaire_fill": {
        "kwargs": lambda w: {"code": "partnerenquete"},
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 200,
            "nonconvenant": 200,
            "analyst": 403,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 403,
        },
    },
    "reports:questionnaire_results": {
        "kwargs": lambda w: {"code": "partnerenquete"},
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 403,
            "nonconvenant": 403,
            "analyst": 200,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 200,
        },
    },
    "reports:research_export": {
        "expect": {
            "regisseur": 403,
            "member": 403,
            "partner": 403,
            "nonconvenant": 403,
            "analyst": 403,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 200,
        }
    },
    "reports:job": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        }
    },
    "reports:job_download": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        }
    },
    "reports:report_start": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 403,
            "partner": 403,
            "nonconvenant": 403,
            "analyst": 302,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 302,
        },
    },
}
