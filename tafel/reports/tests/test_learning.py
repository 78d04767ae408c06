"""Learning instruments (SPEC §5.5): the built-in questionnaires, filling one in, and the averages per item
with small cells suppressed for analysts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tafel.organisations.models import Role
from tafel.reports.models import QuestionKind, Questionnaire, Response
from tafel.testing import make_user


def _url(name, code="partnerenquete"):
    return reverse(f"reports:{name}", kwargs={"code": code})


def _answers(questionnaire, score: int, minutes: str = "30") -> dict[str, str]:
    data = {}
    for q in questionnaire.questions.all():
        if q.kind == QuestionKind.NUMBER:
            data[f"q{q.pk}"] = minutes
        elif q.kind == QuestionKind.TEXT:
            data[f"q{q.pk}"] = "De korte lijnen met de politie."
        else:
            data[f"q{q.pk}"] = str(score)
    return data


def test_built_in_questionnaires_are_shipped(db):
    kinds = {
        q.code: [question.kind for question in q.questions.all()]
        for q in Questionnaire.objects.prefetch_related("questions")
    }
    survey = kinds["partnerenquete"]
    assert 8 <= survey.count(QuestionKind.LIKERT) <= 10
    assert survey.count(QuestionKind.NUMBER) == 3
    assert kinds["sessie-professional"] == [QuestionKind.SCALE10] * 4
    assert kinds["sessie-client"] == [QuestionKind.SCALE10] * 4


def test_professional_fills_in_the_partner_survey(client, professional):
    questionnaire = Questionnaire.objects.get(code="partnerenquete")
    client.force_login(professional)
    assert "Het huidige doel van het overleg is helder" in client.get(_url("questionnaire_fill")).content.decode()
    response = client.post(_url("questionnaire_fill"), _answers(questionnaire, 4))
    assert response.status_code == 302
    saved = Response.objects.get(respondent=professional)
    assert saved.answers.count() == questionnaire.questions.count()


def test_missing_or_out_of_range_answers_are_refused_at_the_question(client, professional):
    questionnaire = Questionnaire.objects.get(code="partnerenquete")
    first = questionnaire.questions.first()
    data = _answers(questionnaire, 4)
    data[f"q{first.pk}"] = "6"
    client.force_login(professional)
    page = client.post(_url("questionnaire_fill"), data).content.decode()
    assert "Vul een getal van 1 tot en met 5 in." in page
    del data[f"q{first.pk}"]
    assert "Kies een antwoord." in client.post(_url("questionnaire_fill"), data).content.decode()
    assert not Response.objects.exists()


def test_results_show_averages_per_item_worked_out_by_hand(client, house, professional, procesregisseur):
    questionnaire = Questionnaire.objects.get(code="partnerenquete")
    for i, score in enumerate((1, 2, 3, 4, 5)):
        c = client.__class__()
        c.force_login(make_user(house, Role.PROFESSIONAL, username=f"prof{i}"))
        assert c.post(_url("questionnaire_fill"), _answers(questionnaire, score)).status_code == 302
    client.force_login(procesregisseur)
    page = client.get(_url("questionnaire_results")).content.decode()
    # (1 + 2 + 3 + 4 + 5) / 5 = 3.0 on each statement; the estimates were 30 minutes each time.
    likert = questionnaire.questions.filter(kind=QuestionKind.LIKERT).count()
    assert page.count('<td class="utrecht-table__cell" data-mean>3,0</td>') == likert
    assert page.count('<td class="utrecht-table__cell" data-mean>30,0</td>') == 3
    assert "<strong data-total>5</strong>" in page
    # Open answers never reach the results page.
    assert "De korte lijnen met de politie." not in page


def test_analyst_sees_small_cells_suppressed(client, professional, analyst, procesregisseur):
    questionnaire = Questionnaire.objects.get(code="partnerenquete")
    client.force_login(professional)
    client.post(_url("questionnaire_fill"), _answers(questionnaire, 2))
    client.force_login(analyst)
    page = client.get(_url("questionnaire_results")).content.decode()
    assert "<strong data-total>&lt;5</strong>" in page
    assert "2,0" not in page and "×" in page
    client.force_login(procesregisseur)
    assert "data-mean>2,0<" in client.get(_url("questionnaire_results")).content.decode()


@pytest.mark.parametrize("who", ["analyst", "beheerder"])
def test_aggregate_readers_cannot_fill_in(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url("questionnaire_fill")).status_code == 403


def test_professional_cannot_read_results_and_unknown_questionnaire_is_404(client, professional, procesregisseur):
    client.force_login(professional)
    assert client.get(_url("questionnaire_results")).status_code == 403
    assert client.get(_url("questionnaire_fill", "bestaat-niet")).status_code == 404


def test_survey_averages_show_on_the_dashboard(client, professional, ketenmanager):
    questionnaire = Questionnaire.objects.get(code="partnerenquete")
    client.force_login(professional)
    client.post(_url("questionnaire_fill"), _answers(questionnaire, 3))
    client.force_login(ketenmanager)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Vragenlijst deelnemers casusoverleg" in page
    # The ketenmanager reads aggregates only: one response is a small cell.
    assert "<strong data-survey-total>&lt;5</strong>" in page
    assert "data-survey-mean>3,0<" not in page


def test_the_questionnaire_index_offers_standalone_questionnaires_with_the_users_last_time(client, professional):
    client.force_login(professional)
    before = client.get(reverse("reports:questionnaire_index"))
    assert before.status_code == 200
    page = before.content.decode()
    assert "Vragenlijst deelnemers casusoverleg" in page
    assert "sessie-professional" not in page and "casusreview" not in page
    assert "nog niet ingevuld" in page

    survey = Questionnaire.objects.get(code="partnerenquete")
    Response.objects.create(questionnaire=survey, respondent=professional, submitted_at=timezone.now())
    after = client.get(reverse("reports:questionnaire_index")).content.decode()
    assert "ingevuld op" in after
