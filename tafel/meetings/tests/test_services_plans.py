import datetime

import pytest
import time_machine
from django.utils import timezone

from tafel.cases.models import Case
from tafel.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from tafel.meetings import services
from tafel.meetings.models import Action, ActionStatus, ActionType, Plan

from .factories import held_meeting, publish_plan, triaged


@pytest.fixture
def active_case(case, procesregisseur):
    return triaged(case, procesregisseur)


def test_plan_versions_keep_history(procesregisseur, professional, active_case):
    m1, _ = held_meeting(procesregisseur, active_case, invite=[professional], days=1)
    v1 = publish_plan(procesregisseur, active_case, m1, owner=professional, actions=["Huisbezoek afleggen"]).plan

    m2, _ = held_meeting(procesregisseur, active_case, invite=[professional], days=8)
    draft = services.plan_start(actor=procesregisseur, case=active_case, meeting=m2)
    assert draft.number == 2 and draft.based_on == v1
    services.plan_update(actor=procesregisseur, plan=draft, data={"goals": "Kinderen gaan weer naar school."})
    services.plan_action_add(
        actor=procesregisseur,
        plan=draft,
        data=services.ActionInput(what="Schoolgesprek", type=ActionType.TOWARDS_FAMILY, owner=professional.pk),
    )
    services.plan_publish(actor=procesregisseur, plan=draft, quality_reason="Alleen de versies tellen hier.")

    v1 = Plan.objects.get(pk=v1.pk)
    assert v1.goals == "Moeder en kinderen zijn thuis veilig."
    assert list(v1.actions.values_list("what", flat=True)) == ["Huisbezoek afleggen"]
    v2 = Plan.objects.get(case=active_case, number=2)
    assert v2.goals == "Kinderen gaan weer naar school."
    assert sorted(v2.actions.values_list("what", flat=True)) == ["Huisbezoek afleggen", "Schoolgesprek"]
    # A published version is never edited again.
    with pytest.raises(TransitionNotAllowed):
        services.plan_update(actor=procesregisseur, plan=v1, data={"goals": "anders"})


def test_action_carried_unchanged_into_the_next_meeting_is_flagged_recurring(
    procesregisseur, professional, active_case
):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    publish_plan(procesregisseur, active_case, m1, owner=professional, actions=["Schuldhulp aanvragen"])
    first = Action.objects.get(plan__number=1)
    assert not first.is_recurring

    m2, _ = held_meeting(procesregisseur, active_case, days=8)
    publish_plan(procesregisseur, active_case, m2, owner=professional, actions=["Schuldhulp aanvragen"])
    carried = Action.objects.get(plan__number=2)
    assert carried.carried_from == first
    assert carried.meeting_count == 2 and carried.is_recurring


def test_reworded_action_or_same_meeting_is_not_recurring(procesregisseur, professional, active_case):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    publish_plan(procesregisseur, active_case, m1, owner=professional, actions=["Schuldhulp aanvragen"])
    # A second version in the same meeting does not count as another meeting.
    publish_plan(procesregisseur, active_case, m1, owner=professional, actions=["Schuldhulp aanvragen"])
    assert not Action.objects.get(plan__number=2).is_recurring

    m2, _ = held_meeting(procesregisseur, active_case, days=8)
    draft = services.plan_start(actor=procesregisseur, case=active_case, meeting=m2)
    action = draft.actions.get()
    services.plan_action_edit(
        actor=procesregisseur,
        action=action,
        data=services.ActionInput(
            what="Schuldhulp aanvragen bij de gemeente, met moeder samen",
            type=action.type,
            owner=professional.pk,
        ),
    )
    services.plan_publish(actor=procesregisseur, plan=draft, quality_reason="Alleen de versies tellen hier.")
    assert not Action.objects.get(plan__number=3).is_recurring


def test_action_without_owner_is_flagged_and_fails_the_quality_check(procesregisseur, professional, active_case):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    draft = services.plan_start(actor=procesregisseur, case=active_case, meeting=m1)
    action = services.plan_action_add(
        actor=procesregisseur,
        plan=draft,
        data=services.ActionInput(what="Iemand belt de school", type=ActionType.INFO_PROFESSIONALS),
    )
    assert action.is_ownerless
    # A plan that fails the check is published only with an explicit reason (issue 12).
    with pytest.raises(services.QualityConfirmationRequired) as refused:
        services.plan_publish(actor=procesregisseur, plan=draft)
    assert "quality_reason" in refused.value.field_errors
    assert Plan.objects.get(pk=draft.pk).is_draft
    result = services.plan_publish(actor=procesregisseur, plan=draft, quality_reason="Crisis: nu nodig.")
    assert result.plan.meets_quality is False and result.plan.quality_override_reason == "Crisis: nu nodig."
    assert result.plan.quality_missing == len(result.missing)
    missing = " ".join(result.missing)
    assert "geen eigenaar" in missing
    assert "geen gezamenlijk doel" in missing
    assert "geen casusregisseur" in missing or "casusregisseur" in missing
    assert "evaluatie" in missing


def test_complete_plan_meets_the_quality_criteria(procesregisseur, professional, active_case):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    result = publish_plan(procesregisseur, active_case, m1, owner=professional, guard=professional)
    assert result.missing == []
    assert Case.objects.get(pk=active_case.pk).casusregisseur == professional


def test_bodemeis_guard_and_action_owner_must_be_in_the_case(procesregisseur, outsider, active_case):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    draft = services.plan_start(actor=procesregisseur, case=active_case, meeting=m1)
    with pytest.raises(ValidationFailed):
        services.bodemeis_add(actor=procesregisseur, plan=draft, text="Geen geweld", guard=outsider.pk)
    with pytest.raises(ValidationFailed):
        services.plan_action_add(
            actor=procesregisseur,
            plan=draft,
            data=services.ActionInput(what="x", type=ActionType.PROFESSIONAL_ACTION, owner=outsider.pk),
        )


def test_only_the_owner_updates_an_action_of_the_current_plan(procesregisseur, professional, active_case, police):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    publish_plan(procesregisseur, active_case, m1, owner=professional)
    action = Action.objects.get()
    with pytest.raises(AccessDenied):
        services.action_update(actor=procesregisseur, action=action, status=ActionStatus.GEDAAN)
    with pytest.raises(ValidationFailed):
        services.action_update(actor=professional, action=action, status=ActionStatus.NIET_GEDAAN)
    services.action_update(actor=professional, action=action, status=ActionStatus.GEDAAN, outcome_note="Gedaan.")
    action.refresh_from_db()
    assert action.status == ActionStatus.GEDAAN and action.updated_by == professional


def test_action_of_an_earlier_version_is_fixed(procesregisseur, professional, active_case):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    publish_plan(procesregisseur, active_case, m1, owner=professional)
    old = Action.objects.get(plan__number=1)
    m2, _ = held_meeting(procesregisseur, active_case, days=8)
    publish_plan(procesregisseur, active_case, m2, owner=professional)
    with pytest.raises(TransitionNotAllowed):
        services.action_update(actor=professional, action=old, status=ActionStatus.GEDAAN)


def test_action_finished_while_the_next_version_was_drafted_keeps_its_status(
    procesregisseur, professional, active_case
):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    publish_plan(procesregisseur, active_case, m1, owner=professional)
    m2, _ = held_meeting(procesregisseur, active_case, days=8)
    draft = services.plan_start(actor=procesregisseur, case=active_case, meeting=m2)
    services.action_update(actor=professional, action=Action.objects.get(plan__number=1), status=ActionStatus.GEDAAN)
    services.plan_publish(actor=procesregisseur, plan=draft, quality_reason="Alleen de versies tellen hier.")
    assert Action.objects.get(plan__number=2).status == ActionStatus.GEDAAN


def test_only_one_draft_per_case(procesregisseur, active_case):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    a = services.plan_start(actor=procesregisseur, case=active_case, meeting=m1)
    b = services.plan_start(actor=procesregisseur, case=active_case, meeting=m1)
    assert a.pk == b.pk


def test_professional_cannot_edit_the_plan(procesregisseur, professional, active_case):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    draft = services.plan_start(actor=procesregisseur, case=active_case, meeting=m1)
    with pytest.raises(AccessDenied):
        services.plan_update(actor=professional, plan=draft, data={"goals": "x"})
    with pytest.raises(AccessDenied):
        services.plan_publish(actor=professional, plan=draft)


def test_dates_are_validated(procesregisseur, active_case):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    draft = services.plan_start(actor=procesregisseur, case=active_case, meeting=m1)
    today = timezone.localdate()
    with pytest.raises(ValidationFailed):
        services.plan_update(
            actor=procesregisseur,
            plan=draft,
            data={"casusregie_from": today.isoformat(), "casusregie_until": (today - datetime.timedelta(days=1))},
        )
    with pytest.raises(ValidationFailed):
        services.plan_update(actor=procesregisseur, plan=draft, data={"next_meeting_date": "morgen"})


def test_done_at_is_set_when_the_owner_reports_done_and_cleared_when_it_is_reopened(
    procesregisseur, professional, active_case
):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    publish_plan(procesregisseur, active_case, m1, owner=professional)
    action = Action.objects.get()
    done = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    with time_machine.travel(done, tick=False):
        services.action_update(actor=professional, action=action, status=ActionStatus.GEDAAN)
    action.refresh_from_db()
    assert action.done_at == done
    # Rewriting the note of a done action keeps the moment it was done.
    with time_machine.travel(done + datetime.timedelta(days=3), tick=False):
        services.action_update(actor=professional, action=action, status=ActionStatus.GEDAAN, outcome_note="Ook x.")
    action.refresh_from_db()
    assert action.done_at == done
    services.action_update(actor=professional, action=action, status=ActionStatus.OPEN)
    action.refresh_from_db()
    assert action.done_at is None
    services.action_update(actor=professional, action=action, status=ActionStatus.NIET_GEDAAN, outcome_note="Ziek.")
    action.refresh_from_db()
    assert action.done_at is None


def test_a_carried_action_done_meanwhile_takes_its_completion_moment(procesregisseur, professional, active_case):
    m1, _ = held_meeting(procesregisseur, active_case, days=1)
    publish_plan(procesregisseur, active_case, m1, owner=professional)
    m2, _ = held_meeting(procesregisseur, active_case, days=8)
    draft = services.plan_start(actor=procesregisseur, case=active_case, meeting=m2)
    services.action_update(actor=professional, action=Action.objects.get(plan__number=1), status=ActionStatus.GEDAAN)
    services.plan_publish(actor=procesregisseur, plan=draft, quality_reason="Alleen de versies tellen hier.")
    first, second = Action.objects.get(plan__number=1), Action.objects.get(plan__number=2)
    assert second.done_at == first.done_at is not None
