"""Choices whose labels are translated, but whose `.label` is still a plain string.

Django's own TextChoices with `gettext_lazy` labels hands out lazy objects from `.label`: they cannot be stored
in the database, dumped as JSON or searched for with `in`. These classes keep the labels lazy where they are
declared (`.choices`, so a form or a `get_FOO_display()` shows the label in the language of the request) and
make `.label` the label in the language that is active when it is read: Dutch, unless a request asked for
English. Code that writes a label into a record should read it under `translation.override(settings.LANGUAGE_CODE)`
so that records stay Dutch (see `tafel.cases.services._nl_label`).
"""

from __future__ import annotations

import enum

from django.db import models
from django.db.models.enums import ChoicesType
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class TranslatedChoicesType(ChoicesType):
    @property
    def choices(cls):
        empty = [(None, cls.__empty__)] if hasattr(cls, "__empty__") else []
        return empty + [(member.value, member._label_) for member in cls]


class TextChoices(models.TextChoices, metaclass=TranslatedChoicesType):
    @enum.property
    def label(self) -> str:
        return str(self._label_)


class IntegerChoices(models.IntegerChoices, metaclass=TranslatedChoicesType):
    @enum.property
    def label(self) -> str:
        return str(self._label_)


class ChoiceLabels:
    """`get_<field>_display()` without rebuilding the field's choices as a dict on every call.

    Django's `Model._get_FIELD_display` runs `dict(make_hashable(field.flatchoices))` each time; a list page
    calls it three times per row (theme, status, urgency: a sixth of the werkvoorraad's CPU, issue 14). The
    dict is built once per field and kept on it; its labels stay lazy, so each call still gives the label in
    the active language. Put it first among a model's bases: `class Case(ChoiceLabels, models.Model)`."""

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_tafel_labels")
        if labels is None:
            labels = field._tafel_labels = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
