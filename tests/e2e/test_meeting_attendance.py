"""Issue 12, item 5 in the browser: the chair opens the meeting (it is open, not yet held), records the
attendance of every invitee in one form with one save, and closes the meeting after a confirmation. Every
page visited is checked with axe-core: no violation of any impact."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_guide_and_plan import _context, _ensure_overleg_types, axe_clean


def _setup():
    from tafel.meetings import services
    from tafel.meetings.tests.factories import join_case, plan_meeting, triaged
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_case, make_municipality, make_org, make_user

    _ensure_overleg_types()
    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    ggz = make_org("GGZ Centraal", OrganisationType.GGZ)
    municipality = make_municipality("Hilversum", max_caseload=50)
    regisseur = make_user(house, Role.PROCESREGISSEUR, username="regisseur", first_name="Ruud", last_name="Regie")
    agent = make_user(police, Role.PROFESSIONAL, username="agent", first_name="Anouk", last_name="de Vries")
    case = triaged(make_case(agent, municipality), regisseur)
    join_case(case, ggz, regisseur)
    behandelaar = make_user(ggz, Role.PROFESSIONAL, username="behandelaar", first_name="Bea", last_name="Bakker")
    meeting = plan_meeting(regisseur, cases=[case], days=0)
    for user in (agent, behandelaar):
        services.invitation_add(actor=regisseur, meeting=meeting, user=user)
    return meeting, [agent, behandelaar]


@pytest.mark.django_db(transaction=True)
def test_attendance_of_all_invitees_in_one_form_and_the_chair_closes_the_meeting(browser, live_server):
    from tafel.meetings.models import Attendance, Invitation, MeetingStatus

    meeting, invitees = _setup()
    context = _context(browser, live_server)
    page = context.new_page()
    try:
        login(page, "regisseur")
        page.goto(f"/overleggen/{meeting.pk}/")
        page.get_by_role("button", name="Openen met deze privacy-opening").click()
        expect(page.get_by_text("Het overleg is geopend; de privacy-opening is vastgelegd.")).to_be_visible()
        status = page.locator(".tafel-summary").get_by_text("Geopend", exact=True)
        expect(status).to_be_visible()
        axe_clean(page, "overleg geopend")

        sheet = page.get_by_role("table", name="Aanwezigheid van alle genodigden")
        rows = Invitation.objects.filter(meeting=meeting, invited=True).count()
        expect(sheet.get_by_role("combobox")).to_have_count(rows)  # professionals and the invited client
        sheet.get_by_label(f"Aanwezigheid {invitees[0].get_full_name()}").select_option(label="Aanwezig")
        sheet.get_by_label(f"Aanwezigheid {invitees[1].get_full_name()}").select_option(label="Afgemeld")
        posts = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        page.get_by_role("button", name="Aanwezigheid opslaan").click()
        expect(page.get_by_text("De aanwezigheid is opgeslagen.")).to_be_visible()
        assert len([u for u in posts if u.endswith("/aanwezigheid/")]) == 1
        saved = dict(Invitation.objects.filter(meeting=meeting, user__in=invitees).values_list("user", "attendance"))
        assert saved == {invitees[0].pk: Attendance.PRESENT, invitees[1].pk: Attendance.EXCUSED}
        sheet = page.get_by_role("table", name="Aanwezigheid van alle genodigden")
        expect(sheet.get_by_label(f"Aanwezigheid {invitees[1].get_full_name()}")).to_have_value("excused")

        # Closing asks for a confirmation; without it the meeting stays open.
        close = page.locator("#sluiten")
        close.get_by_role("button", name="Overleg sluiten").click()
        expect(page.get_by_text("Bevestig dat u het overleg sluit.")).to_be_visible()
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.OPEN
        axe_clean(page, "overleg sluiten zonder bevestiging")
        page.locator("#sluiten").get_by_label("Ja, het overleg is afgelopen", exact=False).check()
        page.locator("#sluiten").get_by_role("button", name="Overleg sluiten").click()
        expect(page.get_by_text("Het overleg is gesloten en staat nu als gehouden geregistreerd.")).to_be_visible()
        expect(page.locator(".tafel-summary").get_by_text("Gehouden", exact=True)).to_be_visible()
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.HELD
        axe_clean(page, "overleg gehouden")
    finally:
        context.close()
