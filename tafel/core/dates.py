"""One rule for dates typed by people (issue 10 finding 16): a date before 1900 or more than ten years ahead is
a typing error (0001-01-01, 9999-12-31), not a plan. Accepting it would put nonsense on agendas and in the
monitor, and a year-1 date even comes back with a nonsense time-zone offset (Amsterdam's local mean time of
1900). Services check every such date with `implausible_date`, so pages and API refuse it the same way."""

from __future__ import annotations

import datetime

from django.utils import timezone

EARLIEST = datetime.date(1900, 1, 1)
YEARS_AHEAD = 10


def latest(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def implausible_date(value: datetime.date | None, *, today: datetime.date | None = None) -> str:
    """The Dutch message for a date outside the plausible range, or "" when it is plausible (or absent)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    last = latest(today)
    if value < EARLIEST or value > last:
        return f"Deze datum kan niet kloppen: kies een datum tussen {EARLIEST:%d-%m-%Y} en {last:%d-%m-%Y}."
    return ""
