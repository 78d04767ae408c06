"""Issue 12 in the browser: the meeting and the plan without loss or friction.

- Type in three parts of the guide, save a scale score, reload: every text is still there.
- Two browsers edit the same part: the second sees a conflict and keeps its text.
Every page visited is checked with axe-core: no violation of any impact.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"


def _label(text: str) -> re.Pattern:
    """A field's accessible name, with or without the "(verplicht)" marker."""
    return re.compile(rf"^{re.escape(text)}( \(verplicht\))?$")


def _context(browser, live_server):
    # axe-core is injected as an inline script, which the strict CSP rightly blocks: bypass it for these pages.
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(15000)
    return context


@pytest.fixture
def contexts(browser, live_server):
    made = []
    errors: list[str] = []

    def make():
        context = _context(browser, live_server)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        made.append(context)
        return page

    yield make
    for context in made:
        context.close()
    assert not errors, f"JavaScript errors in the browser: {errors}"


def axe_clean(page, name: str) -> None:
    """axe-core finds no violation of any impact on the current page."""
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
    assert not result, f"[{name}] " + json.dumps(result, ensure_ascii=False, indent=1)


def _ensure_overleg_types() -> None:
    import importlib

    from django.apps import apps

    from tafel.meetings.models import OverlegType

    if not OverlegType.objects.filter(code="com").exists():
        importlib.import_module("tafel.meetings.migrations.0002_overleg_types").add_types(apps, None)


def _world():
    """A triaged case in an opened meeting whose discussion has started; two procesregisseurs of the house."""
    from tafel.meetings.tests.factories import held_meeting, triaged
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_case, make_municipality, make_org, make_user

    _ensure_overleg_types()
    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    municipality = make_municipality("Hilversum", max_caseload=50)
    regisseur = make_user(house, Role.PROCESREGISSEUR, username="regisseur", first_name="Ruud", last_name="Regie")
    make_user(house, Role.PROCESREGISSEUR, username="collega", first_name="Cor", last_name="Collega")
    agent = make_user(police, Role.PROFESSIONAL, username="agent", first_name="Anouk", last_name="de Vries")
    case = triaged(make_case(agent, municipality), regisseur)
    _, discussion = held_meeting(regisseur, case, invite=[agent])
    return discussion, agent


@pytest.mark.django_db(transaction=True)
def test_text_in_three_parts_survives_a_scale_score_and_a_reload(contexts):
    discussion, agent = _world()
    page = contexts()
    login(page, "regisseur")
    page.goto(f"/overleggen/agendapunt/{discussion.agenda_item_id}/leidraad/")
    expect(page.get_by_role("navigation", name="Onderdelen van de gespreksleidraad")).to_be_visible()
    axe_clean(page, "gespreksleidraad")

    texts = {
        "deel-vooraf": (
            "Beeld van het gezin (gezinssamenstelling, thuissituatie, leefgebieden)",
            "Moeder, twee kinderen.",
        ),
        "deel-beeldvorming": ("Zorgen: wie is bezorgd om de veiligheid van wie, en waarom?", "De school is bezorgd."),
        "deel-samenwerking": ("Tijdslijn", "Binnen twee weken huisbezoek."),
    }
    for section, (label, text) in texts.items():
        page.locator(f"section#{section}").get_by_label(label, exact=True).fill(text)

    scale = page.locator("section#schaalvraag")
    scale.get_by_label("Wie").select_option(label=f"{agent.get_full_name()} ({agent.organisation})")
    scale.get_by_label("Cijfer (1–10)").select_option("4")
    scale.get_by_label("Onderbouwing").fill("Kans op herhaling is groot.")
    scale.get_by_role("button", name="Score vastleggen").click()
    expect(page.locator("section#schaalvraag").get_by_text("De schaalscore is vastgelegd.")).to_be_visible()
    # The score did not reload the page: the typed text is still in the fields.
    for section, (label, text) in texts.items():
        expect(page.locator(f"section#{section}").get_by_label(label, exact=True)).to_have_value(text)

    page.reload()
    for section, (label, text) in texts.items():
        expect(page.locator(f"section#{section}").get_by_label(label, exact=True)).to_have_value(text)
    expect(page.locator("section#deel-vooraf")).to_contain_text("nog niet is opgeslagen")
    axe_clean(page, "gespreksleidraad met concepten")

    # Saving a part keeps it in the record and clears its draft.
    page.locator("section#deel-vooraf").get_by_role("button", name="‘Vooraf: beeld van het gezin’ opslaan").click()
    expect(page.locator("section#deel-vooraf").get_by_text("Opgeslagen.", exact=True)).to_be_visible()
    discussion.refresh_from_db()
    assert discussion.family_picture == "Moeder, twee kinderen."


@pytest.mark.django_db(transaction=True)
def test_two_editors_of_one_part_the_second_sees_a_conflict_and_keeps_its_text(contexts):
    discussion, _ = _world()
    first, second = contexts(), contexts()
    login(first, "regisseur")
    login(second, "collega")
    url = f"/overleggen/agendapunt/{discussion.agenda_item_id}/leidraad/"
    first.goto(url)
    second.goto(url)
    label = "Zorgen: wie is bezorgd om de veiligheid van wie, en waarom?"

    first.locator("section#deel-beeldvorming").get_by_label(label).fill("Moeder is bang.")
    first.locator("section#deel-beeldvorming").get_by_role("button", name="‘Beeldvorming’ opslaan").click()
    expect(first.locator("section#deel-beeldvorming").get_by_text("Opgeslagen.", exact=True)).to_be_visible()

    part = second.locator("section#deel-beeldvorming")
    part.get_by_label(label).fill("Vader dreigt met geweld.")
    part.get_by_role("button", name="‘Beeldvorming’ opslaan").click()
    part = second.locator("section#deel-beeldvorming")
    expect(part.get_by_role("alert")).to_contain_text("Iemand anders heeft dit onderdeel intussen opgeslagen.")
    expect(part.get_by_label(label)).to_have_value("Vader dreigt met geweld.")
    expect(part).to_contain_text("Moeder is bang.")  # what the other saved, to compare
    axe_clean(second, "gespreksleidraad met conflict")
    discussion.refresh_from_db()
    assert discussion.worries == "Moeder is bang."

    # Saving again after comparing is a deliberate choice and goes through.
    part.get_by_role("button", name="‘Beeldvorming’ opslaan").click()
    expect(second.locator("section#deel-beeldvorming").get_by_text("Opgeslagen.", exact=True)).to_be_visible()
    discussion.refresh_from_db()
    assert discussion.worries == "Vader dreigt met geweld."


@pytest.mark.django_db(transaction=True)
def test_bodemeis_without_guard_is_refused_and_a_failing_plan_needs_a_confirmation(contexts):
    from tafel.meetings import services
    from tafel.meetings.models import Plan

    discussion, agent = _world()
    regisseur = discussion.agenda_item.meeting.chair
    plan = services.plan_start(actor=regisseur, case=discussion.case, meeting=discussion.agenda_item.meeting)
    page = contexts()
    login(page, "regisseur")
    page.goto(f"/overleggen/plan/{plan.pk}/")
    axe_clean(page, "plan (concept)")

    bodemeisen = page.locator("section#bodemeisen")
    bodemeisen.get_by_text("Bodemeis toevoegen").click()
    bodemeisen.get_by_label(_label("Bodemeis")).fill("Geen geweld in het bijzijn van de kinderen.")
    bodemeisen.get_by_label("Voor het gezin", exact=True).check()
    bodemeisen.get_by_role("button", name="Toevoegen").click()
    field = page.locator("section#bodemeisen").locator(".tafel-field--invalid")
    expect(field).to_contain_text("Elke bodemeis heeft een bewaker.")
    # The typed text stays in the form.
    expect(page.locator("section#bodemeisen").get_by_label(_label("Bodemeis"))).to_have_value(
        "Geen geweld in het bijzijn van de kinderen."
    )
    axe_clean(page, "plan met geweigerde bodemeis")

    # The plan fails the quality check: publishing asks for a confirmation with a reason.
    page.goto(f"/overleggen/plan/{plan.pk}/")
    page.get_by_role("button", name="Versie 1 publiceren").click()
    expect(page.get_by_text("Waarom publiceert u dit plan terwijl er nog iets ontbreekt?")).to_be_visible()
    assert Plan.objects.get(pk=plan.pk).is_draft
    axe_clean(page, "plan publiceren geweigerd")
    page.get_by_label("Ik publiceer dit plan bewust, ook al ontbreekt er nog iets").check()
    page.get_by_label("Waarom publiceert u het plan nu toch?").fill("Er is vandaag een plan nodig.")
    page.get_by_role("button", name="Versie 1 publiceren").click()
    expect(page.get_by_text("Versie 1 van het plan is gepubliceerd.")).to_be_visible()
    expect(page.get_by_text("Er is vandaag een plan nodig.")).to_be_visible()
    plan.refresh_from_db()
    assert not plan.is_draft and plan.quality_override_reason == "Er is vandaag een plan nodig."
    axe_clean(page, "plan gepubliceerd")

    # A new version from the plan page, outside the meeting.
    page.get_by_role("button", name="Nieuwe versie maken").click()
    expect(page.get_by_text("Versie 2 staat klaar als concept.")).to_be_visible()
