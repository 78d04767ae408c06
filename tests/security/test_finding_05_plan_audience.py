"""Issue 10 finding 5: the family's plain-language plan showed internal professional actions.

Every action and bodemeis now says whom it is for: the family or professionals. Only family-facing items reach
the family's plan (the "praatplaat"); an agreement between professionals ("share police records weekly") stays
among them. On the code before the change the family page listed every open action and every bodemeis.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tafel.meetings import services
from tafel.meetings.models import Action, ActionType, Audience, Bodemeis
from tafel.meetings.tests.factories import held_meeting, triaged

pytestmark = pytest.mark.django_db

INTERNAL_ACTION = "Politie deelt wekelijks de registraties met Veilig Thuis"
INTERNAL_BODEMEIS = "Politie rijdt dagelijks surveillance langs het adres"
FAMILY_ACTION = "Huisbezoek bij moeder afleggen"
FAMILY_BODEMEIS = "Geen geweld in het bijzijn van de kinderen"


@pytest.fixture
def published(procesregisseur, professional, case):
    case = triaged(case, procesregisseur)
    meeting, _ = held_meeting(procesregisseur, case, invite=[professional])
    plan = services.plan_start(actor=procesregisseur, case=case, meeting=meeting)
    services.plan_update(
        actor=procesregisseur,
        plan=plan,
        data={
            "goals": "Thuis is het veilig.",
            "casusregisseur": professional.pk,
            "next_meeting_date": (timezone.localdate() + datetime.timedelta(days=42)).isoformat(),
        },
    )
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    for what, kind in ((INTERNAL_ACTION, ActionType.INFO_PROFESSIONALS), (FAMILY_ACTION, ActionType.TOWARDS_FAMILY)):
        services.plan_action_add(
            actor=procesregisseur,
            plan=plan,
            data=services.ActionInput(
                what=what, type=kind, owner=professional.pk, deadline=deadline, rationale="Zicht op veiligheid."
            ),
        )
    services.bodemeis_add(
        actor=procesregisseur, plan=plan, text=INTERNAL_BODEMEIS, guard=professional.pk, if_broken="Overleg."
    )
    services.bodemeis_add(
        actor=procesregisseur,
        plan=plan,
        text=FAMILY_BODEMEIS,
        guard=professional.pk,
        if_broken="Overleg.",
        audience=Audience.FAMILY,
    )
    plan.refresh_from_db()
    published = services.plan_publish(actor=procesregisseur, plan=plan).plan
    # The family reads only a version the procesregisseur reviewed (issue 12, item 6).
    services.family_plan_review(actor=procesregisseur, plan=published)
    return published


def test_family_plan_shows_only_family_facing_actions_and_bodemeisen(client, procesregisseur, published):
    client.force_login(procesregisseur)
    page = client.get(reverse("meetings:family", args=[published.pk])).content.decode()
    assert FAMILY_ACTION.lower() in page.lower() and FAMILY_BODEMEIS in page
    assert INTERNAL_ACTION not in page
    assert INTERNAL_BODEMEIS not in page


def test_professional_plan_still_shows_every_item_with_its_audience(client, procesregisseur, published):
    client.force_login(procesregisseur)
    page = client.get(reverse("meetings:plan", args=[published.pk])).content.decode()
    for text in (INTERNAL_ACTION, INTERNAL_BODEMEIS, FAMILY_ACTION, FAMILY_BODEMEIS):
        assert text in page
    assert "Alleen voor professionals" in page and "Voor het gezin" in page


def test_audience_defaults_from_the_action_type_and_can_be_overridden(procesregisseur, published):
    assert Action.objects.get(what=INTERNAL_ACTION).audience == Audience.PROFESSIONALS
    assert Action.objects.get(what=FAMILY_ACTION).audience == Audience.FAMILY
    # A bodemeis is for professionals unless it is marked for the family: need-to-know is the default.
    assert Bodemeis.objects.get(text=INTERNAL_BODEMEIS).audience == Audience.PROFESSIONALS
    draft = services.plan_start(actor=procesregisseur, case=published.case)
    carried = draft.actions.get(what=FAMILY_ACTION)
    assert carried.audience == Audience.FAMILY
    services.plan_action_edit(
        actor=procesregisseur,
        action=carried,
        data=services.ActionInput(
            what=carried.what, type=carried.type, owner=carried.owner_id, audience=Audience.PROFESSIONALS
        ),
    )
    carried.refresh_from_db()
    assert carried.audience == Audience.PROFESSIONALS
    assert draft.bodemeisen.get(text=FAMILY_BODEMEIS).audience == Audience.FAMILY


def test_plan_api_reports_the_audience_of_each_item(client, procesregisseur, published):
    client.force_login(procesregisseur)
    body = client.get(f"/api/v1/meetings/plans/{published.pk}").json()
    audiences = {a["what"]: a["audience"] for a in body["actions"]}
    assert audiences == {INTERNAL_ACTION: "professionals", FAMILY_ACTION: "family"}
    assert {b["text"]: b["audience"] for b in body["bodemeisen"]} == {
        INTERNAL_BODEMEIS: "professionals",
        FAMILY_BODEMEIS: "family",
    }
