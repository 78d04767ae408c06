"""Reporting periods: a quarter, a year or a custom range of local dates (Europe/Amsterdam).

A period is half-open, [start, end): "2026Q3" runs from 1 July 2026 00:00 up to, not including, 1 October
2026 00:00 local time, so an event at 23:59 on 30 September belongs to Q3 and one at 00:00 on 1 October to Q4.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from tafel.core.dates import nl_date
from tafel.core.errors import ValidationFailed

QUARTER_RE = re.compile(r"^(\d{4})[-\s]?[Qq]([1-4])$")
YEAR_RE = re.compile(r"^(\d{4})$")
RANGE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Period:
    kind: str  # "quarter", "year" or "custom"
    first_day: datetime.date
    last_day: datetime.date  # inclusive

    @property
    def start(self) -> datetime.datetime:
        return _local_midnight(self.first_day)

    @property
    def end(self) -> datetime.datetime:
        return _local_midnight(self.last_day + datetime.timedelta(days=1))

    @property
    def code(self) -> str:
        if self.kind == "quarter":
            return f"{self.first_day.year}Q{(self.first_day.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.first_day.year}"
        return f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"{(self.first_day.month - 1) // 3 + 1}e kwartaal {self.first_day.year}"
        if self.kind == "year":
            return f"jaar {self.first_day.year}"
        return f"{nl_date(self.first_day)} t/m {nl_date(self.last_day)}"

    @property
    def is_complete(self) -> bool:
        """The period has ended: its figures no longer change with new events (history may still be fixed)."""
        return self.end <= timezone.now()

    def quarters(self) -> list[Period]:
        """The quarters that make up this period (a quarter is its own only quarter)."""
        result = []
        day = quarter_of(self.first_day).first_day
        while day <= self.last_day:
            q = quarter_of(day)
            result.append(q)
            day = q.last_day + datetime.timedelta(days=1)
        return result


def quarter_of(day: datetime.date) -> Period:
    first_month = (day.month - 1) // 3 * 3 + 1
    first = datetime.date(day.year, first_month, 1)
    if first_month == 10:
        next_first = datetime.date(day.year + 1, 1, 1)
    else:
        next_first = datetime.date(day.year, first_month + 3, 1)
    return Period("quarter", first, next_first - datetime.timedelta(days=1))


def year_of(year: int) -> Period:
    return Period("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def current_quarter() -> Period:
    return quarter_of(timezone.localdate())


def parse_period(value: str | None) -> Period:
    """ "2026Q3", "2026" or "2026-01-01..2026-03-31"; empty means the current quarter."""
    raw = (value or "").strip()
    if not raw:
        return current_quarter()
    try:
        if m := QUARTER_RE.match(raw):
            year, q = int(m.group(1)), int(m.group(2))
            return quarter_of(datetime.date(year, 3 * q - 2, 1))
        if m := YEAR_RE.match(raw):
            return year_of(int(m.group(1)))
        if m := RANGE_RE.match(raw):
            first, last = datetime.date.fromisoformat(m.group(1)), datetime.date.fromisoformat(m.group(2))
            if last < first:
                raise ValueError("end before start")
            if (last - first).days > 366 * 5:
                raise ValueError("too long")
            return Period("custom", first, last)
    except ValueError:
        pass
    message = f"Onbekende periode: {raw!r}. Gebruik een kwartaal (2026Q3), een jaar (2026) of 2026-01-01..2026-03-31."
    raise ValidationFailed(message, field_errors={"period": [message]})


def recent_quarters(count: int = 8) -> list[Period]:
    """The current quarter and the ones before it, newest first (the choices of the filter form)."""
    quarters = [current_quarter()]
    while len(quarters) < count:
        quarters.append(quarter_of(quarters[-1].first_day - datetime.timedelta(days=1)))
    return quarters


def recent_years(count: int = 4) -> list[Period]:
    year = timezone.localdate().year
    return [year_of(year - i) for i in range(count)]
