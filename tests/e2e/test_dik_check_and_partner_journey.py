"""Issue 11 items 5–7 in Chromium (practice example: the ZSM stalking case from the source reports — the
police report repeated stalking of an ex-partner; the GGZ treated the suspect earlier but is no longer
involved).

The case is put on the next Casus-op-Maat agenda, which gives the police a DIK-check per person. In the
browser: the wijkagent answers one check from "Mijn werk" (first without choosing, refused at the field);
the chair sees on the meeting page that it is done and that the other person still waits; the procesregisseur
takes the GGZ out of the case with a reason (first without one, refused), after which the GGZ worker gets a
404 on the case; the follow-up overview keeps the filter the procesregisseur chose.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, logout
from tests.e2e.test_forms_and_a11y import _axe, axe_page  # noqa: F401  (the fixture)


def _setup():
    import datetime

    from tafel.cases.models import PersonRole
    from tafel.cases.services import PersonInput
    from tafel.meetings.tests.factories import join_case, plan_meeting, triaged
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_case, make_municipality, make_org, make_user
    from tests.e2e.test_meeting_journey import _ensure_overleg_types

    _ensure_overleg_types()
    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    ggz = make_org("GGZ Centraal", OrganisationType.GGZ)
    municipality = make_municipality("Hilversum", max_caseload=50)
    regisseur = make_user(house, Role.PROCESREGISSEUR, username="regisseur", first_name="Ruud", last_name="Regie")
    agent = make_user(
        police, Role.PROFESSIONAL, Role.AANMELDER, username="agent", first_name="Anouk", last_name="Visser"
    )
    make_user(ggz, Role.PROFESSIONAL, username="ggz", first_name="Gerrit", last_name="Zorg")
    case = make_case(
        agent,
        municipality,
        title="Stalking ex-partner",
        persons=[
            PersonInput(
                first_names="Mark",
                last_name="de Wit",
                date_of_birth=datetime.date(1985, 3, 4),
                gender="m",
                role=PersonRole.PLEGER,
            ),
            PersonInput(
                first_names="Lotte",
                last_name="Smit",
                date_of_birth=datetime.date(1988, 9, 12),
                gender="v",
                role=PersonRole.SLACHTOFFER,
            ),
        ],
    )
    case = triaged(case, regisseur)
    join_case(case, ggz, regisseur)
    meeting = plan_meeting(regisseur, cases=[case], days=7)
    return case, meeting


@pytest.mark.django_db(transaction=True)
def test_police_check_then_partner_removed_then_follow_up_filter(page):
    from tafel.meetings.models import PoliceCheck

    case, meeting = _setup()
    assert PoliceCheck.objects.filter(case=case).count() == 2

    # --- the wijkagent answers the DIK-check for Mark de Wit -----------------------------------------------
    login(page, "agent")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn werk").click()
    section = page.locator("section#dik-check")
    expect(section).to_contain_text("DIK-check voor het overleg")
    mark = section.locator("article").filter(has_text="Mark de Wit")
    expect(mark).to_contain_text("Nog te doen")
    mark.get_by_role("button", name="DIK-check doorgeven").click()
    expect(page.get_by_text("Geef aan of deze persoon bij de politie bekend is.").first).to_be_visible()
    mark = page.locator("section#dik-check article").filter(has_text="Mark de Wit")
    mark.get_by_label("Bekend", exact=True).check()
    mark.get_by_label("Aandachtspunten voor het overleg").fill(
        "Eerder contactverbod overtreden; niet alleen op huisbezoek."
    )
    mark.get_by_role("button", name="DIK-check doorgeven").click()
    expect(page.get_by_text("De DIK-check is doorgegeven aan de voorzitter.")).to_be_visible()
    expect(page.locator("section#dik-check article").filter(has_text="Mark de Wit")).to_contain_text("Gedaan")
    logout(page)

    # --- the chair sees per person whether the check is done -----------------------------------------------
    login(page, "regisseur")
    page.goto(f"/overleggen/{meeting.pk}/")
    checks = page.locator("section#dik-check")
    expect(checks.locator("li").filter(has_text="Mark de Wit")).to_contain_text(
        "gedaan: bekend bij de politie; aandachtspunten: Eerder contactverbod overtreden"
    )
    expect(checks.locator("li").filter(has_text="Lotte Smit")).to_contain_text(
        "nog niet gedaan door Politie Midden-Nederland"
    )

    # --- the GGZ is taken out of the case, with a reason ---------------------------------------------------
    page.goto(f"/casussen/{case.pk}/")
    page.locator("section#organisaties tr").filter(has_text="GGZ Centraal").get_by_role(
        "link", name="Uit de casus halen"
    ).click()
    expect(page.get_by_role("heading", name="GGZ Centraal uit de casus halen")).to_be_visible()
    confirm = page.get_by_role("button", name="Ja, GGZ Centraal uit de casus halen")
    confirm.click()
    expect(page.get_by_text("Waarom neemt deze organisatie niet meer deel?")).to_be_visible()
    page.get_by_label("Reden").fill("GGZ-behandeling van Mark is afgesloten.")
    page.get_by_role("button", name="Ja, GGZ Centraal uit de casus halen").click()
    expect(page.get_by_text("GGZ Centraal neemt niet meer deel aan de casus")).to_be_visible()

    # --- the follow-up overview keeps the chosen filter ----------------------------------------------------
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Opvolging").click()
    expect(page.get_by_label("Van wie")).to_have_value("mij")
    page.get_by_label("Van wie").select_option(label="Iedereen")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_label("Van wie")).to_have_value("alle")
    logout(page)

    # --- the GGZ no longer sees the case ------------------------------------------------------------------
    login(page, "ggz")
    response = page.goto(f"/casussen/{case.pk}/")
    assert response.status == 404


@pytest.mark.django_db(transaction=True)
def test_axe_finds_no_serious_violations_on_the_new_pages(axe_page):  # noqa: F811 (the imported fixture)
    page = axe_page
    case, meeting = _setup()
    found: list[str] = []
    login(page, "agent")
    page.goto("/overleggen/mijn-werk/")
    expect(page.locator("section#dik-check")).to_be_visible()
    found += _axe(page, "mijn werk met DIK-check")
    logout(page)
    login(page, "regisseur")
    for name, url in (
        ("opvolging", "/opvolging/?eigenaar=alle"),
        ("overleg met DIK-check", f"/overleggen/{meeting.pk}/"),
        (
            "organisatie uit de casus",
            f"/casussen/{case.pk}/organisaties/{case.participations.last().organisation_id}/verwijderen/",
        ),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        found += _axe(page, name)
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
