"""Issue 6 item 5 in the browser: the ketenmanager adds a question to the partner survey in the questionnaire
editor, a professional fills the survey in with the new question, and the ketenmanager reads the results."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, logout

NEW_QUESTION = "De casusregisseur is goed bereikbaar"


def _setup():
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_org, make_user

    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    make_user(house, Role.KETENMANAGER, username="ketenmanager")
    make_user(police, Role.PROFESSIONAL, username="agent")
    return [make_user(police, Role.PROFESSIONAL, username=f"collega{i}") for i in range(4)]


@pytest.mark.django_db(transaction=True)
def test_ketenmanager_adds_a_question_a_professional_answers_it_and_the_results_show_it(page):
    from tafel.reports import learning
    from tafel.reports.models import Questionnaire

    colleagues = _setup()

    login(page, "ketenmanager")
    page.goto("/monitor/vragenlijstbeheer/")
    page.get_by_role("link", name="Vragenlijst deelnemers casusoverleg").click()
    page.get_by_label("Soort vraag").select_option("likert")
    page.get_by_label("Vraag of stelling").fill(NEW_QUESTION)
    page.get_by_label("Betekenis laagste waarde").fill("helemaal oneens")
    page.get_by_label("Betekenis hoogste waarde").fill("helemaal eens")
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_text("De vraag is toegevoegd.")).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile(NEW_QUESTION))).to_be_visible()
    logout(page)

    login(page, "agent")
    page.goto("/monitor/vragenlijsten/partnerenquete/")
    expect(page.get_by_role("group", name=re.compile(NEW_QUESTION))).to_be_visible()
    for radio in page.locator('input[type="radio"][value="4"]').all():
        radio.check()
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_text("Dank u wel: uw antwoorden zijn opgeslagen.")).to_be_visible()
    logout(page)

    # Four colleagues answer every statement with 2: the new statement then averages (4 + 4 × 2) / 5 = 2,4.
    survey = Questionnaire.objects.prefetch_related("questions").get(code="partnerenquete")
    for colleague in colleagues:
        raw = {f"q{q.pk}": "2" for q in learning.current_questions(survey) if q.kind == "likert"}
        learning.response_submit(actor=colleague, questionnaire=survey, raw=raw)

    login(page, "ketenmanager")
    page.goto("/monitor/vragenlijsten/partnerenquete/resultaten/")
    expect(page.locator("[data-total]")).to_have_text("5")
    row = page.get_by_role("row", name=re.compile(NEW_QUESTION))
    expect(row.locator("[data-mean]")).to_have_text("2,4")
