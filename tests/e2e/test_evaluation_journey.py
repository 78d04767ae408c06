"""The casusevaluatie in the browser (issue 6 item 5, SPEC §5.5).

The procesregisseur opens a closed family case, starts a casusevaluatie on its timeline, fills in one moment
(first naming a child: refused at the field with the role to use, the text kept; then with the role label),
adds a lesson with an improvement action owned by the police professional and finalises. The owner logs in
and reports the action done.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, logout

NAMED = "Lotte werd pas na drie weken gehoord."
BY_ROLE = "Kind 1 werd pas na drie weken gehoord."


def _label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}( \(verplicht\))?$")


def _closed_case():
    from tafel.evaluations.tests.factories import closed_family_case
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_municipality, make_org, make_user

    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    municipality = make_municipality("Hilversum", max_caseload=50)
    agent = make_user(police, Role.PROFESSIONAL, Role.AANMELDER, username="agent", first_name="Anouk")
    regisseur = make_user(house, Role.PROCESREGISSEUR, username="regisseur", first_name="Ruud")
    return closed_family_case(agent, municipality, regisseur), agent


@pytest.mark.django_db(transaction=True)
def test_regisseur_evaluates_a_closed_case_and_the_owner_reports_the_action_done(page):
    from tafel.evaluations.models import Evaluation, EvaluationStatus, ImprovementStatus

    case, agent = _closed_case()

    # --- start the evaluation from the case page ---------------------------------------------------------
    login(page, "regisseur")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("link", name="Casusevaluatie", exact=True).click()
    page.get_by_role("link", name="Casusevaluatie starten").click()
    expect(page.get_by_label("Melding (Veldaanmelding)", exact=False).first).to_be_checked()
    page.get_by_role("button", name="Casusevaluatie starten").click()
    expect(page.get_by_text("De casusevaluatie is gestart.")).to_be_visible()
    expect(page.get_by_test_id("evaluation-status")).to_have_text("Concept")
    expect(page.get_by_test_id("role-labels")).to_contain_text("kind 1")

    # --- a moment: a name is refused at the field, the text stays ------------------------------------------
    moment = page.get_by_test_id("moment-1")
    moment.get_by_text("Invullen").click()
    moment.get_by_label("Wat ging goed", exact=True).fill("Snel een eerste overleg.")
    moment.get_by_label("Wat ging niet goed", exact=True).fill(NAMED)
    moment.get_by_role("button", name="Moment opslaan").click()
    moment = page.get_by_test_id("moment-1")
    error = "Noem personen bij hun rol: gebruik ‘kind 1’ in plaats van de naam."
    expect(moment.locator(".tafel-error-message")).to_contain_text(error)
    expect(page.locator("#error-summary")).to_contain_text(error)
    field = moment.get_by_label("Wat ging niet goed", exact=True)
    expect(field).to_have_value(NAMED)
    expect(moment.get_by_label("Wat ging goed", exact=True)).to_have_value("Snel een eerste overleg.")
    field.fill(BY_ROLE)
    moment.get_by_role("button", name="Moment opslaan").click()
    expect(page.get_by_text("Het moment is opgeslagen.")).to_be_visible()
    expect(page.get_by_test_id("moment-1")).to_contain_text(BY_ROLE)

    # --- a lesson with an improvement action --------------------------------------------------------------
    new_lesson = page.locator("#les-toevoegen")
    new_lesson.get_by_label(_label("Les")).fill("Veiligheid eerder samen duiden in een actieoverleg.")
    new_lesson.get_by_role("button", name="Les opslaan").click()
    lesson = page.get_by_test_id("lesson-1")
    expect(lesson).to_contain_text("Veiligheid eerder samen duiden")
    lesson.get_by_text("Verbeteractie toevoegen").click()
    lesson.get_by_label(_label("Verbeteractie")).fill("Actieoverleg met de gedragswetenschapper organiseren")
    owner = lesson.get_by_label(_label("Eigenaar"))
    owner.select_option(label="Anouk Test (Politie Midden-Nederland)")
    due = datetime.date.today() + datetime.timedelta(days=30)
    lesson.get_by_label(_label("Uiterlijk")).fill(due.isoformat())
    lesson.get_by_role("button", name="Verbeteractie opslaan").click()
    expect(page.get_by_text("De verbeteractie is toegevoegd.")).to_be_visible()
    expect(page.get_by_test_id("lesson-1")).to_contain_text("Actieoverleg met de gedragswetenschapper")

    # --- finalise -----------------------------------------------------------------------------------------
    page.get_by_role("button", name="Evaluatie afronden").click()
    expect(page.get_by_text("De casusevaluatie is afgerond.")).to_be_visible()
    expect(page.get_by_test_id("evaluation-status")).to_have_text("Afgerond")
    expect(page.get_by_role("button", name="Les opslaan")).to_have_count(0)
    logout(page)

    # --- the owner reports the action done -----------------------------------------------------------------
    login(page, "agent")
    page.goto("/verbeteracties/")
    overview = page.get_by_test_id("improvement-actions")
    expect(overview).to_contain_text(case.reference)
    overview.get_by_role("link", name=re.compile("Actieoverleg met de gedragswetenschapper")).click()
    page.get_by_label("Status").select_option(label="Gedaan")
    page.get_by_label("Resultaat").fill("Actieoverleg gehouden; afspraken over ‘veiligheid’ vastgelegd.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De verbeteractie is bijgewerkt.")).to_be_visible()
    expect(page.get_by_test_id("improvement-status")).to_contain_text("Gedaan")

    evaluation = Evaluation.objects.get(case=case)
    assert evaluation.status == EvaluationStatus.AFGEROND
    assert evaluation.moments.filter(went_wrong=BY_ROLE).exists()
    action = evaluation.improvement_actions.get()
    assert action.owner == agent and action.status == ImprovementStatus.DONE
