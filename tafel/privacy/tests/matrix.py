"""Authorization matrix entries for the privacy pages.

See tafel.testing.matrix for the format."""

ENTRIES = {
    "privacy:attachment_add": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 422,
            "partner": 404,
            "nonconvenant": 422,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "privacy:attachment_download": {
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
    "privacy:audit_export": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 200,
            "beheerder": 404,
        }
    },
    "privacy:case": {
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
    "privacy:consent_add": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 422,
            "partner": 404,
            "nonconvenant": 422,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "privacy:consent_withdraw": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 302,
            "partner": 404,
            "nonconvenant": 302,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "privacy:fg": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 200,
            "beheerder": 404,
        }
    },
    "privacy:otp_setup": {
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
    "privacy:otp_verify": {
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
    "privacy:person": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 200,
            "beheerder": 404,
        }
    },
    "privacy:person_export_json": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 200,
            "beheerder": 404,
        }
    },
    "privacy:person_export_pdf": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 200,
            "beheerder": 404,
        }
    },
    "privacy:person_rectify": {
        "method": "post",
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 302,
            "beheerder": 404,
        },
    },
    "privacy:person_restrict": {
        "method": "post",
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 302,
            "beheerder": 404,
        },
    },
    "privacy:reglement_edit": {
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
    "privacy:reglement_list": {
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
    "privacy:restrict_add": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 422,
            "partner": 404,
            "nonconvenant": 422,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "privacy:retention": {
        "expect": {
            "regisseur": 404,
            "member": 404,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 200,
            "beheerder": 404,
        }
    },
    "privacy:share_add": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 422,
            "partner": 404,
            "nonconvenant": 422,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
}
