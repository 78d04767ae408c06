"""Reading a case's status at a moment in the past from its status history (CaseStatusChange).

A quarter's figures must not change because a case was reopened later, so the monitor never reads the
current `Case.status` or `Case.closed_at` for a past moment: it asks which status change was in force then.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tafel.cases.models import Case, CaseStatus, CaseStatusChange
from tafel.reports.indicators.base import Params, case_conditions, in_period

# The ZVH-aanpak: accepted at triage, running or followed at a distance (SPEC §3.3, §5.3).
ZVH_STATUSES = (CaseStatus.ACTIEF, CaseStatus.VOLGEN)


def cases_with_status_at(moment: datetime.datetime, statuses: Iterable[str], params: Params) -> QuerySet:
    """Cases whose status just before `moment` was one of `statuses`.

    A case whose status has not changed since before `moment` (`status_changed_at`, written by the one
    transition function together with the history row) still has that status. For a case changed since,
    the status it had then is the `from_status` of its first change at or after `moment`. Both sides read
    only recent rows, so the cost follows the number of changes since `moment`, not the size of the history."""
    statuses = list(statuses)
    unchanged = Q(status_changed_at__lt=moment, status__in=statuses)
    if moment >= timezone.now():
        return Case.objects.order_by().filter(*case_conditions(params), unchanged)
    earlier_since = CaseStatusChange.objects.filter(case_id=OuterRef("case_id"), at__gte=moment).filter(
        Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lt=OuterRef("id"))
    )
    first_change_since = (
        CaseStatusChange.objects.filter(~Exists(earlier_since), at__gte=moment, from_status__in=statuses)
        .order_by()
        .values("case_id")
    )
    return Case.objects.order_by().filter(*case_conditions(params)).filter(unchanged | Q(pk__in=first_change_since))


def zvh_case_ids_during(period) -> QuerySet:
    """The ids of the cases of `zvh_cases_during` for every filter at once, as one UNION of three small
    reads (entered in the period; unchanged since before it; first change since its start from a ZVH
    status) — without a pass over all cases. Used to fill the monitor's temporary population table."""
    entered = (
        CaseStatusChange.objects.filter(in_period("at", period), to_status__in=ZVH_STATUSES)
        .order_by()
        .values_list("case_id", flat=True)
    )
    unchanged = (
        Case.objects.filter(status_changed_at__lt=period.start, status__in=ZVH_STATUSES)
        .order_by()
        .values_list("pk", flat=True)
    )
    earlier_since = CaseStatusChange.objects.filter(case_id=OuterRef("case_id"), at__gte=period.start).filter(
        Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lt=OuterRef("id"))
    )
    changed_since = (
        CaseStatusChange.objects.filter(~Exists(earlier_since), at__gte=period.start, from_status__in=ZVH_STATUSES)
        .order_by()
        .values_list("case_id", flat=True)
    )
    return entered.union(unchanged, changed_since)


def first_closures_in_period(params: Params) -> QuerySet:
    """Closures (status change to `afgesloten`) in the period, one per case: its first in the period. A case
    closed, reopened and closed again in one quarter is one closed case of that quarter."""
    period = params.period
    earlier_in_period = CaseStatusChange.objects.filter(
        case_id=OuterRef("case_id"),
        to_status=CaseStatus.AFGESLOTEN,
        at__gte=period.start,
    ).filter(Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lt=OuterRef("id")))
    return CaseStatusChange.objects.filter(
        in_period("at", period),
        ~Exists(earlier_in_period),
        *case_conditions(params, path="case__", case_ref="case_id"),
        to_status=CaseStatus.AFGESLOTEN,
    )


def zvh_cases_during(params: Params) -> QuerySet:
    """Cases in the ZVH-aanpak at some moment of the period: in it at the start, or entering it during it."""
    period = params.period
    entered = (
        CaseStatusChange.objects.filter(in_period("at", period), to_status__in=ZVH_STATUSES)
        .order_by()
        .values("case_id")
    )
    at_start = cases_with_status_at(period.start, ZVH_STATUSES, Params(period=period)).values("pk")
    return Case.objects.order_by().filter(*case_conditions(params)).filter(Q(pk__in=entered) | Q(pk__in=at_start))
