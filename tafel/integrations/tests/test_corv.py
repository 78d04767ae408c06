"""CORV Zorgformulier Politie import (issue 15 item 4): endpoint and drop directory, idempotent, refusals with a
reason, kept for inspection."""

from __future__ import annotations

from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring
from django.core.management import call_command
from django.test import Client

from tafel.api.services import api_token_create
from tafel.cases.models import Aanmelding, CaseOrganisation, EntryRoute
from tafel.core.models import AuditEvent
from tafel.integrations.audit_events import IntegrationEvent
from tafel.integrations.models import CorvMessage, CorvStatus, PartnerSystem
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import make_org, make_user

SAMPLE = (Path(__file__).parent / "data" / "zorgformulier.xml").read_bytes()
OIN = "00000001003214345000"
ACK = "{urn:tafel:corv:ontvangstbevestiging:1}"


@pytest.fixture
def corv(police, municipality):
    municipality.code = "0402"
    municipality.save(update_fields=["code"])
    vt = make_org("Veilig Thuis Gooi", OrganisationType.VEILIG_THUIS)
    system_user = make_user(police, Role.AANMELDER, username="politie-corv")
    partner = PartnerSystem.objects.create(organisation=police, name="BVH", oin=OIN, user=system_user)
    token = api_token_create(actor=None, user=system_user, name="CORV", scopes=["aanmeldingen:write"]).key
    return {"vt": vt, "partner": partner, "token": token, "user": system_user}


def _post(token: str, body: bytes):
    return Client().post(
        "/api/v1/corv/zorgformulieren",
        body,
        content_type="application/xml",
        headers={"Authorization": f"Bearer {token}"},
    )


def _ack(response) -> dict:
    root = fromstring(response.content)
    assert root.tag == f"{ACK}Ontvangstbevestiging"
    out = {child.tag.removeprefix(ACK): (child.text or "") for child in root}
    reason = root.find(f"{ACK}Reden")
    if reason is not None:
        out["code"] = reason.get("code")
    return out


def test_zorgformulier_becomes_a_melding_for_veilig_thuis_triage(corv):
    response = _post(corv["token"], SAMPLE)

    assert response.status_code == 201, response.content
    assert response["Content-Type"].startswith("application/xml")
    ack = _ack(response)
    assert ack["Status"] == "ontvangen" and ack["BerichtId"] == "POL-2026-000123"
    message = CorvMessage.objects.get()
    assert ack["Kenmerk"] == f"TAFEL-CORV-{message.pk}"
    assert message.content_encrypted == ""  # accepted: its content lives in the melding only
    aanmelding = message.aanmelding
    assert aanmelding.route == EntryRoute.POLITIE_VT and aanmelding.origin == "politie"
    assert aanmelding.case.theme == "huiselijk_geweld" and aanmelding.urgency == "hoog"
    assert aanmelding.case.title == "Zorgmelding politie PL0900-2026123456"
    assert not aanmelding.client_knows and aanmelding.client_knows_reason == "Veiligheid van het slachtoffer."
    roles = sorted((p.role, p.person.last_name) for p in aanmelding.persons.select_related("person"))
    assert roles == [("pleger", "Jansen"), ("slachtoffer", "Vries")]
    # Routed by origin to Veilig Thuis: VT takes part in the case to triage it.
    assert CaseOrganisation.objects.filter(case=aanmelding.case, organisation=corv["vt"]).exists()
    event = AuditEvent.objects.get(event_type=IntegrationEvent.CORV_IMPORT)
    assert event.case_id == aanmelding.case_id and event.details["corv_message"] == message.pk


def test_same_message_twice_makes_one_melding(corv):
    first = _post(corv["token"], SAMPLE)
    second = _post(corv["token"], SAMPLE)

    assert (first.status_code, second.status_code) == (201, 200)
    assert _ack(second)["Status"] == "al_ontvangen"
    assert _ack(second)["Kenmerk"] == _ack(first)["Kenmerk"]
    assert Aanmelding.objects.count() == 1
    assert CorvMessage.objects.count() == 1


def test_same_berichtid_with_other_content_is_refused(corv):
    _post(corv["token"], SAMPLE)
    other = SAMPLE.replace(b"Eerder twee meldingen", b"Eerder drie meldingen")

    response = _post(corv["token"], other)

    assert response.status_code == 409
    assert _ack(response)["code"] == "berichtid_hergebruikt"
    assert Aanmelding.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        (b"dit is geen xml", "geen_xml", "geen geldige XML"),
        (SAMPLE.replace(b"<Soort>huiselijk_geweld</Soort>", b"<Soort>inbraak</Soort>"), "veld_ongeldig", "Soort"),
        (
            SAMPLE.replace(b"<Aanleiding>", b"<Onbekend>").replace(b"</Aanleiding>", b"</Onbekend>"),
            "veld_ontbreekt",
            "aanleiding",
        ),
        (SAMPLE.replace(b'code="0402">Hilversum', b'code="9999">Nergenshuizen'), "gemeente_onbekend", "gemeente"),
        (SAMPLE.replace(b"<BSN>111222333</BSN>", b"<BSN>123456789</BSN>"), "veld_ongeldig", "BSN"),
        (SAMPLE.replace(b"1985-03-14", b"14-03-1985"), "veld_ongeldig", "Geboortedatum"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><ZorgformulierPolitie '
            b'xmlns="urn:tafel:corv:zorgformulier-politie:1">&a;</ZorgformulierPolitie>',
            "geen_xml",
            "XML",
        ),
    ],
)
def test_malformed_message_is_refused_with_a_reason_and_kept(corv, body, code, words):
    response = _post(corv["token"], body)

    assert response.status_code == 400
    ack = _ack(response)
    assert ack["Status"] == "geweigerd" and ack["code"] == code
    assert words.lower() in ack["Reden"].lower()
    kept = CorvMessage.objects.get()
    assert kept.status == CorvStatus.REFUSED and kept.reason_code == code
    assert kept.content_encrypted and body.decode(errors="replace")[:10] not in kept.content_encrypted
    assert not Aanmelding.objects.exists()
    assert AuditEvent.objects.filter(event_type=IntegrationEvent.CORV_REFUSED, reason=f"corv.{code}").exists()


def test_sender_oin_must_belong_to_the_callers_organisation(corv, ggz):
    outsider = make_user(ggz, Role.AANMELDER, username="ggz-systeem")
    token = api_token_create(actor=None, user=outsider, name="GGZ", scopes=["aanmeldingen:write"]).key

    response = _post(token, SAMPLE)

    assert response.status_code == 403 and _ack(response)["code"] == "afzender_niet_van_u"
    assert not Aanmelding.objects.exists()


def test_unknown_sender_is_refused(corv):
    response = _post(corv["token"], SAMPLE.replace(OIN.encode(), b"00000009999999999000"))
    assert response.status_code == 403 and _ack(response)["code"] == "afzender_onbekend"


def test_without_token_the_api_answers_401(corv):
    assert Client().post("/api/v1/corv/zorgformulieren", SAMPLE, content_type="application/xml").status_code == 401


def test_drop_directory_import_is_idempotent_and_keeps_refused_files(corv, tmp_path, capsys):
    (tmp_path / "a.xml").write_bytes(SAMPLE)
    (tmp_path / "b.xml").write_bytes(SAMPLE)  # the adapter delivered the same message twice
    (tmp_path / "c.xml").write_bytes(b"<kapot")

    call_command("corv_import", str(tmp_path))

    out = capsys.readouterr().out
    assert "1 ingelezen, 1 al eerder ontvangen, 1 geweigerd." in out
    assert Aanmelding.objects.count() == 1
    assert sorted(p.name for p in (tmp_path / "verwerkt").iterdir()) == ["a.xml", "b.xml"]
    assert [p.name for p in (tmp_path / "geweigerd").iterdir()] == ["c.xml"]
    assert (tmp_path / "geweigerd" / "c.xml").read_bytes() == b"<kapot"
    acks = {
        p.name: fromstring(p.read_bytes()).find(f"{ACK}Status").text for p in (tmp_path / "bevestigingen").iterdir()
    }
    assert acks == {"a.xml": "ontvangen", "b.xml": "al_ontvangen", "c.xml": "geweigerd"}
    # The drop directory acts as the partner system's account.
    assert Aanmelding.objects.get().created_by == corv["user"]

    (tmp_path / "a.xml").write_bytes(SAMPLE)
    call_command("corv_import", str(tmp_path))
    assert Aanmelding.objects.count() == 1

    refused = CorvMessage.objects.get(status=CorvStatus.REFUSED)
    call_command("corv_import", "--show", str(refused.pk))
    assert "<kapot" in capsys.readouterr().out
    assert AuditEvent.objects.filter(reason="corv.inspect").exists()


def test_known_bsn_links_the_existing_person(corv):
    _post(corv["token"], SAMPLE)
    second = SAMPLE.replace(b"POL-2026-000123", b"POL-2026-000124")
    _post(corv["token"], second)
    from tafel.persons.models import Person

    assert Person.objects.filter(last_name="Jansen").count() == 1
