"""Pages of the core: login (with demo accounts), lock-out, audit log, error pages and the base layout."""

import sys
import types

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_login_page_has_labelled_fields_and_no_inline_code(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="utrecht-form-label tafel-label" for="id_username">Gebruikersnaam</label>' in html
    assert '<label class="utrecht-form-label tafel-label" for="id_password">Wachtwoord</label>' in html
    assert ">Inloggen</button>" in html
    assert 'href="#main"' in html  # skip link
    assert "<script>" not in html and " style=" not in html and "<style" not in html
    assert "Content-Security-Policy" in response.headers


def test_login_shows_a_dutch_error_for_wrong_credentials(client, professional):
    response = client.post(reverse("login"), {"username": "agent", "password": "fout"})
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()


def test_login_works_and_lands_on_the_werkvoorraad(client, professional):
    response = client.post(reverse("login"), {"username": "agent", "password": "testpass-Tafel-2026"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:werkvoorraad")
    assert AuditEvent.objects.filter(event_type=CoreEvent.LOGIN, actor=professional).exists()


def test_login_page_lists_demo_accounts_in_demo_mode(client, settings, monkeypatch):
    settings.DEMO_MODE = True
    module = types.ModuleType("tafel.demo.accounts")
    module.DEMO_ACCOUNTS = [
        {"username": "demo-regisseur", "password": "geheim-123", "role_label": "Procesregisseur", "organisation": "ZVH"}
    ]
    monkeypatch.setitem(sys.modules, "tafel.demo.accounts", module)
    html = client.get(reverse("login")).content.decode()
    assert "Demo-accounts" in html
    assert "demo-regisseur" in html and "geheim-123" in html and "Procesregisseur" in html


def test_login_page_hides_demo_accounts_outside_demo_mode(client, settings):
    settings.DEMO_MODE = False
    assert "Demo-accounts" not in client.get(reverse("login")).content.decode()


def test_locked_out_page_renders_in_dutch():
    import datetime

    request = RequestFactory().get("/login/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = render_to_string(
        "registration/locked_out.html",
        {"failure_limit": 5, "username": "agent", "cooloff_timedelta": datetime.timedelta(minutes=15)},
        request=request,
    )
    assert "Account tijdelijk geblokkeerd" in html
    assert "Probeer het over 15 minuten opnieuw." in html


def test_base_layout_offers_the_menu_for_the_role(client, procesregisseur, beheerder):
    client.force_login(procesregisseur)
    html = client.get(reverse("cases:werkvoorraad")).content.decode()
    assert 'aria-label="Hoofdmenu"' in html
    assert reverse("cases:aanmelding_new") in html and reverse("cases:list") in html
    assert reverse("reports:questionnaire_index") in html and reverse("evaluations:overview") in html
    assert reverse("audit_log") not in html
    assert 'aria-current="page"' in html
    assert ">Uitloggen</button>" in html and f'action="{reverse("logout")}"' in html
    assert 'name="language" value="en"' in html
    assert "Regisseur Test" in html and "Zorg- en Veiligheidshuis Test" in html
    assert '<main id="main"' in html

    client.force_login(beheerder)
    html = client.get(reverse("cases:werkvoorraad")).content.decode()
    assert reverse("audit_log") in html and reverse("admin:index") in html
    assert reverse("cases:aanmelding_new") not in html


def test_logout_is_a_post(client, professional):
    client.force_login(professional)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("cases:werkvoorraad")).status_code == 302


def test_language_switch_to_english(client, professional):
    client.force_login(professional)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("cases:werkvoorraad")})
    assert response.status_code == 302
    assert client.get(reverse("cases:werkvoorraad")).content.decode().startswith("<!DOCTYPE html>")


# --- audit log --------------------------------------------------------------------------------------------


def test_audit_log_renders_for_the_beheerder_with_filters(client, beheerder, professional, case):
    client.force_login(beheerder)
    response = client.get(reverse("audit_log"), {"case": case.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Auditlog" in html
    assert "aanmelding ingediend" in html
    assert 'name="type"' in html and 'type="date"' in html
    assert "<script>" not in html and " style=" not in html


def test_audit_log_is_not_found_for_others(client, professional):
    client.force_login(professional)
    assert client.get(reverse("audit_log")).status_code == 404


def test_audit_log_redirects_anonymous_to_login(client):
    assert client.get(reverse("audit_log")).status_code == 302


def test_audit_log_is_paginated_keeping_the_filters(client, beheerder):
    from tafel.core.audit import audit

    for _ in range(55):
        audit(actor=beheerder, event=CoreEvent.LOGIN)
    client.force_login(beheerder)
    html = client.get(reverse("audit_log"), {"type": CoreEvent.LOGIN}).content.decode()
    assert f"type={int(CoreEvent.LOGIN)}&amp;page=2" in html


# --- error pages ------------------------------------------------------------------------------------------


def test_not_found_page_is_dutch_and_uses_the_layout(client, professional):
    client.force_login(professional)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Niet gevonden" in html and 'aria-label="Hoofdmenu"' in html


def test_forbidden_page_is_dutch(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("cases:aanmelding_new"))
    assert response.status_code == 403
    assert "Geen toestemming" in response.content.decode()


def test_server_error_page_is_standalone():
    html = render_to_string("errors/500.html")
    assert "Er ging iets mis" in html
    assert "{% extends" not in html and "Hoofdmenu" not in html
