"""Issue 14 attack on the merged bodemeis rules (tafel.meetings.services.plans._bodemeis_checked): through the
plan page (step `bodemeis_edit`) a partner who does not run the meeting corrects nothing, a guard outside the
case is refused with the same answer as an unknown id, an item of another plan is a miss, and garbage ids are a
clean 404/422, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tafel.meetings import services
from tafel.meetings.models import Audience, Bodemeis
from tafel.testing import make_case, make_municipality
from tafel.testing.world import build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    w = build_world()
    reg = w.users["regisseur"]
    plan = services.plan_start(actor=reg, case=w.case)
    bodemeis = services.bodemeis_add(
        actor=reg, plan=plan, text="Geen geweld thuis", guard=w.users["member"], audience=Audience.FAMILY
    )
    w.objs.update(draft=plan, bodemeis=bodemeis)
    return w


def post(w, actor, plan, item, guard, text="Overgenomen door de aanvaller"):
    b = f"b{item}"
    return client_for(w, actor).post(
        reverse("meetings:plan_edit", args=[plan.pk]),
        {
            "step": "bodemeis_edit",
            "item": item,
            f"{b}-text": text,
            f"{b}-guard": guard,
            f"{b}-if_broken": "",
            f"{b}-audience": Audience.PROFESSIONALS,
        },
    )


def unchanged(bodemeis) -> bool:
    row = Bodemeis.objects.get(pk=bodemeis.pk)
    return row.text == "Geen geweld thuis" and row.guard_id == bodemeis.guard_id and row.audience == Audience.FAMILY


@pytest.mark.parametrize("actor", ["member", "partner", "nonconvenant", "reporter", "analyst", "fg", "family"])
def test_who_does_not_run_the_meeting_corrects_no_bodemeis(draft, actor):
    response = post(draft, actor, draft.draft, draft.bodemeis.pk, draft.users[actor].pk)
    assert response.status_code in (403, 404), response.status_code
    assert unchanged(draft.bodemeis)


def test_anonymous_is_sent_to_the_login(draft):
    response = post(draft, "anonymous", draft.draft, draft.bodemeis.pk, draft.users["member"].pk)
    assert response.status_code in (302, 403, 404)
    assert unchanged(draft.bodemeis)


@pytest.mark.parametrize("guard", ["partner", "analyst", "beheerder", "unknown", "garbage", "-1", ""])
def test_the_chair_cannot_name_a_guard_outside_the_case(draft, guard):
    value = {"unknown": "999999", "garbage": "1 OR 1=1", "-1": "-1", "": ""}.get(guard)
    value = value if value is not None else draft.users[guard].pk
    response = post(draft, "regisseur", draft.draft, draft.bodemeis.pk, value)
    assert response.status_code == 422, response.status_code
    assert unchanged(draft.bodemeis)


def test_the_service_refuses_an_outsider_guard_as_it_refuses_an_unknown_id(draft):
    from tafel.core.errors import ValidationFailed

    reg = draft.users["regisseur"]
    answers = []
    for guard in (draft.users["partner"].pk, 999999, draft.users["partner"]):
        with pytest.raises(ValidationFailed) as caught:
            services.bodemeis_edit(actor=reg, bodemeis=draft.bodemeis, text="x", guard=guard)
        answers.append(caught.value.errors if hasattr(caught.value, "errors") else str(caught.value))
    assert answers[0] == answers[1]
    assert unchanged(draft.bodemeis)


def test_a_bodemeis_of_another_case_is_a_miss_through_this_plan(draft):
    reg = draft.users["regisseur"]
    from tafel.meetings.tests.factories import held_meeting, triaged

    other_case = triaged(make_case(draft.users["member"], make_municipality("Anderdorp")), reg)
    meeting, _ = held_meeting(reg, other_case, invite=[draft.users["member"]])
    other_plan = services.plan_start(actor=reg, case=other_case, meeting=meeting)
    other = services.bodemeis_add(actor=reg, plan=other_plan, text="Ander gezin", guard=draft.users["member"])
    response = post(draft, "regisseur", draft.draft, other.pk, draft.users["member"].pk)
    assert response.status_code == 404
    assert Bodemeis.objects.get(pk=other.pk).text == "Ander gezin"


@pytest.mark.parametrize("item", ["abc", "", "1e9", "99999999999999999999"])
def test_garbage_item_ids_are_a_clean_miss(draft, item):
    response = post(draft, "regisseur", draft.draft, item, draft.users["member"].pk)
    assert response.status_code == 404
    assert unchanged(draft.bodemeis)


def test_the_chair_corrects_a_bodemeis(draft):
    response = post(draft, "regisseur", draft.draft, draft.bodemeis.pk, draft.users["member"].pk, text="Nieuw")
    assert response.status_code == 302
    assert Bodemeis.objects.get(pk=draft.bodemeis.pk).text == "Nieuw"
