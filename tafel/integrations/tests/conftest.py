"""A real OpenID Connect provider on loopback for the OIDC tests: django-oauth-toolkit in a second process
(tests/oidc_provider). Nothing of the protocol is mocked: Tafel fetches the discovery document, sends the browser
to the authorization endpoint, exchanges the code at the token endpoint, checks the ID token against the JWKS
and reads userinfo, all over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

EIDAS_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
EIDAS_LOW = "http://eidas.europa.eu/LoA/low"
EH_LOA2PLUS = "urn:etoegang:core:assurance-class:loa2plus"

# The provider's people: a professional at a two-factor level, one who logged in with one factor only, and
# one whose organisation gives no Tafel role.
CLAIMS = {
    "hoog": {
        "acr": EIDAS_SUBSTANTIAL,
        "given_name": "Hanna",
        "family_name": "de Hoog",
        "email": "hanna@politie.example",
        "roles": ["zvh-casus", "melder"],
        "oin": "00000001003214345000",
    },
    "laag": {
        "acr": EIDAS_LOW,
        "given_name": "Lars",
        "family_name": "Laag",
        "email": "lars@politie.example",
        "roles": ["zvh-casus"],
        "oin": "00000001003214345000",
    },
    "zonderrol": {
        "acr": EIDAS_SUBSTANTIAL,
        "given_name": "Zoë",
        "family_name": "Zonder",
        "roles": ["kantine"],
        "oin": "00000001003214345000",
    },
}
PASSWORD = "idp-wachtwoord"


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    process: subprocess.Popen = field(repr=False)


def _rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def start_provider(tmp: Path, redirect_uris: list[str]) -> Provider:
    claims = tmp / "claims.json"
    claims.write_text(json.dumps(CLAIMS))
    env = {
        **os.environ,
        "OIDC_TEST_DB": str(tmp / "idp.sqlite3"),
        "OIDC_TEST_RSA_KEY": _rsa_key(),
        "OIDC_TEST_CLAIMS": str(claims),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    args = [sys.executable, "-m", "tests.oidc_provider.run", "--client-id", "tafel", "--client-secret", "geheim-1"]
    for uri in redirect_uris:
        args += ["--redirect-uri", uri]
    for name in CLAIMS:
        args += ["--user", f"{name}:{PASSWORD}"]
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready: list[str] = []
    reader = threading.Thread(target=lambda: ready.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=90)
    line = ready[0] if ready else ""
    if not line.startswith("READY "):
        process.kill()
        _, err = process.communicate(timeout=10)
        raise RuntimeError(f"the test OIDC provider did not start: {err[-2000:]}")
    port = int(line.split()[1])
    return Provider(issuer=f"http://127.0.0.1:{port}/o", client_id="tafel", client_secret="geheim-1", process=process)


def stop_provider(provider: Provider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait(timeout=10)


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory):
    """The provider for test-client tests: it sends the browser back to http://testserver."""
    provider = start_provider(tmp_path_factory.mktemp("idp"), ["http://testserver/login/oidc-terug/"])
    yield provider
    stop_provider(provider)


def configure(provider: Provider, organisation, **overrides):
    """Tafel's side: the beheerder's IdentityProvider for the organisation."""
    from tafel.integrations.models import IdentityProvider

    values = {
        "name": "Politie Test",
        "slug": "politie",
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "min_acr": EIDAS_SUBSTANTIAL,
        "role_claim": "roles",
        "role_map": {"zvh-casus": ["professional", "aanmelder"], "melder": "aanmelder"},
        "organisation_claim": "oin",
        "organisation_claim_value": "00000001003214345000",
    }
    values.update(overrides)
    idp = IdentityProvider(organisation=organisation, **values)
    idp.set_client_secret(provider.client_secret)
    idp.full_clean()
    idp.save()
    return idp
