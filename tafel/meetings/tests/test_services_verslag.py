import pytest
from django.core import mail

from tafel.core.errors import AccessDenied, TransitionNotAllowed
from tafel.meetings import services
from tafel.meetings.models import Action, Attendance, Invitation, MeetingStatus, Verslag
from tafel.meetings.selectors import verslag_view
from tafel.testing import make_case

from .factories import held_meeting, plan_meeting, publish_plan, triaged


@pytest.fixture
def active_case(case, procesregisseur):
    return triaged(case, procesregisseur)


def _actions_in(section) -> list[tuple]:
    return [(a["what"], a["owner"], a["deadline"], a["type"]) for a in section.snapshot["plan"]["actions"]]


def test_verslag_contains_exactly_the_agreements_recorded(procesregisseur, professional, active_case):
    # An earlier meeting's agreements that were finished are not agreements of this meeting.
    m0, _ = held_meeting(procesregisseur, active_case, invite=[professional], days=1)
    publish_plan(procesregisseur, active_case, m0, owner=professional, actions=["Oude afspraak"])
    services.action_update(
        actor=professional, action=Action.objects.get(what="Oude afspraak"), status="gedaan", outcome_note="ok"
    )

    meeting, discussion = held_meeting(procesregisseur, active_case, invite=[professional], days=8)
    result = publish_plan(
        procesregisseur,
        active_case,
        meeting,
        owner=professional,
        actions=["Huisbezoek met wijkagent", "Aanmelding schuldhulp", "Gesprek met school"],
        guard=professional,
    )
    # A draft started after publishing is not part of this meeting's agreements.
    draft = services.plan_start(actor=procesregisseur, case=active_case, meeting=meeting)
    services.plan_action_add(
        actor=procesregisseur,
        plan=draft,
        data=services.ActionInput(what="Nog niet afgesproken", type="professional_action", owner=professional.pk),
    )

    verslag = services.verslag_generate(actor=procesregisseur, meeting=meeting)
    section = verslag.sections.get()
    recorded = [
        (a.what, a.owner.get_full_name(), a.deadline.isoformat(), a.get_type_display())
        for a in result.plan.actions.order_by("order", "id")
    ]
    assert _actions_in(section) == recorded
    assert len(recorded) == 3
    assert [b["text"] for b in section.snapshot["plan"]["bodemeisen"]] == [
        "Geen geweld in het bijzijn van de kinderen."
    ]
    assert section.snapshot["plan"]["number"] == result.plan.number
    everything = str(section.snapshot) + section.text
    assert "Oude afspraak" not in everything
    assert "Nog niet afgesproken" not in everything


def test_wording_edits_do_not_touch_the_agreements(procesregisseur, professional, active_case):
    meeting, discussion = held_meeting(procesregisseur, active_case, days=1)
    services.discussion_update(actor=procesregisseur, discussion=discussion, data={"worries": "Zorgen om moeder."})
    publish_plan(procesregisseur, active_case, meeting, owner=professional)
    verslag = services.verslag_generate(actor=procesregisseur, meeting=meeting)
    section = verslag.sections.get()
    assert "Zorgen om moeder." in section.generated_text
    before = section.snapshot["plan"]["actions"]
    services.verslag_edit(actor=procesregisseur, section=section, text="Er zijn zorgen over de veiligheid van moeder.")
    # Regenerating keeps the chair's wording and refreshes the agreements from the data.
    verslag = services.verslag_generate(actor=procesregisseur, meeting=meeting)
    section = verslag.sections.get()
    assert section.text == "Er zijn zorgen over de veiligheid van moeder."
    assert section.snapshot["plan"]["actions"] == before


def test_one_verslag_for_the_whole_family_system(procesregisseur, professional, municipality):
    from tafel.meetings.tests.factories import family_case

    case = family_case(professional, municipality, procesregisseur)
    meeting, _ = held_meeting(procesregisseur, case, days=1)
    verslag = services.verslag_generate(actor=procesregisseur, meeting=meeting)
    assert Verslag.objects.filter(meeting=meeting).count() == 1
    section = verslag.sections.get()
    assert {c["role"] for c in section.snapshot["clients"]} == {"Pleger", "Slachtoffer"}


def test_chair_approves_closes_the_meeting_and_only_case_participants_are_told(
    procesregisseur, professional, outsider, municipality, active_case, django_capture_on_commit_callbacks
):
    ggz_case = triaged(make_case(outsider, municipality), procesregisseur)
    meeting = plan_meeting(procesregisseur, code="mda", cases=[active_case, ggz_case], days=1)
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional)
    services.invitation_add(
        actor=procesregisseur, meeting=meeting, user=outsider, agenda_item=meeting.agenda_items.get(case=ggz_case)
    )
    services.meeting_open(actor=procesregisseur, meeting=meeting)
    for inv in Invitation.objects.filter(meeting=meeting, is_client=False):
        services.attendance_record(actor=procesregisseur, invitation=inv, attendance=Attendance.PRESENT)
    verslag = services.verslag_generate(actor=procesregisseur, meeting=meeting)
    with pytest.raises(AccessDenied):
        services.verslag_approve(actor=professional, verslag=verslag)

    with django_capture_on_commit_callbacks(execute=True):
        services.verslag_approve(actor=procesregisseur, verslag=verslag)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_recipient) == {professional.email, outsider.email}
    assert active_case.reference in by_recipient[professional.email]
    assert ggz_case.reference not in by_recipient[professional.email]
    assert ggz_case.reference in by_recipient[outsider.email]
    assert active_case.reference not in by_recipient[outsider.email]
    # Each reads only their own case's section.
    assert [s.case_id for s in verslag_view(viewer=professional, meeting_id=meeting.pk).sections] == [active_case.pk]
    assert [s.case_id for s in verslag_view(viewer=outsider, meeting_id=meeting.pk).sections] == [ggz_case.pk]
    with pytest.raises(TransitionNotAllowed):
        services.verslag_generate(actor=procesregisseur, meeting=meeting)


def test_verslag_records_the_privacy_opening_and_attendance(procesregisseur, professional, active_case):
    meeting, _ = held_meeting(procesregisseur, active_case, invite=[professional], days=1)
    services.attendance_record(
        actor=procesregisseur, invitation=Invitation.objects.get(user=professional), attendance=Attendance.EXCUSED
    )
    verslag = services.verslag_generate(actor=procesregisseur, meeting=meeting)
    assert verslag.snapshot["privacy_reminder_given"] is True
    assert "convenant" in verslag.snapshot["privacy_reminder_text"]
    assert verslag.snapshot["attendance"][0]["attendance"] == "Afgemeld"


def test_verslag_only_after_the_meeting_was_held(procesregisseur, active_case):
    meeting = plan_meeting(procesregisseur, cases=[active_case])
    with pytest.raises(TransitionNotAllowed):
        services.verslag_generate(actor=procesregisseur, meeting=meeting)
