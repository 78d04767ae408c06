"""The meeting pages apply the same item rules and person restriction as the case page (SPEC §6, AVG art. 18):
the verslag (page, PDF data, API), the agenda, the guide. Items get their category the way a supplier
classifies them; the meeting services themselves write general information."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tafel.cases.models import InfoCategory
from tafel.cases.services import case_add_organisation
from tafel.meetings import selectors, services
from tafel.meetings.models import CaseDiscussion, PreMeetingUpdate, ScaleScore
from tafel.organisations.models import Role
from tafel.privacy import services as privacy_services
from tafel.testing import make_user

from .factories import held_meeting, om_user, publish_plan, triaged

GGZ_SCORE = "Psychose in behandeling, medicatie gestopt."
GGZ_NARRATIVE = "Behandelaar ziet decompensatie."


@pytest.fixture
def active_case(case, procesregisseur):
    return triaged(case, procesregisseur)


@pytest.fixture
def behandelaar(active_case, ggz, procesregisseur):
    case_add_organisation(actor=procesregisseur, case=active_case, organisation=ggz, reason="behandelaar")
    return make_user(ggz, Role.PROFESSIONAL, username="behandelaar")


@pytest.fixture
def meeting_with_ggz_items(procesregisseur, professional, behandelaar, active_case):
    """A held meeting whose discussion record and one scale score are medical information of the GGZ."""
    meeting, discussion = held_meeting(procesregisseur, active_case, invite=[professional, behandelaar])
    services.discussion_update(actor=procesregisseur, discussion=discussion, data={"worries": GGZ_NARRATIVE})
    CaseDiscussion.objects.filter(pk=discussion.pk).update(
        category=InfoCategory.MEDISCH, supplied_by_org=behandelaar.organisation
    )
    score = services.scale_score_add(
        actor=procesregisseur, discussion=discussion, score=3, rationale=GGZ_SCORE, participant=behandelaar
    )
    ScaleScore.objects.filter(pk=score.pk).update(category=InfoCategory.MEDISCH)
    services.scale_score_add(
        actor=procesregisseur, discussion=discussion, score=6, rationale="Wijkagent: rustig.", participant=professional
    )
    publish_plan(procesregisseur, active_case, meeting, owner=professional)
    services.verslag_generate(actor=procesregisseur, meeting=meeting)
    return meeting


def _verslag_page(client, user, meeting) -> str:
    client.force_login(user)
    response = client.get(reverse("meetings:verslag", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_ggz_item_without_consent_is_absent_from_the_verslag_for_the_police(
    client, meeting_with_ggz_items, professional, behandelaar
):
    police_page = _verslag_page(client, professional, meeting_with_ggz_items)
    assert GGZ_SCORE not in police_page
    assert GGZ_NARRATIVE not in police_page
    assert "Wijkagent: rustig." in police_page
    assert "Huisbezoek afleggen" in police_page  # the general agreements stay

    ggz_page = _verslag_page(client, behandelaar, meeting_with_ggz_items)
    assert GGZ_SCORE in ggz_page
    assert GGZ_NARRATIVE in ggz_page


def test_the_house_without_consent_neither_reads_nor_edits_the_ggz_narrative(
    client, meeting_with_ggz_items, procesregisseur
):
    page = _verslag_page(client, procesregisseur, meeting_with_ggz_items)
    assert GGZ_NARRATIVE not in page
    assert GGZ_SCORE not in page
    assert 'name="s' not in page.split("bewerken-title")[-1]  # no edit form for the hidden narrative


def test_consent_for_medical_sharing_opens_the_ggz_items_of_the_verslag(
    client, meeting_with_ggz_items, professional, procesregisseur, active_case
):
    privacy_services.consent_record(
        actor=procesregisseur,
        case=active_case,
        person=active_case.case_persons.first().person,
        purpose="medisch",
        given_on=timezone.localdate(),
        form="verbal",
    )
    page = _verslag_page(client, professional, meeting_with_ggz_items)
    assert GGZ_SCORE in page
    assert GGZ_NARRATIVE in page


def test_verslag_data_for_pdf_and_api_is_the_filtered_cut(meeting_with_ggz_items, professional, behandelaar):
    police = selectors.verslag_view(viewer=professional, meeting_id=meeting_with_ggz_items.pk, pdf=True)
    [section] = police.sections
    assert GGZ_SCORE not in str(section.visible_snapshot) + section.visible_text
    assert section.visible_snapshot["plan"]  # the general plan stays

    ggz = selectors.verslag_view(viewer=behandelaar, meeting_id=meeting_with_ggz_items.pk, pdf=True)
    assert GGZ_SCORE in str(ggz.sections[0].visible_snapshot)


def test_police_investigation_score_is_for_criminal_justice_partners_only(
    procesregisseur, professional, behandelaar, active_case
):
    officier = om_user(active_case, procesregisseur)
    meeting, discussion = held_meeting(procesregisseur, active_case, invite=[professional, behandelaar, officier])
    score = services.scale_score_add(
        actor=procesregisseur, discussion=discussion, score=2, rationale="Lopend onderzoek.", participant=professional
    )
    ScaleScore.objects.filter(pk=score.pk).update(category=InfoCategory.POLITIE_ONDERZOEK)
    services.verslag_generate(actor=procesregisseur, meeting=meeting)

    def text_for(user) -> str:
        view = selectors.verslag_view(viewer=user, meeting_id=meeting.pk)
        return str(view.sections[0].visible_snapshot)

    assert "Lopend onderzoek." in text_for(officier)
    assert "Lopend onderzoek." in text_for(professional)
    assert "Lopend onderzoek." not in text_for(behandelaar)


def test_verslag_mail_holds_no_content(meeting_with_ggz_items, procesregisseur, django_capture_on_commit_callbacks):
    verslag = meeting_with_ggz_items.verslag
    with django_capture_on_commit_callbacks(execute=True):
        services.verslag_approve(actor=procesregisseur, verslag=verslag)
    assert mail.outbox
    for message in mail.outbox:
        assert GGZ_SCORE not in message.body
        assert GGZ_NARRATIVE not in message.body


def test_agenda_counts_only_the_updates_the_viewer_may_read(procesregisseur, professional, behandelaar, active_case):
    meeting, _ = held_meeting(procesregisseur, active_case, invite=[professional, behandelaar])
    item = meeting.agenda_items.get()
    update = services.pre_meeting_update_submit(actor=behandelaar, agenda_item=item, current_situation="Opname.")
    PreMeetingUpdate.objects.filter(pk=update.pk).update(category=InfoCategory.MEDISCH)
    services.pre_meeting_update_submit(actor=professional, agenda_item=item, current_situation="Rustig.")

    [police_item] = selectors.agenda(viewer=professional, meeting=meeting)
    [ggz_item] = selectors.agenda(viewer=behandelaar, meeting=meeting)
    assert police_item.n_updates == 1
    assert ggz_item.n_updates == 2
    assert [u.current_situation for u in selectors.discussion_view(viewer=professional, item_id=item.pk).updates] == [
        "Rustig."
    ]


# --- persons under restriction of processing (AVG art. 18) --------------------------------------------------


@pytest.fixture
def fg(house):
    return make_user(house, Role.FG, username="fg")


@pytest.fixture
def restricted_client_meeting(procesregisseur, professional, active_case, fg):
    """A held meeting with the case's person invited as client and scored, then restricted by the FG."""
    meeting, discussion = held_meeting(procesregisseur, active_case, invite=[professional])
    item = meeting.agenda_items.get()
    person = active_case.case_persons.first().person
    services.client_invite(actor=procesregisseur, agenda_item=item, person_id=person.pk, invited=True)
    services.scale_score_add(
        actor=procesregisseur, discussion=discussion, score=5, rationale="Zegt zelf: gaat beter.", person_id=person.pk
    )
    services.verslag_generate(actor=procesregisseur, meeting=meeting)
    privacy_services.person_restrict(actor=fg, person=person, restricted=True, reason="Verzoek art. 18")
    return meeting, person


def test_restricted_person_is_left_out_of_the_meeting_page(
    client, restricted_client_meeting, professional, procesregisseur
):
    meeting, person = restricted_client_meeting
    client.force_login(professional)
    assert person.full_name not in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    [item] = selectors.agenda(viewer=professional, meeting=meeting)
    assert item.client_invitations == []
    assert list(item.case.case_persons.all()) == []

    client.force_login(procesregisseur)
    assert person.full_name in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()


def test_restricted_person_is_left_out_of_the_guide(restricted_client_meeting, professional, procesregisseur):
    meeting, person = restricted_client_meeting
    item = meeting.agenda_items.get()
    view = selectors.discussion_view(viewer=professional, item_id=item.pk)
    assert view.persons == []
    assert view.client_scores == []

    view = selectors.discussion_view(viewer=procesregisseur, item_id=item.pk)
    assert [cp.person for cp in view.persons] == [person]
    assert len(view.client_scores) == 1


def test_restricted_person_is_left_out_of_the_verslag(client, restricted_client_meeting, professional, procesregisseur):
    meeting, person = restricted_client_meeting
    page = _verslag_page(client, professional, meeting)
    assert person.full_name not in page
    assert "Zegt zelf: gaat beter." not in page

    page = _verslag_page(client, procesregisseur, meeting)
    assert person.full_name in page
