"""Template helpers of the monitor: show a figure (suppressed or not) the one way all outputs show it."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from tafel.reports.suppression import display

register = template.Library()


@register.filter
def figure(cell) -> str:
    return display(cell)


@register.filter
def cell(row, key: str):
    return row.cells.get(key)


@register.filter
def is_hidden(cell) -> bool:
    return bool(cell is not None and cell.suppressed)


@register.simple_tag
def drill_url(code: str, params_query: dict, row: str, column: str = "") -> str:
    query = dict(params_query)
    query["row"] = row
    if column:
        query["column"] = column
    return f"{reverse('reports:drilldown', args=[code])}?{urlencode(query)}"
