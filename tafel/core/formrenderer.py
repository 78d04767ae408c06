"""The form renderer: Django's own widget templates, with the common widgets built in Python.

Django renders every widget through templates, and a `<select>` through one template per `<option>` plus one
for the attributes of each: the case page's selects alone took about 110 template renders per page, about a
fifth of its CPU (issue 14 item 3, docs/performance.md). This renderer writes the same HTML for the select,
the single-line inputs, the radio and checkbox inputs and the textarea directly, with the templates' escaping
(`render_value_in_context`, as `{{ }}` does, and `stringformat:'s'` for values), and hands every other template
(the group around radio buttons and checkboxes, a widget with its own template) to Django's renderer unchanged.

A widget template overridden in an app's templates is respected: only a template that is Django's own file is
built in Python. `tafel/core/tests/test_formrenderer.py` renders each widget both ways and compares.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
_DJANGO_TEMPLATES = (Path(forms.__file__).parent / "templates").resolve()
# Only reads autoescape, use_l10n and use_tz, as a template's `{{ }}` does; never written to.
_CONTEXT = Context(autoescape=True)

# The input templates that are exactly `{% include "django/forms/widgets/input.html" %}` in Django.
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "hidden",
        "number",
        "email",
        "password",
        "url",
        "search",
        "tel",
        "color",
        "date",
        "datetime",
        "time",
        "checkbox",
        "file",
    )
)
# The option templates of radio buttons and checkboxes in a group: exactly
# `{% include "django/forms/widgets/input_option.html" %}` in Django.
_INPUT_OPTIONS = frozenset(f"{_WIDGETS}{name}.html" for name in ("input_option", "radio_option", "checkbox_option"))
_SELECT = f"{_WIDGETS}select.html"
_OPTION = f"{_WIDGETS}select_option.html"
_TEXTAREA = f"{_WIDGETS}textarea.html"


def _text(value) -> str:
    """`{{ value }}` in a template: localised and escaped unless already safe. A plain `str` (or a lazy
    translation's text) is neither localised nor safe: `html.escape` is what Django's `escape` does to it (the
    common case, without the detours)."""
    if isinstance(value, Promise):
        # A lazy translation (a label): the template writes its text, escaped unless the text is safe.
        value = str(value)
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless it was safe."""
    if type(value) is str:
        return html.escape(value)
    if isinstance(value, tuple):
        value = str(value)
    text = "%s" % value  # noqa: UP031 - exactly what the stringformat filter does
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _input_option(widget: dict) -> str:
    html = _input(widget)
    if not widget.get("wrap_label"):
        return html
    label_for = f' for="{_text(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    # The newline is the one that closes the included input template.
    return f"<label{label_for}>{html}\n {_text(widget['label'])}</label>"


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None  # an option with its own template: Django renders the whole select
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"  # the option template's closing newline
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_BUILDERS = {
    _SELECT: _select,
    _TEXTAREA: _textarea,
    **dict.fromkeys(_INPUTS, _input),
    **dict.fromkeys(_INPUT_OPTIONS, _input_option),
}
# What the templates above include: these must be Django's own as well.
_INCLUDED = (f"{_WIDGETS}attrs.html", f"{_WIDGETS}input.html", f"{_WIDGETS}input_option.html", _OPTION)


class FormRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: Django's template renderer, with the common widgets built in Python."""

    def render(self, template_name, context, request=None):
        build = _BUILDERS.get(template_name)
        if build is not None and self._is_djangos_own(template_name):
            html = build(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)

    @functools.cache  # noqa: B019 - one renderer per process (get_default_renderer), a handful of names
    def _is_djangos_own(self, template_name: str) -> bool:
        """True when the widget template (and the attrs/option templates it includes) are Django's own files,
        not an app's override, so the HTML built here is what the template would give."""
        for name in (template_name, *_INCLUDED):
            origin = Path(self.get_template(name).origin.name).resolve()
            if not origin.is_relative_to(_DJANGO_TEMPLATES):
                return False
        return True
