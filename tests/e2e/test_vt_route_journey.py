"""Issue 11, journey 2 — the Veilig Thuis route end to end (practice example: the Veilig Thuis melding about
elderly parents from the source reports; a son is suspected of taking their money and of threats at night).

The wijkagent reports through the ordinary form on the route "Politiemelding aan Veilig Thuis"; Veilig Thuis
sees the melding at once (no 404), asks the police for dat-informatie, and reads the answer — known, whom to
call, and a note about two night visits — on the case and in its timeline. Veilig Thuis then hands the melding
over to the wijkteam in a warm handover; the wijkteam is told and now sees the case.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, logout

NOTE = "Twee nachtelijke bezoeken van de zoon in mei; ouders durfden niet open te doen."


def _setup():
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_municipality, make_org, make_user

    make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    vt = make_org("Veilig Thuis Gooi", OrganisationType.VEILIG_THUIS)
    wijkteam = make_org("Wijkteam Hilversum-Oost", OrganisationType.GEMEENTE)
    make_municipality("Hilversum", max_caseload=50)
    make_user(police, Role.PROFESSIONAL, Role.AANMELDER, username="agent", first_name="Wim", last_name="Willems")
    make_user(vt, Role.PROFESSIONAL, username="vt", first_name="Vera", last_name="Thuis")
    make_user(wijkteam, Role.PROFESSIONAL, username="wijkteam", first_name="Gert", last_name="Coach")


@pytest.mark.django_db(transaction=True)
def test_police_melding_reaches_veilig_thuis_is_enriched_and_handed_over_to_the_wijkteam(page):
    from tafel.cases.models import Case

    _setup()

    # --- the wijkagent reports to Veilig Thuis ------------------------------------------------------------
    login(page, "agent")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuwe aanmelding").click()
    page.get_by_label("Instroomroute").select_option(label="Politiemelding aan Veilig Thuis")
    page.get_by_label("Thema").select_option(label="Huiselijk geweld / kindermishandeling")
    page.get_by_label("Gemeente").select_option(label="Hilversum")
    page.get_by_label("Korte omschrijving").fill("Zorgen om ouder echtpaar De Groot")
    person = page.get_by_role("group", name="Persoon 1")
    person.get_by_label("Rol in de casus").select_option(label="Slachtoffer")
    person.get_by_label("Voornamen").fill("Johanna")
    person.get_by_label("Achternaam").fill("de Groot")
    person.get_by_label("Geboortedatum").fill("1941-02-11")
    page.get_by_label("Reden van aanmelding").fill("Zoon neemt geld af en bedreigt zijn ouders 's nachts.")
    page.get_by_label("Samenvattende analyse: wat speelt er en wat is nodig?").fill(
        "Financieel misbruik en dreiging; ouders afhankelijk van zoon. Veiligheid en hulp nodig."
    )
    client_knows = page.get_by_role("group", name=re.compile("^Weet de cliënt van deze aanmelding"))
    client_knows.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Aanmelding indienen").click()
    expect(page.get_by_text("Uw aanmelding is ingediend.")).to_be_visible()
    logout(page)
    case = Case.objects.get(title="Zorgen om ouder echtpaar De Groot")

    # --- Veilig Thuis sees it at once and asks the police for dat-informatie ------------------------------
    login(page, "vt")
    response = page.goto(f"/casussen/{case.pk}/opvolging/")
    assert response.status == 200
    enrich = page.locator(f"form[action='/casussen/{case.pk}/opvolging/verrijking/']")
    enrich.get_by_label("Politie Midden-Nederland").check()
    enrich.get_by_role("button", name="Verzoek versturen").click()
    expect(page.get_by_text("1 verzoek om dat-informatie verstuurd.")).to_be_visible()
    logout(page)

    # --- the police answers: known, whom to call, a note ---------------------------------------------------
    login(page, "agent")
    page.goto("/verrijking/")
    request = page.locator("article").filter(has_text=case.reference)
    request.get_by_label("Bekend", exact=True).check()
    request.get_by_label("Contactpersoon").fill("W. Willems, wijkagent, 06-11112222")
    request.get_by_label(re.compile("^Toelichting")).fill(NOTE)
    request.get_by_role("button", name="Antwoorden").click()
    expect(page.get_by_text("Uw antwoord is verstuurd.")).to_be_visible()
    logout(page)

    # --- Veilig Thuis reads the answer on the case and in the timeline, then hands over -------------------
    login(page, "vt")
    page.goto(f"/casussen/{case.pk}/opvolging/")
    vt_section = page.locator("section#veilig-thuis")
    expect(vt_section.get_by_text(re.compile("Politie Midden-Nederland.*bekend — W. Willems"))).to_be_visible()
    expect(vt_section.get_by_text(re.compile("Twee nachtelijke bezoeken"))).to_be_visible()
    page.goto(f"/casussen/{case.pk}/tijdlijn/")
    expect(page.get_by_text("Dat-informatie: bekend bij Politie Midden-Nederland", exact=False).first).to_be_visible()
    expect(page.get_by_text(NOTE).first).to_be_visible()

    page.goto(f"/casussen/{case.pk}/opvolging/")
    decision = page.locator(f"form[action='/casussen/{case.pk}/opvolging/veilig-thuis/']")
    decision.get_by_label("Veiligheidsrisico").select_option(label="Midden")
    decision.get_by_label("Route").select_option(label="Overdracht aan het lokale veld")
    decision.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Aan welke organisatie wordt de melding overgedragen?").first).to_be_visible()
    decision = page.locator(f"form[action='/casussen/{case.pk}/opvolging/veilig-thuis/']")
    decision.get_by_label("Veiligheidsrisico").select_option(label="Midden")
    decision.get_by_label("Route").select_option(label="Overdracht aan het lokale veld")
    decision.get_by_label("Overdragen aan organisatie").select_option(label="Wijkteam Hilversum-Oost")
    decision.get_by_label("Contactpersoon daar").fill("G. Coach")
    decision.get_by_label("Datum warme overdracht").fill(datetime.date.today().isoformat())
    decision.get_by_label("Aanwezig bij de warme overdracht").fill("Mevrouw De Groot, G. Coach, V. Thuis")
    decision.get_by_label("Onderbouwing").fill("Ouders willen hulp; wijkteam kan schuldhulp en steun bieden.")
    decision.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Het besluit van Veilig Thuis is vastgelegd.")).to_be_visible()
    expect(
        page.locator("section#veilig-thuis").get_by_text(re.compile("Overgedragen aan Wijkteam Hilversum-Oost"))
    ).to_be_visible()
    logout(page)

    # --- the wijkteam is told and sees the case ------------------------------------------------------------
    login(page, "wijkteam")
    page.get_by_test_id("notification-bell").click()
    expect(
        page.get_by_text(re.compile(f"melding {case.reference} aan Wijkteam Hilversum-Oost overgedragen"))
    ).to_be_visible()
    response = page.goto(f"/casussen/{case.pk}/")
    assert response.status == 200
    expect(page.get_by_role("heading", name=f"Casus {case.reference}", level=1)).to_be_visible()
