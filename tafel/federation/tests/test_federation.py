"""The federation end to end in one process: publication, the exact and the fuzzy tier, what is never
published, audit on both sides, failure as a normal answer, and the screening page."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tafel.cases.models import Case, CaseStatus
from tafel.core.models import AuditEvent
from tafel.federation import client, protocol, services
from tafel.federation.audit_events import FederationEvent
from tafel.federation.models import Publication, PublicationState
from tafel.organisations.models import Role
from tafel.persons.matching import NameParts
from tafel.persons.models import Person
from tafel.testing import make_case, make_municipality, make_org, make_user
from tafel_hub import services as hub_services
from tafel_hub import views as hub_views
from tafel_hub.models import AuditRecord, Entry

from .conftest import as_house_a

DOB = datetime.date(1980, 3, 14)


@pytest.fixture
def house(federation):
    org = make_org("ZVH Utrecht", type="zvh")
    regisseur = make_user(org, Role.PROCESREGISSEUR, first_name="Rian", last_name="Regisseur", phone="030-1234567")
    worker = make_user(make_org("Politie Utrecht"), Role.PROFESSIONAL)
    case = make_case(worker, make_municipality("Utrecht"))
    Case.objects.filter(pk=case.pk).update(procesregisseur=regisseur)
    return type("House", (), {"case": case, "worker": worker, "regisseur": regisseur})


def ask(viewer, **typed):
    with as_house_a():
        return services.federated_check(viewer=viewer, query=NameParts(**typed))


def test_published_person_is_found_from_another_house_with_dat_informatie_only(house):
    result = services.publication_run()
    assert (result.sent, result.pending, result.error) == (1, 0, "")
    assert Entry.objects.filter(house__code="zvh-b").count() == 1

    answer = ask(house.worker, first_names="Pieter", last_name="Janssen", date_of_birth=DOB)

    assert answer.status == "ok"
    [found] = answer.found
    assert (found.code, found.name) == ("zvh-b", "ZVH Utrecht")
    [m] = found.matches
    assert (m.tier, m.kind, m.contact_name, m.contact_phone) == ("exact", "open", "Rian Regisseur", "030-1234567")
    assert m.since == timezone.localdate(house.case.created_at).isoformat()


def test_a_typo_is_found_by_the_fuzzy_tier_and_bsn_alone_by_the_exact_tier(house):
    Person.objects.update(bsn_encrypted="")  # the case has no BSN; add one through the model's own encryption
    person = Person.objects.get()
    from tafel.core import crypto

    Person.objects.filter(pk=person.pk).update(bsn_encrypted=crypto.encrypt("111222333"))
    services.publication_run()

    typo = ask(house.worker, first_names="Pieter", last_name="Jansen", date_of_birth=DOB)
    assert [m.tier for h in typo.found for m in h.matches] == ["fuzzy"]
    by_bsn = ask(house.worker, bsn="111222333")
    assert [m.tier for h in by_bsn.found for m in h.matches] == ["exact"]
    other = ask(house.worker, first_names="Karin", last_name="Bakker", date_of_birth=DOB)
    assert other.status == "ok" and other.found == []


def test_same_surname_and_birth_date_with_another_first_name_is_not_the_person(house):
    services.publication_run()
    # As the local matcher: a clearly different first name is another person (a twin, a spouse) ...
    assert ask(house.worker, first_names="Karin", last_name="Janssen", date_of_birth=DOB).found == []
    # ... an initial that fits, or no first name at all, is shown.
    initial = ask(house.worker, first_names="P.", last_name="Janssen", date_of_birth=DOB)
    assert [m.tier for h in initial.found for m in h.matches] == ["exact"]
    no_first = ask(house.worker, last_name="Janssen", date_of_birth=DOB)
    assert [m.tier for h in no_first.found for m in h.matches] == ["exact"]


def test_both_houses_and_the_hub_audit_question_and_answer_with_codes_only(house):
    services.publication_run()
    ask(house.worker, first_names="Pieter", last_name="Janssen", date_of_birth=DOB)
    person = Person.objects.get()
    asked = AuditEvent.objects.get(event_type=FederationEvent.FEDERATION_ASKED)
    answered = AuditEvent.objects.get(event_type=FederationEvent.FEDERATION_ANSWERED)
    assert asked.person_id == answered.person_id == person.pk
    assert asked.details["asking_house"] == answered.details["asking_house"] == "zvh-a"
    question = AuditEvent.objects.get(event_type=FederationEvent.FEDERATION_CHECK)
    result = AuditEvent.objects.get(event_type=FederationEvent.FEDERATION_RESULT)
    assert question.actor_id == result.actor_id == house.worker.pk
    assert result.details["found"] == ["zvh-b"] and result.details["matches"] == 1
    assert "Janssen" not in str(question.details) + str(result.details)
    hub_check = AuditRecord.objects.get(event="check")
    assert (hub_check.house_code, hub_check.details["answered"]) == ("zvh-a", ["zvh-b"])


def test_restricted_person_is_never_published_and_never_answered(house):
    person = Person.objects.get()
    services.publication_run()
    Person.objects.filter(pk=person.pk).update(processing_restricted=True)

    # The hub still holds the token until the next run: the house itself refuses to answer.
    answer = ask(house.worker, first_names="Pieter", last_name="Janssen", date_of_birth=DOB)
    assert answer.found == []
    assert not AuditEvent.objects.filter(event_type=FederationEvent.FEDERATION_ANSWERED).exists()

    services.publication_run()
    assert not Entry.objects.exists()
    assert Publication.objects.get().state == PublicationState.WITHDRAWN


def test_restricted_person_is_not_published_at_all(house):
    Person.objects.update(processing_restricted=True)
    services.publication_run()
    assert not Entry.objects.exists() and not Publication.objects.exists()


def test_closed_case_stays_known_within_the_period_and_is_withdrawn_after(house, settings):
    settings.TAFEL_FEDERATION_CLOSED_MONTHS = 12
    services.publication_run()
    closed = timezone.now() - datetime.timedelta(days=100)
    Case.objects.filter(pk=house.case.pk).update(status=CaseStatus.AFGESLOTEN, closed_at=closed)
    services.publication_run()
    answer = ask(house.worker, first_names="Pieter", last_name="Janssen", date_of_birth=DOB)
    assert [m.kind for h in answer.found for m in h.matches] == ["gesloten"]

    Case.objects.filter(pk=house.case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=400))
    services.publication_run()
    assert not Entry.objects.exists()


def test_a_reopened_person_is_published_under_a_fresh_reference(house):
    services.publication_run()
    first_ref = Publication.objects.get().ref
    Person.objects.update(processing_restricted=True)
    services.publication_run()
    Person.objects.update(processing_restricted=False)
    services.publication_run()
    row = Publication.objects.get()
    assert row.state == PublicationState.PUBLISHED and row.ref != first_ref
    assert list(Entry.objects.values_list("ref", flat=True)) == [row.ref]


def test_an_opted_out_house_withdraws_everything(house, settings):
    services.publication_run()
    settings.TAFEL_FEDERATION_PUBLISH = False
    services.publication_run()
    assert not Entry.objects.exists()
    answer = ask(house.worker, first_names="Pieter", last_name="Janssen", date_of_birth=DOB)
    assert answer.found == []


def test_publication_resumes_after_an_outage(house, monkeypatch):
    from tafel.cases.services import PersonInput

    make_case(
        house.worker,
        make_municipality(),
        persons=[
            PersonInput(first_names=f"Kind{i}", last_name="Janssen", date_of_birth=DOB, role="kind") for i in range(3)
        ],
    )
    monkeypatch.setattr(services, "PUBLISH_BATCH", 2)
    calls = {"n": 0}
    real = client.transport

    def flaky(url, body, headers, timeout):
        calls["n"] += 1
        if calls["n"] == 2:
            raise TimeoutError
        return real(url, body, headers, timeout)

    monkeypatch.setattr(client, "transport", flaky)
    first = services.publication_run()
    assert (first.sent, first.pending, first.error) == (2, 2, "timeout")
    assert AuditEvent.objects.filter(reason="federation.publish_incomplete").exists()
    second = services.publication_run()
    assert (second.marked, second.sent, second.pending) == (0, 2, 0)
    assert Entry.objects.count() == 4


def test_an_unreachable_hub_is_an_answer_not_an_error(house, monkeypatch):
    def down(url, body, headers, timeout):
        raise ConnectionRefusedError

    monkeypatch.setattr(client, "transport", down)
    answer = ask(house.worker, first_names="Pieter", last_name="Janssen", date_of_birth=DOB)
    assert answer.status == "niet_bereikbaar"
    assert AuditEvent.objects.get(event_type=FederationEvent.FEDERATION_RESULT).reason == "federation.hub_unreachable"
    assert services.publication_run().error == "connection"


def test_an_intake_waits_for_the_hub_at_most_once_and_at_most_the_federation_timeout(house, monkeypatch, settings):
    """How long an intake can hang on a slow hub, pinned without a clock: one call, with the configured
    timeout (the processes test stops the hub for real)."""
    settings.TAFEL_FEDERATION_TIMEOUT_MS = 1234
    timeouts: list[float] = []

    def slow(url, body, headers, timeout):
        timeouts.append(timeout)
        raise TimeoutError

    monkeypatch.setattr(client, "transport", slow)
    answer = ask(house.worker, first_names="Pieter", last_name="Janssen", date_of_birth=DOB)
    assert answer.status == "niet_bereikbaar"
    assert timeouts == [1.234]


def test_an_unreachable_house_is_reported_as_such(house, monkeypatch):
    services.publication_run()

    def down(url, body, headers, timeout):
        raise TimeoutError

    monkeypatch.setattr(hub_services, "transport", down)
    answer = ask(house.worker, first_names="Pieter", last_name="Janssen", date_of_birth=DOB)
    assert answer.status == "ok"
    assert [(h.code, h.status) for h in answer.houses] == [("zvh-b", "niet_bereikbaar")]


def test_too_little_typed_does_not_leave_the_house(house, monkeypatch):
    monkeypatch.setattr(client, "transport", None)  # any call would fail loudly
    assert ask(house.worker, last_name="Janssen").status == "niet_gevraagd"
    assert not AuditEvent.objects.filter(event_type=FederationEvent.FEDERATION_CHECK).exists()


def test_hub_rate_limits_each_house(house, settings):
    settings.HUB_CHECKS_PER_MINUTE = 2
    for _ in range(2):
        assert ask(house.worker, last_name="Bakker", date_of_birth=DOB).status == "ok"
    assert ask(house.worker, last_name="Bakker", date_of_birth=DOB).status == "niet_bereikbaar"
    assert AuditRecord.objects.filter(event="rate_limited", house_code="zvh-a").count() == 1


def _signed_hub_request(body: bytes, secret: str, key_id: str = "zvh-a"):
    headers = protocol.sign_request(secret=secret, key_id=key_id, method="POST", path="/v1/check", body=body)
    return RequestFactory().post("/v1/check", data=body, content_type="application/json", headers=headers)


def test_hub_refuses_unsigned_forged_and_replayed_requests(house):
    body = b'{"tokens": {"nd": []}}'
    assert (
        hub_views.check(RequestFactory().post("/v1/check", data=body, content_type="application/json")).status_code
        == 401
    )
    assert hub_views.check(_signed_hub_request(body, "x" * 40)).status_code == 401
    request = _signed_hub_request(body, "a" * 40)
    assert hub_views.check(request).status_code == 200
    assert hub_views.check(request).status_code == 401  # the same nonce again
    bad = _signed_hub_request(b'{"tokens": {"nd": ["not-a-token"]}}', "a" * 40)
    assert hub_views.check(bad).status_code == 422


def test_house_answer_endpoint_refuses_anything_but_the_hub(house, client):
    url = reverse("federation:answer")
    body = b'{"asking_house": "zvh-a", "refs": []}'
    assert client.post(url, data=body, content_type="application/json").status_code == 401
    headers = protocol.sign_request(secret="b" * 40, key_id="zvh-a", method="POST", path=url, body=body)
    assert client.post(url, data=body, content_type="application/json", headers=headers).status_code == 401
    headers = protocol.sign_request(secret="b" * 40, key_id="hub", method="POST", path=url, body=body)
    response = client.post(url, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json() == {"matches": []}


def test_screening_page_shows_known_in_another_house(house, client):
    services.publication_run()
    client.force_login(house.worker)
    data = {"form-0-first_names": "Pieter", "form-0-last_name": "Janssen", "form-0-date_of_birth": "1980-03-14"}
    local = client.post(reverse("cases:person_match") + "?prefix=form-0", data)
    assert reverse("federation:check") in local.content.decode()
    with as_house_a():
        page = client.post(reverse("federation:check") + "?prefix=form-0", data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bekend bij ZVH Utrecht" in html and "Rian Regisseur" in html and "030-1234567" in html


def test_screening_page_says_niet_bereikbaar_when_the_hub_is_down(house, client, monkeypatch):
    def down(url, body, headers, timeout):
        raise TimeoutError

    from tafel.federation import client as federation_client

    monkeypatch.setattr(federation_client, "transport", down)
    client.force_login(house.worker)
    data = {"form-0-last_name": "Janssen", "form-0-date_of_birth": "1980-03-14"}
    page = client.post(reverse("federation:check") + "?prefix=form-0", data)
    assert page.status_code == 200 and "niet bereikbaar" in page.content.decode()


def test_screening_without_federation_asks_nobody(db, client, settings):
    settings.TAFEL_FEDERATION_HUB_URL = ""
    worker = make_user(make_org(), Role.PROFESSIONAL)
    client.force_login(worker)
    data = {"form-0-last_name": "Janssen", "form-0-date_of_birth": "1980-03-14"}
    local = client.post(reverse("cases:person_match") + "?prefix=form-0", data)
    assert reverse("federation:check") not in local.content.decode()


def test_api_federated_match(house, client):
    services.publication_run()
    client.force_login(house.worker)
    with as_house_a():
        response = client.post(
            "/api/v1/persons/federated-match",
            data={"last_name": "Janssen", "first_names": "Pieter", "date_of_birth": "1980-03-14"},
            content_type="application/json",
            headers={"X-CSRFToken": "x"},
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok" and body["houses"][0]["matches"][0]["kind"] == "open"


def test_retention_destroys_the_case_and_the_tokens_are_withdrawn(house):
    from tafel.privacy.services.retention import retention_run

    services.publication_run()
    Case.objects.filter(pk=house.case.pk).update(
        status=CaseStatus.AFGESLOTEN, closed_at=timezone.now() - datetime.timedelta(days=3700)
    )
    retention_run()
    assert not Person.objects.exists()
    result = services.publication_run()
    assert result.withdrawn == 1 and not Entry.objects.exists()
    assert Publication.objects.get().state == PublicationState.WITHDRAWN


def test_an_unchanged_run_makes_no_tokens_and_only_an_edit_is_republished(house, monkeypatch, settings):
    from tafel.federation import tokens

    services.publication_run()
    made = []
    real = tokens.tokens_for
    monkeypatch.setattr(tokens, "tokens_for", lambda p, **kw: made.append(p) or real(p, **kw))

    again = services.publication_run()
    assert (again.marked, again.sent, made) == (0, 0, [])

    # An edit outside the token sources changes nothing; a corrected surname is sent again under the same ref.
    Person.objects.update(address="Nieuwe straat 1")
    assert services.publication_run().sent == 0 and made == []
    ref = Publication.objects.get().ref
    Person.objects.update(last_name="Jansen")
    assert services.publication_run().sent == 1 and len(made) == 1
    assert Publication.objects.get().ref == ref
    assert ask(house.worker, first_names="Pieter", last_name="Jansen", date_of_birth=DOB).found

    # A new federation key makes every token new: all persons are made and sent again.
    made.clear()
    settings.TAFEL_FEDERATION_KEY = "k" * 40
    assert services.publication_run().sent == 1 and len(made) == 1
