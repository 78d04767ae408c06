"""BRP lookup on the aanmeldformulier (issue 15 item 5): a municipality's aanmelder types a BSN, looks it up in
a local stand-in of Haal Centraal BRP bevragen v2, sees where the typed name differs, and fills the block."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tafel.integrations.tests.test_brp import BSN, brp  # noqa: F401 - the stand-in BRP fixture
from tests.e2e.conftest import login


@pytest.mark.django_db(transaction=True)
def test_aanmelder_prefills_a_person_from_the_brp(page, brp):  # noqa: F811
    from tafel.core.models import AuditEvent
    from tafel.integrations.audit_events import IntegrationEvent
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_municipality, make_org, make_user

    make_municipality("Hilversum")
    org = make_org("Gemeente Hilversum", OrganisationType.GEMEENTE)
    make_user(org, Role.AANMELDER, Role.PROFESSIONAL, username="wijkteam")
    login(page, "wijkteam")
    page.goto("/aanmeldingen/nieuw/")
    person = page.locator("[data-person-form]").first
    person.get_by_label("Achternaam").fill("Molen")
    person.get_by_label("BSN").fill(BSN)

    person.get_by_role("button", name="Opzoeken in de BRP (op BSN)").click()

    result = person.locator("[data-brp-result]")
    expect(result).to_contain_text("Gevonden in de BRP")
    expect(result.locator('[data-brp-check="last_name"]')).to_contain_text("wijkt af")
    result.get_by_role("button", name="Gegevens uit de BRP overnemen").click()
    expect(person.get_by_label("Achternaam")).to_have_value("Moulin")
    expect(person.get_by_label("Voornamen")).to_have_value("Suzanne")
    expect(person.get_by_label("Geboortedatum")).to_have_value("1985-08-23")
    expect(person.get_by_label("Adres")).to_have_value("Borgesiusstraat 103b, 2497 BV Scheveningen")
    expect(person.get_by_label("Geslacht")).to_have_value("v")
    assert AuditEvent.objects.filter(event_type=IntegrationEvent.BRP_LOOKUP, reason="brp.found").count() == 1
