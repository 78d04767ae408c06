"""Security (issue 4 §9): second factor, lockout, idle timeout, uploads, token audit, production refusal."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tafel.access.audit_events import AccessEvent
from tafel.api.audit_events import ApiEvent
from tafel.core.errors import ValidationFailed
from tafel.core.models import AuditEvent
from tafel.core.uploads import validate_upload


def test_second_factor_is_required_and_enrolled_with_a_totp_code(client, professional, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TAFEL_REQUIRE_2FA = True
    # django-otp slows down guessing after a wrong code; the test's one wrong code must not delay the right one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(professional)
    response = client.get(reverse("cases:werkvoorraad"))
    assert response.status_code == 302 and response["Location"].startswith("/privacy/tweede-factor/instellen/")
    setup = client.get(reverse("privacy:otp_setup"))
    assert setup.status_code == 200 and b"<svg" in setup.content
    device = TOTPDevice.objects.get(user=professional)
    assert client.post(reverse("privacy:otp_setup"), {"token": "000000"}).status_code == 422
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("privacy:otp_setup"), {"token": code}).status_code == 302
    assert client.get(reverse("cases:werkvoorraad")).status_code == 200
    assert AuditEvent.objects.filter(event_type=AccessEvent.OTP_ENROL, actor=professional).exists()

    # A new session must verify with the device.
    client.logout()
    client.force_login(professional)
    response = client.get(reverse("cases:werkvoorraad"))
    assert response["Location"].startswith("/privacy/tweede-factor/?")
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert (
        client.post(reverse("privacy:otp_verify") + "?next=/werkvoorraad/", {"token": code})["Location"]
        == "/werkvoorraad/"
    )


def test_api_with_a_session_needs_the_second_factor_but_tokens_do_not(client, professional, settings):
    settings.TAFEL_REQUIRE_2FA = True
    client.force_login(professional)
    assert client.get("/api/v1/cases").status_code == 401


def test_login_is_locked_after_repeated_failures(client, professional, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": professional.username, "password": "fout-wachtwoord"})
    response = client.post(reverse("login"), {"username": professional.username, "password": "testpass-Tafel-2026"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_session_ends_after_inactivity(client, professional, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 60
    client.force_login(professional)
    assert client.get(reverse("cases:werkvoorraad")).status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 120
    session.save()
    response = client.get(reverse("cases:werkvoorraad"))
    assert response.status_code == 302 and "verlopen=1" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_csrf_is_enforced_on_forms(professional, case):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(professional)
    assert strict.post(reverse("cases:note_add", args=[case.pk]), {"text": "x"}).status_code == 403


def test_cookies_are_secure_outside_the_demo():
    code = (
        "import os;os.environ.pop('TAFEL_SECURE_COOKIES',None);"
        "os.environ['TAFEL_SECRET_KEY']='x'*50;os.environ.pop('TAFEL_DEMO',None);os.environ.pop('TAFEL_DEBUG',None);"
        "import tafel.settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.TAFEL_REQUIRE_2FA)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "True", "True", "True"]


@pytest.mark.parametrize(
    "env",
    [
        {"TAFEL_ENV": "production", "TAFEL_DEBUG": "true", "TAFEL_SECRET_KEY": "x" * 50},
        {"TAFEL_ENV": "production", "TAFEL_DEMO": "true", "TAFEL_SECRET_KEY": "x" * 50},
    ],
)
def test_production_refuses_debug_or_demo(env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TAFEL_") and k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", "import tafel.settings"], capture_output=True, text=True, env={**clean, **env}
    )
    assert result.returncode != 0 and "Refusing to start" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("a.pdf", b"%PDF-1.7 ...", True),
        ("a.png", b"\x89PNG\r\n\x1a\n....", True),
        ("a.jpg", b"\xff\xd8\xff\xe0....", True),
        ("a.txt", "Gewone tekst met é".encode(), True),
        ("a.pdf", b"MZ\x90\x00\x03\x00 executable", False),
        ("a.html", b"\x00\x01binary", False),
        ("a.docx", b"PK\x03\x04 not really a zip", False),
    ],
)
def test_uploads_are_checked_by_content(name, content, ok):
    upload = SimpleUploadedFile(name, content)
    if ok:
        validate_upload(upload)
    else:
        with pytest.raises(ValidationFailed):
            validate_upload(upload)


def test_docx_is_recognised_and_size_is_limited(settings):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert validate_upload(SimpleUploadedFile("a.docx", buf.getvalue()))[0] == "docx"
    settings.TAFEL_UPLOAD_MAX_MB = 1
    with pytest.raises(ValidationFailed):
        validate_upload(SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1)))


def test_attachment_upload_through_the_case_page(client, professional, case, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(professional)
    url = reverse("privacy:attachment_add", args=[case.pk])
    bad = client.post(
        url, {"att-title": "Exe", "att-category": "algemeen", "att-file": SimpleUploadedFile("x.pdf", b"MZ\x00\x01")}
    )
    assert bad.status_code == 422
    good = client.post(
        url, {"att-title": "PV", "att-category": "algemeen", "att-file": SimpleUploadedFile("pv.pdf", b"%PDF-1.4 x")}
    )
    assert good.status_code == 302
    from tafel.privacy.models import CaseAttachment

    attachment = CaseAttachment.objects.get()
    assert attachment.content_type == "application/pdf" and attachment.file.name.endswith(".pdf")
    assert client.get(reverse("privacy:attachment_download", args=[attachment.pk])).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse("privacy:attachment_download", args=[attachment.pk])).status_code == 404


def test_api_tokens_are_audited(professional, beheerder):
    from tafel.api.services import api_token_create, api_token_revoke

    new = api_token_create(actor=beheerder, user=professional, name="LVS", scopes=["cases:read"], days=30)
    api_token_revoke(actor=beheerder, token=new.token)
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {ApiEvent.TOKEN_CREATE, ApiEvent.TOKEN_REVOKE} <= events
    assert not AuditEvent.objects.filter(details__icontains=new.key).exists()
