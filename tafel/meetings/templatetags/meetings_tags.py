"""Template filters of the meeting pages."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()


@register.filter
def isodate_nl(value: str) -> str:
    """The verslag snapshot keeps dates as ISO strings (stable for the API); people read 4-1-2027."""
    if not value:
        return ""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day}-{day.month}-{day.year}"
