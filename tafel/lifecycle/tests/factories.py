"""Builders for lifecycle tests: a running case with a published plan (bodemeis + action), made through the
services as users make them."""

from __future__ import annotations

from tafel.meetings.tests.factories import held_meeting, plan_meeting, publish_plan, triaged
from tafel.organisations.models import Role
from tafel.testing import make_user


def running_case(case, procesregisseur, professional, *, guard=None):
    """The case accepted, discussed in a held meeting, with a published plan whose bodemeis has a guard."""
    case = triaged(case, procesregisseur)
    guard = guard or make_user(professional.organisation, Role.PROFESSIONAL, Role.CASUSREGISSEUR, username="bewaker")
    meeting, _ = held_meeting(procesregisseur, case)
    publish_plan(procesregisseur, case, meeting, owner=professional, guard=guard)
    case.refresh_from_db()
    return case, guard


__all__ = ["plan_meeting", "running_case", "triaged"]
