"""OIDC login against a real provider on loopback (conftest.start_provider): the Tafel side through Django's
test client, the person's browser at the provider through `requests`."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client

from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.integrations.audit_events import IntegrationEvent
from tafel.integrations.models import ExternalIdentity
from tafel.integrations.oidc import SESSION_SECOND_FACTOR
from tafel.integrations.tests.conftest import EH_LOA2PLUS, PASSWORD, configure
from tafel.organisations.models import User


def _login_at_provider(authorize_url: str, username: str) -> str:
    """The person at the provider: log in there; returns the URL the provider sends the browser back to."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    login_url = requests.compat.urljoin(authorize_url, response.headers["Location"])
    page = browser.get(login_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    response = browser.post(
        login_url,
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": next_url},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    response = browser.get(requests.compat.urljoin(login_url, response.headers["Location"]), allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def _oidc_login(client: Client, username: str, slug: str = "politie"):
    start = client.get(f"/login/oidc/{slug}/")
    assert start.status_code == 302
    back = _login_at_provider(start["Location"], username)
    assert back.startswith("http://testserver/login/oidc-terug/?")
    return client.get(back.removeprefix("http://testserver"))


@pytest.mark.django_db
def test_login_through_the_partners_provider_maps_organisation_and_roles(oidc_provider, police, settings):
    settings.TAFEL_REQUIRE_2FA = True
    configure(oidc_provider, police)
    client = Client()

    response = _oidc_login(client, "hoog")

    assert response.status_code == 302 and response["Location"] == "/werkvoorraad/"
    user = User.objects.get(external_identities__subject__isnull=False)
    assert user.organisation == police
    assert user.role_codes == {"professional", "aanmelder"}
    assert (user.first_name, user.last_name) == ("Hanna", "de Hoog")
    assert not user.has_usable_password()
    # A two-factor acr is the second factor: the werkvoorraad opens without a TOTP code.
    assert client.session[SESSION_SECOND_FACTOR] is True
    assert client.get("/werkvoorraad/").status_code == 200
    login = AuditEvent.objects.get(event_type=CoreEvent.LOGIN)
    assert login.actor_id == user.pk and login.reason == "login.oidc"
    assert login.details == {"provider": user.external_identities.get().provider_id, "second_factor": True}


@pytest.mark.django_db
def test_second_login_updates_roles_from_the_provider(oidc_provider, police):
    idp = configure(oidc_provider, police)
    _oidc_login(Client(), "hoog")
    idp.role_map = {"zvh-casus": ["professional"]}
    idp.save(update_fields=["role_map"])

    _oidc_login(Client(), "hoog")

    assert ExternalIdentity.objects.count() == 1
    assert ExternalIdentity.objects.get().user.role_codes == {"professional"}


@pytest.mark.django_db
def test_login_with_too_low_acr_is_refused(oidc_provider, police):
    configure(oidc_provider, police)
    client = Client()

    response = _oidc_login(client, "laag")

    assert response.status_code == 302 and response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    page = client.get("/login/")
    assert "niet sterk genoeg" in page.content.decode()
    assert not User.objects.filter(external_identities__isnull=False).exists()
    refused = AuditEvent.objects.get(event_type=IntegrationEvent.OIDC_LOGIN_REFUSED)
    assert refused.reason == "oidc.acr_too_low" and refused.outcome == "denied"


@pytest.mark.django_db
def test_one_factor_acr_above_minimum_still_asks_for_totp(oidc_provider, police, settings):
    settings.TAFEL_REQUIRE_2FA = True
    configure(oidc_provider, police, min_acr="http://eidas.europa.eu/LoA/low")
    client = Client()

    response = _oidc_login(client, "laag")

    assert response["Location"] == "/werkvoorraad/"
    assert client.session[SESSION_SECOND_FACTOR] is False
    follow = client.get("/werkvoorraad/")
    assert follow.status_code == 302 and follow["Location"].startswith("/privacy/tweede-factor/")


@pytest.mark.django_db
def test_login_without_a_mapped_role_is_refused(oidc_provider, police):
    configure(oidc_provider, police)
    client = Client()

    response = _oidc_login(client, "zonderrol")

    assert response["Location"] == "/login/"
    assert "geen rol" in client.get("/login/").content.decode()
    assert AuditEvent.objects.get(event_type=IntegrationEvent.OIDC_LOGIN_REFUSED).reason == "oidc.no_roles"


@pytest.mark.django_db
def test_token_of_another_organisation_is_refused(oidc_provider, police):
    configure(oidc_provider, police, organisation_claim_value="00000001999999999000")
    client = Client()

    response = _oidc_login(client, "hoog")

    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_client_secret_is_refused_by_the_provider(oidc_provider, police):
    idp = configure(oidc_provider, police)
    idp.set_client_secret("fout")
    idp.save(update_fields=["client_secret_encrypted"])
    client = Client()

    response = _oidc_login(client, "hoog")

    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_callback_without_a_started_login_is_refused(police, oidc_provider):
    configure(oidc_provider, police)
    response = Client().get("/login/oidc-terug/?code=abc&state=xyz")
    assert response.status_code == 302 and response["Location"] == "/login/"


@pytest.mark.django_db
def test_login_page_lists_active_providers_only(oidc_provider, police):
    idp = configure(oidc_provider, police)
    assert "Inloggen met Politie Test" in Client().get("/login/").content.decode()
    idp.active = False
    idp.save(update_fields=["active"])
    assert "Inloggen met Politie Test" not in Client().get("/login/").content.decode()
    assert Client().get("/login/oidc/politie/").status_code == 404


def test_unknown_acr_and_levels_rank():
    from tafel.integrations.models import acr_rank

    assert acr_rank("urn:onbekend") == 0
    assert acr_rank(EH_LOA2PLUS) == 2
    assert acr_rank("http://eidas.europa.eu/LoA/high") > acr_rank("http://eidas.europa.eu/LoA/substantial")


@pytest.mark.django_db
def test_beheerder_configures_a_provider_with_a_write_only_secret(beheerder, police):
    from tafel.integrations.models import IdentityProvider

    client = Client()
    client.force_login(beheerder)
    data = {
        "organisation": police.pk,
        "name": "Politie IdP",
        "slug": "politie",
        "issuer": "https://login.politie.example/oidc",
        "client_id": "tafel",
        "client_secret": "s3cret-van-de-idp",
        "scopes": "openid profile email",
        "min_acr": "http://eidas.europa.eu/LoA/substantial",
        "role_claim": "roles",
        "role_map": '{"zvh": ["professional"]}',
        "organisation_claim": "",
        "organisation_claim_value": "",
        "active": "on",
    }
    bad = client.post("/beheer/integrations/identityprovider/add/", {**data, "role_map": '{"zvh": ["koning"]}'})
    assert bad.status_code == 200 and "Onbekende Tafel-rol" in bad.content.decode()
    insecure = client.post("/beheer/integrations/identityprovider/add/", {**data, "issuer": "http://idp.example"})
    assert "https" in insecure.content.decode() and not IdentityProvider.objects.exists()

    response = client.post("/beheer/integrations/identityprovider/add/", data)

    assert response.status_code == 302
    idp = IdentityProvider.objects.get()
    assert idp.client_secret == "s3cret-van-de-idp"
    assert "s3cret" not in idp.client_secret_encrypted
    change = client.get(f"/beheer/integrations/identityprovider/{idp.pk}/change/").content.decode()
    assert "s3cret-van-de-idp" not in change
