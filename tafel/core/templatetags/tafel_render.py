"""Faster `{% translate "..." %}` and `{% url %}` for the pages read most (issue 14 item 3: the case page's CPU).

`{% load i18n tafel_render %}` replaces two of Django's tags, for their most common form only; every other form
is Django's own node:

- `{% translate "literal" %}` (also `{% trans %}`), without `noop`, `context`, `as` or filters. Django makes a
  lazy string per call and looks the message up in the active catalog (about 7 us; the case page has some 160).
  Here the answer is kept per language and message: a translation of a text in the template, which is the same
  for everyone. The cache is emptied when a `.mo` file changes under the development server's autoreloader, as
  Django empties its catalogs, and when a setting they follow changes (`override_settings` in tests).
- `{% url "name" a b %}` with whole-number arguments and no keyword arguments. Django's `reverse()` matches the
  pattern's candidates and checks the result with a regular expression on every call (about 20 us; the case
  page has some 35). Here each URL name is reversed once with two sets of stand-in numbers (of different
  lengths); when putting the numbers into the result gives exactly what `reverse()` gives for both, that shape
  is kept and filled in per call. Keyed by URL configuration, script prefix, language and current app, like
  `reverse()`'s own answer. Any other argument (a string, a negative or non-integer value, a keyword) goes
  to `reverse()`.

Neither keeps anything of a request or a user: the translations are the catalog's, the URL shapes the URL
configuration's. `tafel/core/tests/test_render_tags.py` compares both with Django's tags.
"""

from __future__ import annotations

import html

from django import template
from django.core.signals import setting_changed
from django.template.base import Variable, render_value_in_context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.templatetags.i18n import TranslateNode, do_translate
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.autoreload import file_changed
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()

_TRANSLATED: dict[tuple[str | None, bool, str], str] = {}
_URL_SHAPES: dict[tuple, tuple[str, ...] | None] = {}


def _catalog_changed(*, file_path, **kwargs) -> None:
    if file_path.suffix == ".mo":
        _TRANSLATED.clear()


file_changed.connect(_catalog_changed, dispatch_uid="tafel_render_catalog_changed")


def _settings_changed(*, setting, **kwargs) -> None:
    """What Django's own caches follow (override_settings in tests): the catalogs and the URL configuration."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _TRANSLATED.clear()
    if setting in {"ROOT_URLCONF", "INSTALLED_APPS", "LANGUAGES", "LANGUAGE_CODE"}:
        _URL_SHAPES.clear()


setting_changed.connect(_settings_changed, dispatch_uid="tafel_render_settings_changed")


class LiteralTranslateNode(TranslateNode):
    """What `TranslateNode` writes for a plain string literal: the literal is safe (it is template text), its
    percent signs are doubled for the catalog and restored afterwards, and a safe message stays unescaped."""

    def __init__(self, filter_expression, literal: str):
        super().__init__(filter_expression, noop=False)
        self.literal = literal

    def render(self, context):
        key = (get_language(), context.autoescape, self.literal)
        value = _TRANSLATED.get(key)
        if value is None:
            value = super().render(context)
            _TRANSLATED[key] = value
        return value


def _plain_literal(node) -> str | None:
    if not isinstance(node, TranslateNode) or node.noop or node.asvar or node.message_context is not None:
        return None
    expression = node.filter_expression
    var = expression.var
    if expression.filters or not isinstance(var, Variable) or var.lookups is not None:
        return None
    return var.literal if isinstance(var.literal, str) else None


@register.tag("translate")
@register.tag("trans")
def translate(parser, token):
    node = do_translate(parser, token)
    literal = _plain_literal(node)
    if literal is None:
        return node
    return LiteralTranslateNode(node.filter_expression, literal)


# Stand-in arguments: long ones that cannot be mistaken for another part of the URL, to cut the shape, then short
# ones of other lengths to check it (a converter that pads or formats numbers fails the check: no shape is kept).
_PROBES = ((7_350_001_113, 7_350_002_227, 7_350_003_331), (1, 23, 456))


def _shape(view_name: str, n_args: int, current_app) -> tuple[str, ...] | None:
    """The reversed URL cut where the arguments go, or None when filling in would not give reverse()'s answer."""
    first = [str(p) for p in _PROBES[0][:n_args]]
    url = reverse(view_name, args=_PROBES[0][:n_args], current_app=current_app)
    parts = []
    for probe in first:
        head, sep, url = url.partition(probe)
        if not sep or probe in url:
            return None
        parts.append(head)
    parts.append(url)
    shape = tuple(parts)
    second = _PROBES[1][:n_args]
    if _fill(shape, second) != reverse(view_name, args=second, current_app=current_app):
        return None
    return shape


def _fill(shape: tuple[str, ...], args) -> str:
    out = [shape[0]]
    for arg, part in zip(args, shape[1:], strict=True):
        out.append(str(arg))
        out.append(part)
    return "".join(out)


def _current_app(context):
    """The current app as Django's `{% url %}` tag takes it from the request."""
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


def _shape_for(view_name: str, n_args: int, current_app) -> tuple[str, ...] | None:
    key = (get_urlconf(), get_script_prefix(), get_language(), current_app, view_name, n_args)
    if key in _URL_SHAPES:
        return _URL_SHAPES[key]
    try:
        shape = _URL_SHAPES[key] = _shape(view_name, n_args, current_app)
    except NoReverseMatch:
        shape = None  # not kept: reverse() raises (or fills `as`) as Django's tag does
    return shape


def url_maker(context, view_name: str):
    """For tags written in Python: a function of whole numbers that gives `{% url view_name a b %}` escaped as the
    tag writes it, from the URL's shape (or from `reverse()` when the URL has none)."""
    current_app = _current_app(context)

    def make(*args) -> str:
        shape = _shape_for(view_name, len(args), current_app) if all(type(a) is int and a >= 0 for a in args) else None
        url = _fill(shape, args) if shape is not None else reverse(view_name, args=args, current_app=current_app)
        return conditional_escape(url) if context.autoescape else url

    return make


def text(value, context) -> str:
    """`{{ value }}` for tags written in Python: `render_value_in_context`, with its common cases taken directly (a
    plain `str` or a lazy translation's text, under autoescape, is neither localised nor safe: `html.escape` is
    what Django's `escape` does to it)."""
    if context.autoescape:
        if isinstance(value, Promise):
            # A lazy translation (a label): `{{ }}` writes its text, escaped unless the text is safe.
            value = str(value)
        if type(value) is str:
            return html.escape(value)
    return render_value_in_context(value, context)


def translator():
    """For tags written in Python: a function that gives what `{% translate "literal" %}` writes (a
    `LiteralTranslateNode`): the active language's translation, safe as template text is, kept per language and
    message like the tag's. The language is read once, when the tag starts (it does not change while a tag
    written in Python writes)."""
    language = get_language()

    def translated_now(literal: str) -> str:
        key = (language, True, literal)
        value = _TRANSLATED.get(key)
        if value is None:
            value = _TRANSLATED[key] = mark_safe(gettext(mark_safe(literal.replace("%", "%%"))).replace("%%", "%"))
        return value

    return translated_now


class ShapedURLNode(URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        if len(args) > len(_PROBES[0]) or not all(type(a) is int and a >= 0 for a in args):
            return super().render(context)
        view_name = self.view_name.resolve(context)
        shape = _shape_for(view_name, len(args), _current_app(context))
        if shape is None:
            return super().render(context)
        url = _fill(shape, args)
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag("url")
def url(parser, token):
    node = django_url(parser, token)
    if node.kwargs:
        return node
    return ShapedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
