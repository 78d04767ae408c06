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
        return f"Deze datum kan niet kloppen: kies een datum tussen {nl_date(EARLIEST)} en {nl_date(last)}."
    return ""


# One way to show a date to a reader (issue 12, item 8): Dutch "17 okt. 2026" (with time "17 okt. 2026 14:30"),
# English "17 Oct 2026" on English pages. Django's "M" gives "Okt" in Dutch, which is not how Dutch writes it;
# the Taalunie's abbreviations end in a dot, except "mei" (no shorter form).
_NL_MONTHS = ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NL_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _language(language: str | None) -> str:
    if language is None:
        from django.utils import translation

        language = translation.get_language() or "nl"
    return "en" if language.startswith("en") else "nl"


def format_date(
    value, *, with_time: bool = False, weekday: bool = False, seconds: bool = False, language: str | None = None
) -> str:
    """A date (or the local date of a moment) as people read it; "" for nothing. A datetime is shown in the
    house's time zone; `with_time` adds "14:30" (a plain date has no time to add)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        parsed = _parse(value)
        if parsed is None:
            return value
        value = parsed
    time_part = ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if with_time:
            time_part = f" {value:%H:%M:%S}" if seconds else f" {value:%H:%M}"
        value = value.date()
    lang = _language(language)
    months = _EN_MONTHS if lang == "en" else _NL_MONTHS
    text = f"{value.day} {months[value.month - 1]} {value.year}{time_part}"
    if weekday:
        day = (_EN_DAYS if lang == "en" else _NL_DAYS)[value.weekday()]
        text = f"{day} {text}"
    return text


def _parse(value: str):
    try:
        return datetime.datetime.fromisoformat(value) if "T" in value else datetime.date.fromisoformat(value)
    except ValueError:
        return None


def nl_date(value) -> str:
    """For Dutch text written by services (messages, mails, audit reasons): always Dutch."""
    return format_date(value, language="nl")


def nl_datetime(value) -> str:
    return format_date(value, with_time=True, language="nl")
