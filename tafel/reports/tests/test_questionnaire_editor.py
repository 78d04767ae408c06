"""The questionnaire editor (issue 6 item 5): the ketenmanager and the beheerder keep the questionnaires, and
the rules keep the results honest — an answered question keeps its kind and is retired rather than deleted,
a changed wording is recorded and shown with the results, a filled-in questionnaire is never deleted."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tafel.core.errors import ConcurrentEdit, ValidationFailed
from tafel.reports import questionnaires
from tafel.reports.models import ChangeKind, Question, QuestionKind, Questionnaire, QuestionnaireChange

pytestmark = pytest.mark.django_db


def edit_url(questionnaire) -> str:
    return reverse("reports:questionnaire_edit", args=[questionnaire.pk])


def add_question(questionnaire, actor, text: str, kind: str = QuestionKind.LIKERT) -> Question:
    questionnaire.refresh_from_db()
    data = questionnaires.QuestionInput(kind=kind, text=text, low_label="oneens", high_label="eens")
    return questionnaires.question_add(
        actor=actor, questionnaire=questionnaire, data=data, expected_version=questionnaire.version
    )


@pytest.fixture
def own(ketenmanager) -> Questionnaire:
    """The house's own questionnaire with two statements and one open question."""
    q = questionnaires.questionnaire_create(
        actor=ketenmanager, data=questionnaires.QuestionnaireInput(title="Tevredenheid ketenpartners")
    )
    add_question(q, ketenmanager, "De samenwerking verloopt goed")
    add_question(q, ketenmanager, "Ik word op tijd geïnformeerd")
    add_question(q, ketenmanager, "Wat kan beter?", QuestionKind.TEXT)
    q.refresh_from_db()
    return q


def fill(professional, questionnaire, score: str = "4"):
    c = Client()
    c.force_login(professional)
    data = {f"q{q.pk}": score for q in questionnaire.questions.filter(retired_at__isnull=True, kind="likert")}
    return c.post(reverse("reports:questionnaire_fill", args=[questionnaire.code]), data)


def test_the_ketenmanager_creates_a_questionnaire_and_adds_a_question_in_the_browser(client, ketenmanager):
    client.force_login(ketenmanager)

    created = client.post(reverse("reports:questionnaire_new"), {"title": "Evaluatie pilot", "active": "on"})
    questionnaire = Questionnaire.objects.get(title="Evaluatie pilot")
    added = client.post(
        reverse("reports:question_add", args=[questionnaire.pk]),
        {
            "nieuw-kind": "scale10",
            "nieuw-text": "Hoe tevreden bent u?",
            "nieuw-low_label": "zeer ontevreden",
            "nieuw-high_label": "zeer tevreden",
            "nieuw-version": "1",
        },
    )

    assert created.status_code == 302 and added.status_code == 302
    assert questionnaire.code == "evaluatie-pilot"
    assert list(questionnaire.questions.values_list("order", "kind", "text")) == [
        (1, "scale10", "Hoe tevreden bent u?")
    ]
    assert list(QuestionnaireChange.objects.values_list("kind", "actor__username")) == [
        ("created", "ketenmanager"),
        ("q_added", "ketenmanager"),
    ]


def test_field_errors_are_dutch_and_at_the_field(client, own, ketenmanager):
    client.force_login(ketenmanager)

    page = client.post(
        reverse("reports:question_add", args=[own.pk]), {"nieuw-kind": "", "nieuw-text": " ", "nieuw-version": "4"}
    ).content.decode()

    assert "Kies de soort vraag." in page and "Vul de vraag of stelling in." in page
    assert own.questions.count() == 3
    title = client.post(edit_url(own), {"title": "", "version": "4"}).content.decode()
    assert "Geef de vragenlijst een titel." in title


def test_an_answered_question_cannot_change_kind_or_be_deleted(own, ketenmanager, professional):
    assert fill(professional, own).status_code == 302
    question = own.questions.get(order=1)
    own.refresh_from_db()

    with pytest.raises(ValidationFailed) as kind_change:
        questionnaires.question_update(
            actor=ketenmanager,
            question=question,
            data=questionnaires.QuestionInput(kind="scale10", text=question.text),
            expected_version=own.version,
        )
    with pytest.raises(ValidationFailed) as deletion:
        questionnaires.question_delete(actor=ketenmanager, question=question, expected_version=own.version)

    assert kind_change.value.field_errors["kind"][0].startswith("Deze vraag is al beantwoord: de soort kan niet")
    assert deletion.value.message.startswith("Deze vraag is al beantwoord en kan daarom niet worden verwijderd.")
    question.refresh_from_db()
    assert question.kind == "likert"


def test_an_unanswered_question_is_deleted_and_moved(client, own, ketenmanager):
    client.force_login(ketenmanager)
    first, second, third = own.questions.order_by("order")

    client.post(reverse("reports:question_move", args=[third.pk]), {"direction": "up", "version": own.version})
    client.post(reverse("reports:question_delete", args=[first.pk]), {"version": own.version + 1})

    assert list(own.questions.order_by("order").values_list("text", flat=True)) == [
        "Wat kan beter?",
        "Ik word op tijd geïnformeerd",
    ]


def test_a_retired_question_is_not_asked_but_its_answers_stay_in_the_results(client, own, ketenmanager, professional):
    for _ in range(5):
        assert fill(professional, own, "2").status_code == 302
    question = own.questions.get(order=1)
    client.force_login(ketenmanager)
    client.post(reverse("reports:question_retire", args=[question.pk]), {"retire": "1", "version": own.version})

    c = Client()
    c.force_login(professional)
    fill_page = c.get(reverse("reports:questionnaire_fill", args=[own.code])).content.decode()
    results = client.get(reverse("reports:questionnaire_results", args=[own.code])).content.decode()

    assert "De samenwerking verloopt goed" not in fill_page
    assert "Ik word op tijd geïnformeerd" in fill_page
    # The retired item still shows its 5 answers of 2: 2,0, marked as retired.
    row = results[results.index('data-question="1"') :]
    assert "data-retired" in row[: row.index("</tr>")]
    assert results.count('<td class="utrecht-table__cell" data-mean>2,0</td>') == 2
    # A new fill-in without the retired question is accepted.
    assert fill(professional, own, "5").status_code == 302


def test_changing_the_wording_of_an_answered_question_is_recorded_and_shown(client, own, ketenmanager, professional):
    fill(professional, own)
    question = own.questions.get(order=2)
    client.force_login(ketenmanager)

    response = client.post(
        reverse("reports:question_edit", args=[question.pk]),
        {"kind": "likert", "text": "Ik word tijdig geïnformeerd", "version": own.version},
    )

    assert response.status_code == 302
    change = QuestionnaireChange.objects.get(kind=ChangeKind.QUESTION_TEXT)
    assert (change.question_id, change.previous_text, change.actor_id) == (
        question.pk,
        "Ik word op tijd geïnformeerd",
        ketenmanager.pk,
    )
    results = client.get(reverse("reports:questionnaire_results", args=[own.code])).content.decode()
    assert "Ik word tijdig geïnformeerd" in results
    assert "tekst gewijzigd op" in results and "daarvoor: ‘Ik word op tijd geïnformeerd’" in results


def test_a_stale_page_is_told_and_keeps_the_input(client, own, ketenmanager, beheerder):
    stale = own.version
    add_question(own, beheerder, "Een vraag van de beheerder")
    question = own.questions.get(order=1)
    client.force_login(ketenmanager)

    page = client.post(
        reverse("reports:question_edit", args=[question.pk]),
        {"kind": "likert", "text": "Mijn nieuwe formulering", "version": stale},
    ).content.decode()

    assert "Iemand anders heeft deze vragenlijst intussen gewijzigd." in page
    assert 'value="Mijn nieuwe formulering"' in page
    question.refresh_from_db()
    assert question.text == "De samenwerking verloopt goed"
    with pytest.raises(ConcurrentEdit):
        questionnaires.question_move(actor=ketenmanager, question=question, direction="down", expected_version=stale)


def test_a_questionnaire_is_deleted_only_without_responses_after_confirmation(client, own, ketenmanager, professional):
    client.force_login(ketenmanager)
    delete_url = reverse("reports:questionnaire_delete", args=[own.pk])

    confirm = client.get(delete_url).content.decode()
    assert "Weet u zeker dat u de vragenlijst ‘Tevredenheid ketenpartners’" in confirm
    fill(professional, own)
    refused = client.post(delete_url, {"version": own.version}, follow=True).content.decode()
    assert "Deze vragenlijst is al ingevuld en kan daarom niet worden verwijderd" in refused
    assert Questionnaire.objects.filter(pk=own.pk).exists()

    empty = questionnaires.questionnaire_create(
        actor=ketenmanager, data=questionnaires.QuestionnaireInput(title="Leeg")
    )
    assert client.post(reverse("reports:questionnaire_delete", args=[empty.pk]), {"version": "1"}).status_code == 302
    assert not Questionnaire.objects.filter(pk=empty.pk).exists()
    assert QuestionnaireChange.objects.filter(kind=ChangeKind.DELETED, details__title="Leeg").count() == 1


def test_a_built_in_questionnaire_is_never_deleted(ketenmanager):
    survey = Questionnaire.objects.get(code="partnerenquete")

    with pytest.raises(ValidationFailed):
        questionnaires.questionnaire_delete(actor=ketenmanager, questionnaire=survey, expected_version=survey.version)


def test_the_case_review_is_edited_here_but_never_offered_or_shown_generically(client, ketenmanager, professional):
    review, _ = Questionnaire.objects.get_or_create(code="casusreview", defaults={"title": "Casusreview"})
    question = add_question(review, ketenmanager, "Wat ging goed?", QuestionKind.TEXT)
    client.force_login(ketenmanager)

    assert client.get(reverse("reports:question_edit", args=[question.pk])).status_code == 200
    assert "Casusreview" in client.get(reverse("reports:questionnaire_editor")).content.decode()
    assert client.get(reverse("reports:questionnaire_results", args=["casusreview"])).status_code == 404
    client.force_login(professional)
    assert client.get(reverse("reports:questionnaire_fill", args=["casusreview"])).status_code == 404


@pytest.mark.parametrize("who", ["ketenmanager", "beheerder"])
def test_the_ketenmanager_and_the_beheerder_may_edit(client, request, who, own):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("reports:questionnaire_editor")).status_code == 200
    assert client.get(edit_url(own)).status_code == 200


@pytest.mark.parametrize("who", ["professional", "analyst", "procesregisseur"])
def test_others_are_refused_and_unknown_ids_are_404(client, request, who, own, ketenmanager):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("reports:questionnaire_editor")).status_code == 403
    assert client.get(edit_url(own)).status_code == 403
    assert client.post(reverse("reports:question_delete", args=[own.questions.first().pk])).status_code == 403
    client.force_login(ketenmanager)
    assert client.get(reverse("reports:questionnaire_edit", args=[999999])).status_code == 404
    assert client.get(reverse("reports:question_edit", args=[999999])).status_code == 404


def test_the_editor_page_query_count_does_not_grow_with_the_questions(
    client, own, ketenmanager, django_assert_max_num_queries
):
    client.force_login(ketenmanager)
    with django_assert_max_num_queries(12) as first:
        assert client.get(edit_url(own)).status_code == 200
    pinned = len(first.captured_queries)
    for i in range(10):
        add_question(own, ketenmanager, f"Extra stelling {i}")
    with django_assert_max_num_queries(pinned):
        assert client.get(edit_url(own)).status_code == 200


def test_the_results_page_query_count_does_not_grow_with_the_answers(
    client, own, ketenmanager, professional, django_assert_max_num_queries
):
    fill(professional, own)
    client.force_login(ketenmanager)
    url = reverse("reports:questionnaire_results", args=[own.code])
    # Session, user, second factor, the questionnaire and its questions, the averages, the wording history,
    # the number of responses.
    with django_assert_max_num_queries(13) as first:
        assert client.get(url).status_code == 200
    pinned = len(first.captured_queries)
    for _ in range(6):
        fill(professional, own)
    add_question(own, ketenmanager, "Nog een stelling")
    with django_assert_max_num_queries(pinned):
        assert client.get(url).status_code == 200


def test_an_answer_arriving_between_check_and_delete_gives_a_clear_message(own, ketenmanager, professional):
    question = own.questions.get(order=1)
    assert fill(professional, own).status_code == 302
    own.refresh_from_db()

    # The check saw no answers (as if the answer came in just after it); the PROTECT key still refuses.
    class Unanswered:
        def exists(self):
            return False

    original = Question.answers

    try:
        Question.answers = property(lambda self: Unanswered())
        with pytest.raises(ValidationFailed) as refused:
            questionnaires.question_delete(actor=ketenmanager, question=question, expected_version=own.version)
    finally:
        Question.answers = original

    assert refused.value.message.startswith("Deze vraag is net beantwoord")
    assert Question.objects.filter(pk=question.pk).exists()
    assert not QuestionnaireChange.objects.filter(kind=ChangeKind.QUESTION_DELETED).exists()
