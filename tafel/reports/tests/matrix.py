"""Authorization matrix entries for the monitor (reports). Seeded by the privacy work from the observed
behaviour; job and goal ids are placeholders that do not exist (404 for everyone who may ask).

See tafel.testing.matrix for the format."""


def _survey_id(w) -> int:
    from tafel.reports.models import Questionnaire

    return Questionnaire.objects.get(code="partnerenquete").pk


def _question_id(w) -> int:
    from tafel.reports.models import Question

    return Question.objects.filter(questionnaire__code="partnerenquete").order_by("order").first().pk


def _editor(beheerder: int) -> dict:
    """The questionnaire editor: the beheerder (and the ketenmanager, not an actor of the matrix); everyone
    else signed in gets 403."""
    expect = {a: 403 for a in ("regisseur", "member", "partner", "nonconvenant", "analyst", "fg")}
    return {**expect, "anonymous": 302, "beheerder": beheerder}


# Aggregates through the API: the readers of the monitor (procesregisseur, analyst, beheerder).
# An object the World does not build (id 999999: a goal, a report job, which exists only for the user who
# asked for it): not found for everyone, the login page for the anonymous visitor, a 500 for nobody.
NOT_FOUND = {
    "regisseur": 404,
    "member": 404,
    "partner": 404,
    "nonconvenant": 404,
    "analyst": 404,
    "anonymous": 302,
    "fg": 404,
    "beheerder": 404,
}

API_READERS = {
    "regisseur": 200,
    "member": 403,
    "partner": 403,
    "nonconvenant": 403,
    "analyst": 200,
    "anonymous": 401,
    "fg": 403,
    "beheerder": 200,
}
# A session rating: whoever sees the held meeting (the house, the invited member); nobody else learns it exists.
RATERS = {
    "regisseur": 200,
    "member": 200,
    "partner": 404,
    "nonconvenant": 404,
    "analyst": 404,
    "anonymous": 302,
    "fg": 404,
    "beheerder": 404,
}

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
            "family": 403,
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
        "expect": NOT_FOUND,
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
            "family": 403,
        }
    },
    "reports:questionnaire_index": {
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
            "family": 403,
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
    "reports:job": {"expect": NOT_FOUND},
    "reports:job_download": {"expect": NOT_FOUND},
    "reports:job_download_format": {
        "kwargs": lambda w: {"job_id": 999999, "fmt": "pdf"},
        "expect": NOT_FOUND,
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
            "family": 403,
        },
    },
    "api:questionnaire_list": {"expect": API_READERS},
    "api:questionnaire_results": {"kwargs": lambda w: {"code": "partnerenquete"}, "expect": API_READERS},
    "reports:session_rating": {"expect": RATERS},
    "reports:session_rating_client": {"expect": RATERS},
    "reports:questionnaire_editor": {"expect": _editor(200)},
    "reports:questionnaire_new": {"expect": _editor(200)},
    "reports:questionnaire_edit": {"kwargs": lambda w: {"questionnaire_id": _survey_id(w)}, "expect": _editor(200)},
    "reports:questionnaire_delete": {
        "kwargs": lambda w: {"questionnaire_id": _survey_id(w)},
        "expect": _editor(200),
    },
    "reports:question_add": {
        "method": "post",
        "kwargs": lambda w: {"questionnaire_id": _survey_id(w)},
        "expect": _editor(200),
    },
    "reports:question_edit": {"kwargs": lambda w: {"question_id": _question_id(w)}, "expect": _editor(200)},
    "reports:question_move": {
        "method": "post",
        "kwargs": lambda w: {"question_id": _question_id(w)},
        "expect": _editor(302),
    },
    "reports:question_retire": {
        "method": "post",
        "kwargs": lambda w: {"question_id": _question_id(w)},
        "expect": _editor(302),
    },
    "reports:question_delete": {
        "method": "post",
        "kwargs": lambda w: {"question_id": _question_id(w)},
        "expect": _editor(302),
    },
}
