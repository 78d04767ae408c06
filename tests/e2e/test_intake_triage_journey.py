"""The intake-to-triage journey in the browser (the issue's scenario, end to end).

A police professional reports "Pieter Janssen" while Tafel already knows "Pieter Jansen" (same date of birth)
from an earlier, closed case. The live screening shows the match with its score and reasons; the professional
links the aanmelding to that person. The procesregisseur finds the new case under "Te triëren", weighs the
criteria beside the aanmelding and decides "lokaal, reden a"; the aanmelder then sees that decision with its
reason.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, logout

TITLE = "Escalerende ruzies in gezin Janssen"
REASON = "Drie politiemeldingen van huiselijk geweld in twee maanden; de wijkagent maakt zich zorgen."
SUMMARY = "Vader drinkt en slaat; moeder durft geen aangifte te doen. Hulpverlening loopt vast."


def _setup():
    from tafel.cases.models import CaseStatus, PersonRole
    from tafel.cases.services import PersonInput, case_transition
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_case, make_municipality, make_org, make_user

    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    municipality = make_municipality("Hilversum", max_caseload=50)
    agent = make_user(police, Role.PROFESSIONAL, Role.AANMELDER, username="agent", first_name="Anouk")
    regisseur = make_user(house, Role.PROCESREGISSEUR, username="regisseur", first_name="Ruud")
    # The person Tafel already knows: from an earlier case that was not accepted (closed, so a new
    # melding does not join it but starts a new case).
    earlier = make_case(
        agent,
        municipality,
        title="Eerdere melding",
        persons=[
            PersonInput(
                first_names="Pieter",
                last_name="Jansen",
                date_of_birth=datetime.date(1980, 3, 14),
                gender="m",
                role=PersonRole.PLEGER,
            )
        ],
    )
    case_transition(
        actor=regisseur, case=earlier, to_status=CaseStatus.NIET_GEACCEPTEERD, reason="Geen ZVH-problematiek."
    )
    known = earlier.case_persons.get().person
    return agent, regisseur, municipality, known


@pytest.mark.django_db(transaction=True)
def test_veldaanmelding_with_misspelled_name_is_linked_triaged_lokaal_and_shown_to_aanmelder(page):
    from tafel.cases.models import Aanmelding, CaseStatus, CaseStatusChange
    from tafel.persons.models import Person

    agent, regisseur, municipality, known = _setup()
    persons_before = Person.objects.count()

    # --- the police professional submits a veldaanmelding -------------------------------------------------
    login(page, "agent")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuwe aanmelding").click()
    expect(page.get_by_role("heading", name="Nieuwe aanmelding", level=1)).to_be_visible()

    page.get_by_label("Instroomroute").select_option(label="Veldaanmelding")
    page.get_by_label("Thema").select_option(label="Huiselijk geweld / kindermishandeling")
    page.get_by_label("Gemeente").select_option(label="Hilversum")
    page.get_by_label("Korte omschrijving").fill(TITLE)

    person = page.get_by_role("group", name="Persoon 1")
    person.get_by_label("Rol in de casus").select_option(label="Pleger")
    person.get_by_label("Voornamen").fill("Pieter")
    # Typed the way a user types (keyup → the live screening asks the server who is known).
    person.get_by_label("Achternaam").press_sequentially("Janssen")
    person.get_by_label("Geboortedatum").fill("1980-03-14")
    with page.expect_response(lambda r: "/aanmeldingen/match/" in r.url and r.ok):
        person.get_by_label("Geboortedatum").dispatch_event("change")

    # The live match: the existing person, with score level and the reasons.
    matches = person.get_by_role("region", name="Is deze persoon al bekend?")
    expect(matches.get_by_text("1 persoon gevonden die hierop lijkt.")).to_be_visible()
    candidate = matches.get_by_role("listitem").filter(has_text="Pieter Jansen")
    expect(candidate).to_be_visible()
    expect(candidate.get_by_text("14 mrt. 1980")).to_be_visible()
    expect(candidate.get_by_text(re.compile(r"hoog · \d{2}"))).to_be_visible()
    expect(candidate.get_by_text("achternaam lijkt sterk · voornaam gelijk · geboortedatum gelijk")).to_be_visible()

    # The button's name changes from "Koppel aan deze persoon" to "Gekoppeld ✓" once pressed.
    link_button = candidate.get_by_role("button", name=re.compile(r"Pieter Jansen$"))
    expect(link_button).to_have_accessible_name(re.compile(r"^Koppel aan deze persoon\s*: Pieter Jansen$"))
    link_button.click()
    expect(link_button).to_have_attribute("aria-pressed", "true")
    expect(link_button).to_have_accessible_name(re.compile(r"^Gekoppeld ✓\s*: Pieter Jansen$"))
    expect(matches.get_by_text("Gekoppeld aan de bestaande persoon Pieter Jansen.")).to_be_visible()

    page.get_by_label("Reden van aanmelding").fill(REASON)
    page.get_by_label("Samenvattende analyse: wat speelt er en wat is nodig?").fill(SUMMARY)
    client_knows = page.get_by_role("group", name=re.compile("^Weet de cliënt van deze aanmelding"))
    client_knows.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Aanmelding indienen").click()

    expect(page.get_by_text("Uw aanmelding is ingediend.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Aanmelding \d+$"), level=1)).to_be_visible()
    expect(page.get_by_text("Het huis heeft nog geen besluit genomen.")).to_be_visible()
    logout(page)

    # --- the procesregisseur triages ----------------------------------------------------------------------
    login(page, "regisseur")
    to_triage = page.locator("section#te-trieren")
    expect(to_triage.get_by_role("heading", name=re.compile("Te triëren"))).to_be_visible()
    row = to_triage.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_be_visible()
    expect(row.get_by_text("Aangemeld, wacht op triage")).to_be_visible()
    row.get_by_role("link", name=re.compile(r"^Triëren")).click()

    expect(page.get_by_role("heading", name=re.compile(r"^Triage van casus ZVH-\d{4}-\d{6}$"))).to_be_visible()
    # The aanmelding is shown beside the criteria.
    aanmelding = page.get_by_role("region", name="Aanmelding", exact=True)
    expect(aanmelding.get_by_text(REASON)).to_be_visible()
    expect(aanmelding.get_by_text("Pieter Jansen")).to_be_visible()
    besluit = page.get_by_role("region", name="Besluit", exact=True)
    expect(besluit.get_by_role("heading", name="Criteria")).to_be_visible()
    left, right = aanmelding.bounding_box(), besluit.bounding_box()
    assert left["x"] + left["width"] <= right["x"], "the aanmelding is not shown beside the criteria"

    verdicts = {"a": "Voldoet niet", "b": "Voldoet", "c": "Voldoet", "d": "Voldoet", "e": "Voldoet"}
    arguments = {
        "a": "Problemen vooral op één leefgebied; geen ketenoverstijgende aanpak nodig.",
        "b": "Wijkteam en Veilig Thuis hebben het lokaal geprobeerd.",
        "c": "Dreiging van escalatie binnen weken.",
        "d": "Politie en reclassering zijn betrokken.",
        "e": "De aanmelding is volledig.",
    }
    for code, verdict in verdicts.items():
        group = besluit.get_by_role("group", name=re.compile(rf"^{code}\. "))
        group.get_by_label(verdict, exact=True).check()
        besluit.get_by_label(f"Argument bij criterium {code}").fill(arguments[code])

    besluit.get_by_role("group", name=re.compile("^Uitkomst")).get_by_label("Lokaal oppakken").check()
    lokaal_reason = besluit.get_by_label("Reden voor lokaal oppakken")
    expect(lokaal_reason).to_be_visible()
    lokaal_reason.select_option(label="a. niet (zeer) complex")
    besluit.get_by_label("Toelichting aan de aanmelder").fill("Het wijkteam pakt dit op met de huisarts.")
    besluit.get_by_role("button", name="Besluit vastleggen").click()

    expect(page.get_by_text("Triagebesluit vastgelegd: Lokaal oppakken.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Casus ZVH-"), level=1)).to_be_visible()
    expect(page.locator(".tafel-summary").get_by_text("Lokaal opgepakt")).to_be_visible()
    logout(page)

    # --- the aanmelder sees the decision and its reason ---------------------------------------------------
    login(page, "agent")
    mine = page.get_by_role("region", name=re.compile("^Mijn aanmeldingen"))
    row = mine.get_by_role("row").filter(has_text="Besluit genomen")
    expect(row).to_be_visible()
    expect(row.get_by_text("Besluit: Lokaal oppakken. Reden: a. niet (zeer) complex.")).to_be_visible()
    row.get_by_role("link", name=re.compile(r"^Aanmelding \d+$")).click()

    status = page.get_by_role("region", name="Status en besluit")
    expect(status.get_by_text("Besluit genomen")).to_be_visible()
    expect(status.get_by_role("heading", name="Besluit en reden")).to_be_visible()
    expect(status.get_by_text("Besluit: Lokaal oppakken. Reden: a. niet (zeer) complex.")).to_be_visible()
    expect(status.get_by_text("Het wijkteam pakt dit op met de huisarts.")).to_be_visible()

    # --- and in the database ------------------------------------------------------------------------------
    new = Aanmelding.objects.select_related("case").get(case__title=TITLE)
    linked = list(new.persons.values_list("person_id", flat=True))
    assert linked == [known.pk], "the aanmelding must link the existing person"
    assert Person.objects.count() == persons_before, "no duplicate person may be created"
    assert Person.objects.filter(last_name__in=["Jansen", "Janssen"]).count() == 1
    assert new.case.status == CaseStatus.LOKAAL
    change = CaseStatusChange.objects.filter(case=new.case, to_status=CaseStatus.LOKAAL).get()
    assert change.from_status == CaseStatus.AANGEMELD
    assert change.actor == regisseur
    assert "reden a" in change.reason
