"""The form renderer builds the select, inputs and textarea in Python: the HTML must be exactly what Django's
widget templates give, escaping, optgroups, `selected`, `required` and aria attributes included."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from tafel.core.formrenderer import FormRenderer
from tafel.organisations.models import Organisation

CHOICES = [
    ("", gettext_lazy("— kies —")),
    ("a", "Alfa & <b>"),
    ("q\"'", mark_safe("<i>veilig</i>")),  # noqa: S308 - a safe label is passed through, as the template does
    (3, 3),
    (1234, 1234.5),
]
GROUPED = [("", "—"), ("Groep <1>", [("x", "Iks"), ("y", "IJ")]), ("z", "Zet")]
ATTRS = {"class": "utrecht-select", "aria-required": "true", "aria-describedby": 'a"b', "disabled": True, "x": False}


class AllWidgets(forms.Form):
    select = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs=ATTRS))
    grouped = forms.ChoiceField(choices=GROUPED)
    multiple = forms.MultipleChoiceField(choices=CHOICES, required=False)
    nullbool = forms.NullBooleanField()
    typed = forms.TypedChoiceField(choices=[(1, "Een"), (2, "Twee")], coerce=int)
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "<naam>", "autocomplete": "off"}))
    hidden = forms.IntegerField(widget=forms.HiddenInput)
    number = forms.DecimalField()
    email = forms.EmailField()
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    datetime = forms.DateTimeField()
    checkbox = forms.BooleanField(required=False)
    file = forms.FileField(required=False)
    textarea = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)
    checkboxes = forms.MultipleChoiceField(choices=GROUPED[1:], widget=forms.CheckboxSelectMultiple, required=False)
    split = forms.SplitDateTimeField(required=False)
    date_parts = forms.DateField(widget=forms.SelectDateWidget(years=[2025, 2026]), required=False)


DATA = {
    "select": "q\"'",
    "grouped": "y",
    "multiple": ["a", "3"],
    "nullbool": "true",
    "typed": "2",
    "text": 'Jan "&" <Piet>',
    "hidden": "7",
    "number": "1.5",
    "email": "a@b.nl",
    "date": "2026-12-05",
    "datetime": "2026-12-05 10:00",
    "checkbox": "on",
    "textarea": "Regel 1\n<script>x</script> & meer",
    "radio": "a",
    "checkboxes": ["x", "z"],
}
INITIAL = {"select": 3, "date": datetime.date(2026, 1, 2), "textarea": "", "hidden": None, "radio": 3}


def _render(form: forms.Form) -> list[str]:
    html = [str(field) for field in form]
    # Radio buttons and checkboxes one by one, as tafel/_field.html renders them, with and without the label.
    for name in ("radio", "checkboxes"):
        for choice in form[name]:
            html += [str(choice.tag()), str(choice.tag(wrap_label=True))]
    return html


@pytest.mark.parametrize("bound", [True, False])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_widgets_render_the_html_of_djangos_templates(bound, language):
    with override(language):
        ours = _render(AllWidgets(DATA if bound else None, initial=INITIAL, renderer=FormRenderer()))
        theirs = _render(AllWidgets(DATA if bound else None, initial=INITIAL, renderer=DjangoTemplates()))
    assert ours == theirs


@pytest.mark.django_db
def test_a_model_choice_select_renders_as_djangos_template():
    for name in ("Zorg & Veiligheid <Noord>", "GGZ"):
        Organisation.objects.create(name=name, type="zorg")

    class Pick(forms.Form):
        organisation = forms.ModelChoiceField(queryset=Organisation.objects.order_by("name"), empty_label="— kies —")

    chosen = Organisation.objects.get(name="GGZ").pk
    assert str(Pick({"organisation": chosen}, renderer=FormRenderer())["organisation"]) == str(
        Pick({"organisation": chosen}, renderer=DjangoTemplates())["organisation"]
    )


def test_the_select_is_built_without_a_template_per_option(monkeypatch):
    rendered = []
    monkeypatch.setattr(DjangoTemplates, "render", lambda self, name, *a, **k: rendered.append(name) or "")
    form = AllWidgets(renderer=FormRenderer())
    for name in ("select", "grouped", "multiple", "text", "hidden", "textarea", "checkbox"):
        str(form[name])
    assert rendered == []


def test_the_project_uses_the_renderer(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "tafel.core.formrenderer.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)
