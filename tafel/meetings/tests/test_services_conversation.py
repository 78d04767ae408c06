import pytest

from tafel.cases.models import Case, PersonRole, Phase
from tafel.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from tafel.meetings import services
from tafel.meetings.models import (
    CaseDiscussion,
    OordeelChoice,
    PhaseChange,
    PreMeetingUpdate,
    ScaleKind,
    ScaleScore,
)

from .factories import held_meeting, plan_meeting, triaged


@pytest.fixture
def active_case(case, procesregisseur):
    return triaged(case, procesregisseur)


def test_invited_professional_submits_a_pre_meeting_update_and_a_second_replaces_it(
    procesregisseur, professional, active_case
):
    meeting = plan_meeting(procesregisseur, cases=[active_case])
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional)
    item = meeting.agenda_items.get()
    services.pre_meeting_update_submit(
        actor=professional, agenda_item=item, current_situation="Rustig sinds huisverbod."
    )
    update = services.pre_meeting_update_submit(
        actor=professional, agenda_item=item, current_situation="Huisverbod verlopen.", worries="Vader weer thuis."
    )
    assert PreMeetingUpdate.objects.filter(agenda_item=item).count() == 1
    assert update.current_situation == "Huisverbod verlopen."
    assert update.supplied_by_org == professional.organisation


def test_someone_not_invited_cannot_submit_an_update(procesregisseur, professional, active_case):
    meeting = plan_meeting(procesregisseur, cases=[active_case])
    with pytest.raises(AccessDenied):
        services.pre_meeting_update_submit(
            actor=professional, agenda_item=meeting.agenda_items.get(), current_situation="x"
        )


def test_the_guide_starts_only_after_the_privacy_opening(procesregisseur, active_case):
    meeting = plan_meeting(procesregisseur, cases=[active_case])
    with pytest.raises(TransitionNotAllowed):
        services.discussion_start(actor=procesregisseur, agenda_item=meeting.agenda_items.get())


def test_previous_picture_is_carried_forward_not_retyped(procesregisseur, active_case):
    _, first = held_meeting(procesregisseur, active_case, days=1)
    services.discussion_update(
        actor=procesregisseur,
        discussion=first,
        data={
            "worries": "Vader slaat moeder in bijzijn van kinderen.",
            "incident_first": "2024: duwen",
            "incident_worst": "2025: wurging",
            "incident_latest": "Vorige week: dreigen",
            "risks": [{"text": "Alcoholgebruik vader", "stability": "dynamic", "level": "individual", "top": True}],
            "brainstorm": [{"option": "Huisverbod", "by": "politie"}],
        },
    )
    _, second = held_meeting(procesregisseur, active_case, days=8)
    assert second.carried_from == first
    assert second.worries == "Vader slaat moeder in bijzijn van kinderen."
    assert second.incident_worst == "2025: wurging"
    assert second.risks[0]["text"] == "Alcoholgebruik vader"
    # What the meeting decides starts empty.
    assert second.brainstorm == [] and second.oordeel == ""


def test_discussion_validates_risk_tags_and_top_three(procesregisseur, active_case):
    _, discussion = held_meeting(procesregisseur, active_case)
    with pytest.raises(ValidationFailed) as exc:
        services.discussion_update(
            actor=procesregisseur,
            discussion=discussion,
            data={"risks": [{"text": "Schulden", "stability": "soms", "level": "individual"}]},
        )
    assert "risks.0" in exc.value.field_errors
    with pytest.raises(ValidationFailed):
        services.discussion_update(
            actor=procesregisseur, discussion=discussion, data={"recovery_points": ["a", "b", "c", "d"]}
        )
    with pytest.raises(ValidationFailed):
        services.discussion_update(actor=procesregisseur, discussion=discussion, data={"oordeel": "stay"})


def test_regisseur_picks_the_parts_of_the_guide(procesregisseur, active_case):
    _, discussion = held_meeting(procesregisseur, active_case)
    assert "beeldvorming" in discussion.parts
    services.discussion_update(
        actor=procesregisseur, discussion=discussion, data={"parts": ["schaalvraag", "beeldvorming"]}
    )
    discussion.refresh_from_db()
    assert discussion.parts == ["beeldvorming", "schaalvraag"]  # in the guide's order
    with pytest.raises(ValidationFailed):
        services.discussion_update(actor=procesregisseur, discussion=discussion, data={"parts": ["afsluitingsplan"]})


def test_moving_on_changes_the_case_phase_and_is_on_the_timeline(procesregisseur, active_case):
    _, discussion = held_meeting(procesregisseur, active_case)
    with pytest.raises(ValidationFailed):
        services.discussion_decide(actor=procesregisseur, discussion=discussion, choice=OordeelChoice.GO_BACK, note="x")
    services.discussion_decide(
        actor=procesregisseur,
        discussion=discussion,
        choice=OordeelChoice.MOVE_ON,
        note="Huisverbod werkt; nu aan de risico's.",
    )
    assert Case.objects.get(pk=active_case.pk).phase == Phase.RISICOGESTUURDE_ZORG
    change = PhaseChange.objects.get(case=active_case)
    assert (change.from_phase, change.to_phase) == (Phase.DIRECTE_VEILIGHEID, Phase.RISICOGESTUURDE_ZORG)
    # The next meeting uses the guide of the new phase.
    _, next_discussion = held_meeting(procesregisseur, Case.objects.get(pk=active_case.pk), days=9)
    assert next_discussion.phase == Phase.RISICOGESTUURDE_ZORG


def test_scale_scores_per_participant_with_rationale_and_client_apart(procesregisseur, professional, active_case):
    _, discussion = held_meeting(procesregisseur, active_case, invite=[professional])
    with pytest.raises(ValidationFailed) as exc:
        services.scale_score_add(
            actor=procesregisseur, discussion=discussion, participant=professional.pk, score=11, rationale=""
        )
    assert {"score", "rationale"} <= set(exc.value.field_errors)
    services.scale_score_add(
        actor=procesregisseur, discussion=discussion, participant=professional.pk, score=3, rationale="Wurging recent."
    )
    services.scale_score_add(
        actor=professional, discussion=discussion, participant=professional.pk, score=4, rationale="Bijgesteld."
    )
    person = active_case.case_persons.get(role=PersonRole.PLEGER).person_id
    services.scale_score_add(
        actor=procesregisseur, discussion=discussion, person_id=person, score=8, rationale="Het gaat prima, zegt hij."
    )
    rows = list(ScaleScore.objects.filter(discussion=discussion).order_by("is_client"))
    assert [(r.is_client, r.score, r.kind) for r in rows] == [
        (False, 4, ScaleKind.IMMEDIATE_SAFETY),
        (True, 8, ScaleKind.IMMEDIATE_SAFETY),
    ]


def test_only_invited_participants_get_a_score(procesregisseur, professional, active_case):
    _, discussion = held_meeting(procesregisseur, active_case)
    with pytest.raises(ValidationFailed):
        services.scale_score_add(
            actor=procesregisseur, discussion=discussion, participant=professional.pk, score=5, rationale="x"
        )


def test_discussion_start_is_idempotent(procesregisseur, active_case):
    meeting, discussion = held_meeting(procesregisseur, active_case)
    again = services.discussion_start(actor=procesregisseur, agenda_item=meeting.agenda_items.get())
    assert again.pk == discussion.pk
    assert CaseDiscussion.objects.count() == 1
