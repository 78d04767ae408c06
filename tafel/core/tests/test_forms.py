"""The one helper that shows a service's refusal on a page (cases, meetings and lifecycle views use it)."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from tafel.core.errors import TransitionNotAllowed, ValidationFailed
from tafel.core.forms import apply_field_errors, show_refusal


class NoteForm(forms.Form):
    text = forms.CharField(required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _messages(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_field_errors_land_at_their_field_and_unknown_or_hidden_fields_on_the_form():
    form = NoteForm({"text": "x"})
    form.is_valid()

    apply_field_errors(form, {"text": ["Te kort."], "version": ["Verouderd."], "elders": ["Iets anders."]})

    assert form.errors["text"] == ["Te kort."]
    assert form.non_field_errors() == ["Verouderd.", "Iets anders."]


def test_mapping_renames_service_fields_to_form_fields():
    form = NoteForm({"text": "x"})
    form.is_valid()
    apply_field_errors(form, {"tekst_id": ["Kies een tekst."]}, mapping={"tekst_id": "text"})
    assert form.errors["text"] == ["Kies een tekst."]


def test_refusal_with_a_form_goes_to_the_fields_without_a_message():
    request, form = _request(), NoteForm({"text": "x"})
    form.is_valid()

    show_refusal(request, ValidationFailed("Controleer het formulier.", field_errors={"text": ["Leeg."]}), form)

    assert form.errors["text"] == ["Leeg."]
    assert _messages(request) == []


def test_refusal_that_is_not_about_a_field_is_shown_on_the_form():
    request, form = _request(), NoteForm({"text": "x"})
    form.is_valid()

    show_refusal(request, TransitionNotAllowed("Het verslag is vastgesteld."), form)

    assert form.non_field_errors() == ["Het verslag is vastgesteld."]


def test_refusal_without_a_form_is_one_message_with_each_field_message_once():
    request = _request()

    show_refusal(
        request,
        ValidationFailed("Niet opgeslagen.", field_errors={"a": ["Vul a in."], "b": ["Vul a in.", "Vul b in."]}),
    )

    assert _messages(request) == ["Niet opgeslagen. Vul a in. Vul b in."]
