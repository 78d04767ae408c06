"""`{% case_rows cases ... %}`: the rows of a case table (`cases/_case_table.html`), written in Python.

The werkvoorraad shows up to four tables of 25 cases and the case list one; through the template each row cost
some twenty variable lookups, two `{% url %}` tags and a translation, about a third of those pages' CPU (issue
14, docs/performance.md). This tag writes exactly what the loop in `cases/_case_rows.html` writes, which stays
the definition of the markup: `tafel/cases/tests/test_case_rows_tag.py` compares both.
"""

from __future__ import annotations

import html

from django import template
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from tafel.core.dates import format_date

register = template.Library()

_SENTINEL = 987654321  # a case id no URL prefix contains: the URL of every row is the one URL with its id put in


def _url_maker(name: str, context):
    before, after = reverse(name, args=[_SENTINEL]).split(str(_SENTINEL))
    before, after = render_value_in_context(before, context), render_value_in_context(after, context)
    return lambda pk: f"{before}{pk}{after}"


@register.simple_tag(takes_context=True)
def case_rows(context, cases, hide_regisseur="", date_label="", show_deadline="", show_triage=""):
    autoescape = context.autoescape

    def esc(value) -> str:
        # A plain string (a reference, a title, a code) needs only escaping; `render_value_in_context` would also
        # try to localise it and ask whether it is already safe, 750 times on a werkvoorraad (issue 14 item 3).
        if type(value) is str:
            return html.escape(value) if autoescape else value
        return render_value_in_context(value, context)

    # Each label (theme, status, urgency) in the active language once per table instead of once per row.
    labels: dict = {}

    def label(case, name: str) -> str:
        key = (name, getattr(case, name))
        text = labels.get(key)
        if text is None:
            text = labels[key] = esc(getattr(case, f"get_{name}_display")())
        return text

    detail_url = _url_maker("cases:detail", context)
    triage_url = _url_maker("cases:triage", context) if show_triage else None
    triage_text = esc(gettext("Triëren")) if show_triage else ""
    out = []
    for case in cases:
        reference = esc(case.reference)
        regisseur = (
            f'<td class="utrecht-table__cell">{esc(case.procesregisseur or "—")}</td>' if not hide_regisseur else ""
        )
        when = format_date(case.status_changed_at if date_label else case.created_at)
        deadline = (
            f'<td class="utrecht-table__cell tafel-nowrap">{esc(format_date(case.response_deadline) or "—")}</td>'
            if show_deadline
            else ""
        )
        triage = (
            f'<td class="utrecht-table__cell"><a class="utrecht-link utrecht-link--html-a" '
            f'href="{triage_url(case.pk)}">{triage_text}<span class="tafel-visually-hidden"> {reference}</span>'
            "</a></td>"
            if show_triage
            else ""
        )
        out.append(
            '\n      <tr class="utrecht-table__row">\n'
            f'        <th scope="row" class="utrecht-table__header-cell tafel-nowrap"><a class="utrecht-link '
            f'utrecht-link--html-a" href="{detail_url(case.pk)}">{reference}</a></th>\n'
            f'        <td class="utrecht-table__cell">{esc(case.title or "—")}</td>\n'
            f'        <td class="utrecht-table__cell">{label(case, "theme")}</td>\n'
            f'        <td class="utrecht-table__cell">{esc(case.municipality)}</td>\n'
            f'        <td class="utrecht-table__cell"><span class="tafel-status tafel-status--{esc(case.status)}">'
            f"{label(case, 'status')}</span></td>\n"
            f'        <td class="utrecht-table__cell"><span class="tafel-urgency tafel-urgency--{esc(case.urgency)}">'
            f"{label(case, 'urgency')}</span></td>\n"
            f"        {regisseur}\n"
            f'        <td class="utrecht-table__cell tafel-nowrap">{esc(when)}</td>\n'
            f"        {deadline}\n"
            f"        {triage}\n"
            "      </tr>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped as the template would
