"""After the meeting, in the browser (the lifecycle issue's scenario, end to end).

A police professional reports a broken bodemeis on the case's follow-up page; the guard and the procesregisseur
see it behind the bell and the case lands on the next meeting's agenda. An escalation runs through step 5 with
the directors' 10-day clock on the page. A case is closed with an afsluitingsplan, goes under follow-up, and a
new melding about one of its persons reopens it; the timeline still shows what came before.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, logout

BREACH = "Vader was gisteravond dronken thuis terwijl de kinderen er waren."
AFSLUITINGSPLAN = "Bij nieuw geweld belt Veilig Thuis dezelfde dag de procesregisseur; casus direct terug op de agenda."


def _overleg_types():
    """Transactional tests flush the database, taking the overleg types of the data migration with them."""
    from importlib import import_module

    from django.apps import apps

    import_module("tafel.meetings.migrations.0002_overleg_types").add_types(apps, None)


def _running_case():
    """A police case accepted by the house, discussed in a held meeting, with a published plan whose bodemeis
    is guarded by a second police professional."""
    from tafel.lifecycle.tests.factories import running_case
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_case, make_municipality, make_org, make_user

    _overleg_types()
    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    municipality = make_municipality("Hilversum", max_caseload=50)
    agent = make_user(police, Role.PROFESSIONAL, Role.AANMELDER, username="agent", first_name="Anouk")
    regisseur = make_user(house, Role.PROCESREGISSEUR, username="regisseur", first_name="Ruud")
    guard = make_user(police, Role.PROFESSIONAL, Role.CASUSREGISSEUR, username="bewaker", first_name="Bram")
    case, _ = running_case(make_case(agent, municipality), regisseur, agent, guard=guard)
    return case, agent, regisseur, guard, municipality


def _bell(page):
    return page.get_by_test_id("notification-bell")


@pytest.mark.django_db(transaction=True)
def test_broken_bodemeis_notifies_guard_and_regisseur_and_agendas_the_next_meeting(page):
    from tafel.lifecycle.models import Notification, NotificationKind
    from tafel.lifecycle.tests.factories import plan_meeting
    from tafel.meetings.models import AgendaItem

    case, agent, regisseur, guard, _ = _running_case()
    next_meeting = plan_meeting(regisseur, days=7)

    # --- the professional reports the broken bodemeis ------------------------------------------------------
    login(page, "agent")
    page.goto(f"/casussen/{case.pk}/opvolging/")
    section = page.get_by_role("region", name="Bodemeis niet nagekomen")
    choice = section.get_by_label("Bodemeis")
    option = choice.locator("option", has_text="Geen geweld in het bijzijn van de kinderen")
    expect(option).to_contain_text("bewaker")
    choice.select_option(value=option.get_attribute("value"))
    section.get_by_label("Wat is er gebeurd?").fill(BREACH)
    section.get_by_role("button", name="Melden").click()
    expect(
        page.get_by_text("De melding is verstuurd aan de bewaker van de bodemeis en de procesregisseur.")
    ).to_be_visible()
    logout(page)

    # --- the guard sees it behind the bell ------------------------------------------------------------------
    login(page, "bewaker")
    expect(_bell(page).locator(".tafel-bell__count")).to_have_text("1")
    _bell(page).click()
    expect(page.get_by_test_id("notifications")).to_contain_text(re.compile("bodemeis niet nagekomen", re.I))
    logout(page)

    # --- so does the procesregisseur, and the case is on the next meeting's agenda ---------------------------
    login(page, "regisseur")
    expect(_bell(page).locator(".tafel-bell__count")).to_have_text("1")
    page.goto(f"/overleggen/{next_meeting.pk}/")
    expect(page.get_by_role("link", name=case.reference, exact=True)).to_be_visible()

    notified = set(Notification.objects.filter(kind=NotificationKind.BREACH).values_list("user_id", flat=True))
    assert notified == {guard.pk, regisseur.pk}
    assert AgendaItem.objects.filter(case=case, meeting=next_meeting).exists()


@pytest.mark.django_db(transaction=True)
def test_escalation_runs_to_the_directors_with_the_ten_day_clock(page):
    from tafel.lifecycle import services
    from tafel.lifecycle.models import EscalationStep

    case, agent, regisseur, _, _ = _running_case()
    escalation = services.escalation_start(actor=agent, case=case, reason="Onenigheid over de casusregie")

    login(page, "regisseur")
    page.goto(f"/escalaties/{escalation.pk}/")
    step = page.get_by_test_id("escalation-step")
    expect(step).to_contain_text("1. Gemeld bij de procesregisseur")
    expect(page.get_by_test_id("escalation-clock")).to_have_count(0)

    notes = {2: "Gesprekken gevoerd", 3: "Voorstel besproken", 4: "GGZ maakt bezwaar", 5: "Directeuren geïnformeerd"}
    for number, note in notes.items():
        if number == 3:  # leaving step 2 takes the proposal
            page.get_by_label("Voorstel", exact=True).fill("Politie neemt de casusregie")
            until = datetime.date.today() + datetime.timedelta(days=90)
            page.get_by_label("Periode tot").fill(until.isoformat())
            page.get_by_label("Deeltaken binnen").fill("Contact gezin")
            page.get_by_label("Deeltaken buiten").fill("Schuldhulp")
        page.get_by_label("Toelichting").fill(note)
        page.get_by_role("button", name="Naar de volgende stap").click()
        expect(step).to_contain_text(str(EscalationStep(number).label))

    clock = page.get_by_test_id("escalation-clock")
    expect(clock).to_be_visible()
    expect(clock).to_contain_text("Termijn directeuren")
    expect(clock).to_contain_text("nog 10 dagen")
    escalation.refresh_from_db()
    assert escalation.step == EscalationStep.DIRECTORS
    assert escalation.directors_deadline - escalation.directors_informed_at == datetime.timedelta(days=10)


@pytest.mark.django_db(transaction=True)
def test_closed_case_under_follow_up_is_reopened_by_a_new_melding_with_history(page):
    from tafel.cases.models import CasePerson, CaseStatus, PersonRole
    from tafel.cases.services import PersonInput, aanmelding_create
    from tafel.lifecycle.models import Closure
    from tafel.testing import aanmelding_input

    case, agent, regisseur, _, municipality = _running_case()

    # --- the procesregisseur closes the case with an afsluitingsplan ----------------------------------------
    login(page, "regisseur")
    page.goto(f"/casussen/{case.pk}/opvolging/")
    status = page.get_by_test_id("case-status")
    expect(status).to_have_text("ZVH-aanpak loopt")
    close = page.locator("#close-form")
    close.get_by_label("Iedereen die zorg nodig heeft").check()
    close.get_by_label("Alle partners zijn op de hoogte").check()
    close.get_by_label("Afsluitingsplan:").fill(AFSLUITINGSPLAN)
    close.get_by_label("Is het gezamenlijke doel bereikt?").select_option("bereikt")
    close.get_by_label("Reden", exact=True).fill("Doelen bereikt")
    # The plan still has an open action: closing asks why it happens now anyway (issue 12, item 4).
    expect(page.locator("#closure-guard")).to_contain_text("open acties")
    close.get_by_label("Waarom sluit u toch nu af?").fill("De open actie gaat lokaal verder.")
    close.get_by_role("button", name="Afsluiten").click()
    expect(page.get_by_text("De casus is afgesloten.")).to_be_visible()
    expect(status).to_have_text("Volgen op afstand")
    expect(page.get_by_role("region", name="Afsluiten, afschalen, opschalen")).to_contain_text("volgen op afstand tot")
    expect(page.get_by_role("region", name="Afsluiten, afschalen, opschalen")).to_contain_text("doel: bereikt")
    assert Closure.objects.get(case=case).goal_reached == "bereikt"

    # --- a new melding about one of its persons reopens it ------------------------------------------------
    person = CasePerson.objects.filter(case=case).first().person
    data = aanmelding_input(municipality, persons=[PersonInput(existing_person_id=person.pk, role=PersonRole.PLEGER)])
    result = aanmelding_create(actor=agent, data=data)
    assert result.joined_existing and result.case.pk == case.pk

    page.reload()
    expect(status).to_have_text("ZVH-aanpak loopt")
    page.get_by_role("link", name="Tijdlijn").click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_be_visible()
    for kind in ("melding", "overleg", "plan", "afsluiting", "status"):
        expect(timeline.locator(f"li.tafel-timeline__item--{kind}").first).to_be_visible()
    expect(timeline.locator("li.tafel-timeline__item--melding")).to_have_count(2)
    expect(timeline).to_contain_text("Afgesloten, volgen op afstand tot")
    expect(timeline).to_contain_text("Heropend: nieuwe melding over een persoon in een casus onder volgen op afstand.")

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    assert Closure.objects.filter(case=case, afsluitingsplan=AFSLUITINGSPLAN).exists()


@pytest.mark.django_db(transaction=True)
def test_closing_with_an_open_escalation_is_refused(page):
    """Issue 12, item 4: while the partners are stuck (an escalation runs) the case is not closed."""
    from tafel.cases.models import CaseStatus
    from tafel.lifecycle import services
    from tafel.lifecycle.models import Closure

    case, agent, _, _, _ = _running_case()
    services.escalation_start(actor=agent, case=case, reason="Onenigheid over de casusregie")
    login(page, "regisseur")
    page.goto(f"/casussen/{case.pk}/opvolging/")
    expect(page.locator("#closure-guard")).to_contain_text("Er loopt een escalatie")
    close = page.locator("#close-form")
    close.get_by_label("Iedereen die zorg nodig heeft").check()
    close.get_by_label("Afsluitingsplan:").fill(AFSLUITINGSPLAN)
    close.get_by_label("Is het gezamenlijke doel bereikt?").select_option("bereikt")
    close.get_by_label("Reden", exact=True).fill("Doelen bereikt")
    close.get_by_role("button", name="Afsluiten").click()
    expect(page.get_by_role("alert").filter(has_text="Er loopt een escalatie").first).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("ZVH-aanpak loopt")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF and not Closure.objects.filter(case=case).exists()
