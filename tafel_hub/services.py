"""The hub's work: verify who is calling, store a house's publication, match a check, and ask the houses that
hold a match for their dat-informatie within a deadline."""

from __future__ import annotations

import base64
import datetime
import json
import logging
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from tafel.federation import protocol
from tafel_hub.models import AuditRecord, Entry, House, HubEvent, Nonce, RateWindow

log = logging.getLogger(__name__)

# The most entries per house passed on to that house in one answer.
MAX_MATCHES_PER_HOUSE = 10
# How many fuzzy candidates one check scores at most (a block is about 100 persons at national scale).
MAX_FUZZY_CANDIDATES = 2000


class HubError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, status: int | None = None) -> None:
        super().__init__(code or self.code)
        self.code = code or self.code
        self.status = status or self.status


def record(event: str, *, house_code: str = "", request_id: str = "", **details) -> None:
    AuditRecord.objects.create(
        at=timezone.now(), house_code=house_code, event=event, request_id=request_id[:64], details=details
    )


# --- who is calling -----------------------------------------------------------------------------------------


def authenticate(*, method: str, path: str, body: bytes, headers: dict) -> House:
    """The house that signed this request, or HubError 401. A nonce is accepted once (replay)."""
    key_id = headers.get(protocol.HEADER_KEY_ID, "")
    house = House.objects.filter(code=key_id, active=True).first() if key_id else None
    if house is None:
        record(HubEvent.DENIED, details_code="unknown_house")
        raise HubError("unknown_house", 401)
    try:
        _, nonce = protocol.verify_request(secret=house.secret, method=method, path=path, body=body, headers=headers)
    except protocol.SignatureInvalid as exc:
        record(HubEvent.DENIED, house_code=house.code, reason=str(exc))
        raise HubError(str(exc), 401) from exc
    now = timezone.now()
    try:
        with transaction.atomic():
            Nonce.objects.create(key_id=house.code, nonce=nonce, seen_at=now)
    except IntegrityError as exc:
        record(HubEvent.DENIED, house_code=house.code, reason="replay")
        raise HubError("replay", 401) from exc
    Nonce.objects.filter(seen_at__lt=now - datetime.timedelta(seconds=2 * protocol.MAX_SKEW_SECONDS)).delete()
    return house


def rate_limit(house: House) -> None:
    """At most HUB_CHECKS_PER_MINUTE checks per house per clock minute; beyond it 429."""
    window = timezone.now().replace(second=0, microsecond=0)
    with transaction.atomic():
        row, _ = RateWindow.objects.get_or_create(house=house, window=window)
        updated = RateWindow.objects.filter(pk=row.pk, count__lt=settings.HUB_CHECKS_PER_MINUTE).update(
            count=F("count") + 1
        )
    RateWindow.objects.filter(house=house, window__lt=window - datetime.timedelta(minutes=5)).delete()
    if not updated:
        record(HubEvent.RATE_LIMITED, house_code=house.code)
        raise HubError("rate_limited", 429)


# --- publication --------------------------------------------------------------------------------------------


_TOKEN_RE = re.compile(r"[0-9a-f]{32}")
_ENTRY_COLUMNS = ("bsn", "nd1", "nd2", "ndi1", "ndi2", "block1", "block2", "block3", "clk", "updated_at")


def _token(value, name: str) -> str:
    if value in (None, ""):
        return ""
    if not (isinstance(value, str) and _TOKEN_RE.fullmatch(value)):
        raise HubError(f"invalid_{name}", 422)
    return value


def _tokens(items, name: str, most: int) -> list[str]:
    if not isinstance(items, list) or len(items) > most:
        raise HubError(f"invalid_{name}", 422)
    return [t for t in (_token(v, name) for v in items) if t]


def _clk(value) -> bytes:
    if not value:
        return b""
    try:
        raw = base64.b64decode(value, validate=True)
    except (ValueError, TypeError) as exc:
        raise HubError("invalid_clk", 422) from exc
    if len(raw) > 512:
        raise HubError("invalid_clk", 422)
    return raw


def _ref(value) -> str:
    if not (isinstance(value, str) and 8 <= len(value) <= 32 and value.isalnum()):
        raise HubError("invalid_ref", 422)
    return value


@dataclass(frozen=True)
class Query:
    bsn: str
    nd: list[str]
    ndi: list[str]
    blocks: list[str]
    clk: bytes


def parse_tokens(data) -> Query:
    if not isinstance(data, dict):
        raise HubError("invalid_tokens", 422)
    return Query(
        bsn=_token(data.get("bsn"), "bsn"),
        nd=_tokens(data.get("nd", []), "nd", 2),
        ndi=_tokens(data.get("ndi", []), "ndi", 2),
        blocks=_tokens(data.get("blocks", []), "blocks", 3),
        clk=_clk(data.get("clk")),
    )


def _upsert(rows: list[tuple]) -> None:
    """One INSERT … ON CONFLICT DO UPDATE for a whole batch (SQLite ≥ 3.24 and PostgreSQL share the syntax).
    A publish of 100,000 entries spends its time here; Django's bulk_create builds an object per row first,
    which cost five times as much."""
    table = connection.ops.quote_name(Entry._meta.db_table)
    columns = ("house_id", "ref", *_ENTRY_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in _ENTRY_COLUMNS)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608
        f"ON CONFLICT (house_id, ref) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def publish(*, house: House, payload: dict) -> dict:
    """Upsert and withdraw entries of one house, in one transaction. Idempotent: a batch sent again after a
    lost answer leaves the same state."""
    upserts = payload.get("upserts", [])
    withdraw = payload.get("withdraw", [])
    if not isinstance(upserts, list) or not isinstance(withdraw, list):
        raise HubError("invalid_payload", 422)
    if len(upserts) + len(withdraw) > settings.HUB_MAX_BATCH:
        raise HubError("batch_too_large", 413)
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows = []
    for item in upserts:
        if not isinstance(item, dict):
            raise HubError("invalid_payload", 422)
        q = parse_tokens(item)
        nd, ndi, blocks = q.nd + ["", ""], q.ndi + ["", ""], q.blocks + ["", "", ""]
        rows.append((house.pk, _ref(item.get("ref")), q.bsn, *nd[:2], *ndi[:2], *blocks[:3], q.clk, stamp))
    refs_out = [_ref(r) for r in withdraw]
    with transaction.atomic():
        if payload.get("withdraw_all") is True:
            Entry.objects.filter(house=house).delete()
        if refs_out:
            Entry.objects.filter(house=house, ref__in=refs_out).delete()
        if rows:
            _upsert(rows)
        House.objects.filter(pk=house.pk).update(last_publish_at=now)
        record(
            HubEvent.PUBLISH,
            house_code=house.code,
            upserts=len(rows),
            withdrawn=len(refs_out),
            withdraw_all=payload.get("withdraw_all") is True,
        )
    return {"upserts": len(rows), "withdrawn": len(refs_out)}


# --- checks -------------------------------------------------------------------------------------------------


@dataclass
class Hit:
    house_id: int
    ref: str
    tier: str  # "exact" or "fuzzy"
    score: float


def match(*, query: Query, exclude_house_id: int | None = None) -> list[Hit]:
    """Entries of other houses that match: exact on a BSN token, or on the surname + date-of-birth token (with
    the first initial when the question names a first name); fuzzy when the Bloom filters of two entries in one
    block have a Dice coefficient of at least HUB_FUZZY_THRESHOLD. Both BSNs known and different rules a
    candidate out (as the local matcher caps it below its threshold)."""
    exact = Q(pk__in=[])
    if query.bsn:
        exact |= Q(bsn=query.bsn)
    # With a first name, the tokens with the initial; without one, the tokens of surname and birth date alone.
    names = query.ndi or query.nd
    if query.ndi:
        exact |= Q(ndi1__in=query.ndi) | Q(ndi2__in=query.ndi)
    elif query.nd:
        exact |= Q(nd1__in=query.nd) | Q(nd2__in=query.nd)
    blocked = Q(pk__in=[])
    if query.blocks and query.clk:
        blocked = Q(block1__in=query.blocks) | Q(block2__in=query.blocks) | Q(block3__in=query.blocks)
    entries = Entry.objects.filter(exact | blocked)
    if exclude_house_id is not None:
        entries = entries.exclude(house_id=exclude_house_id)
    hits: list[Hit] = []
    names_set = set(names)
    columns = ("ndi1", "ndi2") if query.ndi else ("nd1", "nd2")
    for house_id, ref, bsn, nd1, nd2, clk in entries.values_list("house_id", "ref", "bsn", *columns, "clk")[
        :MAX_FUZZY_CANDIDATES
    ]:
        if query.bsn and bsn:
            if bsn == query.bsn:
                hits.append(Hit(house_id, ref, "exact", 1.0))
            continue
        if nd1 in names_set or nd2 in names_set:
            hits.append(Hit(house_id, ref, "exact", 1.0))
            continue
        if query.clk and clk:
            score = protocol.dice(query.clk, bytes(clk))
            if score >= settings.HUB_FUZZY_THRESHOLD:
                hits.append(Hit(house_id, ref, "fuzzy", round(score, 3)))
    hits.sort(key=lambda h: (h.house_id, h.tier != "exact", -h.score, h.ref))
    return hits


def _urllib_transport(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int, bytes, str]:
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 (registered URL)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            return resp.status, resp.read(1_000_000), resp.headers.get(protocol.HEADER_SIGNATURE, "")
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


# The machine's edge towards the houses; tests replace it: (url, body, headers, timeout) -> (status, body, sig).
transport = _urllib_transport


def _ask_house(house: House, *, asking: House, hits: list[Hit], request_id: str, timeout: float) -> dict:
    body = json.dumps(
        {
            "asking_house": asking.code,
            "asking_house_name": asking.name,
            "request_id": request_id,
            "refs": [{"ref": h.ref, "tier": h.tier, "score": h.score} for h in hits[:MAX_MATCHES_PER_HOUSE]],
        }
    ).encode()
    path = urlsplit(house.answer_url).path
    headers = protocol.sign_request(
        secret=house.secret, key_id=protocol.HUB_KEY_ID, method="POST", path=path, body=body
    )
    status, raw, signature = transport(house.answer_url, body, {"Content-Type": "application/json", **headers}, timeout)
    if status != 200:
        raise ValueError(f"http_{status}")
    protocol.verify_response(
        secret=house.secret, request_nonce=headers[protocol.HEADER_NONCE], body=raw, signature=signature
    )
    data = json.loads(raw)
    matches = data.get("matches", []) if isinstance(data, dict) else []
    return {"matches": [m for m in matches if isinstance(m, dict)][:MAX_MATCHES_PER_HOUSE]}


_ANSWER_FIELDS = ("tier", "kind", "kind_label", "since", "contact_name", "contact_phone", "contact_organisation")


def _clean_match(m: dict) -> dict:
    # Only dat-informatie passes the hub, whatever a house sends: the fields of the protocol, as short text.
    return {k: str(m.get(k, ""))[:200] for k in _ANSWER_FIELDS}


def check(*, house: House, payload: dict) -> dict:
    """Match one question and ask each house with a match for its dat-informatie, all at once, each within
    HUB_ANSWER_TIMEOUT_MS; a house that does not answer in time is reported as unreachable."""
    rate_limit(house)
    query = parse_tokens(payload.get("tokens"))
    request_id = str(payload.get("request_id", ""))[:64]
    if not request_id.isalnum():
        request_id = ""
    hits = match(query=query, exclude_house_id=house.pk)
    by_house: dict[int, list[Hit]] = {}
    for hit in hits:
        by_house.setdefault(hit.house_id, []).append(hit)
    houses = {h.pk: h for h in House.objects.filter(pk__in=by_house, active=True)}
    timeout = settings.HUB_ANSWER_TIMEOUT_MS / 1000
    results = []
    if houses:
        pool = ThreadPoolExecutor(max_workers=min(8, len(houses)))
        futures = {
            pool.submit(_ask_house, h, asking=house, hits=by_house[pk], request_id=request_id, timeout=timeout): h
            for pk, h in houses.items()
        }
        done, _ = wait(futures, timeout=timeout + 0.2)
        pool.shutdown(wait=False, cancel_futures=True)
        for future, asked in sorted(futures.items(), key=lambda item: item[1].name):
            entry = {"house": asked.code, "house_name": asked.name, "status": "niet_bereikbaar", "matches": []}
            if future in done:
                try:
                    answer = future.result()
                except (OSError, ValueError, urllib.error.URLError, protocol.SignatureInvalid) as exc:
                    log.warning("house %s did not answer: %s", asked.code, type(exc).__name__)
                else:
                    entry["status"] = "ok"
                    entry["matches"] = [_clean_match(m) for m in answer["matches"]]
            results.append(entry)
    record(
        HubEvent.CHECK,
        house_code=house.code,
        request_id=request_id,
        asked=sorted(h.code for h in houses.values()),
        answered=sorted(r["house"] for r in results if r["status"] == "ok"),
        exact=sum(1 for h in hits if h.tier == "exact"),
        fuzzy=sum(1 for h in hits if h.tier == "fuzzy"),
    )
    return {"houses": [r for r in results if r["status"] != "ok" or r["matches"]]}
