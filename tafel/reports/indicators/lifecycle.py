"""Reading a case's status at a moment in the past from its status history (CaseStatusChange).

A quarter's figures must not change because a case was reopened later, so the monitor never reads the
current `Case.status` or `Case.closed_at` for a past moment: it asks which status change was in force then.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
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


def retained_closures(params: Params, statuses: Iterable[str]) -> dict[str, int]:
    """Destroyed cases (privacy.RetainedCaseStat: what retention keeps of a case it destroyed) closed in the
    period with one of `statuses`, counted per status. Retention keeps the quarter of closure, the
    municipality, the theme and the entry route, so a destroyed case is attributed only to a period made of
    whole quarters (a quarter, a year, a range from quarter start to quarter end) and only under filters it
    can answer: with an organisation or overleg type filter, or a range that cuts a quarter, it is not
    counted (its meetings and participants are gone)."""
    from tafel.privacy.models import RetainedCaseStat

    if params.organisation_id or params.overleg_type:
        return {}
    period = params.period
    quarters = Q()
    found = False
    for year, quarter in whole_quarters(period):
        quarters |= Q(closed_year=year, closed_quarter=quarter)
        found = True
    if not found:
        return {}
    qs = RetainedCaseStat.objects.filter(quarters, status_at_closure__in=list(statuses))
    if params.municipality_id:
        qs = qs.filter(municipality_id=params.municipality_id)
    if params.theme:
        qs = qs.filter(theme=params.theme)
    if params.route:
        qs = qs.filter(route=params.route)
    return dict(qs.order_by().values("status_at_closure").annotate(n=Count("pk")).values_list("status_at_closure", "n"))


def whole_quarters(period) -> list[tuple[int, int]]:
    """The quarters (year, quarter) lying wholly inside the period, in order."""
    out = []
    year, quarter = period.first_day.year, (period.first_day.month - 1) // 3 + 1
    while True:
        first = datetime.date(year, 3 * quarter - 2, 1)
        next_first = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        if first > period.last_day:
            break
        if first >= period.first_day and next_first - datetime.timedelta(days=1) <= period.last_day:
            out.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def last_closures_in_period(params: Params) -> QuerySet:
    """Closure records (lifecycle.Closure: afsluiting, afschaling, opschaling to the RIEC) made in the period,
    one per case: its last in the period. A case closed, reopened and closed again in one quarter counts once,
    with how it was closed the last time."""
    from tafel.lifecycle.models import Closure

    later_in_period = Closure.objects.filter(case_id=OuterRef("case_id"), at__lt=params.period.end).filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id"))
    )
    return Closure.objects.filter(
        in_period("at", params.period),
        ~Exists(later_in_period),
        *case_conditions(params, path="case__", case_ref="case_id"),
    )
