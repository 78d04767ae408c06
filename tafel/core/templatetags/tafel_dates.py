"""Template filters for the one date format (issue 12, item 8): `{{ d|datum }}` → "17 okt. 2026",
`{{ t|datumtijd }}` → "17 okt. 2026 14:30", `{{ d|dagdatum }}` → "zaterdag 17 okt. 2026". English pages get
"17 Oct 2026". Registered as a template builtin (settings.TEMPLATES), so no template needs to load it."""

from django import template

from tafel.core.dates import format_date

register = template.Library()


@register.filter
def datum(value) -> str:
    return format_date(value)


@register.filter
def datumtijd(value) -> str:
    return format_date(value, with_time=True)


@register.filter
def dagdatum(value) -> str:
    return format_date(value, weekday=True)


@register.filter
def dagdatumtijd(value) -> str:
    return format_date(value, weekday=True, with_time=True)


@register.filter
def datumtijd_sec(value) -> str:
    """The audit trail's moments, to the second (the FG compares them with other logs)."""
    return format_date(value, with_time=True, seconds=True)
