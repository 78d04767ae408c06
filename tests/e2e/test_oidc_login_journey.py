"""A professional of a partner organisation logs in through that organisation's own OpenID Connect provider
(issue 15 item 3): a real provider (django-oauth-toolkit) runs in a second process on loopback; Chromium walks
the whole flow. A login at a one-factor level is refused."""

from __future__ import annotations

import pytest

from tafel.integrations.tests.conftest import PASSWORD, configure, start_provider, stop_provider
from tafel.organisations.models import OrganisationType, User
from tafel.testing import make_org


@pytest.fixture
def idp(live_server, tmp_path):
    provider = start_provider(tmp_path, [f"{live_server.url}/login/oidc-terug/"])
    yield provider
    stop_provider(provider)


def _through_provider(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_role("link", name="Inloggen met Politie Test").click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen bij IdP").click()


def test_professional_logs_in_through_the_organisations_provider(page, idp, settings):
    # Every role needs a second factor; the provider's two-factor login is it.
    settings.TAFEL_REQUIRE_2FA = True
    police = make_org("Politie Noord", OrganisationType.POLITIE)
    configure(idp, police)

    _through_provider(page, "hoog")

    page.wait_for_url("**/werkvoorraad/")
    assert page.locator(".tafel-user__name").inner_text() == "Hanna de Hoog"
    assert page.locator(".tafel-user__org").inner_text() == "Politie Noord"
    # The mapped role "aanmelder" opens the intake form.
    assert page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuwe aanmelding").is_visible()
    user = User.objects.get(external_identities__provider__slug="politie")
    assert user.role_codes == {"professional", "aanmelder"}


def test_login_below_the_required_level_is_refused(page, idp):
    police = make_org("Politie Noord", OrganisationType.POLITIE)
    configure(idp, police)

    _through_provider(page, "laag")

    page.wait_for_url("**/login/")
    assert "niet sterk genoeg" in page.locator("#main").inner_text()
    assert page.get_by_role("navigation", name="Hoofdmenu").count() == 0
    assert not User.objects.filter(external_identities__isnull=False).exists()
