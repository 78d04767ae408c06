"""Issue 12, items 2 and 3: a plan that can be made right, and one plan-quality rule.

A bodemeis needs a guard; bodemeisen and actions are corrected or removed until publication; a new version can be
started from the plan page at any time; publishing a plan that fails the check needs an explicit reason, which
the monitor counts; brainstorm ideas become actions in one step; the page, the API and the monitor judge a plan
with the same rule."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tafel.cases.models import Case
from tafel.core.errors import TransitionNotAllowed, ValidationFailed
from tafel.meetings import selectors, services
from tafel.meetings.models import Action, ActionType, Audience, Bodemeis, Plan

from .factories import held_meeting, triaged


@pytest.fixture
def setting(case, procesregisseur, professional):
    case = triaged(case, procesregisseur)
    meeting, discussion = held_meeting(procesregisseur, case, invite=[professional])
    plan = services.plan_start(actor=procesregisseur, case=case, meeting=meeting)
    return case, meeting, discussion, plan


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit(plan) -> str:
    return f"/overleggen/plan/{plan.pk}/bewerken/"


def _complete(procesregisseur, professional, plan) -> None:
    services.plan_update(
        actor=procesregisseur,
        plan=plan,
        data={
            "goals": "Thuis is het veilig.",
            "casusregisseur": professional.pk,
            "next_meeting_date": (timezone.localdate() + datetime.timedelta(days=42)).isoformat(),
        },
    )
    services.plan_action_add(
        actor=procesregisseur,
        plan=plan,
        data=services.ActionInput(
            what="Huisbezoek",
            type=ActionType.TOWARDS_FAMILY,
            owner=professional.pk,
            deadline=timezone.localdate() + datetime.timedelta(days=7),
            rationale="Zicht op veiligheid.",
        ),
    )


# --- a bodemeis needs a guard ------------------------------------------------------------------------------


def test_a_bodemeis_without_guard_is_refused_by_service_and_page(procesregisseur, setting):
    _, _, _, plan = setting
    with pytest.raises(ValidationFailed) as refused:
        services.bodemeis_add(actor=procesregisseur, plan=plan, text="Geen geweld.", if_broken="Overleg.")
    assert "guard" in refused.value.field_errors
    response = _client(procesregisseur).post(
        _edit(plan), {"step": "bodemeis", "text": "Geen geweld.", "audience": "family", "if_broken": "Overleg."}
    )
    assert response.status_code == 422
    assert "Elke bodemeis heeft een bewaker." in response.content.decode()
    assert not Bodemeis.objects.exists()


def test_correcting_a_bodemeis_names_its_guard_as_adding_one_does(procesregisseur, professional, setting):
    """One rule for adding and correcting: an unknown user id and the id of someone outside the case give the
    same field error, so the edit form cannot be used to find out which accounts exist."""
    from tafel.meetings.services._common import NOT_TAKING_PART
    from tafel.organisations.models import User

    _, _, _, plan = setting
    b = services.bodemeis_add(actor=procesregisseur, plan=plan, text="Geen geweld.", guard=professional.pk)
    outsider = User.objects.create_user(username="buiten", password="x" * 20)
    unknown = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    messages = []
    for guard in (outsider.pk, unknown, outsider):  # an id, an unknown id, and the user object itself
        for call in (
            lambda g: services.bodemeis_add(actor=procesregisseur, plan=plan, text="Nog een.", guard=g),
            lambda g: services.bodemeis_edit(actor=procesregisseur, bodemeis=b, text="Geen geweld.", guard=g),
        ):
            with pytest.raises(ValidationFailed) as refused:
                call(guard)
            messages.append(refused.value.field_errors["guard"])
    assert all(m == [NOT_TAKING_PART] for m in messages), messages
    b.refresh_from_db()
    assert b.guard_id == professional.pk


# --- corrections until publication -------------------------------------------------------------------------


def test_bodemeisen_and_actions_are_edited_and_removed_until_publication(procesregisseur, professional, setting):
    _, _, _, plan = setting
    client = _client(procesregisseur)
    b = services.bodemeis_add(actor=procesregisseur, plan=plan, text="Geen geweld.", guard=professional.pk)
    assert (
        client.post(
            _edit(plan),
            {
                "step": "bodemeis_edit",
                "item": b.pk,
                f"b{b.pk}-text": "Geen geweld, ook niet verbaal.",
                f"b{b.pk}-guard": professional.pk,
                f"b{b.pk}-if_broken": "Huisverbod overwegen.",
                f"b{b.pk}-audience": "family",
            },
        ).status_code
        == 302
    )
    b.refresh_from_db()
    assert (b.text, b.audience, b.if_broken) == (
        "Geen geweld, ook niet verbaal.",
        Audience.FAMILY,
        "Huisverbod overwegen.",
    )

    a = services.plan_action_add(
        actor=procesregisseur, plan=plan, data=services.ActionInput(what="Bellen", type=ActionType.INFO_FAMILY)
    )
    data = {
        "step": "action_edit",
        "item": a.pk,
        f"e{a.pk}-what": "De school bellen",
        f"e{a.pk}-type": ActionType.INFO_PROFESSIONALS,
        f"e{a.pk}-term": "short",
        f"e{a.pk}-owner": professional.pk,
        f"e{a.pk}-deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    }
    assert client.post(_edit(plan), data).status_code == 302
    a.refresh_from_db()
    assert (a.what, a.owner_id, a.audience) == ("De school bellen", professional.pk, Audience.PROFESSIONALS)

    # Removing asks for a confirmation first.
    assert client.post(_edit(plan), {"step": "action_remove", "item": a.pk}).status_code == 422
    assert Action.objects.filter(pk=a.pk).exists()
    assert (
        client.post(_edit(plan), {"step": "action_remove", "item": a.pk, f"ra{a.pk}-confirm": "on"}).status_code == 302
    )
    assert not Action.objects.filter(pk=a.pk).exists()
    assert (
        client.post(_edit(plan), {"step": "bodemeis_remove", "item": b.pk, f"rb{b.pk}-confirm": "on"}).status_code
        == 302
    )
    assert not Bodemeis.objects.exists()

    # Once published, the version is fixed.
    services.plan_publish(actor=procesregisseur, plan=plan, quality_reason="Alleen de vaste versie telt hier.")
    b2 = services.plan_start(actor=procesregisseur, case=plan.case)
    assert b2.pk != plan.pk
    kept = Plan.objects.get(pk=plan.pk)
    with pytest.raises(TransitionNotAllowed):
        services.plan_update(actor=procesregisseur, plan=kept, data={"goals": "anders"})


def test_an_item_of_another_plan_is_not_found_through_this_plan(procesregisseur, professional, setting, municipality):
    from tafel.testing import make_case

    _, _, _, plan = setting
    other_case = triaged(make_case(procesregisseur, municipality), procesregisseur)
    other = services.plan_start(actor=procesregisseur, case=other_case)
    foreign = services.bodemeis_add(actor=procesregisseur, plan=other, text="Elders.", guard=procesregisseur.pk)
    response = _client(procesregisseur).post(
        _edit(plan), {"step": "bodemeis_remove", "item": foreign.pk, f"rb{foreign.pk}-confirm": "on"}
    )
    assert response.status_code == 404
    assert Bodemeis.objects.filter(pk=foreign.pk).exists()


def test_a_new_version_is_started_from_the_plan_page_outside_a_meeting(procesregisseur, professional, setting):
    _, _, _, plan = setting
    _complete(procesregisseur, professional, plan)
    services.plan_publish(actor=procesregisseur, plan=plan)
    client = _client(procesregisseur)
    assert "Nieuwe versie maken" in client.get(f"/overleggen/plan/{plan.pk}/").content.decode()
    response = client.post(f"/overleggen/plan/{plan.pk}/nieuwe-versie/")
    draft = Plan.objects.get(case=plan.case, published_at__isnull=True)
    assert response.status_code == 302 and response["Location"] == f"/overleggen/plan/{draft.pk}/"
    assert draft.number == 2 and draft.meeting_id is None and draft.based_on_id == plan.pk
    # A second press opens the same draft.
    client.post(f"/overleggen/plan/{plan.pk}/nieuwe-versie/")
    assert Plan.objects.filter(case=plan.case, published_at__isnull=True).count() == 1
    assert "Concept versie 2 bewerken" in client.get(f"/overleggen/plan/{plan.pk}/").content.decode()


def test_a_professional_cannot_start_a_new_version(procesregisseur, professional, setting):
    _, _, _, plan = setting
    _complete(procesregisseur, professional, plan)
    services.plan_publish(actor=procesregisseur, plan=plan)
    assert _client(professional).post(f"/overleggen/plan/{plan.pk}/nieuwe-versie/").status_code == 403


# --- publishing a failing plan -----------------------------------------------------------------------------


def test_publishing_a_failing_plan_needs_confirmation_and_a_reason(procesregisseur, setting):
    _, _, _, plan = setting
    client = _client(procesregisseur)
    response = client.post(_edit(plan), {"step": "publish"})
    assert response.status_code == 422
    assert "Waarom publiceert u dit plan terwijl er nog iets ontbreekt?" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).is_draft
    response = client.post(_edit(plan), {"step": "publish", "confirm_incomplete": "on"})
    assert response.status_code == 422 and Plan.objects.get(pk=plan.pk).is_draft
    response = client.post(
        _edit(plan), {"step": "publish", "confirm_incomplete": "on", "quality_reason": "Crisis: direct nodig."}
    )
    assert response.status_code == 302
    published = Plan.objects.get(pk=plan.pk)
    assert not published.is_draft and published.meets_quality is False
    assert published.quality_override_reason == "Crisis: direct nodig." and published.quality_missing >= 3


def test_a_complete_plan_publishes_without_a_question(procesregisseur, professional, setting):
    _, _, _, plan = setting
    _complete(procesregisseur, professional, plan)
    assert _client(procesregisseur).post(_edit(plan), {"step": "publish"}).status_code == 302
    published = Plan.objects.get(pk=plan.pk)
    assert published.meets_quality is True and published.quality_override_reason == ""


# --- from the brainstorm to actions ------------------------------------------------------------------------


def test_brainstorm_and_shortlist_ideas_become_actions_in_one_step(procesregisseur, setting):
    _, _, discussion, plan = setting
    services.discussion_part_save(
        actor=procesregisseur,
        discussion=discussion,
        part="besluitvorming",
        data={
            "brainstorm": [{"option": "Buurtvader inzetten", "by": "wijkagent"}],
            "shortlist": [{"option": "Huisverbod", "expert_view": "Directe veiligheid eerst.", "term": "short"}],
        },
        expected_version=0,
    )
    client = _client(procesregisseur)
    html = client.get(f"/overleggen/plan/{plan.pk}/").content.decode()
    assert "Buurtvader inzetten" in html and "Maak er een actie van" in html
    client.post(
        _edit(plan), {"step": "idea", "source": "shortlist", "index": 0, "type": ActionType.PROFESSIONAL_ACTION}
    )
    client.post(_edit(plan), {"step": "idea", "source": "brainstorm", "index": 0, "type": ActionType.TOWARDS_FAMILY})
    actions = {a.what: a for a in plan.actions.all()}
    assert actions["Huisverbod"].rationale == "Directe veiligheid eerst."
    assert actions["Buurtvader inzetten"].type == ActionType.TOWARDS_FAMILY
    assert "wijkagent" in actions["Buurtvader inzetten"].rationale
    # Once they are actions, the ideas are no longer offered.
    assert "Maak er een actie van" not in client.get(f"/overleggen/plan/{plan.pk}/").content.decode()


# --- one rule for page, API and monitor --------------------------------------------------------------------


def _variants(procesregisseur, professional, municipality):
    """Plans that each miss one criterion (and one that misses none), each on its own case."""
    from tafel.testing import make_case

    def fresh():
        case = triaged(make_case(professional, municipality), procesregisseur)
        plan = services.plan_start(actor=procesregisseur, case=case)
        _complete(procesregisseur, professional, plan)
        return Plan.objects.get(pk=plan.pk)

    plans = {"complete": fresh()}
    plan = fresh()
    services.plan_update(actor=procesregisseur, plan=plan, data={"goals": ""})
    plans["no_goal"] = plan
    plan = fresh()
    services.plan_update(actor=procesregisseur, plan=plan, data={"next_meeting_date": None})
    plans["no_next_date"] = plan
    plan = fresh()
    plan.actions.all().delete()
    plans["no_actions"] = plan
    plan = fresh()
    services.plan_action_add(
        actor=procesregisseur, plan=plan, data=services.ActionInput(what="Zonder eigenaar", type="info_family")
    )
    plans["ownerless_action"] = plan
    plan = fresh()
    services.bodemeis_add(actor=procesregisseur, plan=plan, text="Geen geweld.", guard=professional.pk)
    plans["bodemeis_without_if_broken"] = plan
    for plan in plans.values():
        services.plan_publish(actor=procesregisseur, plan=Plan.objects.get(pk=plan.pk), quality_reason="Toets.")
    return plans


def test_page_api_and_monitor_judge_the_same_plans_the_same(procesregisseur, professional, municipality):
    from tafel.reports.indicators import Params
    from tafel.reports.indicators.populations import plan_annotations
    from tafel.reports.periods import parse_period

    plans = _variants(procesregisseur, professional, municipality)
    params = Params(period=parse_period(str(timezone.localdate().year)))
    monitor = dict(
        Case.objects.filter(pk__in=[p.case_id for p in plans.values()])
        .annotate(**plan_annotations(params))
        .values_list("pk", "good_plan")
    )
    client = _client(procesregisseur)
    for name, plan in plans.items():
        page = selectors.plan_view(viewer=procesregisseur, plan_id=plan.pk)
        api = client.get(f"/api/v1/meetings/plans/{plan.pk}").json()["quality"]["meets_criteria"]
        assert (not page.missing) == api == monitor[plan.case_id] == (name == "complete"), name
    # The page's "no actions" message and the monitor agree (the disagreement the issue found).
    assert (
        "Er zijn geen acties afgesproken."
        in selectors.plan_view(viewer=procesregisseur, plan_id=plans["no_actions"].pk).missing
    )
