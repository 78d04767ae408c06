"""Authorization matrix entries for the meeting pages and the meetings API operations.

See tafel.testing.matrix for the format."""

ENTRIES = {
    "meetings:close": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:attendance_sheet": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "api:meeting_agenda_proposals": {
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
    "api:meeting_open": {
        "method": "post",
        "expect": {
            "regisseur": 409,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 401,
            "fg": 404,
            "beheerder": 404,
        },
    },
    # An empty body lacks the version: refused before any access check, as for every write with a body.
    "api:meeting_close": {
        "method": "post",
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
    "api:meeting_attendance_save": {
        "method": "post",
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
    "api:action_list_mine": {
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
    "api:action_update": {
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
    "api:case_plan_current": {
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
    "api:meeting_agenda": {
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
    "api:meeting_get": {
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
    "api:meeting_list": {
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
    "api:meeting_verslag": {
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
    "api:plan_family_get": {
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
    # A stale version, so nothing is written (409 for the procesregisseur); only a procesregisseur may.
    "api:plan_family_review": {
        "method": "post",
        "body": '{"version": 999}',
        "expect": {
            "regisseur": 409,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 401,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "api:plan_family_give": {
        "method": "post",
        "body": '{"version": 999}',
        "expect": {
            "regisseur": 409,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 401,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "api:plan_get": {
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
    "meetings:action_status": {
        "method": "post",
        "expect": {
            "regisseur": 403,
            "member": 302,
            "partner": 404,
            "nonconvenant": 403,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:agenda_add": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:attendance": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:client_invite": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:client_task": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 302,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:decide": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:defer": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:detail": {
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
    "meetings:family": {
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
    # The PDF exists only once a procesregisseur reviewed the family's version; the World's plan is not reviewed.
    "meetings:family_pdf": {
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
    "meetings:family_review": {
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        }
    },
    "meetings:guide": {
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
    "meetings:guide_draft": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:invite": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    # Issue 11 item 6: add the organisation to the case and invite; an empty form is a field error.
    "meetings:invite_with_organisation": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:list": {
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
    "meetings:new": {
        "expect": {
            "regisseur": 200,
            "member": 403,
            "partner": 403,
            "nonconvenant": 403,
            "analyst": 403,
            "anonymous": 302,
            "fg": 403,
            "beheerder": 403,
        }
    },
    "meetings:open": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:plan": {
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
    "meetings:plan_edit": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 403,
            "partner": 404,
            "nonconvenant": 403,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:plan_new_version": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 403,
            "partner": 404,
            "nonconvenant": 403,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:plan_start": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:safety_marker": {
        "method": "post",
        "expect": {
            "regisseur": 422,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:scale_add": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 302,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:send": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:update": {
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
    "meetings:verslag": {
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
    "meetings:verslag_edit": {
        "method": "post",
        "expect": {
            "regisseur": 302,
            "member": 403,
            "partner": 404,
            "nonconvenant": 404,
            "analyst": 404,
            "anonymous": 302,
            "fg": 404,
            "beheerder": 404,
        },
    },
    "meetings:verslag_pdf": {
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
}

# Issue 11 keeps its entries in their own module (see there).
from .matrix_sessions import ENTRIES as _SESSION_ENTRIES  # noqa: E402

ENTRIES.update(_SESSION_ENTRIES)
