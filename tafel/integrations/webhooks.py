"""Webhook subscriptions: the event feed pushed to partner systems as signed NL GOV CloudEvents (issue 15 item 2).

- `webhook_dispatch` (a periodic task, every minute) turns new audit events of the cases a subscriber's account
  may see into `WebhookDelivery` rows and queues one `webhook_deliver_task` per delivery.
- `webhook_deliver` POSTs one CloudEvent (structured mode, `application/cloudevents+json`) signed as Standard
  Webhooks asks: `webhook-id` (stable over retries, for de-duplication), `webhook-timestamp` and
  `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. A failure is tried again on the task queue
  after TAFEL_WEBHOOK_BACKOFF_SECONDS, doubling up to an hour, at most TAFEL_WEBHOOK_MAX_ATTEMPTS times; after
  TAFEL_WEBHOOK_PAUSE_AFTER failures in a row the subscription pauses until the beheerder resumes it.
- The delivery log (status, attempts, last HTTP status or error) is the beheerder's, in beheer.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import secrets
import time

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from tafel.core.audit import audit
from tafel.core.models import AuditEvent
from tafel.integrations.audit_events import IntegrationEvent
from tafel.integrations.cloudevents import cloudevent, event_type
from tafel.integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

BATCH = 500


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except ValueError:
            pass
    return secret.encode()


def sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(_key(secret), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(*, secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does (here for the tests and as an example in docs/api.md)."""
    msg_id, stamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not stamp.isdigit() or abs(time.time() - int(stamp)) > tolerance:
        return False
    expected = sign(secret=secret, msg_id=msg_id, timestamp=int(stamp), body=body)
    return any(hmac.compare_digest(expected, s) for s in headers.get("webhook-signature", "").split())


# --- configuration (beheer) ---------------------------------------------------------------------------------


def webhook_subscription_save(*, actor, subscription: WebhookSubscription, secret: str = "") -> WebhookSubscription:
    """Create or change a subscription. A new one starts at the current end of the audit log: it receives what
    happens from now on, not the past."""
    with transaction.atomic():
        created = subscription.pk is None
        if secret:
            subscription.set_secret(secret)
        if created:
            subscription.cursor = AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0
        subscription.full_clean()
        subscription.save()
        audit(
            actor=actor,
            event=IntegrationEvent.WEBHOOK_SUBSCRIPTION_CHANGE,
            reason="webhook.created" if created else "webhook.changed",
            details={"subscription": subscription.pk, "partner_system": subscription.partner_system_id},
        )
    return subscription


def webhook_resume(*, actor, subscription: WebhookSubscription) -> int:
    """Resume a paused subscription and send what waited. Returns the number of deliveries queued again."""
    with transaction.atomic():
        sub = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        sub.paused_at = None
        sub.consecutive_failures = 0
        sub.save(update_fields=["paused_at", "consecutive_failures"])
        pending = list(sub.deliveries.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True))
        now = timezone.now()
        WebhookDelivery.objects.filter(pk__in=pending).update(next_attempt_at=now)
        for pk in pending:
            webhook_deliver_task.enqueue(pk)
        audit(
            actor=actor,
            event=IntegrationEvent.WEBHOOK_SUBSCRIPTION_CHANGE,
            reason="webhook.resumed",
            details={"subscription": sub.pk, "queued": len(pending)},
        )
    return len(pending)


# --- fan-out ------------------------------------------------------------------------------------------------


def _dispatch_one(subscription_id: int) -> int:
    from tafel.lifecycle.selectors import case_events

    with transaction.atomic():
        sub = (
            WebhookSubscription.objects.select_for_update(of=("self",))
            .select_related("partner_system__user__organisation")
            .get(pk=subscription_id)
        )
        viewer = sub.partner_system.user
        if viewer is None or not viewer.is_active or not sub.active or sub.is_paused:
            return 0
        next_cursor, events = case_events(viewer=viewer, cursor=sub.cursor, limit=BATCH)
        if next_cursor == sub.cursor:
            return 0
        wanted = set(sub.event_types)
        now = timezone.now()
        deliveries = WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    subscription=sub,
                    event_id=e.pk,
                    event_type=event_type(e.event_type),
                    case_id=e.case_id,
                    next_attempt_at=now,
                )
                for e in events
                if not wanted or event_type(e.event_type) in wanted
            ]
        )
        # Past the events left out as well (items this system may not see), so they are never examined again.
        sub.cursor = next_cursor
        sub.save(update_fields=["cursor"])
        # The task rows commit with the deliveries: both or neither.
        for delivery in deliveries:
            webhook_deliver_task.enqueue(delivery.pk)
    return len(deliveries)


def webhook_dispatch() -> int:
    """New events → deliveries, for every active subscription. Idempotent (each subscription's cursor moves in
    the same transaction as its deliveries). Returns the number of deliveries made."""
    ids = WebhookSubscription.objects.filter(active=True, paused_at__isnull=True).values_list("pk", flat=True)
    return sum(_dispatch_one(pk) for pk in ids)


# --- delivery -----------------------------------------------------------------------------------------------


def backoff(attempts: int) -> datetime.timedelta:
    seconds = settings.TAFEL_WEBHOOK_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 3600))


def _post(sub: WebhookSubscription, delivery: WebhookDelivery, body: bytes) -> tuple[bool, int | None, str]:
    msg_id = f"tafel-{sub.pk}-{delivery.event_id}"
    stamp = int(time.time())
    headers = {
        "Content-Type": "application/cloudevents+json; charset=utf-8",
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(secret=sub.secret, msg_id=msg_id, timestamp=stamp, body=body),
        "User-Agent": "Tafel-webhooks/1",
    }
    try:
        response = requests.post(
            sub.url, data=body, headers=headers, timeout=settings.TAFEL_WEBHOOK_TIMEOUT_SECONDS, allow_redirects=False
        )
    except requests.RequestException as exc:
        return False, None, type(exc).__name__[:100]
    ok = 200 <= response.status_code < 300
    return ok, response.status_code, "" if ok else f"http_{response.status_code}"


def webhook_deliver(delivery_id: int) -> str:
    """Try one delivery once. Returns its status afterwards ("delivered", "pending", "failed", or "paused")."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return delivery.status if delivery else "gone"
    sub = delivery.subscription
    if not sub.active or sub.is_paused:
        return "paused"
    event = AuditEvent.objects.filter(pk=delivery.event_id).first()
    if event is None:
        # The audit month was removed (retention) before the event could be sent.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, last_error="event_gone")
        return DeliveryStatus.FAILED
    body = json.dumps(cloudevent(event), separators=(",", ":")).encode()
    ok, status_code, error = _post(sub, delivery, body)

    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        sub = WebhookSubscription.objects.select_for_update().get(pk=sub.pk)
        if delivery.status != DeliveryStatus.PENDING:
            return delivery.status
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = status_code
        delivery.last_error = error
        if ok:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            sub.consecutive_failures = 0
        else:
            sub.consecutive_failures += 1
            if delivery.attempts >= settings.TAFEL_WEBHOOK_MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = None
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
                webhook_deliver_task.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
            if sub.paused_at is None and sub.consecutive_failures >= settings.TAFEL_WEBHOOK_PAUSE_AFTER:
                sub.paused_at = now
                audit(
                    actor=None,
                    event=IntegrationEvent.WEBHOOK_PAUSED,
                    reason="webhook.paused",
                    details={"subscription": sub.pk, "failures": sub.consecutive_failures},
                )
        delivery.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "last_status_code",
                "last_error",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
        sub.save(update_fields=["consecutive_failures", "paused_at"])
    return delivery.status


@task(queue_name="default")
def webhook_dispatch_task() -> int:
    return webhook_dispatch()


@task(queue_name="default")
def webhook_deliver_task(delivery_id: int) -> str:
    return webhook_deliver(delivery_id)
