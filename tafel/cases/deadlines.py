"""The response deadline of an aanmelding and the triage deadline of a case, stored (issue 14: the werkvoorraad).

The rule: an aanmelding with a desired response time (`desired_response_days`) must be answered by its
creation date plus that many days, the creation date taken in the house's time zone (settings.TIME_ZONE,
Europe/Amsterdam: the working days of the house and its partners). A case's triage deadline is the earliest
response deadline over its aanmeldingen (None when none has a desired response time); the triage queue orders
by it (see `Case.triage_rank` and `cases.selectors.TriageQueue`).

Why stored: ordering the queue by a deadline computed per request read every waiting case and every one of
their aanmeldingen (at 1,000,000 cases about 60,000 waiting: 696 ms per werkvoorraad). Stored on the case and
indexed, a page of the queue is an index range. The rule allows storing: `created_at` and
`desired_response_days` never change after `aanmelding_create`, and the zone is the house's, not a viewer's.

Writers: `services.aanmelding_create` (page, API, Veilig Thuis, CORV) computes `response_deadline` once and
writes it on the aanmelding and, when earlier, on the case (locked for the join); the demo generator computes
the same (the bulk generator `benchdata` writes no desired response time, so no deadline); the migration that
added the columns, and anything that writes rows behind the services' back (tests, repairs), call
`refresh_deadlines`, the set-based version of the same rule. `created_at` and `desired_response_days` are never
edited, a case's aanmeldingen leave it only with the case itself (retention deletes the case) and cases are not
merged, so no other writer exists. `Case.triage_rank` is a generated column: the database keeps it when the
urgency (intake, a joining melding, the procesregisseur's reclassification) or the deadline changes.
`tafel/cases/tests/test_stored_deadlines.py` compares the stored values with a from-scratch computation after
each writer. Decision record: docs/decisions/0009-stored-triage-deadlines.md.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DateField, F, Func, Min, OuterRef, Subquery
from django.db.models.functions import TruncDate


def house_zone() -> ZoneInfo:
    """The zone whose calendar the deadlines count in: the house's (settings.TIME_ZONE), never the active one."""
    return ZoneInfo(settings.TIME_ZONE)


def response_deadline(created_at: datetime.datetime, days: int | None) -> datetime.date | None:
    """The aanmelding's response deadline: its creation date in the house's zone plus `days` (None: none)."""
    if days is None:
        return None
    return created_at.astimezone(house_zone()).date() + datetime.timedelta(days=days)


def earlier(a: datetime.date | None, b: datetime.date | None) -> datetime.date | None:
    """The earlier of two deadlines, a missing one being later than any."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


class DatePlusDays(Func):
    """A date plus a whole number of days, as a date, computed by the database: SQLite's date() with a
    '+N days' modifier, PostgreSQL's date + integer."""

    output_field = DateField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"date({date_sql}, '+' || {days_sql} || ' days')", (*date_params, *days_params)

    def as_postgresql(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"(({date_sql}) + ({days_sql}))", (*date_params, *days_params)


def response_deadline_expression():
    """`response_deadline`'s rule in SQL, for set-based writes (the migration's backfill, `refresh_deadlines`)."""
    return DatePlusDays(TruncDate("created_at", tzinfo=house_zone()), F("desired_response_days"))


def refresh_deadlines(aanmelding_model, case_model, *, case_ids=None) -> None:
    """Recompute, in two set-based UPDATEs, the stored response deadlines of the aanmeldingen of `case_ids`
    (all cases when None) and those cases' triage deadlines. Takes the models so that a migration can pass
    its historical ones."""
    aanmeldingen = aanmelding_model.objects.all()
    cases = case_model.objects.all()
    if case_ids is not None:
        aanmeldingen = aanmeldingen.filter(case_id__in=case_ids)
        cases = cases.filter(pk__in=case_ids)
    aanmeldingen.filter(desired_response_days__isnull=True).exclude(response_deadline=None).update(
        response_deadline=None
    )
    aanmeldingen.filter(desired_response_days__isnull=False).update(response_deadline=response_deadline_expression())
    earliest = (
        aanmelding_model.objects.filter(case_id=OuterRef("pk"), response_deadline__isnull=False)
        .order_by()
        .values("case_id")
        .annotate(first=Min("response_deadline"))
        .values("first")
    )
    cases.update(triage_deadline=Subquery(earliest, output_field=DateField()))
