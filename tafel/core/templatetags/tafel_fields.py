"""`{% field form.x %}`: a form field with its label, help text and errors, as `tafel/_field.html` writes it.

`{% include "tafel/_field.html" with field=form.x %}` costs a template include and some forty lookups per
field; the case page shows a dozen fields, about a sixth of its CPU (issue 14 item 3, docs/performance.md). This
tag writes the same HTML in Python for the single field and the lone checkbox, and renders `_field.html` itself
for a group of radio buttons or checkboxes. `tafel/core/tests/test_field_tag.py` compares both for every kind of
field, so `_field.html` stays the definition of the markup.
"""

from __future__ import annotations

from django import template
from django.template.base import render_value_in_context
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

_GROUPS = ("radioselect", "checkboxselectmultiple")


def _errors_html(field, errors, context) -> str:
    messages = "".join(f"<p>{render_value_in_context(error, context)}</p>" for error in errors)
    return (
        f'<div class="utrecht-form-field-error-message tafel-error-message" '
        f'id="{render_value_in_context(field.auto_id, context)}_error">{messages}</div>'
    )


@register.simple_tag(takes_context=True)
def field(context, field, show_when="", inline=False):
    if field.is_hidden:
        return mark_safe(f"{field}\n")  # noqa: S308 - a bound field renders itself escaped
    kind = field.widget_type
    if kind in _GROUPS:
        return mark_safe(  # noqa: S308 - a rendered template
            render_to_string("tafel/_field.html", {"field": field, "show_when": show_when, "inline": inline})
        )
    errors = field.errors
    invalid = " tafel-field--invalid" if errors else ""
    shown = f' data-show-when="{render_value_in_context(show_when, context)}"' if show_when else ""
    label = render_value_in_context(field.label, context)
    error_html = _errors_html(field, errors, context) if errors else ""
    label_for = render_value_in_context(field.id_for_label, context)
    if kind == "checkbox":
        html = (
            f'\n\n<div class="tafel-field tafel-choice{invalid}"{shown}>\n'
            f'  {field}<label class="utrecht-form-label tafel-choice__label" for="{label_for}">{label}</label>\n'
            f"  {error_html}\n</div>\n\n"
        )
        return mark_safe(html)  # noqa: S308 - every value above is escaped as the template would
    required = (
        f' <span class="tafel-required">({render_value_in_context(gettext("verplicht"), context)})</span>'
        if getattr(field.field, "tafel_required", False)
        else ""
    )
    help_html = (
        f'<div class="utrecht-form-field-description tafel-description" '
        f'id="{render_value_in_context(field.auto_id, context)}_helptext">'
        f"{render_value_in_context(field.help_text, context)}</div>"
        if field.help_text
        else ""
    )
    html = (
        f'\n\n<div class="utrecht-form-field tafel-field{invalid}"{shown}>\n'
        f'  <label class="utrecht-form-label tafel-label" for="{label_for}">{label}{required}</label>\n'
        f"  {help_html}\n"
        f"  {error_html}\n"
        f"  {field}\n"
        f"</div>\n\n"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped as the template would
