"""Showing a service's refusal on a page: the one helper every app's views use.

Forms only parse input; the services decide and raise `ValidationFailed` (with `field_errors`) or another
`TafelError`. These helpers put that answer where the user sees it: at the field it concerns, on the form, or
as one message when the page has no form to show again. Nothing typed is lost.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages

from tafel.core.errors import TafelError, ValidationFailed


def apply_field_errors(form: forms.Form, errors: dict[str, list[str]], mapping: dict[str, str] | None = None) -> None:
    """Put service field errors on the form's fields (or on the form itself when no field matches). A field
    that already has an error from the form's own parsing keeps that one message."""
    mapping = mapping or {}
    for key, field_messages in errors.items():
        name = mapping.get(key, key)
        if name in form.fields and not form.fields[name].widget.is_hidden:
            if form.errors.get(name):
                continue
            for message in field_messages:
                form.add_error(name, message)
        else:
            for message in field_messages:
                form.add_error(None, message)


def refusal_text(exc: TafelError) -> str:
    """The refusal in one sentence group: the message and every field message, each once."""
    parts = [exc.message, *[m for msgs in exc.field_errors.values() for m in msgs]]
    return " ".join(part for part in dict.fromkeys(parts) if part)


def show_refusal(request, exc: TafelError, form: forms.Form | None = None, *, mapping=None) -> None:
    """Put a refusal where the user sees it: the field errors at the fields of `form`, any other refusal on
    the form, or, when the page is redirected instead of shown again, as one message."""
    if form is None:
        messages.error(request, refusal_text(exc))
        return
    if isinstance(exc, ValidationFailed) and exc.field_errors:
        apply_field_errors(form, exc.field_errors, mapping)
        if not form.errors:
            messages.error(request, exc.message)
    elif exc.message:
        form.add_error(None, exc.message)
