"""Issue 12, item 6b: the regie checklist of the procesregisseur and the casusregisseur (001:L3409-3471). Tafel
ticks what it can see, people tick the rest (who and when, audited), and overdue items reach the follow-up
overview."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tafel.api.tests.conftest import ApiClient, make_key
from tafel.cases.models import CaseStatus, CaseStatusChange
from tafel.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.lifecycle.audit_events import LifecycleEvent
from tafel.lifecycle.checklist import case_checklist, cases_with_overdue_items, checklist_tick
from tafel.meetings.models import Bodemeis, Plan
from tafel.testing import make_case

from .factories import running_case, triaged

pytestmark = pytest.mark.django_db


def _state(checklist) -> dict[str, tuple[bool, bool]]:
    return {i.code: (i.done, i.overdue) for i in checklist.items}


def _accepted_days_ago(case, days: int) -> None:
    CaseStatusChange.objects.filter(case=case, to_status=CaseStatus.ACTIEF).update(
        at=timezone.now() - datetime.timedelta(days=days)
    )


def test_tafel_ticks_what_it_sees_in_a_running_case(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    state = _state(case_checklist(viewer=procesregisseur, case=case))
    for code in ("pr_casusregisseur", "pr_goal", "pr_plan", "pr_meeting", "pr_evaluation", "pr_bodemeisen"):
        assert state[code] == (True, False), code
    assert state["pr_team"] == (False, False) and state["cr_clients"] == (False, False)


def test_a_case_accepted_a_month_ago_without_casusregie_or_plan_is_overdue(procesregisseur, professional, municipality):
    case = triaged(make_case(professional, municipality), procesregisseur)
    fresh = _state(case_checklist(viewer=procesregisseur, case=case))
    assert not any(overdue for _, overdue in fresh.values())
    _accepted_days_ago(case, 30)
    state = _state(case_checklist(viewer=procesregisseur, case=case))
    assert {c for c, (_, overdue) in state.items() if overdue} == {
        "pr_casusregisseur",
        "pr_goal",
        "pr_plan",
        "pr_meeting",
    }
    overdue = cases_with_overdue_items(viewer=procesregisseur)
    assert [o.case.pk for o in overdue] == [case.pk]


def test_a_passed_evaluation_date_and_an_unguarded_bodemeis_are_overdue(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    plan = Plan.objects.get(case=case)
    Plan.objects.filter(pk=plan.pk).update(next_meeting_date=timezone.localdate() - datetime.timedelta(days=1))
    Bodemeis.objects.filter(plan=plan).update(guard=None)
    checklist = case_checklist(viewer=procesregisseur, case=case)
    assert {i.code for i in checklist.overdue} == {"pr_evaluation", "pr_bodemeisen"}


def test_ticking_by_hand_records_who_and_when_and_is_audited(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    assert case.casusregisseur == professional
    checklist_tick(actor=procesregisseur, case=case, item="pr_team", ticked=True, note="GGZ schuift aan")
    checklist_tick(actor=professional, case=case, item="cr_clients", ticked=True)
    with pytest.raises(AccessDenied):
        checklist_tick(actor=professional, case=case, item="pr_team", ticked=False)
    with pytest.raises(TransitionNotAllowed):
        checklist_tick(actor=procesregisseur, case=case, item="pr_plan", ticked=True)
    with pytest.raises(ValidationFailed):
        checklist_tick(actor=procesregisseur, case=case, item="onbekend", ticked=True)
    items = {i.code: i for i in case_checklist(viewer=procesregisseur, case=case).items}
    assert items["pr_team"].done and items["pr_team"].ticked_by == procesregisseur and items["pr_team"].ticked_at
    assert items["pr_team"].note == "GGZ schuift aan"
    assert items["cr_clients"].ticked_by == professional
    checklist_tick(actor=procesregisseur, case=case, item="pr_team", ticked=False)
    assert not {i.code: i for i in case_checklist(viewer=procesregisseur, case=case).items}["pr_team"].done
    ticks = AuditEvent.objects.filter(event_type=LifecycleEvent.CHECKLIST_TICK, case_id=case.pk)
    assert [e.details for e in ticks.order_by("id")] == [
        {"item": "pr_team", "ticked": True},
        {"item": "cr_clients", "ticked": True},
        {"item": "pr_team", "ticked": False},
    ]


def test_no_checklist_before_the_case_is_accepted(case, procesregisseur):
    assert case_checklist(viewer=procesregisseur, case=case) is None


def test_case_page_shows_the_checklist_and_ticks_it(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    client = Client()
    client.force_login(procesregisseur)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="checklist"' in html and "Tafel ziet dit in de casus" in html
    r = client.post(reverse("lifecycle:checklist_tick", args=[case.pk]), {"item": "pr_team", "ticked": "1"})
    assert r.status_code == 302 and r.url.endswith("#checklist")
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "afgevinkt door" in html and "Afvinken ongedaan maken" in html


def test_follow_up_overview_lists_cases_with_overdue_items(procesregisseur, professional, municipality):
    case = triaged(make_case(professional, municipality), procesregisseur)
    _accepted_days_ago(case, 30)
    client = Client()
    client.force_login(procesregisseur)
    html = client.get(reverse("lifecycle:dashboard")).content.decode()
    section = html[html.index('id="checklist"') :]
    assert case.reference in section and "Casusregie belegd" in section


def test_api_reads_and_ticks_the_checklist(case, procesregisseur, professional, outsider):
    case, _ = running_case(case, procesregisseur, professional)
    api = ApiClient(Client(), {"Authorization": f"Bearer {make_key(procesregisseur)}"})
    r = api.get(f"/lifecycle/cases/{case.pk}/checklist")
    assert r.status_code == 200 and r.json()["applies"]
    assert {i["code"]: i["done"] for i in r.json()["items"]}["pr_plan"] is True
    r = api.post(f"/lifecycle/cases/{case.pk}/checklist/pr_team", {"ticked": True, "note": "Compleet"})
    assert r.status_code == 200
    team = {i["code"]: i for i in r.json()["items"]}["pr_team"]
    assert team["done"] and team["note"] == "Compleet" and team["ticked_by"]
    assert api.post(f"/lifecycle/cases/{case.pk}/checklist/pr_plan", {"ticked": True}).status_code == 409
    assert api.post(f"/lifecycle/cases/{case.pk}/checklist/zomaar", {"ticked": True}).status_code == 400
    stranger = ApiClient(Client(), {"Authorization": f"Bearer {make_key(outsider)}"})
    assert stranger.get(f"/lifecycle/cases/{case.pk}/checklist").status_code == 404
    assert stranger.post(f"/lifecycle/cases/{case.pk}/checklist/pr_team", {"ticked": False}).status_code == 404


def test_the_case_pages_compiled_facts_equal_the_ones_the_orm_writes(case, procesregisseur, professional, municipality):
    """Issue 14 item 3: the case page reads the checklist's facts as SQL compiled once per process
    (`jsonrows.compiled_columns`); they must be exactly what `_with_facts` reads, in every state the rule tells
    apart: no plan, a plan with guarded bodemeisen, then unguarded ones and a passed evaluation date."""
    from tafel.cases.models import Case
    from tafel.lifecycle.checklist import _facts, _with_facts, case_page_annotations

    names = list(_facts())

    def compare(c):
        expected = _with_facts(Case.objects.filter(pk=c.pk)).values(*names).get()
        got = Case.objects.filter(pk=c.pk).annotate(**case_page_annotations(procesregisseur)).values(*names).get()
        assert got == expected, c.reference
        return expected

    compare(make_case(professional, municipality))
    compare(triaged(make_case(professional, municipality), procesregisseur))
    running, _ = running_case(case, procesregisseur, professional)
    guarded = compare(running)
    assert guarded["current_plan_id"] and guarded["has_bodemeis"] and not guarded["unguarded"] and guarded["discussed"]
    Bodemeis.objects.filter(plan__case=running).update(guard=None)
    Plan.objects.filter(case=running).update(next_meeting_date=timezone.localdate() - datetime.timedelta(days=1))
    assert compare(running)["unguarded"]
