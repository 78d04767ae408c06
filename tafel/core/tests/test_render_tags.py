"""`{% load tafel_render %}`'s `translate` and `url` write exactly what Django's tags write (issue 14 item 3)."""

from __future__ import annotations

import pytest
from django.template import Context, TemplateSyntaxError, engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, include, path
from django.utils import translation

from tafel.core.templatetags import tafel_render

ENGINE = engines["django"].engine  # the project's engine, with its libraries and builtins

TRANSLATE_CASES = [
    '{% translate "Alle casussen" %}',
    "{% translate 'Tijdlijn' %}",
    '{% trans "Notities" %}',
    '{% translate "100% zeker & <echt> \\"zo\\"" %}',
    '{% translate "Geen vertaling voor deze tekst, met 50%% korting" %}',
    '{% translate "Tijdlijn" noop %}',
    '{% translate "Tijdlijn" as label %}[{{ label }}]',
    '{% translate "Mei" context "maand" %}',
    '{% translate "Tijdlijn"|upper %}',
    "{% translate word %}",
    "{% translate 'Ja' %}{% translate 'Nee' %}{% translate 'Ja' %}",
    '{% autoescape off %}{% translate "a & b" %}{% endautoescape %}',
]


def _both(body: str, context: dict, *, request=None) -> tuple[str, str]:
    django_tpl = ENGINE.from_string("{% load i18n %}" + body)
    ours_tpl = ENGINE.from_string("{% load i18n tafel_render %}" + body)
    ctx = {"word": "Notities", "case_id": 42, "org_id": 7, "name": "x/y", "minus": -3, **context}
    render = (lambda t: t.render(Context(ctx))) if request is None else None
    if request is not None:
        from django.template import RequestContext

        render = lambda t: t.render(RequestContext(request, ctx))  # noqa: E731
    return render(django_tpl), render(ours_tpl)


@pytest.mark.parametrize("body", TRANSLATE_CASES)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_translate_writes_what_djangos_tag_writes(body, language):
    with translation.override(language):
        for _ in range(2):  # the second time from the cache
            expected, ours = _both(body, {})
            assert ours == expected


def test_translate_answers_per_language():
    body = '{% translate "Alle casussen" %}'
    with translation.override("en"):
        english = _both(body, {})
    with translation.override("nl"):
        dutch = _both(body, {})
    assert english[0] == english[1] == "All cases"
    assert dutch[0] == dutch[1] == "Alle casussen"


def test_only_the_plain_literal_form_is_replaced():
    def node(body):
        return ENGINE.from_string("{% load i18n tafel_render %}" + body).nodelist[-1]

    assert type(node('{% translate "Ja" %}')) is tafel_render.LiteralTranslateNode
    others = ('{% translate "Ja" noop %}', '{% translate "Ja" as x %}', "{% translate x %}", '{% trans "Ja"|lower %}')
    for body in others:
        assert type(node(body)) is not tafel_render.LiteralTranslateNode, body


URL_CASES = [
    "{% url 'cases:list' %}",
    "{% url 'cases:detail' case_id %}",
    "{% url 'cases:detail' 0 %}",
    "{% url 'cases:participation_partner' case_id org_id %}",
    "{% url 'cases:proposal_decide' case_id org_id %}",
    "{% url 'cases:detail' case_id as link %}<{{ link }}>",
    "{% url 'cases:detail' case_id=case_id %}",
    "{% url 'cases:nonexistent' case_id as link %}<{{ link }}>",
    "{% url view case_id %}",
]


@pytest.mark.parametrize("body", URL_CASES)
def test_url_writes_what_djangos_tag_writes(body):
    for _ in range(2):  # the second time from the kept shape
        expected, ours = _both(body, {"view": "cases:triage"})
        assert ours == expected


@pytest.mark.parametrize("body", ["{% url 'cases:detail' name %}", "{% url 'cases:detail' minus %}"])
def test_url_with_other_arguments_fails_as_djangos_tag_fails(body):
    for load in ("{% load i18n %}", "{% load i18n tafel_render %}"):
        with pytest.raises(NoReverseMatch):
            ENGINE.from_string(load + body).render(Context({"name": "x/y", "minus": -3}))


def test_url_for_a_request_with_a_script_prefix_and_namespace():
    from django.urls import resolve, set_script_prefix

    request = RequestFactory().get("/casussen/5/")
    request.resolver_match = resolve("/casussen/5/")
    set_script_prefix("/tafel/")
    try:
        expected, ours = _both("{% url 'cases:detail' case_id %}{% url 'cases:list' %}", {}, request=request)
    finally:
        set_script_prefix("/")
    assert expected.startswith("/tafel/casussen/42/")
    assert ours == expected
    plain = _both("{% url 'cases:detail' case_id %}", {})
    assert plain[0] == plain[1] == "/casussen/42/"


def test_a_url_shape_is_kept_only_when_filling_in_gives_reverses_answer(monkeypatch):
    from django import urls

    # A converter that pads numbers: the stand-ins would not show up as themselves, so no shape is kept.
    real = urls.reverse

    def padded(name, args=(), **kwargs):
        url = real(name, args=args, **kwargs)
        return url.replace(str(args[0]), f"{args[0]:020d}") if args else url

    monkeypatch.setattr(tafel_render, "reverse", padded)
    assert tafel_render._shape("cases:detail", 1, None) is None
    monkeypatch.setattr(tafel_render, "reverse", real)
    assert tafel_render._shape("cases:detail", 1, None) == ("/casussen/", "/")


def test_a_bad_tag_is_still_a_syntax_error():
    with pytest.raises(TemplateSyntaxError):
        ENGINE.from_string("{% load tafel_render %}{% translate %}")
    with pytest.raises(TemplateSyntaxError):
        ENGINE.from_string("{% load tafel_render %}{% url %}")


def test_a_changed_catalog_empties_the_kept_translations():
    from pathlib import Path

    with translation.override("en"):
        _both('{% translate "Alle casussen" %}', {})
    assert tafel_render._TRANSLATED
    tafel_render._catalog_changed(file_path=Path("tafel/locale/nl/LC_MESSAGES/django.po"))
    assert tafel_render._TRANSLATED
    tafel_render._catalog_changed(file_path=Path("tafel/locale/nl/LC_MESSAGES/django.mo"))
    assert not tafel_render._TRANSLATED


# A URL configuration of its own (the test below points ROOT_URLCONF here): `cases:detail` at another path.
def _view(request, case_id):  # pragma: no cover - never called, only reversed
    raise AssertionError


urlpatterns = [path("anders/", include(([path("<int:case_id>/", _view, name="detail")], "cases")))]


def test_a_changed_url_configuration_setting_is_followed_as_reverse_follows_it(settings):
    # Django empties its URL caches when ROOT_URLCONF changes (override_settings in tests); the kept shapes must
    # not keep answering with the old configuration (get_urlconf() is None in both).
    body = "{% url 'cases:detail' case_id %}"
    assert _both(body, {}) == ("/casussen/42/", "/casussen/42/")
    settings.ROOT_URLCONF = __name__
    expected, ours = _both(body, {})
    assert expected == "/anders/42/"
    assert ours == expected


def test_a_changed_catalog_setting_empties_the_kept_translations(settings, tmp_path):
    with translation.override("en"):
        assert _both('{% translate "Alle casussen" %}', {}) == ("All cases", "All cases")
    # Django drops its catalogs when LOCALE_PATHS (or LANGUAGES) changes; the kept answers go with them.
    settings.LOCALE_PATHS = [tmp_path]
    assert not tafel_render._TRANSLATED
