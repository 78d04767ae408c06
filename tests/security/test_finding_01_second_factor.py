"""Issue 10 finding 1: a password alone must not pass the second factor.

Before the change the enrolment page was open to any signed-in session: with only the password, an attacker
enrolled a new authenticator (which deleted the owner's device), was verified by it and read every case. The
enrolment and verification pages also followed any `next`, including other sites.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "testpass-Tafel-2026"  # tafel.testing.make_user


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def enrolled(professional, settings):
    """The owner has a confirmed authenticator; the test client signs in with the password only."""
    settings.TAFEL_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return TOTPDevice.objects.create(user=professional, name="Authenticator", confirmed=True)


def _password_login(client, user) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password itself is right"


def test_password_alone_cannot_enrol_a_new_authenticator(client, professional, enrolled, case):
    _password_login(client, professional)

    setup = client.get(reverse("privacy:otp_setup"))
    assert setup.status_code == 302 and setup["Location"].startswith(reverse("privacy:otp_verify"))
    # A code of a device the attacker would have created: refused before any device is made or replaced.
    forged = client.post(reverse("privacy:otp_setup"), {"token": "123456"})
    assert forged.status_code == 302 and forged["Location"].startswith(reverse("privacy:otp_verify"))
    assert list(TOTPDevice.objects.filter(user=professional)) == [enrolled]

    # Still nothing to read: pages redirect to the second factor, the API answers 401.
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 302 and page["Location"].startswith(reverse("privacy:otp_verify"))
    api = client.get(f"/api/v1/cases/{case.pk}")
    assert api.status_code == 401 and api.json()["code"] == "not_authenticated"


def test_after_verifying_the_existing_device_the_owner_may_replace_it(client, professional, enrolled):
    _password_login(client, professional)
    assert client.post(reverse("privacy:otp_verify"), {"token": _code(enrolled)}).status_code == 302

    assert client.get(reverse("privacy:otp_setup")).status_code == 200
    new = TOTPDevice.objects.get(user=professional, confirmed=False)
    assert client.post(reverse("privacy:otp_setup"), {"token": _code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=professional).values_list("pk", flat=True)) == [new.pk]


def test_a_user_without_a_device_enrols_once(client, professional, settings):
    settings.TAFEL_REQUIRE_2FA = True
    _password_login(client, professional)
    assert client.get(reverse("cases:werkvoorraad"))["Location"].startswith(reverse("privacy:otp_setup"))
    assert client.get(reverse("privacy:otp_setup")).status_code == 200


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "http:/evil.example", "javascript:alert(1)"],
)
def test_next_never_leads_to_another_site(client, professional, enrolled, target):
    _password_login(client, professional)
    response = client.post(f"{reverse('privacy:otp_verify')}?next={target}", {"token": _code(enrolled)})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_next_to_a_tafel_page_is_followed(client, professional, enrolled):
    _password_login(client, professional)
    response = client.post(f"{reverse('privacy:otp_verify')}?next=/werkvoorraad/?q=1", {"token": _code(enrolled)})
    assert response["Location"] == "/werkvoorraad/?q=1"


def test_enrolment_next_is_checked_too(client, professional, settings):
    settings.TAFEL_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    _password_login(client, professional)
    client.get(reverse("privacy:otp_setup"))
    device = TOTPDevice.objects.get(user=professional, confirmed=False)
    response = client.post(f"{reverse('privacy:otp_setup')}?next=https://evil.example/", {"token": _code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
