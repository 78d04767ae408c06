"""Routing reason g in the browser: a ZVH-aanpak in a municipality whose caseload is full is refused.

The refusal shows the Dutch caseload message at the field, saves nothing and keeps what the procesregisseur
typed; with a reason to exceed the caseload the same decision goes through.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

ARGUMENTS = {
    "a": "Multiproblematiek op wonen, schulden en geweld; dwang en drang nodig.",
    "b": "Wijkteam en Veilig Thuis zijn vastgelopen.",
    "c": "Acuut risico op escalatie.",
    "d": "Strafrechtelijk traject loopt naast zorg.",
    "e": "Alle essentiële informatie is aangeleverd.",
}
CASELOAD_REASON = "Levensbedreigende situatie; de gemeente stemt in met tijdelijke overschrijding."


def _setup():
    from tafel.cases.models import CaseStatus, Criterion, PersonRole, TriageOutcome
    from tafel.cases.services import CriterionInput, PersonInput, TriageInput, triage_decide
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_case, make_municipality, make_org, make_user

    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    police = make_org("Politie Midden-Nederland", OrganisationType.POLITIE)
    municipality = make_municipality("Wijdemeren", max_caseload=1)
    agent = make_user(police, Role.PROFESSIONAL, Role.AANMELDER, username="agent")
    regisseur = make_user(house, Role.PROCESREGISSEUR, username="regisseur")

    # The one case the municipality may have: made active through a triage decision.
    running = make_case(agent, municipality, title="Lopende ZVH-casus")
    triage_decide(
        actor=regisseur,
        case=running,
        data=TriageInput(
            criteria=[CriterionInput(criterion=code, met=True, argument="Voldoet.") for code in Criterion.values],
            outcome=TriageOutcome.ZVH_COM,
        ),
    )
    running.refresh_from_db()
    assert running.status == CaseStatus.ACTIEF

    # A new aanmelding about someone else (the same person would join the running case).
    case = make_case(
        agent,
        municipality,
        title="Nieuwe zorgen om jongere",
        persons=[
            PersonInput(
                first_names="Sanne",
                last_name="de Boer",
                date_of_birth=datetime.date(2006, 7, 2),
                gender="v",
                role=PersonRole.SLACHTOFFER,
            )
        ],
    )
    assert case.status == CaseStatus.AANGEMELD
    return regisseur, case


@pytest.mark.django_db(transaction=True)
def test_zvh_outcome_refused_when_caseload_full_then_accepted_with_override_reason(page):
    from tafel.cases.models import CaseStatus, Triage

    regisseur, case = _setup()

    login(page, "regisseur")
    page.locator("section#te-trieren").get_by_role("link", name=f"Triëren {case.reference}").click()
    expect(page.get_by_role("heading", name=f"Triage van casus {case.reference}")).to_be_visible()
    besluit = page.get_by_role("region", name="Besluit", exact=True)
    expect(besluit.get_by_text("Caseload Wijdemeren: 1 van maximaal 1 ZVH-casussen.")).to_be_visible()
    expect(besluit.get_by_text("De maximale caseload is bereikt.")).to_be_visible()

    for code, argument in ARGUMENTS.items():
        besluit.get_by_role("group", name=re.compile(rf"^{code}\. ")).get_by_label("Voldoet", exact=True).check()
        besluit.get_by_label(f"Argument bij criterium {code}").fill(argument)
    besluit.get_by_role("group", name=re.compile("^Uitkomst")).get_by_label("ZVH-aanpak: Casus-op-Maat").check()
    override = besluit.get_by_label("Reden om de maximale caseload te overschrijden")
    expect(override).to_be_visible()  # shown for a ZVH-aanpak while the caseload is reached
    expect(override).to_be_empty()
    besluit.get_by_role("button", name="Besluit vastleggen").click()

    # Refused: the summary, the form-level message and the message at the field itself.
    summary = page.get_by_role("alert").filter(has_text="Controleer het formulier")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("Caseload bereikt"))).to_be_visible()
    expect(
        besluit.get_by_text(re.compile(r"^De maximale caseload van Wijdemeren is bereikt \(1 van 1\)\."))
    ).to_be_visible()
    override = besluit.get_by_label("Reden om de maximale caseload te overschrijden")
    # `has=` is evaluated inside each field, so it takes a page-rooted locator.
    field = besluit.locator(".tafel-field").filter(
        has=page.get_by_label("Reden om de maximale caseload te overschrijden")
    )
    expect(field.get_by_text("Caseload bereikt: vul een reden in om toch een ZVH-aanpak te starten.")).to_be_visible()
    expect(field).to_have_class(re.compile("tafel-field--invalid"))

    # Nothing is saved ...
    case.refresh_from_db()
    assert case.status == CaseStatus.AANGEMELD
    assert not Triage.objects.filter(case=case).exists()
    # ... and nothing typed is lost.
    for code, argument in ARGUMENTS.items():
        group = besluit.get_by_role("group", name=re.compile(rf"^{code}\. "))
        expect(group.get_by_label("Voldoet", exact=True)).to_be_checked()
        expect(besluit.get_by_label(f"Argument bij criterium {code}")).to_have_value(argument)
    expect(besluit.get_by_label("ZVH-aanpak: Casus-op-Maat")).to_be_checked()

    # The error summary link leads to the field.
    summary.get_by_role("link", name=re.compile("Caseload bereikt")).click()
    expect(override).to_be_focused()
    override.fill(CASELOAD_REASON)
    besluit.get_by_role("button", name="Besluit vastleggen").click()

    expect(page.get_by_text("Triagebesluit vastgelegd: ZVH-aanpak: Casus-op-Maat.")).to_be_visible()
    expect(page.locator(".tafel-summary").get_by_text("ZVH-aanpak loopt")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    triage = Triage.objects.get(case=case)
    assert triage.caseload_override_reason == CASELOAD_REASON
    assert list(triage.criteria.order_by("criterion").values_list("met", flat=True)) == [True] * 5
