"""Builders for evaluation tests: a family case (father, mother, two children) that ran its course and was
closed, made through the services as users make them."""

from __future__ import annotations

import datetime

from tafel.cases.models import PersonRole
from tafel.cases.services import PersonInput
from tafel.lifecycle import services as lifecycle
from tafel.lifecycle.tests.factories import running_case
from tafel.testing import make_case

BSN_VADER = "111222333"

FAMILY = [
    PersonInput(
        first_names="Pieter Jan",
        last_name="Janssen",
        date_of_birth=datetime.date(1980, 3, 14),
        gender="m",
        bsn=BSN_VADER,
        role=PersonRole.OUDER,
    ),
    PersonInput(
        first_names="Maria",
        last_name="Bakker",
        date_of_birth=datetime.date(1983, 6, 2),
        gender="v",
        role=PersonRole.OUDER,
    ),
    # The younger child first: the labels follow birth order, not the order of entry.
    PersonInput(
        first_names="Sem",
        last_name="Janssen",
        date_of_birth=datetime.date(2016, 9, 1),
        gender="m",
        role=PersonRole.KIND,
    ),
    PersonInput(
        first_names="Lotte",
        last_name="Janssen",
        date_of_birth=datetime.date(2012, 1, 20),
        gender="v",
        role=PersonRole.KIND,
    ),
]


def family_case(professional, municipality, procesregisseur, *, guard=None):
    """Accepted, discussed, a published plan: a running family case."""
    case = make_case(professional, municipality, persons=FAMILY)
    case, _ = running_case(case, procesregisseur, professional, guard=guard)
    return case


def closed_family_case(professional, municipality, procesregisseur, *, guard=None):
    case = family_case(professional, municipality, procesregisseur, guard=guard)
    lifecycle.case_close(
        confirm_reason="De open acties gaan lokaal verder.",
        actor=procesregisseur,
        case=case,
        reason="Doelen bereikt",
        criteria={"care_started": True, "partners_informed": True},
        afsluitingsplan="Bij nieuw geweld belt Veilig Thuis dezelfde dag de procesregisseur.",
        goal_reached="bereikt",
    )
    case.refresh_from_db()
    return case
