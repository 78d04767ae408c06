"""Issue 12, item 1: nothing typed in the conversation guide is lost. Each part saves on its own with its own
version; two editors of one part see a conflict and keep their text; what is typed is kept as a draft and shown
again after a reload; a scale score never reloads another part."""

import pytest
from django.test import Client

from tafel.core.errors import ValidationFailed
from tafel.meetings import services
from tafel.meetings.models import CaseDiscussion, GuideDraft
from tafel.organisations.models import Role
from tafel.testing import make_user

from .factories import held_meeting, triaged


@pytest.fixture
def discussion(case, procesregisseur, professional):
    _, discussion = held_meeting(procesregisseur, triaged(case, procesregisseur), invite=[professional])
    return discussion


@pytest.fixture
def second_regisseur(house):
    return make_user(house, Role.PROCESREGISSEUR, username="regisseur2")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _guide(discussion) -> str:
    return f"/overleggen/agendapunt/{discussion.agenda_item_id}/leidraad/"


def test_saving_one_part_leaves_the_other_parts_and_their_versions_alone(procesregisseur, discussion):
    services.discussion_part_save(
        actor=procesregisseur,
        discussion=discussion,
        part="vooraf",
        data={"family_picture": "Gezin"},
        expected_version=0,
    )
    services.discussion_part_save(
        actor=procesregisseur, discussion=discussion, part="beeldvorming", data={"worries": "Zorg"}, expected_version=0
    )
    row = CaseDiscussion.objects.get(pk=discussion.pk)
    assert row.family_picture == "Gezin" and row.worries == "Zorg"
    assert row.part_versions == {"vooraf": 1, "beeldvorming": 1}


def test_a_part_save_refuses_fields_of_another_part(procesregisseur, discussion):
    with pytest.raises(ValidationFailed):
        services.discussion_part_save(
            actor=procesregisseur, discussion=discussion, part="vooraf", data={"worries": "x"}, expected_version=0
        )


def test_second_editor_of_one_part_gets_a_conflict_not_an_overwrite(procesregisseur, discussion):
    services.discussion_part_save(
        actor=procesregisseur, discussion=discussion, part="beeldvorming", data={"worries": "Eerst"}, expected_version=0
    )
    with pytest.raises(services.PartConflict) as exc:
        services.discussion_part_save(
            actor=procesregisseur,
            discussion=CaseDiscussion.objects.get(pk=discussion.pk),
            part="beeldvorming",
            data={"worries": "Tweede"},
            expected_version=0,
        )
    assert exc.value.current_version == 1
    assert CaseDiscussion.objects.get(pk=discussion.pk).worries == "Eerst"


def test_conflict_page_keeps_the_typed_text_and_shows_the_others(procesregisseur, second_regisseur, discussion):
    first, second = _client(procesregisseur), _client(second_regisseur)
    data = {"step": "part", "part": "beeldvorming", "version": 0}
    assert first.post(_guide(discussion), {**data, "worries": "Moeder is bang."}).status_code == 302
    response = second.post(_guide(discussion), {**data, "worries": "Vader dreigt."})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Iemand anders heeft dit onderdeel intussen opgeslagen." in html
    assert "Vader dreigt." in html and "Moeder is bang." in html
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert second.post(_guide(discussion), {**data, "version": 1, "worries": "Vader dreigt."}).status_code == 302
    assert CaseDiscussion.objects.get(pk=discussion.pk).worries == "Vader dreigt."


def test_a_draft_is_shown_again_after_a_reload_and_removed_by_saving(procesregisseur, discussion):
    client = _client(procesregisseur)
    draft_url = f"/overleggen/agendapunt/{discussion.agenda_item_id}/leidraad/concept/"
    response = client.post(draft_url, {"part": "beeldvorming", "version": 0, "worries": "Half getypt", "x": "y"})
    assert response.status_code == 204
    draft = GuideDraft.objects.get()
    assert draft.data == {"worries": "Half getypt"} and draft.author == procesregisseur
    html = client.get(_guide(discussion)).content.decode()
    assert "Half getypt" in html and "nog niet is opgeslagen" in html
    client.post(_guide(discussion), {"step": "part", "part": "beeldvorming", "version": 0, "worries": "Klaar"})
    assert not GuideDraft.objects.exists()
    assert CaseDiscussion.objects.get(pk=discussion.pk).worries == "Klaar"


def test_drafts_are_personal_and_only_for_who_runs_the_meeting(procesregisseur, professional, discussion):
    draft_url = f"/overleggen/agendapunt/{discussion.agenda_item_id}/leidraad/concept/"
    assert _client(professional).post(draft_url, {"part": "vooraf", "family_picture": "x"}).status_code == 403
    _client(procesregisseur).post(draft_url, {"part": "vooraf", "version": 0, "family_picture": "Mijn concept"})
    assert "Mijn concept" not in _client(professional).get(_guide(discussion)).content.decode()


def test_a_scale_score_from_the_page_script_answers_only_with_the_guide_and_keeps_drafts(
    procesregisseur, professional, discussion
):
    client = _client(procesregisseur)
    client.post(
        f"/overleggen/agendapunt/{discussion.agenda_item_id}/leidraad/concept/",
        {"part": "beeldvorming", "version": 0, "worries": "Nog niet opgeslagen zorg"},
    )
    response = client.post(
        f"/overleggen/agendapunt/{discussion.agenda_item_id}/schaal/",
        {"who": f"u{professional.pk}", "score": 4, "rationale": "Kans op herhaling."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "De schaalscore is vastgelegd." in html and "Nog niet opgeslagen zorg" in html
    assert GuideDraft.objects.count() == 1
