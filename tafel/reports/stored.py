"""Stored figures of closed quarters (issue 14 item 4; docs/decisions/0012-stored-quarter-figures.md).

A closed quarter's figure is what the live computation gives, stored the first time it is computed and read
back while nothing that could change it has happened since:

- **What is stored**: the unsuppressed `Result` of one indicator for one quarter, one set of filters
  (municipality, theme, route, organisation, overleg type) and one language (its labels are text), computed
  from the same code
  (`definitions()`: a release that changes an indicator computes anew). Suppression and the access check are
  applied on top when it is read, exactly as on a freshly computed result, so a stored figure is shown to
  whoever the live one would be shown to, suppressed the same way.
- **When a figure is stored**: for a quarter that ended, once the indicator has settled
  (`Indicator.settles_after_days`: re-entry within 12 months stays live for a year after the quarter).
- **When it is no longer served**: every audited write (NEN 7513 action C, U or D) to a case raises the
  version of every quarter that ends after the case was created, i.e. of every quarter the case can count in;
  a write to no case (configuration, a person, a meeting without a case) or to a case that is gone
  (retention) raises all of them. A figure stored under an older version is computed anew. The version is
  read before the figures are computed and raised after the write committed, so a computation that may have
  missed a write always carries an older version than the one the write left behind.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import pickle
import threading
from functools import cache
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Count, F, Min
from django.utils import timezone, translation

from tafel.core.databases import monitor_database
from tafel.core.registry import audit_event_action
from tafel.reports.indicators.base import Indicator, Params, Result

logger = logging.getLogger(__name__)


@cache
def definitions() -> str:
    """A fingerprint of the code that computes the figures: the indicator package and the periods."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted((here / "indicators").glob("*.py")) + [here / "periods.py"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def filters_key(params: Params) -> str:
    """The filters besides the period, and the language: a result holds its labels and notes as text in the
    language it was computed in."""
    return (
        f"lang={translation.get_language() or ''}|m={params.municipality_id or ''}|t={params.theme}|"
        f"r={params.route}|o={params.organisation_id or ''}|ot={params.overleg_type}"
    )


def storable(indicator: Indicator, params: Params, now: datetime.datetime | None = None) -> bool:
    """Whether this figure is one of a closed quarter that no longer moves by itself."""
    period = params.period
    if period.kind != "quarter" or not indicator.available:
        return False
    now = now or timezone.now()
    return period.end + datetime.timedelta(days=indicator.settles_after_days) <= now


class Batch:
    """The stored figures of one computation: which were found, and the quarters' versions to store the others
    under (read before anything is computed)."""

    def __init__(self, pairs: list[tuple[Indicator, Params]]) -> None:
        now = timezone.now()
        self.pairs = [(i, p) for i, p in pairs if storable(i, p, now)]
        self.versions: dict[datetime.date, tuple[int, int]] = {}  # first day → (quarter id, version)
        self.found: dict[tuple, Result] = {}
        if not self.pairs:
            return
        from tafel.reports.models import MonitorQuarter, StoredFigure

        days = {p.period.first_day for _, p in self.pairs}
        self.versions = {
            first_day: (pk, version)
            for pk, first_day, version in MonitorQuarter.objects.using(monitor_database())
            .filter(first_day__in=days)
            .values_list("pk", "first_day", "version")
        }
        missing = [p.period for _, p in self.pairs if p.period.first_day not in self.versions]
        if missing:
            # Version 1 for a quarter never stored: made on the primary, read back from it below. With a replica
            # the figures are stored only once the replica has the quarter's row (the next computation).
            MonitorQuarter.objects.bulk_create(
                [MonitorQuarter(first_day=p.first_day, ends_at=p.end) for p in {p for p in missing}],
                ignore_conflicts=True,
            )
            if monitor_database() == DEFAULT_DB_ALIAS:
                self.versions.update(
                    {
                        first_day: (pk, version)
                        for pk, first_day, version in MonitorQuarter.objects.filter(
                            first_day__in=[p.first_day for p in missing]
                        ).values_list("pk", "first_day", "version")
                    }
                )
        wanted = {(p.period.first_day, filters_key(p), i.code): (i, p) for i, p in self.pairs}
        ids = {pk: first_day for first_day, (pk, _) in self.versions.items()}
        rows = StoredFigure.objects.using(monitor_database()).filter(
            quarter_id__in=list(ids),
            definitions=definitions(),
            indicator__in={i.code for i, _ in self.pairs},
            filters__in={filters_key(p) for _, p in self.pairs},
        )
        for quarter_id, indicator, filters, version, blob in rows.values_list(
            "quarter_id", "indicator", "filters", "version", "result"
        ):
            first_day = ids[quarter_id]
            pair = wanted.get((first_day, filters, indicator))
            if pair is None or version != self.versions[first_day][1]:
                continue
            # Our own rows, written below from our own Result objects: never input from outside.
            self.found[pair[0].result_key(pair[1])] = pickle.loads(bytes(blob))  # noqa: S301

    def store(self, results: dict[tuple, Result]) -> None:
        """Store the computed figures of settled closed quarters under the versions read before computing."""
        from tafel.reports.models import StoredFigure

        now = timezone.now()
        rows = []
        for indicator, params in self.pairs:
            key = indicator.result_key(params)
            quarter = self.versions.get(params.period.first_day)
            if key in self.found or key not in results or quarter is None:
                continue
            rows.append(
                StoredFigure(
                    quarter_id=quarter[0],
                    indicator=indicator.code,
                    filters=filters_key(params),
                    definitions=definitions(),
                    version=quarter[1],
                    result=pickle.dumps(results[key], protocol=pickle.HIGHEST_PROTOCOL),
                    computed_at=now,
                )
            )
        if not rows:
            return
        StoredFigure.objects.filter(quarter_id__in={r.quarter_id for r in rows}).exclude(
            definitions=definitions()
        ).delete()
        StoredFigure.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["quarter", "filters", "indicator", "definitions"],
            update_fields=["version", "result", "computed_at"],
        )


# --- invalidation -----------------------------------------------------------------------------------------

_pending = threading.local()


class _Flush:
    """The cases written in one transaction, marked after it commits (one callback per transaction)."""

    def __init__(self) -> None:
        self.case_ids: set[int] = set()
        self.everything = False

    def __call__(self) -> None:
        quarters_changed(case_ids=self.case_ids, everything=self.everything)


def on_audit(event: int, case_ids: tuple, person_ids: tuple) -> None:
    """The audit listener (core.registry): a write to a case marks the quarters of its life stale, a write to
    no case all of them, after the transaction commits. A rolled-back transaction marks nothing."""
    if audit_event_action(event) not in ("C", "U", "D"):
        return
    connection = transaction.get_connection()
    flush = getattr(_pending, "flush", None)
    # One callback per transaction and savepoint: Django drops the callbacks of a rolled-back transaction or
    # savepoint (`run_on_commit` holds each callback with the savepoints open when it was registered).
    savepoints = set(connection.savepoint_ids)
    registered = flush is not None and any(
        entry[1] is flush and entry[0] == savepoints for entry in connection.run_on_commit
    )
    if not registered:
        flush = _pending.flush = _Flush()
    if case_ids:
        flush.case_ids.update(case_ids)
    else:
        flush.everything = True
    if not registered:
        transaction.on_commit(flush)  # outside a transaction: runs at once


def quarters_changed(*, case_ids=(), everything: bool = False) -> int:
    """Raise the version of the stored quarters these cases can count in: the quarters that end after the case
    was created (all of them with `everything`, or when a case is gone); returns the number marked."""
    from tafel.cases.models import Case
    from tafel.reports.models import MonitorQuarter

    quarters = MonitorQuarter.objects.all()
    case_ids = set(case_ids)
    if not everything:
        if not case_ids:
            return 0
        found = Case.objects.filter(pk__in=case_ids).aggregate(n=Count("pk"), first=Min("created_at"))
        if found["n"] == len(case_ids):
            quarters = quarters.filter(ends_at__gt=found["first"])
    return quarters.update(version=F("version") + 1)


def clear() -> int:
    """Forget every stored figure (`manage.py monitor_figures --clear`)."""
    from tafel.reports.models import StoredFigure

    deleted, _ = StoredFigure.objects.all().delete()
    return deleted
