"""Authorization matrix entries for the intake/case API operations and the OpenAPI documents.

Write operations are called with an empty JSON object: the body is validated before the operation runs,
so everyone with a token gets 400 and anonymous 401; who may do what is tested per operation in test_*.py.

See tafel.testing.matrix for the format."""

ENTRIES = {
    "api:aanmelding_create": {
        "expect": {
            "regisseur": 400,
            "member": 400,
            "partner": 400,
            "nonconvenant": 400,
            "analyst": 400,
            "anonymous": 401,
            "fg": 400,
            "beheerder": 400,
        }
    },
    "api:aanmelding_get": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 401,
            "fg": 404,
            "beheerder": 404,
        }
    },
    "api:aanmelding_list": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 200,
            "nonconvenant": 200,
            "analyst": 200,
            "anonymous": 401,
            "fg": 200,
            "beheerder": 200,
        }
    },
    "api:aanmelding_supply_info": {
        "expect": {
            "regisseur": 400,
            "member": 400,
            "partner": 400,
            "nonconvenant": 400,
            "analyst": 400,
            "anonymous": 401,
            "fg": 400,
            "beheerder": 400,
        }
    },
    "api:api-root": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 404,
            "fg": 404,
            "beheerder": 404,
        }
    },
    "api:case_get": {
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
    "api:case_list": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 200,
            "nonconvenant": 200,
            "analyst": 200,
            "anonymous": 401,
            "fg": 200,
            "beheerder": 200,
        }
    },
    "api:case_participation_partner": {
        "kwargs": lambda w: {"case_id": w.case.pk, "organisation_id": w.shelter.pk},
        "expect": {
            "regisseur": 400,
            "member": 400,
            "partner": 400,
            "nonconvenant": 400,
            "analyst": 400,
            "anonymous": 401,
            "fg": 400,
            "beheerder": 400,
        },
    },
    "api:case_transition": {
        "expect": {
            "regisseur": 400,
            "member": 400,
            "partner": 400,
            "nonconvenant": 400,
            "analyst": 400,
            "anonymous": 401,
            "fg": 400,
            "beheerder": 400,
        }
    },
    "api:case_triage": {
        "expect": {
            "regisseur": 400,
            "member": 400,
            "partner": 400,
            "nonconvenant": 400,
            "analyst": 400,
            "anonymous": 401,
            "fg": 400,
            "beheerder": 400,
        }
    },
    "api:openapi-json": {
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
    "api:openapi-view": {
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
    "api:person_federated_match": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 200,
            "nonconvenant": 200,
            "analyst": 403,
            "anonymous": 401,
            "fg": 403,
            "beheerder": 403,
        }
    },
    "api:person_match": {
        "expect": {
            "regisseur": 200,
            "member": 200,
            "partner": 200,
            "nonconvenant": 200,
            "analyst": 403,
            "anonymous": 401,
            "fg": 403,
            "beheerder": 403,
        }
    },
}
