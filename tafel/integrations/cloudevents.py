"""Tafel's events as CloudEvents 1.0 in the NL GOV profile (issue 15 item 2).

One audit event that changed a case is one CloudEvent:

    specversion  "1.0"
    type         "nl.tafel." + the event's code in kebab case, e.g. "nl.tafel.case-transition"
    source       TAFEL_CLOUDEVENTS_SOURCE, a URN naming the house's Tafel ("urn:nld:oin:<OIN>:systeem:tafel")
    id           the audit event's id (unique and increasing within the source)
    time         when it happened (RFC 3339, UTC)
    subject      the case id (an internal number, no personal data)
    datacontenttype "application/json"
    dataref      where the case can be read (needs a token that may see it)
    sequence     the id again, zero-padded to 20 digits so that it orders as text (the CloudEvents sequence
                 extension the NL GOV profile names for ordering)
    data         {case_id, event_code, organisation_id}

No personal data in attributes or data: names, BSNs and text stay behind the API's access checks.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from tafel.core.models import AuditEvent
from tafel.core.registry import audit_event_type

SPECVERSION = "1.0"


def event_type(code: int) -> str:
    member = audit_event_type(code)
    name = member.name if member is not None else f"event-{code}"
    return "nl.tafel." + name.lower().replace("_", "-")


def cloudevent(event: AuditEvent) -> dict:
    base = settings.TAFEL_PUBLIC_URL
    at = event.at.astimezone(datetime.UTC)
    return {
        "specversion": SPECVERSION,
        "type": event_type(event.event_type),
        "source": settings.TAFEL_CLOUDEVENTS_SOURCE,
        "id": str(event.pk),
        "time": at.isoformat().replace("+00:00", "Z"),
        "subject": str(event.case_id) if event.case_id else None,
        "datacontenttype": "application/json",
        "dataref": f"{base}/api/v1/cases/{event.case_id}" if event.case_id else None,
        "sequence": f"{event.pk:020d}",
        "data": {
            "case_id": event.case_id,
            "event_code": int(event.event_type),
            "organisation_id": event.organisation_id,
        },
    }
