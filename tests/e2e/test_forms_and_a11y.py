"""Forms and accessibility in the browser.

(a) The aanmeldformulier refuses incomplete or wrong input with an error summary and Dutch messages at the
    fields, and keeps what was typed.
(b) axe-core finds no serious or critical violations on the main pages (the rest is printed).
(c) The login form works with the keyboard alone.
"""

import datetime
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = {"minor", "moderate", "serious", "critical"}


def _actors(with_case: bool = False):
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_case, make_municipality, make_org, make_user

    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    municipality = make_municipality("Hilversum")
    agent = make_user(police, Role.PROFESSIONAL, Role.AANMELDER, username="agent")
    make_user(house, Role.PROCESREGISSEUR, username="regisseur")
    return make_case(agent, municipality) if with_case else None


# --- (a) the aanmeldformulier -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_empty_aanmelding_shows_error_summary_and_dutch_messages_at_the_fields(page):
    from tafel.cases.models import Aanmelding

    _actors()
    login(page, "agent")
    page.goto("/aanmeldingen/nieuw/")
    page.get_by_role("button", name="Aanmelding indienen").click()

    summary = page.get_by_role("alert").filter(has_text="Controleer het formulier")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # so a screen reader announces it and the keyboard starts there
    expect(summary.get_by_text(re.compile(r"Er zijn \d+ punten die aandacht nodig hebben\."))).to_be_visible()
    field_messages = {
        "Instroomroute": "Kies een instroomroute.",
        "Thema": "Kies een thema.",
        "Gemeente": "Kies de gemeente.",
        "Reden van aanmelding": "Vul de reden van aanmelding in.",
        "Samenvattende analyse: wat speelt er en wat is nodig?": (
            "Vul de samenvattende analyse in: wat speelt er en wat is nodig?"
        ),
    }
    for label, message in field_messages.items():
        expect(summary.get_by_role("link", name=message)).to_be_visible()
        field = page.locator(".tafel-field").filter(has=page.get_by_label(label))
        expect(field.get_by_text(message)).to_be_visible()
        expect(page.get_by_label(label)).to_have_attribute("aria-invalid", "true")
    client = page.get_by_role("group", name=re.compile("^Weet de cliënt van deze aanmelding"))
    expect(client.get_by_text("Geef aan of de cliënt van de aanmelding weet.")).to_be_visible()
    expect(page.get_by_text("Voeg ten minste één persoon toe.").first).to_be_visible()

    # A summary link leads to its field.
    summary.get_by_role("link", name="Vul de reden van aanmelding in.").click()
    expect(page.get_by_label("Reden van aanmelding")).to_be_focused()

    # Input is kept: fill part of the form, leave the rest empty, submit again.
    page.get_by_label("Instroomroute").select_option(label="Veldaanmelding")
    page.get_by_label("Korte omschrijving").fill("Zorgen om buurman")
    page.get_by_label("Reden van aanmelding").fill("Verward gedrag en bedreigingen in de flat.")
    page.get_by_role("group", name=re.compile("^Urgentie")).get_by_label("Hoog").check()
    page.get_by_role("button", name="Aanmelding indienen").click()

    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name="Kies een instroomroute.")).to_have_count(0)
    expect(summary.get_by_role("link", name="Kies een thema.")).to_be_visible()
    expect(page.get_by_label("Instroomroute")).to_have_value("veld")
    expect(page.get_by_label("Korte omschrijving")).to_have_value("Zorgen om buurman")
    expect(page.get_by_label("Reden van aanmelding")).to_have_value("Verward gedrag en bedreigingen in de flat.")
    expect(page.get_by_role("group", name=re.compile("^Urgentie")).get_by_label("Hoog")).to_be_checked()
    assert not Aanmelding.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_future_date_of_birth_and_invalid_bsn_are_refused_at_the_fields(page):
    from tafel.cases.models import Aanmelding
    from tafel.persons.models import Person

    _actors()
    login(page, "agent")
    page.goto("/aanmeldingen/nieuw/")
    page.get_by_label("Instroomroute").select_option(label="Veldaanmelding")
    page.get_by_label("Thema").select_option(label="Ernstige overlast")
    page.get_by_label("Gemeente").select_option(label="Hilversum")
    page.get_by_label("Reden van aanmelding").fill("Ernstige overlast en bedreiging van buren.")
    page.get_by_label("Samenvattende analyse: wat speelt er en wat is nodig?").fill("Zorg en politie samen nodig.")
    page.get_by_role("group", name=re.compile("^Weet de cliënt")).get_by_label("Ja", exact=True).check()

    future = datetime.date.today() + datetime.timedelta(days=400)
    person = page.get_by_role("group", name="Persoon 1")
    person.get_by_label("Rol in de casus").select_option(label="Verdachte")
    person.get_by_label("Voornamen").fill("Kees")
    person.get_by_label("Achternaam").fill("Visser")
    person.get_by_label("Geboortedatum").fill(future.isoformat())
    person.get_by_label("BSN").fill("123456789")
    page.get_by_role("button", name="Aanmelding indienen").click()

    summary = page.get_by_role("alert").filter(has_text="Controleer het formulier")
    expect(summary).to_be_visible()
    expect(
        summary.get_by_role("link", name="Persoon 1: De geboortedatum kan niet in de toekomst liggen.")
    ).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile(r"^Persoon 1: Dit is geen geldig BSN"))).to_be_visible()
    expect(summary.get_by_role("listitem")).to_have_count(2)

    person = page.get_by_role("group", name="Persoon 1")
    dob_field = person.locator(".tafel-field").filter(has=page.get_by_label("Geboortedatum"))
    expect(dob_field.get_by_text("De geboortedatum kan niet in de toekomst liggen.")).to_be_visible()
    bsn_field = person.locator(".tafel-field").filter(has=page.get_by_label("BSN"))
    expect(bsn_field.get_by_text("Dit is geen geldig BSN (de elfproef klopt niet).")).to_be_visible()
    expect(person.get_by_label("Geboortedatum")).to_have_attribute("aria-invalid", "true")
    expect(person.get_by_label("BSN")).to_have_attribute("aria-invalid", "true")
    # A screen reader hears the message when it reaches the field.
    expect(person.get_by_label("Geboortedatum")).to_have_accessible_description(
        re.compile("De geboortedatum kan niet in de toekomst liggen.")
    )
    expect(person.get_by_label("BSN")).to_have_accessible_description(re.compile("de elfproef klopt niet"))

    # What was typed is still there.
    expect(person.get_by_label("Geboortedatum")).to_have_value(future.isoformat())
    expect(person.get_by_label("BSN")).to_have_value("123456789")
    expect(person.get_by_label("Achternaam")).to_have_value("Visser")
    expect(page.get_by_label("Gemeente")).to_have_value(re.compile(r"^\d+$"))
    assert not Aanmelding.objects.exists()
    assert not Person.objects.exists()


# --- (b) axe-core -----------------------------------------------------------------------------------------


@pytest.fixture
def axe_page(browser, live_server):
    """Like `page`, but with the page's CSP bypassed: axe-core is injected as an inline script, which the
    strict policy (script-src 'self') rightly blocks. Only this test needs it."""
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the browser: {errors}"


def _axe(page, name: str) -> list[str]:
    """Run axe-core on the current page; print minor/moderate findings, return serious/critical ones."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
            }));
        }"""
    )
    blocking = []
    for v in result:
        line = f"[{name}] {v['impact']}: {v['id']} — {v['help']} {json.dumps(v['nodes'])}"
        if v["impact"] in BLOCKING_IMPACTS:
            blocking.append(line)
        else:
            print(line)
    return blocking


@pytest.mark.django_db(transaction=True)
def test_axe_finds_no_serious_or_critical_violations(axe_page):
    page = axe_page
    case = _actors(with_case=True)
    found: list[str] = []

    page.goto("/login/")
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    found += _axe(page, "login")

    login(page, "agent")
    page.goto("/aanmeldingen/nieuw/")
    expect(page.get_by_role("heading", name="Nieuwe aanmelding", level=1)).to_be_visible()
    found += _axe(page, "aanmeldformulier")
    # With the live screening result in the page (the case's own "Pieter Janssen", known in an open case),
    # and again in the refused state with the error summary.
    person = page.get_by_role("group", name="Persoon 1")
    person.get_by_label("Voornamen").fill("Pieter")
    person.get_by_label("Achternaam").fill("Janssen")
    # Outside the house screening needs the date of birth too (issue 10, finding 3).
    person.get_by_label("Geboortedatum").fill("1980-03-14")
    with page.expect_response(lambda r: "/aanmeldingen/match/" in r.url and r.ok):
        person.get_by_label("Achternaam").dispatch_event("change")
    expect(person.get_by_role("button", name=re.compile("Pieter Janssen$"))).to_be_visible()
    found += _axe(page, "aanmeldformulier met screening")
    page.get_by_role("button", name="Aanmelding indienen").click()
    expect(page.get_by_role("alert").filter(has_text="Controleer het formulier")).to_be_visible()
    found += _axe(page, "aanmeldformulier met fouten")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login/**")

    login(page, "regisseur")
    expect(page.get_by_role("heading", name="Werkvoorraad")).to_be_visible()
    expect(page.get_by_role("link", name=f"Triëren {case.reference}")).to_be_visible()
    found += _axe(page, "werkvoorraad")

    page.goto(f"/casussen/{case.pk}/")
    expect(page.get_by_role("heading", name=f"Casus {case.reference}")).to_be_visible()
    found += _axe(page, "casus")

    page.goto(f"/casussen/{case.pk}/triage/")
    expect(page.get_by_role("heading", name=f"Triage van casus {case.reference}")).to_be_visible()
    found += _axe(page, "triage")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("alert").filter(has_text="Controleer het formulier")).to_be_visible()
    found += _axe(page, "triage met fouten")

    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)


# --- (c) keyboard ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_login_form_can_be_completed_with_the_keyboard(page):
    _actors()
    page.goto("/login/")
    username = page.get_by_label("Gebruikersnaam")
    password = page.get_by_label("Wachtwoord")
    expect(username).to_be_focused()  # autofocus: the user can start typing at once

    page.keyboard.type("agent")
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    page.keyboard.type("testpass-Tafel-2026")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Inloggen")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(password).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url("**/werkvoorraad/**")
    expect(page.get_by_role("heading", name="Werkvoorraad")).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_skip_link_is_the_first_tab_stop_and_leads_to_the_content(page):
    _actors()
    login(page, "agent")  # the werkvoorraad has no autofocused field: Tab starts at the top
    page.reload()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown on focus
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
