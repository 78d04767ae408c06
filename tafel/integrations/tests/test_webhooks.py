"""Webhooks with NL GOV CloudEvents (issue 15 item 2): a receiver started by the test gets signed CloudEvents for
a case change over the task queue, and gets them again after it was down for a minute."""

from __future__ import annotations

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tafel.api.services import api_token_create
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import CaseStatus
from tafel.cases.services import case_transition
from tafel.core.models import AuditEvent
from tafel.integrations.audit_events import IntegrationEvent
from tafel.integrations.models import DeliveryStatus, PartnerSystem, WebhookDelivery, WebhookSubscription
from tafel.integrations.webhooks import verify, webhook_dispatch_task, webhook_resume, webhook_subscription_save
from tafel.jobs.worker import run_pending
from tafel.organisations.models import Role
from tafel.testing import make_user

SECRET = "whsec_" + "c2VjcmV0LXZhbi1kZS1wb2xpdGllLTEyMzQ1"


class Receiver:
    """A partner system's webhook endpoint on loopback; it can go down and come back on the same port."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.port = 0
        self.server = None
        self.start()

    def start(self):
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/tafel-events"


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture
def subscription(case, police, receiver):
    system_user = make_user(police, Role.PROFESSIONAL, username="politie-systeem")
    partner = PartnerSystem.objects.create(
        organisation=police, name="Politie BVH", oin="00000001003214345000", user=system_user
    )
    return webhook_subscription_save(
        actor=None, subscription=WebhookSubscription(partner_system=partner, url=receiver.url), secret=SECRET
    )


def _dispatch_and_run():
    webhook_dispatch_task.enqueue()
    run_pending()


def test_case_change_arrives_as_signed_cloudevent(subscription, receiver, case, procesregisseur):
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.VERRIJKEN, reason="Informatie nodig.")

    _dispatch_and_run()

    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert headers["content-type"].startswith("application/cloudevents+json")
    assert verify(secret=SECRET, headers=headers, body=body)
    assert not verify(secret="whsec_" + "b3RoZXI=", headers=headers, body=body)
    event = json.loads(body)
    transition = AuditEvent.objects.get(event_type=CaseEvent.CASE_TRANSITION)
    assert event["specversion"] == "1.0"
    assert event["type"] == "nl.tafel.case-transition"
    assert event["source"].startswith("urn:nld:oin:")
    assert event["id"] == str(transition.pk) and event["subject"] == str(case.pk)
    assert event["time"].endswith("Z") and event["sequence"] == f"{transition.pk:020d}"
    assert event["data"] == {"case_id": case.pk, "event_code": 103, "organisation_id": procesregisseur.organisation_id}
    # No personal data: the case title and person names are nowhere in the event.
    assert case.title not in body.decode() and "Jansen" not in body.decode()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1 and delivery.last_status_code == 204

    # Dispatching again sends nothing twice.
    _dispatch_and_run()
    assert len(receiver.received) == 1


def test_receiver_down_for_a_minute_gets_the_events_afterwards(subscription, receiver, case, procesregisseur, settings):
    settings.TAFEL_WEBHOOK_BACKOFF_SECONDS = 30
    receiver.stop()
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.VERRIJKEN, reason="Informatie nodig.")
    start = timezone.now()

    _dispatch_and_run()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_error == "ConnectionError" and delivery.next_attempt_at > start
    with time_machine.travel(start + datetime.timedelta(seconds=31), tick=False):
        run_pending()  # the retry after 30 s: still down
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.PENDING

    receiver.start()  # back after a minute, on the same address
    with time_machine.travel(start + datetime.timedelta(seconds=65), tick=False):
        assert run_pending() == 0  # the next retry waits 60 s after the second attempt
    with time_machine.travel(start + datetime.timedelta(seconds=95), tick=False):
        run_pending()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    ((headers, body),) = receiver.received
    assert json.loads(body)["type"] == "nl.tafel.case-transition"
    # Signed at the moment it was sent, so the receiver's freshness check passes then.
    with time_machine.travel(start + datetime.timedelta(seconds=95), tick=False):
        assert verify(secret=SECRET, headers=headers, body=body)


def test_repeated_failures_pause_the_subscription_until_resumed(
    subscription, receiver, case, procesregisseur, settings, beheerder
):
    settings.TAFEL_WEBHOOK_PAUSE_AFTER = 2
    settings.TAFEL_WEBHOOK_BACKOFF_SECONDS = 1
    receiver.stop()
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.VERRIJKEN, reason="Informatie nodig.")
    start = timezone.now()
    _dispatch_and_run()
    with time_machine.travel(start + datetime.timedelta(seconds=5), tick=False):
        run_pending()
    subscription.refresh_from_db()
    assert subscription.is_paused and subscription.consecutive_failures == 2
    assert AuditEvent.objects.filter(event_type=IntegrationEvent.WEBHOOK_PAUSED).exists()
    with time_machine.travel(start + datetime.timedelta(seconds=60), tick=False):
        run_pending()
    assert WebhookDelivery.objects.get().attempts == 2  # paused: no more attempts

    receiver.start()
    assert webhook_resume(actor=beheerder, subscription=subscription) == 1
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        run_pending()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    assert len(receiver.received) == 1


def test_only_events_of_cases_the_system_may_see(subscription, receiver, procesregisseur, municipality, ggz):
    from tafel.testing import make_case

    other = make_user(ggz, Role.PROFESSIONAL, Role.AANMELDER, username="ggz-melder")
    hidden = make_case(other, municipality)
    case_transition(actor=procesregisseur, case=hidden, to_status=CaseStatus.VERRIJKEN, reason="Informatie nodig.")

    _dispatch_and_run()

    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_cloudevents_feed(case, professional, procesregisseur):
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.VERRIJKEN, reason="Informatie nodig.")
    token = api_token_create(actor=None, user=professional, name="Feed", scopes=["cases:read"]).key

    response = Client().get("/api/v1/cloudevents", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    items = response.json()["items"]
    assert {"nl.tafel.case-transition", "nl.tafel.case-create"} <= {i["type"] for i in items}
    assert all(i["specversion"] == "1.0" and i["subject"] == str(case.pk) for i in items)


def test_beheerder_reads_the_delivery_log_and_creates_a_subscription(
    beheerder, subscription, receiver, case, procesregisseur
):
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.VERRIJKEN, reason="Informatie nodig.")
    _dispatch_and_run()
    client = Client()
    client.force_login(beheerder)

    log = client.get("/beheer/integrations/webhookdelivery/")

    assert log.status_code == 200 and "nl.tafel.case-transition" in log.content.decode()
    response = client.post(
        "/beheer/integrations/webhooksubscription/add/",
        {
            "partner_system": subscription.partner_system_id,
            "url": receiver.url,
            "secret": "",
            "event_types": "[]",
            "active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200 and "whsec_" in response.content.decode()
    assert WebhookSubscription.objects.count() == 2
    assert (
        AuditEvent.objects.filter(
            event_type=IntegrationEvent.WEBHOOK_SUBSCRIPTION_CHANGE, reason="webhook.created"
        ).count()
        == 2
    )
