"""`{% field %}` writes exactly what `{% include "tafel/_field.html" %}` writes, for every kind of field."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.utils.translation import override

from tafel.cases.forms import TafelForm


class Every(TafelForm):
    required_fields = frozenset({"name", "kind"})

    name = forms.CharField(label="Naam & <rol>", help_text='Zonder "aanhalingstekens" <b>', required=False)
    kind = forms.ChoiceField(label="Soort", choices=[("", "— kies —"), ("a", "A & B")], required=False)
    text = forms.CharField(label="Tekst", widget=forms.Textarea, min_length=5, required=False)
    agree = forms.BooleanField(label="Akkoord <ja>", required=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    pick = forms.ChoiceField(label="Keuze", choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        label="Meer", choices=[("p", "P"), ("q", "Q")], widget=forms.CheckboxSelectMultiple, help_text="Een of meer."
    )
    nothing = forms.MultipleChoiceField(label="Leeg", choices=[], widget=forms.CheckboxSelectMultiple, required=False)


INCLUDE = Template(
    "{% for f in form %}[{% include 'tafel/_field.html' with field=f %}]"
    "[{% include 'tafel/_field.html' with field=f show_when='a=\"b\"&c' inline=True %}]{% endfor %}"
)
TAG = Template(
    "{% load tafel_fields %}{% for f in form %}[{% field f %}]"
    "[{% field f show_when='a=\"b\"&c' inline=True %}]{% endfor %}"
)


@pytest.mark.parametrize("data", [None, {"text": "kort", "version": "3", "pick": "z"}, {"name": "Jan", "agree": "on"}])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_field_tag_writes_what_the_field_template_writes(data, language):
    with override(language):
        form = Every(data, initial={"version": 2})
        if data is not None:
            form.is_valid()
            form.add_error("name", 'Fout met <tekens> & "quotes".')
        expected = INCLUDE.render(Context({"form": form}))
        assert TAG.render(Context({"form": form})) == expected
    assert expected.count("[") == 2 * len(form.fields)
