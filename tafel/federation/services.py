"""Writes and remote calls of the federation: publication to the hub, the federated check at screening, and
the answer this house gives when the hub asks it (docs/federation.md)."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tafel.access.policy import may_submit_aanmelding
from tafel.core.audit import audit, current_request_id, new_request_id
from tafel.core.errors import AccessDenied
from tafel.federation import client, selectors, tokens
from tafel.federation.audit_events import FederationEvent
from tafel.federation.models import HubNonce, Publication, PublicationState
from tafel.persons import matching

log = logging.getLogger(__name__)

# Entries per publish request (the hub accepts up to HUB_MAX_BATCH).
PUBLISH_BATCH = 2000
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


# --- publication ---------------------------------------------------------------------------------------------


@dataclass
class PublishResult:
    marked: int = 0  # rows that became pending (new, changed, to withdraw) in this run
    sent: int = 0
    withdrawn: int = 0
    pending: int = 0  # left for the next run (the hub did not answer)
    error: str = ""


def _digest_wire(wire: dict) -> str:
    # Every token is hex or base64 (never "|" or ";"), so the join is unambiguous.
    parts = (wire["bsn"], ";".join(wire["nd"]), ";".join(wire["ndi"]), ";".join(wire["blocks"]), wire["clk"])
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _federation_key() -> str:
    return settings.TAFEL_FEDERATION_KEY


def _source(values: tuple, key_id: str) -> str:
    """Fingerprint of one person's token sources as read from the database (no decryption, no HMAC)."""
    return hashlib.sha1(repr((key_id, values)).encode(), usedforsecurity=False).hexdigest()


def publication_mark(*, now=None, cache: dict | None = None) -> int:
    """Compare what should be published now with the outbox and mark the differences pending: new persons,
    persons whose tokens changed (a corrected name or birth date), and persons no longer publishable (closed
    past the period, restricted, destroyed by retention, or the house opted out) to withdraw. `cache` keeps
    the tokens computed here for the send that follows in the same run.

    Incremental: a person whose source fields (and the federation key) are unchanged since the tokens were last
    made keeps its row as it is; only new or edited persons have their BSN decrypted and tokens computed."""
    now = now or timezone.now()
    # pk, person_id, state, digest, source — tuples, not model instances: a house holds a hundred thousand.
    current = {
        row[1]: row
        for row in Publication.objects.exclude(state=PublicationState.WITHDRAWN)
        .values_list("pk", "person_id", "state", "digest", "source")
        .iterator(chunk_size=5000)
    }
    withdrawn = dict(
        Publication.objects.filter(state=PublicationState.WITHDRAWN).values_list("person_id", "pk").iterator()
    )
    key = _federation_key()
    key_id = hashlib.sha256(b"tafel-federation-source:" + key.encode()).hexdigest()[:16]
    wanted: set[int] = set()
    stale: list[tuple] = []  # (values, source) of persons whose tokens must be (re)computed
    for values in selectors.publishable_persons(now=now).values_list(*selectors.TOKEN_FIELDS).iterator(chunk_size=5000):
        source = _source(values, key_id)
        row = current.get(values[0])
        if row is not None and row[4] == source and row[2] != PublicationState.WITHDRAW:
            wanted.add(values[0])
            continue
        stale.append((values, source))
    new_rows, changed, resourced = [], [], []
    for values, source in stale:
        pk = values[0]
        t = tokens.tokens_for(selectors.name_parts_from_values(values), federation_key=key)
        if t.is_empty:
            # Nothing to publish (no BSN, no surname with birth date): treated as not publishable.
            continue
        wanted.add(pk)
        wire = t.as_wire()
        digest = _digest_wire(wire)
        if cache is not None:
            cache[pk] = wire
        row = current.get(pk)
        if row is None and pk not in withdrawn:
            new_rows.append(
                Publication(
                    person_id=pk,
                    ref=secrets.token_hex(16),
                    digest=digest,
                    source=source,
                    state=PublicationState.PENDING,
                    changed_at=now,
                )
            )
        elif row is None:
            # Published before, withdrawn, and publishable again: a fresh reference, so the hub cannot tell.
            changed.append((withdrawn[pk], {"digest": digest, "source": source, "ref": secrets.token_hex(16)}))
        elif row[3] != digest or row[2] == PublicationState.WITHDRAW:
            changed.append((row[0], {"digest": digest, "source": source}))
        else:
            # Edited, but not in anything the tokens are made of: remember the new fingerprint only.
            resourced.append((row[0], source))
    gone = [row[0] for pid, row in current.items() if pid not in wanted and row[2] != PublicationState.WITHDRAW]
    with transaction.atomic():
        Publication.objects.bulk_create(new_rows, batch_size=1000)
        for pk, values in changed:
            Publication.objects.filter(pk=pk).update(state=PublicationState.PENDING, changed_at=now, **values)
        for pk, source in resourced:
            Publication.objects.filter(pk=pk).update(source=source)
        for start in range(0, len(gone), 1000):
            Publication.objects.filter(pk__in=gone[start : start + 1000]).update(
                state=PublicationState.WITHDRAW, changed_at=now
            )
    return len(new_rows) + len(changed) + len(gone)


def _send_batch(rows: list[Publication], *, key: str, cache: dict) -> None:
    upserts, withdraw = [], []
    missing = [r.person_id for r in rows if r.state == PublicationState.PENDING and r.person_id not in cache]
    for person in selectors.persons_for_tokens(missing) if missing else ():
        cache[person.pk] = tokens.tokens_for(selectors.name_parts(person), federation_key=key).as_wire()
    for row in rows:
        if row.state == PublicationState.WITHDRAW or row.person_id not in cache:
            withdraw.append(row.ref)
        else:
            upserts.append({"ref": row.ref, **cache[row.person_id]})
    client.call("publish", {"upserts": upserts, "withdraw": withdraw}, timeout=30)


def publication_send(*, now=None, cache: dict | None = None) -> PublishResult:
    """Send the pending rows in batches; each acknowledged batch is marked at once, so an outage halfway leaves
    only the rest pending and the next run resumes there."""
    result = PublishResult()
    key = _federation_key()
    cache = {} if cache is None else cache
    while True:
        read_at = timezone.now()
        rows = list(
            Publication.objects.filter(state__in=[PublicationState.PENDING, PublicationState.WITHDRAW]).order_by("pk")[
                :PUBLISH_BATCH
            ]
        )
        if not rows:
            break
        try:
            _send_batch(rows, key=key, cache=cache)
        except client.HubUnreachable as exc:
            result.error = str(exc)
            break
        sent_at = now or timezone.now()
        by_state: dict[str, list[int]] = {}
        for row in rows:
            by_state.setdefault(row.state, []).append(row.pk)
        with transaction.atomic():
            # A row changed again while its batch was under way (changed_at after the batch was read) keeps
            # its newer state for the next batch.
            for state, target in (
                (PublicationState.PENDING, PublicationState.PUBLISHED),
                (PublicationState.WITHDRAW, PublicationState.WITHDRAWN),
            ):
                Publication.objects.filter(pk__in=by_state.get(state, []), state=state, changed_at__lte=read_at).update(
                    state=target, sent_at=sent_at
                )
            result.sent += len(by_state.get(PublicationState.PENDING, []))
            result.withdrawn += len(by_state.get(PublicationState.WITHDRAW, []))
    result.pending = Publication.objects.filter(state__in=[PublicationState.PENDING, PublicationState.WITHDRAW]).count()
    return result


def publication_run(*, now=None) -> PublishResult:
    """One publication run (the periodic task, `manage.py federation_publish`): mark, then send."""
    if not client.enabled():
        return PublishResult()
    cache: dict[int, dict] = {}
    marked = publication_mark(now=now, cache=cache)
    result = publication_send(now=now, cache=cache)
    result.marked = marked
    if marked or result.sent or result.withdrawn or result.error:
        audit(
            actor=None,
            event=FederationEvent.FEDERATION_PUBLISH,
            reason="federation.publish" if not result.error else "federation.publish_incomplete",
            details={
                "marked": marked,
                "sent": result.sent,
                "withdrawn": result.withdrawn,
                "pending": result.pending,
                "error": result.error,
            },
        )
    return result


# --- the federated check (screening) -------------------------------------------------------------------------


@dataclass
class RemoteMatch:
    tier: str
    kind: str
    kind_label: str
    since: str
    contact_name: str
    contact_phone: str
    contact_organisation: str


@dataclass
class RemoteHouse:
    code: str
    name: str
    status: str  # "ok" or "niet_bereikbaar"
    matches: list[RemoteMatch] = field(default_factory=list)

    @property
    def reachable(self) -> bool:
        return self.status == "ok"


@dataclass
class FederatedResult:
    """`status`: "ok" (the hub answered), "niet_bereikbaar" (the hub did not, in time), "niet_gevraagd"
    (federation off, or too little typed to ask outside the house)."""

    status: str
    houses: list[RemoteHouse] = field(default_factory=list)
    elapsed_ms: int = 0

    @property
    def found(self) -> list[RemoteHouse]:
        return [h for h in self.houses if h.matches]

    @property
    def unreachable(self) -> list[RemoteHouse]:
        return [h for h in self.houses if not h.reachable]


def _parse_houses(data: dict) -> list[RemoteHouse]:
    houses = []
    for item in data.get("houses", []):
        if not isinstance(item, dict):
            continue
        code = str(item.get("house", ""))
        if not _CODE.match(code):
            continue
        matches = [
            RemoteMatch(**{k: str(m.get(k, ""))[:200] for k in RemoteMatch.__dataclass_fields__})
            for m in item.get("matches", [])
            if isinstance(m, dict)
        ]
        for m in matches:
            # Shown in this house's words and language; the other house's label only for a kind we do not know.
            m.kind_label = str(selectors.KIND_LABELS.get(m.kind, m.kind_label))
        status = "ok" if item.get("status") == "ok" else "niet_bereikbaar"
        houses.append(
            RemoteHouse(code=code, name=str(item.get("house_name", code))[:200], status=status, matches=matches)
        )
    return houses


def federated_check(*, viewer, query: matching.NameParts) -> FederatedResult:
    """Ask the other houses, through the hub, whether they know this person. Never raises for a remote
    failure: an unreachable hub or house is part of the answer, and intake goes on regardless.

    Audited twice in this house: the question (which identifiers left the house as tokens) and the answer
    (which houses know the person, which did not answer)."""
    if not may_submit_aanmelding(viewer):
        raise AccessDenied("U mag geen personen opzoeken.")
    if not client.enabled() or not tokens.query_allowed(query):
        return FederatedResult(status="niet_gevraagd")
    t = tokens.tokens_for(query, federation_key=_federation_key())
    request_id = current_request_id() or new_request_id()
    audit(
        actor=viewer,
        event=FederationEvent.FEDERATION_CHECK,
        reason="federation.check",
        details={"bsn": bool(t.bsn), "name_birthdate": bool(t.nd), "fuzzy": bool(t.clk), "request": request_id},
    )
    started = time.monotonic()
    try:
        data = client.call("check", {"tokens": t.as_wire(), "request_id": request_id})
    except client.HubUnreachable as exc:
        result = FederatedResult(status="niet_bereikbaar", elapsed_ms=int((time.monotonic() - started) * 1000))
        audit(
            actor=viewer,
            event=FederationEvent.FEDERATION_RESULT,
            reason="federation.hub_unreachable",
            details={"error": str(exc), "request": request_id},
        )
        return result
    result = FederatedResult(
        status="ok", houses=_parse_houses(data), elapsed_ms=int((time.monotonic() - started) * 1000)
    )
    audit(
        actor=viewer,
        event=FederationEvent.FEDERATION_RESULT,
        reason="federation.answer",
        details={
            "found": [h.code for h in result.found],
            "matches": sum(len(h.matches) for h in result.found),
            "unreachable": [h.code for h in result.unreachable],
            "request": request_id,
        },
    )
    return result


# --- answering the hub ---------------------------------------------------------------------------------------


class QuestionRejected(Exception):
    """A question from the hub that is malformed or replayed. The message is a code."""


def hub_nonce_use(nonce: str) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            HubNonce.objects.create(nonce=nonce, seen_at=now)
    except IntegrityError as exc:
        raise QuestionRejected("replay") from exc
    HubNonce.objects.filter(seen_at__lt=now - datetime.timedelta(minutes=15)).delete()


def question_answer(*, payload: dict) -> dict:
    """The hub asks: which of these references do you know, and whom should the asking house call? Answers
    only dat-informatie of persons that may be disclosed now, and audits both the question and the answer
    per person, with the asking house's code (the house sees that it was asked, and by whom)."""
    asking = payload.get("asking_house")
    refs = payload.get("refs")
    request_id = str(payload.get("request_id", ""))[:64]
    if not (isinstance(asking, str) and _CODE.match(asking)) or not isinstance(refs, list) or len(refs) > 50:
        raise QuestionRejected("invalid_question")
    if not request_id.isalnum():
        request_id = ""
    tiers = {}
    for item in refs:
        if isinstance(item, dict) and isinstance(item.get("ref"), str) and item["ref"].isalnum():
            tiers[item["ref"]] = "fuzzy" if item.get("tier") == "fuzzy" else "exact"
    rows = {
        p.ref: p
        for p in Publication.objects.filter(
            ref__in=list(tiers), state__in=[PublicationState.PUBLISHED, PublicationState.PENDING]
        )
    }
    known = selectors.involvements(p.person_id for p in rows.values())
    matches = []
    with transaction.atomic():
        for ref, row in rows.items():
            audit(
                actor=None,
                event=FederationEvent.FEDERATION_ASKED,
                person_id=row.person_id,
                reason="federation.asked",
                details={"asking_house": asking, "tier": tiers[ref], "request": request_id},
            )
            involvement = known.get(row.person_id)
            if involvement is None:
                continue
            audit(
                actor=None,
                event=FederationEvent.FEDERATION_ANSWERED,
                person_id=row.person_id,
                reason="federation.answered",
                details={"asking_house": asking, "kind": involvement.kind, "request": request_id},
            )
            matches.append(
                {
                    "tier": tiers[ref],
                    "kind": involvement.kind,
                    "kind_label": involvement.kind_label,
                    "since": involvement.since.isoformat(),
                    "contact_name": involvement.contact_name,
                    "contact_phone": involvement.contact_phone,
                    "contact_organisation": involvement.contact_organisation,
                }
            )
    return {"matches": matches}
