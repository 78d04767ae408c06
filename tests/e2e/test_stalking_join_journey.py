"""Issue 11, journey 1 — a ZSM stalking case where a second melding joins (practice example: the ZSM stalking
case of the source reports, where the ex-partner first appears as a "betrokkene" in an overlast melding).

The police reported noise and threats at Eva Smit's door; both she and her ex-partner Mark de Vries are
"betrokkene", theme overlast, urgency normaal, and the case runs. The reclassering then reports Mark as
"verdachte" of stalking with urgency hoog. In the browser: the reclassering links the melding to the known
person; the case now shows Mark as verdachte (since today) and urgency hoog, with the history; the
procesregisseur is told and accepts the theme proposal and the reclassering as participant. On the meeting
page, the stalking marker names Eva and Mark — refused while they sit in one client part — and after Eva moves
to the separate part, the planner refuses to put her back with Mark, although neither is "pleger" or
"slachtoffer".
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, logout


def _setup():
    from tafel.cases.models import PersonRole, Theme
    from tafel.cases.services import PersonInput
    from tafel.meetings.tests.factories import triaged
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_case, make_municipality, make_org, make_user
    from tests.e2e.test_meeting_journey import _ensure_overleg_types

    _ensure_overleg_types()
    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    reclassering = make_org("Reclassering Nederland", OrganisationType.RECLASSERING)
    municipality = make_municipality("Hilversum", max_caseload=50)
    regisseur = make_user(house, Role.PROCESREGISSEUR, username="regisseur", first_name="Ruud", last_name="Regie")
    agent = make_user(police, Role.PROFESSIONAL, Role.AANMELDER, username="agent", first_name="Anouk")
    make_user(reclassering, Role.PROFESSIONAL, Role.AANMELDER, username="reclassering", first_name="Rik")
    case = make_case(
        agent,
        municipality,
        title="Overlast en bedreiging aan de deur",
        theme=Theme.OVERLAST,
        persons=[
            PersonInput(
                first_names="Mark",
                last_name="de Vries",
                date_of_birth=datetime.date(1985, 5, 2),
                gender="m",
                role=PersonRole.BETROKKENE,
            ),
            PersonInput(
                first_names="Eva",
                last_name="Smit",
                date_of_birth=datetime.date(1990, 8, 9),
                gender="v",
                role=PersonRole.BETROKKENE,
            ),
        ],
    )
    return regisseur, triaged(case, regisseur)


@pytest.mark.django_db(transaction=True)
def test_joining_melding_changes_roles_and_urgency_and_the_planner_keeps_the_named_persons_apart(page):
    from tafel.meetings.models import CaseMeetingFlags, Invitation
    from tafel.meetings.tests.factories import plan_meeting

    regisseur, case = _setup()

    # --- the reclassering reports Mark as verdachte of stalking ------------------------------------------
    login(page, "reclassering")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuwe aanmelding").click()
    page.get_by_label("Instroomroute").select_option(label="Veldaanmelding")
    page.get_by_label("Thema").select_option(label="Huiselijk geweld / kindermishandeling")
    page.get_by_label("Gemeente").select_option(label="Hilversum")
    page.get_by_label("Korte omschrijving").fill("Ex-partner stalkt na scheiding")
    person = page.get_by_role("group", name="Persoon 1")
    person.get_by_label("Rol in de casus").select_option(label="Verdachte")
    person.get_by_label("Voornamen").fill("Mark")
    person.get_by_label("Tussenvoegsel").fill("de")
    person.get_by_label("Achternaam").press_sequentially("Vries")
    person.get_by_label("Geboortedatum").fill("1985-05-02")
    with page.expect_response(lambda r: "/aanmeldingen/match/" in r.url and r.ok):
        person.get_by_label("Geboortedatum").dispatch_event("change")
    matches = person.get_by_role("region", name="Is deze persoon al bekend?")
    candidate = matches.get_by_role("listitem").filter(has_text="Mark de Vries")
    candidate.get_by_role("button", name=re.compile(r"Mark de Vries$")).click()
    expect(matches.get_by_text("Gekoppeld aan de bestaande persoon Mark de Vries.")).to_be_visible()
    page.get_by_label("Reden van aanmelding").fill("Stalkt zijn ex-partner dagelijks, ook op haar werk.")
    page.get_by_label("Samenvattende analyse: wat speelt er en wat is nodig?").fill(
        "Escalerende stalking na scheiding; toezicht en bescherming nodig."
    )
    page.get_by_role("group", name=re.compile("^Urgentie")).get_by_label("Hoog").check()
    client_knows = page.get_by_role("group", name=re.compile("^Weet de cliënt van deze aanmelding"))
    client_knows.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Aanmelding indienen").click()
    expect(page.get_by_text("Toegevoegd aan lopende casus")).to_be_visible()
    logout(page)

    # --- the procesregisseur sees the case changed and decides the proposals -------------------------------
    login(page, "regisseur")
    page.goto(f"/casussen/{case.pk}/")
    summary = page.locator("dl.tafel-summary")
    expect(summary.get_by_text("Hoog", exact=True)).to_be_visible()
    persons = page.get_by_role("table", name="Personen in de casus")
    mark_row = persons.get_by_role("row").filter(has_text="Mark de Vries")
    expect(mark_row.get_by_text(re.compile(r"^Verdachte \(sinds \d+ \w+\.? \d{4}\)$"))).to_be_visible()
    history = page.get_by_role("table", name="Wijzigingen urgentie, thema en rollen")
    expect(history.get_by_role("row").filter(has_text="Rol: Mark de Vries")).to_contain_text("Betrokkene")
    expect(history.get_by_role("row").filter(has_text="Urgentie")).to_contain_text("Gekoppelde aanmelding")

    proposals = page.locator("section#voorstellen")
    theme = proposals.locator("article").filter(has_text="Ander thema")
    theme.get_by_label("Overnemen").check()
    theme.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Het voorstel is overgenomen.")).to_be_visible()
    expect(page.locator("dl.tafel-summary").get_by_text("Huiselijk geweld / kindermishandeling")).to_be_visible()
    organisation = page.locator("section#voorstellen article").filter(has_text="Reclassering Nederland")
    organisation.get_by_label("Overnemen").check()
    organisation.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("table", name="Deelnemende organisaties")).to_contain_text("Reclassering Nederland")

    # --- the meeting: the stalking marker names both, whatever their roles --------------------------------
    meeting = plan_meeting(regisseur, code="mda", cases=[case])
    item = meeting.agenda_items.get()
    page.goto(f"/overleggen/{meeting.pk}/")
    marker_form = page.locator(f"#markering-{item.pk}")
    page.get_by_text(re.compile(r"^Markering stalking / intiem terrorisme")).click()
    marker_form.get_by_label("Markering").select_option(label="Stalking")
    marker_form.get_by_label(re.compile("^Mark de Vries")).check()
    marker_form.get_by_label(re.compile("^Eva Smit")).check()
    marker_form.get_by_label(re.compile("^Reden")).fill("Ex-partner stalkt; nooit samen aan tafel.")
    marker_form.get_by_role("button", name="Markering vastleggen").click()
    expect(page.get_by_text(re.compile("zitten Eva Smit en Mark de Vries in dezelfde sessie"))).to_be_visible()
    assert not CaseMeetingFlags.objects.filter(case=case, safety_marker="stalking").exists()

    # Eva to the separate client part, then the marker holds.
    page.get_by_text(re.compile(r"^Cliënt uitnodigen of reden vastleggen")).click()
    client_form = page.locator(f"form[action='/overleggen/agendapunt/{item.pk}/client/']")
    client_form.get_by_label(re.compile("^Cliënt( \\(verplicht\\))?$")).select_option(label="Eva Smit (Betrokkene)")
    client_form.get_by_label("Sessie").select_option(label="Apart cliëntdeel")
    client_form.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("De uitnodiging van Eva Smit is vastgelegd.")).to_be_visible()
    page.get_by_text(re.compile(r"^Markering stalking / intiem terrorisme")).click()
    marker_form = page.locator(f"#markering-{item.pk}")
    marker_form.get_by_label("Markering").select_option(label="Stalking")
    marker_form.get_by_label(re.compile("^Mark de Vries")).check()
    marker_form.get_by_label(re.compile("^Eva Smit")).check()
    marker_form.get_by_label(re.compile("^Reden")).fill("Ex-partner stalkt; nooit samen aan tafel.")
    marker_form.get_by_role("button", name="Markering vastleggen").click()
    expect(page.get_by_text("Stalking: Mark de Vries, Eva Smit nooit samen in een sessie").first).to_be_visible()

    # Putting Eva back with Mark is refused, although neither is pleger or slachtoffer.
    page.get_by_text(re.compile(r"^Cliënt uitnodigen of reden vastleggen")).click()
    client_form = page.locator(f"form[action='/overleggen/agendapunt/{item.pk}/client/']")
    client_form.get_by_label(re.compile("^Cliënt( \\(verplicht\\))?$")).select_option(label="Eva Smit (Betrokkene)")
    client_form.get_by_label("Sessie").select_option(label="Cliëntdeel (zonder OM)")
    client_form.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text(re.compile("nooit in dezelfde sessie")).first).to_be_visible()
    parts = dict(
        Invitation.objects.filter(agenda_item=item, is_client=True).values_list("person__first_names", "session_part")
    )
    assert parts["Eva"] != parts["Mark"]
