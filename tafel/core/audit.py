"""Writing audit events. Only services (and the access layer for denials) call this.

What a row holds is what NEN 7513 and BIO 8.15 ask: who (user, role(s), organisation), what (event type, ids),
when, the outcome (allowed or denied), the purpose of use, where from (client address and channel) and the
request it belonged to (a W3C trace id). The request's part — trace id, address — comes from
`RequestContextMiddleware`; the API marks its channel.

Ids and codes only (issue 10 finding 8). `reason` is a short code (`escalation.directors_clock_expired`,
`case.view`), never a sentence a person typed, and `details` holds ids, numbers, booleans, dates and codes.
Anything else is refused with `AuditFreeText` — a programming error, caught by the tests: the text itself
belongs in the domain record (a status change, a closure, an escalation log), which retention destroys with
the case, while the audit log outlives it.

Call signature (kept for the callers that exist): `audit(*, actor, event, case_id=None, person_id=None,
reason="", details=None, channel=None)`, plus `outcome=` and `purpose=` (both optional: ACCESS_DENIED events
are "denied" by themselves, and each event type has a default purpose, see `default_purpose`). `actor=None` is
the system actor (tafel.core.system).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from tafel.core.audit_events import CoreEvent
from tafel.core.auditchain import schedule_seal
from tafel.core.models import AuditEvent, AuditOutcome, default_purpose
from tafel.core.registry import audit_written
from tafel.core.system import SYSTEM_LABEL, is_system_actor, system_actor

_channel: ContextVar[str] = ContextVar("audit_channel", default="web")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    origin: str = ""


_request: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)


def set_channel(channel: str) -> Token:
    """The API marks its requests so the FG can tell system access from browser access. Returns the token
    that `reset_channel` takes to restore the previous channel when the request ends."""
    return _channel.set(channel)


def reset_channel(token: Token) -> None:
    _channel.reset(token)


def set_request_context(*, request_id: str, origin: str = "") -> Token:
    """The request (or background task) the following events belong to: its W3C trace id and the client's
    address. Returns the token for `reset_request_context`."""
    return _request.set(RequestContext(request_id=request_id, origin=origin))


def reset_request_context(token: Token) -> None:
    _request.reset(token)


def new_request_id() -> str:
    """A W3C trace id: 32 lower-case hex digits, not all zero."""
    return secrets.token_hex(16)


def current_request_id() -> str:
    ctx = _request.get()
    return ctx.request_id if ctx else ""


# --- ids and codes only -------------------------------------------------------------------------------------


class AuditFreeText(ValueError):
    """A caller tried to put free text into the audit log. Pass a code and ids; the text stays in the record."""


# A reason code: lower case words joined by `.`, `:`, `_` or `-` ("case.view", "escalation.directors_informed").
REASON_CODE = re.compile(r"^[a-z][a-z0-9_]*(?:[.:\-][a-z0-9_]+)*$")
DETAIL_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# A string value in details: an id, a code, an ISO date or moment, a token prefix — no spaces, at most 64 chars.
DETAIL_VALUE = re.compile(r"^[A-Za-z0-9_.:+\-]{0,64}$")


def _check_reason(reason: str) -> str:
    if reason is None or reason == "":
        return ""
    if not isinstance(reason, str) or len(reason) > 64 or not REASON_CODE.match(reason):
        raise AuditFreeText(f"Audit reason must be a code (e.g. 'case.view'), not {reason!r}.")
    return reason


def _check_details(value, path: str = "details"):
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        if not DETAIL_VALUE.match(value):
            raise AuditFreeText(f"{path} holds text {value!r}: the audit log keeps ids and codes only.")
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [_check_details(v, f"{path}[]") for v in items]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or not DETAIL_KEY.match(key):
                raise AuditFreeText(f"{path} has key {key!r}: keys are codes.")
            out[key] = _check_details(item, f"{path}.{key}")
        return out
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise AuditFreeText(f"{path} holds a {type(value).__name__}: the audit log keeps ids and codes only.")


# --- who ----------------------------------------------------------------------------------------------------


def _label(actor) -> str:
    if actor is None or is_system_actor(actor):
        return SYSTEM_LABEL
    return f"{actor.get_full_name() or actor.username} ({actor.username})"


def _roles(actor) -> str:
    if actor is None or is_system_actor(actor):
        return "systeem"
    return ",".join(sorted(getattr(actor, "role_codes", ()) or ()))


def _row(
    actor,
    event,
    *,
    case_id=None,
    person_id=None,
    reason="",
    details=None,
    channel=None,
    outcome=None,
    purpose=None,
    now=None,
    ctx=None,
) -> AuditEvent:
    if outcome is None:
        outcome = AuditOutcome.DENIED if int(event) == CoreEvent.ACCESS_DENIED else AuditOutcome.ALLOWED
    return AuditEvent(
        at=now,
        actor=actor,
        actor_label=_label(actor),
        organisation_id=getattr(actor, "organisation_id", None),
        event_type=event,
        case_id=case_id,
        person_id=person_id,
        reason=reason,
        details=details,
        channel=channel or _channel.get(),
        outcome=outcome,
        roles=_roles(actor)[:200],
        purpose=purpose or default_purpose(event),
        origin=ctx.origin if ctx else "",
        request_id=ctx.request_id if ctx else "",
    )


def _actor(actor):
    if actor is None:
        return system_actor()
    return actor if actor.pk else None


def audit(
    *,
    actor,
    event: int,
    case_id: int | None = None,
    person_id: int | None = None,
    reason: str = "",
    details: dict | None = None,
    channel: str | None = None,
    outcome: str | None = None,
    purpose: str | None = None,
) -> AuditEvent:
    reason = _check_reason(reason)
    details = _check_details(details or {})
    row = _row(
        _actor(actor),
        event,
        case_id=case_id,
        person_id=person_id,
        reason=reason,
        details=details,
        channel=channel,
        outcome=outcome,
        purpose=purpose,
        now=timezone.now(),
        ctx=_request.get(),
    )
    _insert_one(row)
    schedule_seal()
    audit_written(int(event), (case_id,) if case_id else (), (person_id,) if person_id else ())
    return row


def audit_many(
    *,
    actor,
    event: int,
    case_ids: Iterable[int] = (),
    person_ids: Iterable[int] = (),
    reason="",
    purpose: str | None = None,
) -> None:
    """One event per case/person in a single insert (list pages show many records at once)."""
    reason = _check_reason(reason)
    case_ids = [int(c) if c is not None else None for c in case_ids]
    person_ids = [int(p) if p is not None else None for p in person_ids]
    if not case_ids and not person_ids:
        return
    template = _row(
        _actor(actor), event, reason=reason, details={}, purpose=purpose, now=timezone.now(), ctx=_request.get()
    )
    _insert_copies(template, [(cid, None) for cid in case_ids] + [(None, pid) for pid in person_ids])
    schedule_seal()
    audit_written(int(event), tuple(c for c in case_ids if c), tuple(p for p in person_ids if p))


def _insert_one(row: AuditEvent) -> None:
    """`row.save()` for a new row, without the model's save machinery (issue 14 item 3: every case page and API
    case writes one): the same INSERT of the same prepared values (`pre_save`, then `get_db_prep_save`, as Django's
    insert compiler does), the new id read back with RETURNING. AuditEvent has no save signals' receivers; where
    the backend cannot return the id, Django's own save."""
    if not connection.features.can_return_columns_from_insert:
        row.save()
        return
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    params = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(fields, returning=True), params)
        row.pk = cursor.fetchone()[0]
    row._state.adding = False
    row._state.db = connection.alias


_INSERT_SQL: dict = {}


def _insert_sql(fields, *, returning: bool = False) -> str:
    key = (connection.vendor, returning)
    sql = _INSERT_SQL.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 - names from the model
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        if returning:
            sql += f" RETURNING {quote(AuditEvent._meta.pk.column)}"
        sql = _INSERT_SQL[key] = sql
    return sql


def _insert_copies(template: AuditEvent, targets: list[tuple[int | None, int | None]]) -> None:
    """`template`'s row once per (case id, person id) of `targets`, in one `executemany`. The rows differ only
    in those two ids, so each field is prepared for the database once: `bulk_create` would build a model and
    prepare every field of every row, a fifth of the werkvoorraad's CPU for its 75 rows (issue 14 item 3)."""
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    values = {f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    names = [f.attname for f in fields]
    at_case, at_person = names.index("case_id"), names.index("person_id")
    row = [values[name] for name in names]
    params = []
    for case_id, person_id in targets:
        row[at_case], row[at_person] = case_id, person_id
        params.append(tuple(row))
    sql = _insert_sql(fields)
    # All rows or none, in one transaction as bulk_create does (outside one, PostgreSQL would commit each row).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, params)


def query_details(params, *, text_fields: Iterable[str] = ("user", "q")) -> dict:
    """The filters of a search for the audit log: ids, codes and dates with their value, text a person typed
    (a name to search for) only as "used" — the log keeps no typed text (issue 10 finding 8)."""
    out: dict = {}
    for key, value in params.items():
        if not isinstance(key, str) or not DETAIL_KEY.match(key) or value in ("", None):
            continue
        if key in text_fields or not isinstance(value, str) or not DETAIL_VALUE.match(value):
            out[key] = True
        else:
            out[key] = value
    return out


def audit_list(*, actor, list_code: str, case_ids: Iterable[int | None] = (), shown: int = 0) -> None:
    """A list that shows personal data is a read like a page about one case (issue 10, finding 11): one row
    per case it shows, with the list as a code (`list.werkvoorraad`); one row without a case when it shows
    only items of no case (a message). Nothing when it shows nothing."""
    ids = sorted({int(c) for c in case_ids if c})
    reason = f"list.{list_code}"
    if ids:
        audit_many(actor=actor, event=CoreEvent.CASE_LIST, case_ids=ids, reason=reason)
    elif shown:
        audit(actor=actor, event=CoreEvent.CASE_LIST, reason=reason, details={"n": int(shown)})
