"""`{% field form.x %}`: a form field with its label, help text and errors, as `tafel/_field.html` writes it.

`{% include "tafel/_field.html" with field=form.x %}` costs a template include and some forty lookups per
field; the case page shows a dozen fields, about a sixth of its CPU (issue 14 item 3, docs/performance.md). This
tag writes the same HTML in Python, for every branch of `_field.html` (a single field, a lone checkbox, a group of
radio buttons or checkboxes, a hidden field). `tafel/core/tests/test_field_tag.py` compares both for every kind of
field, so `_field.html` stays the definition of the markup.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from tafel.core.templatetags.tafel_render import text

register = template.Library()

_GROUPS = ("radioselect", "checkboxselectmultiple")


def _esc(value, context) -> str:
    """`{{ value }}` in the template."""
    return text(value, context)


def _errors_html(field, errors, context) -> str:
    messages = "".join(f"<p>{_esc(error, context)}</p>" for error in errors)
    return (
        f'<div class="utrecht-form-field-error-message tafel-error-message" '
        f'id="{_esc(field.auto_id, context)}_error">{messages}</div>'
    )


def _group(context, field, *, head: str, inline) -> str:
    choices = "".join(
        f'\n      <div class="tafel-choice">{choice.tag()}<label class="utrecht-form-label tafel-choice__label" '
        f'for="{_esc(choice.id_for_label, context)}">{_esc(choice.choice_label, context)}</label></div>\n    '
        for choice in field
    )
    if not choices:
        none = _esc(gettext("Geen keuzes beschikbaar."), context)
        choices = f'\n      <p class="utrecht-paragraph tafel-muted">{none}</p>\n    '
    return (
        f"{head}"
        f'  <div class="tafel-choices{" tafel-choices--inline" if inline else ""}">\n    {choices}\n  </div>\n'
        f"</fieldset>\n\n"
    )


@register.simple_tag(takes_context=True)
def field(context, field, show_when="", inline=False):
    if field.is_hidden:
        return mark_safe(f"{field}\n")  # noqa: S308 - a bound field renders itself escaped
    kind = field.widget_type
    errors = field.errors
    invalid = " tafel-field--invalid" if errors else ""
    shown = f' data-show-when="{_esc(show_when, context)}"' if show_when else ""
    label = _esc(field.label, context)
    error_html = _errors_html(field, errors, context) if errors else ""
    if kind == "checkbox":
        return mark_safe(  # noqa: S308 - every value is escaped as the template would
            f'\n\n<div class="tafel-field tafel-choice{invalid}"{shown}>\n'
            f'  {field}<label class="utrecht-form-label tafel-choice__label" '
            f'for="{_esc(field.id_for_label, context)}">{label}</label>\n'
            f"  {error_html}\n</div>\n\n"
        )
    required = (
        f' <span class="tafel-required">({_esc(gettext("verplicht"), context)})</span>'
        if getattr(field.field, "tafel_required", False)
        else ""
    )
    help_html = (
        f'<div class="utrecht-form-field-description tafel-description" id="{_esc(field.auto_id, context)}_helptext">'
        f"{_esc(field.help_text, context)}</div>"
        if field.help_text
        else ""
    )
    if kind in _GROUPS:
        head = (
            f'\n\n<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset tafel-field '
            f'tafel-field--group{invalid}" id="{_esc(field.auto_id, context)}"{shown}>\n'
            f'  <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend tafel-legend">'
            f"{label}{required}</legend>\n"
            f"  {help_html}\n"
            f"  {error_html}\n"
        )
        return mark_safe(_group(context, field, head=head, inline=inline))  # noqa: S308 - escaped as above
    return mark_safe(  # noqa: S308 - every value is escaped as the template would
        f'\n\n<div class="utrecht-form-field tafel-field{invalid}"{shown}>\n'
        f'  <label class="utrecht-form-label tafel-label" for="{_esc(field.id_for_label, context)}">'
        f"{label}{required}</label>\n"
        f"  {help_html}\n"
        f"  {error_html}\n"
        f"  {field}\n"
        f"</div>\n\n"
    )
