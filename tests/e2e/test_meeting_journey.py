"""The case meeting (Casus-op-Maat) in the browser: the issue's "must hold", end to end.

The procesregisseur plans a COM for a triaged case and invites three named people; one professional gives a
pre-meeting update; the meeting is held with the guide in phase directe veiligheid (two scale scores with a
rationale), the plan gets one bodemeis with a guard and three actions of different types and is published;
the verslag downloads as a PDF and the family view shows the actions in plain language. The same steps as
tafel/meetings/tests/test_views_journey.py, through the same pages.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, logout

COM = "Casus-op-Maat (COM) / focusoverleg"
UPDATE = "Vader is weer thuis."
FAMILY_WORRIES = "We maken ons zorgen over de ruzies thuis."


def _label(text: str) -> re.Pattern:
    """A field's accessible name, with or without the "(verplicht)" marker."""
    return re.compile(rf"^{re.escape(text)}( \(verplicht\))?$")


def _ensure_overleg_types() -> None:
    """The overleg types come from a data migration; a transactional test before this one flushed them."""
    import importlib

    from django.apps import apps

    from tafel.meetings.models import OverlegType

    if not OverlegType.objects.filter(code="com").exists():
        importlib.import_module("tafel.meetings.migrations.0002_overleg_types").add_types(apps, None)


def _setup():
    from tafel.meetings.tests.factories import join_case, triaged
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_case, make_municipality, make_org, make_user

    _ensure_overleg_types()
    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    ggz = make_org("GGZ Centraal", OrganisationType.GGZ)
    municipality = make_municipality("Hilversum", max_caseload=50)
    regisseur = make_user(house, Role.PROCESREGISSEUR, username="regisseur", first_name="Ruud", last_name="Regie")
    agent = make_user(
        police, Role.PROFESSIONAL, Role.AANMELDER, username="agent", first_name="Anouk", last_name="de Vries"
    )
    case = triaged(make_case(agent, municipality), regisseur)
    join_case(case, ggz, regisseur)
    behandelaar = make_user(ggz, Role.PROFESSIONAL, username="behandelaar", first_name="Bea", last_name="Bakker")
    wijkagent = make_user(police, Role.PROFESSIONAL, username="wijkagent", first_name="Wim", last_name="Willems")
    return regisseur, agent, behandelaar, wijkagent, case


def _choice(user) -> str:
    """How a person is offered in the pick lists: name and organisation."""
    return f"{user.get_full_name()} ({user.organisation})"


def _open_meeting(page) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overleggen").click()
    expect(page.get_by_role("heading", name="Overleggen", level=1)).to_be_visible()
    page.get_by_role("table", name="Geplande overleggen").get_by_role("row").filter(has_text=COM).get_by_role(
        "link"
    ).click()
    expect(page.get_by_role("heading", name=COM, level=1)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_com_is_planned_held_with_the_guide_and_ends_in_a_published_plan_verslag_and_family_view(page):
    from django.core import mail
    from django.utils import timezone

    from tafel.meetings.models import (
        Action,
        ActionType,
        Bodemeis,
        CaseDiscussion,
        Invitation,
        Meeting,
        MeetingStatus,
        Plan,
        PreMeetingUpdate,
        ScaleScore,
    )

    regisseur, agent, behandelaar, wijkagent, case = _setup()
    ref = case.reference
    day = timezone.localdate() + datetime.timedelta(days=10)
    invitees = (agent, behandelaar, wijkagent)

    # --- the procesregisseur plans a COM and puts the case on the agenda -----------------------------------
    login(page, "regisseur")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overleggen").click()
    page.get_by_role("link", name="Overleg plannen").click()
    expect(page.get_by_role("heading", name="Overleg plannen", level=1)).to_be_visible()
    page.get_by_label("Soort overleg").select_option(label=COM)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Tijd").fill("10:00")
    page.get_by_label("Plaats").fill("ZVH zaal 1")
    page.get_by_role("button", name="Plannen").click()

    expect(page.get_by_text("Het overleg is gepland. Zet nu de casussen op de agenda.")).to_be_visible()
    expect(page.get_by_role("heading", name=COM, level=1)).to_be_visible()
    expect(page.get_by_text("ZVH zaal 1")).to_be_visible()
    agenda_form = page.locator("form#agenda-toevoegen")
    agenda_form.get_by_label(_label("Casus")).select_option(label=f"{ref} — {case.title}")
    agenda_form.get_by_role("button", name="Op de agenda zetten").click()
    expect(page.get_by_text(f"Casus {ref} staat op de agenda.")).to_be_visible()
    agenda = page.get_by_role("table", name="Agenda")
    expect(agenda.get_by_role("row").filter(has_text=ref)).to_contain_text("Directe veiligheid")

    # --- three named people are invited; who knows the client is proposed first ---------------------------
    expect(page.locator("#voorstel")).to_contain_text("meldde de casus aan")
    invite_form = page.locator("form#uitnodigen")
    for user in invitees:
        invite_form.get_by_label(_label("Wie")).select_option(label=_choice(user))
        invite_form.get_by_role("button", name="Uitnodigen").click()
        expect(page.get_by_text(f"{user.get_full_name()} is uitgenodigd.")).to_be_visible()
    participants = page.get_by_role("table", name="Uitgenodigde professionals")
    for user in invitees:
        expect(participants.get_by_role("rowheader", name=user.get_full_name())).to_be_visible()
    page.get_by_role("button", name="Versturen aan wie nog geen uitnodiging kreeg").click()
    expect(page.get_by_text("3 uitnodiging(en) verstuurd.")).to_be_visible()
    logout(page)

    # --- one professional gives a pre-meeting update --------------------------------------------------------
    login(page, "agent")
    _open_meeting(page)
    page.get_by_role("link", name=f"Update geven {ref}").click()
    expect(page.get_by_role("heading", name=f"Voorbereidende update: {ref}", level=1)).to_be_visible()
    page.get_by_label(_label("Huidige situatie")).fill(UPDATE)
    page.get_by_role("button", name="Update opslaan").click()
    expect(page.get_by_text("Uw update is opgeslagen.")).to_be_visible()
    logout(page)

    # --- the meeting is held with the guide in phase directe veiligheid ------------------------------------
    login(page, "regisseur")
    _open_meeting(page)
    page.get_by_role("button", name="Openen met deze privacy-opening").click()
    expect(page.get_by_text("Het overleg is geopend; de privacy-opening is vastgelegd.")).to_be_visible()
    page.get_by_role("link", name=f"Bespreken {ref}").click()
    expect(page.get_by_role("heading", name=f"Bespreking {ref}", level=1)).to_be_visible()
    page.get_by_role("button", name="Bespreking starten").click()

    # The update is merged at the start; the questions are those of directe veiligheid.
    expect(page.locator("#updates").get_by_text(UPDATE)).to_be_visible()
    expect(page.locator("#updates")).to_contain_text(agent.get_full_name())
    expect(page.get_by_text("Top 3 geweldsincidenten: eerste, ergste en laatste")).to_be_visible()
    # Each part of the guide saves on its own.
    beeld = page.locator("section#deel-beeldvorming")
    beeld.get_by_label("Zorgen: wie is bezorgd om de veiligheid van wie, en waarom?").fill("Moeder is bang.")
    beeld.get_by_label("Ergste incident", exact=True).fill("Wurging in maart.")
    beeld.get_by_role("button", name="‘Beeldvorming’ opslaan").click()
    expect(page.locator("section#deel-beeldvorming").get_by_text("Opgeslagen.", exact=True)).to_be_visible()
    besluit = page.locator("section#deel-besluitvorming")
    besluit.get_by_label("Prioriteit 1", exact=True).fill("Huisverbod")
    besluit.get_by_role("button", name=re.compile("opslaan$")).click()
    expect(page.locator("section#deel-besluitvorming").get_by_text("Opgeslagen.", exact=True)).to_be_visible()
    expect(page.locator("section#deel-beeldvorming").get_by_label("Ergste incident", exact=True)).to_have_value(
        "Wurging in maart."
    )

    scale = page.locator("section#schaalvraag")
    for user, score in ((agent, 3), (behandelaar, 4)):
        scale.get_by_label(_label("Wie")).select_option(label=_choice(user))
        scale.get_by_label(_label("Cijfer (1–10)")).select_option(str(score))
        scale.get_by_label(_label("Onderbouwing")).fill(f"Onderbouwing {score}: kans op herhaling is groot.")
        scale.get_by_role("button", name="Score vastleggen").click()
        expect(page.get_by_text("De schaalscore is vastgelegd.")).to_be_visible()
        given = scale.get_by_role("listitem").filter(has_text=f"Onderbouwing {score}:")
        expect(given).to_contain_text(f"{score} — {user.get_full_name()}")

    # --- the plan: a bodemeis with a guard, three actions of different types, published --------------------
    page.get_by_role("button", name="Plan van aanpak maken").click()
    expect(page.get_by_role("heading", name=f"Plan van aanpak {ref}", level=1)).to_be_visible()
    expect(page.get_by_text("Versie 1 · concept")).to_be_visible()
    plan_form = page.locator("section#plan-bewerken form")
    plan_form.get_by_label(_label("Gezamenlijk doel / doelen")).fill("Moeder en kinderen veilig thuis.")
    plan_form.get_by_label(_label("Casusregisseur")).select_option(label=_choice(behandelaar))
    plan_form.get_by_label(_label("Volgend overleg / evaluatie")).fill((day + datetime.timedelta(days=42)).isoformat())
    plan_form.get_by_label(_label("Voor het gezin: onze zorgen, in gewone woorden")).fill(FAMILY_WORRIES)
    plan_form.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het plan is opgeslagen.")).to_be_visible()

    bodemeisen = page.locator("section#bodemeisen")
    bodemeisen.get_by_text("Bodemeis toevoegen").click()
    bodemeisen.get_by_label(_label("Bodemeis")).fill("Geen geweld.")
    bodemeisen.get_by_label(_label("Wie bewaakt deze")).select_option(label=_choice(wijkagent))
    bodemeisen.get_by_label(_label("Wat doen we als deze niet wordt nagekomen?")).fill("Direct huisverbod overwegen.")
    bodemeisen.get_by_label("Voor het gezin", exact=True).check()
    bodemeisen.get_by_role("button", name="Toevoegen").click()
    bodemeis = bodemeisen.get_by_role("listitem").filter(has_text="Geen geweld.")
    expect(bodemeis).to_contain_text(f"Bewaakt door: {wijkagent.get_full_name()}")
    expect(bodemeis).to_contain_text("Direct huisverbod overwegen.")

    actions = [
        ("Schoolgesprek plannen", ActionType.INFO_PROFESSIONALS, agent, "met de school praten"),
        ("Huisbezoek", ActionType.TOWARDS_FAMILY, wijkagent, "bij u thuis langskomen"),
        ("Gezinsgesprek", ActionType.MEETING_FAMILY, behandelaar, "een gesprek met het hele gezin houden"),
    ]
    acties = page.locator("section#acties")
    for what, kind, owner, plain in actions:
        acties.get_by_text("Actie toevoegen").click()
        add = acties.locator("form#actie-toevoegen")  # each action already added has its own edit form too
        add.get_by_label(_label("Wat")).fill(what)
        add.get_by_label(_label("Wie")).select_option(label=_choice(owner))
        add.get_by_label(_label("Wanneer (uiterlijk)")).fill((day + datetime.timedelta(days=14)).isoformat())
        add.get_by_label(_label("Soort actie")).select_option(label=kind.label)
        add.get_by_label(_label("Waarom (onderbouwing)")).fill("Veiligheid")
        add.get_by_label(_label("In gewone woorden, voor het gezin")).fill(plain)
        add.get_by_role("button", name="Toevoegen").click()
        row = acties.get_by_role("row").filter(has_text=what)
        expect(row).to_contain_text(owner.get_full_name())
        expect(row).to_contain_text(kind.label)
    expect(acties.get_by_role("table", name="Acties").get_by_role("row")).to_have_count(1 + len(actions))

    page.get_by_role("button", name="Versie 1 publiceren").click()
    expect(page.get_by_text("Versie 1 van het plan is gepubliceerd.")).to_be_visible()
    lead = page.locator(".utrecht-paragraph--lead")
    expect(lead).to_have_text(re.compile(r"^\s*Versie 1 ·\s+gepubliceerd \d+ \w+\.? \d{4} · geldend\s*$"))
    expect(page.get_by_role("button", name="Versie 1 publiceren")).to_have_count(0)

    # --- attendance, the verslag and its PDF ----------------------------------------------------------------
    page.get_by_role("link", name="Overleg", exact=True).click()
    expect(page.get_by_role("heading", name=COM, level=1)).to_be_visible()
    # Issue 12, item 5: the attendance of all invitees in one form, saved at once.
    sheet = page.get_by_role("table", name="Aanwezigheid van alle genodigden")
    for user in invitees:
        sheet.get_by_label(f"Aanwezigheid {user.get_full_name()}").select_option(label="Aanwezig")
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_text("De aanwezigheid is opgeslagen.")).to_be_visible()
    for user in invitees:
        expect(
            page.get_by_role("table", name="Aanwezigheid van alle genodigden").get_by_label(
                f"Aanwezigheid {user.get_full_name()}"
            )
        ).to_have_value("present")
    # The chair closes the meeting explicitly: only then is it "gehouden" (issue 12, item 5).
    page.locator("#sluiten").get_by_label("Ja, het overleg is afgelopen", exact=False).check()
    page.locator("#sluiten").get_by_role("button", name="Overleg sluiten").click()
    expect(page.get_by_text("Het overleg is gesloten en staat nu als gehouden geregistreerd.")).to_be_visible()
    page.get_by_role("button", name="Verslag opstellen").click()
    expect(page.get_by_text("Het verslag is opgesteld uit de vastgelegde gegevens.")).to_be_visible()
    expect(page.get_by_role("heading", name="Verslag", level=1)).to_be_visible()
    for what, *_ in actions:
        expect(page.get_by_role("main")).to_contain_text(what)

    pdf_link = page.get_by_role("link", name="Download als PDF")
    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert re.fullmatch(r"verslag-\d+-\d{8}\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as fh:
        content = fh.read()
    assert content.startswith(b"%PDF") and len(content) > 2000
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # --- the family view: the actions in plain language -----------------------------------------------------
    meeting = Meeting.objects.get()
    plan = Plan.objects.get(case=case)
    page.goto(f"/overleggen/plan/{plan.pk}/")
    page.get_by_role("link", name="Versie voor het gezin").click()
    # The family reads only a version the procesregisseur reviewed (issue 12, item 6).
    page.get_by_role("link", name="Versie voor het gezin beoordelen").click()
    page.get_by_role("button", name="Goedkeuren voor het gezin").click()
    page.goto(f"/overleggen/plan/{plan.pk}/gezin/")
    expect(page.get_by_role("heading", name="Ons plan: wat we samen hebben afgesproken", level=1)).to_be_visible()
    expect(page.get_by_text(FAMILY_WORRIES)).to_be_visible()
    for what, kind, owner, plain in actions:
        line = page.get_by_role("listitem").filter(has_text=plain)
        if kind == ActionType.INFO_PROFESSIONALS:
            # An exchange between professionals stays among them (issue 10, finding 5).
            expect(line).to_have_count(0)
            continue
        expect(line).to_be_visible()
        expect(line).to_contain_text(f"{owner.get_full_name()} ({owner.organisation}) gaat")
        expect(line).to_contain_text(plain)
        expect(line).not_to_contain_text(what)
    expect(page.get_by_text("Geen geweld.")).to_be_visible()
    contact = page.get_by_role("region", name="Uw vaste contactpersoon")  # the fixed contact person
    expect(contact).to_contain_text(f"Uw vaste contactpersoon is {behandelaar.get_full_name()}")

    # --- and in the database --------------------------------------------------------------------------------
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in invitees)
    assert meeting.overleg_type.code == "com" and meeting.status == MeetingStatus.HELD
    assert set(Invitation.objects.filter(meeting=meeting, is_client=False).values_list("user", flat=True)) == {
        u.pk for u in invitees
    }
    assert PreMeetingUpdate.objects.get().created_by == agent
    discussion = CaseDiscussion.objects.get()
    assert discussion.phase == "directe_veiligheid"
    assert discussion.incident_worst == "Wurging in maart."
    scores = {s.participant_id: (s.score, s.rationale) for s in ScaleScore.objects.filter(discussion=discussion)}
    assert {k: v[0] for k, v in scores.items()} == {agent.pk: 3, behandelaar.pk: 4}
    assert all(rationale for _, rationale in scores.values())
    assert not plan.is_draft and plan.published_at is not None
    assert plan.casusregisseur == behandelaar
    bodemeis = Bodemeis.objects.get(plan=plan)
    assert bodemeis.guard == wijkagent
    saved = Action.objects.filter(plan=plan)
    assert saved.count() == 3
    assert {a.type for a in saved} == {kind for _, kind, _, _ in actions}
