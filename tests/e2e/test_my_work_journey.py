"""Issue 11, journey 3 — a meeting whose invitees answer and update their actions from their own "Mijn werk"
(practice example: the Actieoverleg on child abuse from the source reports, with the school's intern begeleider
at the table, and the agreement that police and Veilig Thuis visit the family together).

The procesregisseur has sent the invitations for the next Actieoverleg. In the browser: the Veilig Thuis worker
accepts and confirms the joint home visit as done — the action waits for the police; the wijkagent sends a
colleague in her place and confirms the visit, which is then done; the school declines, first without a reason
(refused at the field), then with one; the colleague finds the invitation in his own "Mijn werk"; the chair
finds the answers in Berichten.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, logout

VISIT = "Samen huisbezoek bij gezin Bakker"


def _setup():
    from django.utils import timezone

    from tafel.meetings import services
    from tafel.meetings.models import ActionType
    from tafel.meetings.tests.factories import held_meeting, join_case, plan_meeting, triaged
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_case, make_municipality, make_org, make_user
    from tests.e2e.test_meeting_journey import _ensure_overleg_types

    _ensure_overleg_types()
    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    vt = make_org("Veilig Thuis Gooi", OrganisationType.VEILIG_THUIS)
    school = make_org("Basisschool De Regenboog", OrganisationType.ZORG)
    municipality = make_municipality("Hilversum", max_caseload=50)
    regisseur = make_user(house, Role.PROCESREGISSEUR, username="regisseur", first_name="Ruud", last_name="Regie")
    agent = make_user(
        police, Role.PROFESSIONAL, Role.AANMELDER, username="agent", first_name="Anouk", last_name="Visser"
    )
    make_user(police, Role.PROFESSIONAL, username="collega", first_name="Cor", last_name="Jansen")
    vt_worker = make_user(vt, Role.PROFESSIONAL, username="vt", first_name="Vera", last_name="Thuis")
    ib = make_user(school, Role.PROFESSIONAL, username="school", first_name="Ingrid", last_name="Boer")
    case = triaged(make_case(agent, municipality, title="Zorgen om Thomas (8)"), regisseur)
    join_case(case, vt, regisseur)
    join_case(case, school, regisseur)

    first, _ = held_meeting(regisseur, case, invite=[agent, vt_worker])
    plan = services.plan_start(actor=regisseur, case=case, meeting=first)
    services.plan_update(
        actor=regisseur,
        plan=plan,
        data={"goals": "Thomas is thuis veilig.", "casusregisseur": vt_worker.pk},
    )
    services.plan_action_add(
        actor=regisseur,
        plan=plan,
        data=services.ActionInput(
            what=VISIT,
            type=ActionType.TOWARDS_FAMILY,
            owner=agent.pk,
            co_owner=vt_worker.pk,
            deadline=timezone.localdate() + timezone.timedelta(days=7),
            rationale="Vier ogen: dreiging van vader.",
        ),
    )
    services.plan_publish(actor=regisseur, plan=plan, quality_reason="Alleen de huisbezoekactie is nu afgesproken.")

    meeting = plan_meeting(regisseur, code="actieoverleg", cases=[case], days=10)
    for user in (agent, vt_worker, ib):
        services.invitation_add(actor=regisseur, meeting=meeting, user=user)
    services.meeting_send_invitations(actor=regisseur, meeting=meeting)
    return meeting, case


def _my_work(page):
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn werk").click()
    expect(page.get_by_role("heading", name="Mijn werk", level=1)).to_be_visible()


def _invitation(page):
    return page.locator("section#uitnodigingen article").filter(has_text="Actieoverleg")


@pytest.mark.django_db(transaction=True)
def test_invitees_accept_decline_and_substitute_and_update_their_actions_from_my_work(page):
    from tafel.meetings.models import Action, Invitation

    meeting, case = _setup()

    # --- Veilig Thuis accepts and confirms the joint visit ---------------------------------------------------
    login(page, "vt")
    _my_work(page)
    invitation = _invitation(page)
    expect(invitation).to_contain_text("Nog geen antwoord")
    invitation.get_by_label("Ik kom", exact=True).check()
    invitation.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_text("Uw antwoord is doorgegeven aan de voorzitter.")).to_be_visible()
    expect(_invitation(page)).to_contain_text("Komt")
    row = page.get_by_role("table", name="Mijn acties").get_by_role("row").filter(has_text=VISIT)
    expect(row).to_contain_text("Vier ogen: Anouk Visser en Vera Thuis")
    row.get_by_label("Status").select_option(label="Gedaan")
    row.get_by_label(re.compile("^Uitkomst")).fill("Thuis bezocht; moeder werkt mee.")
    row.get_by_role("button", name="Bijwerken").click()
    expect(page.get_by_text("De actie is bijgewerkt.")).to_be_visible()
    row = page.get_by_role("table", name="Mijn acties").get_by_role("row").filter(has_text=VISIT)
    expect(row.get_by_text("U bevestigde gedaan; wacht op de tweede eigenaar")).to_be_visible()
    assert Action.objects.get(what=VISIT).status == "open"
    logout(page)

    # --- the wijkagent sends a colleague and confirms the visit ----------------------------------------------
    login(page, "agent")
    _my_work(page)
    invitation = _invitation(page)
    invitation.get_by_label("Ik stuur een collega").check()
    invitation.get_by_label("Collega die in uw plaats komt").select_option(label="Cor Jansen")
    invitation.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_text("Uw antwoord is doorgegeven aan de voorzitter.")).to_be_visible()
    row = page.get_by_role("table", name="Mijn acties").get_by_role("row").filter(has_text=VISIT)
    expect(row.get_by_text("De andere eigenaar bevestigde gedaan; bevestigt u ook?")).to_be_visible()
    row.get_by_label("Status").select_option(label="Gedaan")
    row.get_by_role("button", name="Bijwerken").click()
    expect(page.get_by_text("De actie is bijgewerkt.")).to_be_visible()
    assert Action.objects.get(what=VISIT).status == "gedaan"
    logout(page)

    # --- the school declines, first without a reason ---------------------------------------------------------
    login(page, "school")
    _my_work(page)
    invitation = _invitation(page)
    invitation.get_by_label("Ik kom niet").check()
    invitation.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_text("Laat weten waarom u niet komt.").first).to_be_visible()
    invitation = _invitation(page)
    invitation.get_by_label("Ik kom niet").check()
    invitation.get_by_label(re.compile("^Reden")).fill("Schoolreis met groep 5.")
    invitation.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_text("Uw antwoord is doorgegeven aan de voorzitter.")).to_be_visible()
    expect(_invitation(page)).to_contain_text("Schoolreis met groep 5.")
    logout(page)

    # --- the colleague finds the invitation in his own Mijn werk ---------------------------------------------
    login(page, "collega")
    _my_work(page)
    expect(_invitation(page)).to_contain_text("U komt in de plaats van Anouk Visser.")
    logout(page)

    # --- the chair reads the answers in Berichten --------------------------------------------------------------
    login(page, "regisseur")
    page.get_by_test_id("notification-bell").click()
    expect(page.get_by_text(re.compile("Anouk Visser komt niet .*; Cor Jansen komt in de plaats."))).to_be_visible()
    expect(page.get_by_text(re.compile("Ingrid Boer komt niet"))).to_be_visible()
    responses = dict(
        Invitation.objects.filter(meeting=meeting, is_client=False).values_list("user__username", "response")
    )
    assert responses == {"agent": "substituted", "vt": "accepted", "school": "declined", "collega": "pending"}
