"""The audit log's hash chain (BIO 8.15: protection of log information against tampering that an independent
officer can verify).

Every row gets a place in one chain: a sequence number `seq`, the hash of the row before it (`prev_hash`) and
its own `hash` — SHA-256 over the previous hash, its number and every field of its content. Changing, removing
or re-ordering a row after it was sealed breaks the chain at that row, and `manage.py audit_verify` names it.

Rows are sealed right after the transaction that wrote them commits (`schedule_seal`), in one short
transaction that locks the chain's head row (`AuditChainHead`): writers in parallel — several web processes,
the worker — therefore never fork the chain, and a service's own transaction never waits on the chain while
holding locks of its own (no deadlocks between the audit log and domain rows). Rows a crash left unsealed are
sealed by the next seal (in the order they were written), by the periodic task and by `audit_verify`.

When old months are removed by the audit log's retention (a dropped partition on PostgreSQL), `AuditArchive`
keeps the number and hash of the last removed row: the anchor from which the rest is still verified.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connection, transaction

from tafel.core.models import AuditArchive, AuditChainHead, AuditEvent

log = logging.getLogger(__name__)

GENESIS = "0" * 64
# The fields a row's hash covers, in this order.
CONTENT_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "event_type",
    "case_id",
    "person_id",
    "reason",
    "details",
    "channel",
    "outcome",
    "roles",
    "purpose",
    "origin",
    "request_id",
)
# How many rows one sealing transaction takes: the commit of a request seals its own few rows; a backlog
# (after a crash, or the rows of an older version at the first start) is sealed in batches of this size.
BATCH = 2000


def _plain(name: str, value):
    if name == "at":
        # To the millisecond: what Django's JSON serialisation keeps, so a row restored from a backup
        # (tafel/core/backup.py) hashes as it did when it was sealed.
        return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds")
    return value


def digest(prev_hash: str, seq: int, values: dict) -> str:
    """The hash of one row: the previous hash, the row's number and its content, as canonical JSON."""
    payload = [prev_hash, seq, *(_plain(name, values[name]) for name in CONTENT_FIELDS)]
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _head_locked() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": ""})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _anchor() -> tuple[int, str]:
    """Where the chain starts: after the last removed month, or at the beginning."""
    archive = AuditArchive.objects.filter(last_seq__isnull=False).order_by("-last_seq").first()
    if archive is None:
        return 0, GENESIS
    return archive.last_seq, archive.last_hash


def seal_pending(*, limit: int | None = None) -> int:
    """Give every committed row without a place in the chain its number and hashes, oldest first. Returns the
    number of rows sealed. `limit` caps the work (the commit of a request seals at most one batch)."""
    sealed = 0
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    while limit is None or sealed < limit:
        with transaction.atomic():
            head = _head_locked()
            rows = list(
                AuditEvent.objects.filter(seq__isnull=True).order_by("id").values("id", *CONTENT_FIELDS)[:BATCH]
            )
            if not rows:
                break
            seq, prev = head.seq, head.hash
            if not prev:
                seq, prev = _anchor()
            updates = []
            for row in rows:
                seq += 1
                current = digest(prev, seq, row)
                # `at` is in the condition so PostgreSQL touches only the row's own month partition.
                at = connection.ops.adapt_datetimefield_value(row["at"])
                updates.append((seq, prev, current, row["id"], at))
                prev = current
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s "  # noqa: S608 - table name from the model
                    "WHERE id = %s AND at = %s AND seq IS NULL",
                    updates,
                )
                if cursor.rowcount not in (-1, len(updates)):
                    raise RuntimeError("Audit chain: a row to seal was not found; nothing sealed.")
            AuditChainHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev)
        sealed += len(rows)
        if len(rows) < BATCH:
            break
    return sealed


def _seal_after_commit() -> None:
    try:
        seal_pending(limit=BATCH)
    except OperationalError as exc:
        # A locked SQLite database: the rows stay unsealed until the next seal (the next commit, the
        # one-minute task or audit_verify); the request that wrote them must not fail for it.
        log.warning("audit chain: sealing postponed (%s)", exc)


def schedule_seal() -> None:
    """Seal the rows of the current transaction once it commits. One callback per transaction however many
    rows it writes. TAFEL_AUDIT_SEAL_ON_COMMIT=false leaves sealing to
    the periodic task and `audit_verify` (the test settings do so on SQLite in memory, whose shared cache
    refuses a second writer at once instead of waiting)."""
    if not getattr(settings, "TAFEL_AUDIT_SEAL_ON_COMMIT", True):
        return
    if not connection.in_atomic_block:
        # A row written outside a transaction is a read's record or a refusal: the next write's commit or the
        # one-minute task seals it. Sealing here would add a transaction that locks the chain head (four
        # queries) to every page view and line all concurrent reads up behind that lock (issue 14).
        return
    if connection.in_atomic_block and any(
        entry[1] is _seal_after_commit for entry in getattr(connection, "run_on_commit", [])
    ):
        return
    transaction.on_commit(_seal_after_commit)


@dataclass
class Verification:
    ok: bool
    checked: int
    problem: str = ""
    row_id: int | None = None
    seq: int | None = None


def verify() -> Verification:
    """Walk the chain from its anchor to its head, recomputing every hash. Stops at the first row where it
    breaks and says which row and how."""
    expected_seq, prev = _anchor()
    checked = 0
    rows = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("seq")
        .values("id", "seq", "prev_hash", "hash", *CONTENT_FIELDS)
    )
    for row in rows.iterator(chunk_size=5000):
        expected_seq += 1
        if row["seq"] != expected_seq:
            if row["seq"] < expected_seq:
                problem = f"volgnummer {row['seq']} komt twee keer voor"
            else:
                problem = f"regel(s) met volgnummer {expected_seq} t/m {row['seq'] - 1} ontbreken"
            return Verification(False, checked, problem, row["id"], row["seq"])
        if row["prev_hash"] != prev:
            return Verification(False, checked, "sluit niet aan op de vorige regel", row["id"], row["seq"])
        if digest(prev, row["seq"], row) != row["hash"]:
            return Verification(False, checked, "inhoud gewijzigd na het vastleggen", row["id"], row["seq"])
        prev = row["hash"]
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq and (head.seq != expected_seq or head.hash != prev):
        return Verification(
            False,
            checked,
            f"de keten eindigt bij volgnummer {expected_seq}, maar is tot {head.seq} vastgelegd: regels aan het eind "
            "ontbreken",
            None,
            expected_seq + 1,
        )
    return Verification(True, checked)
