"""Forms of the evaluation pages: parsing and NL Design System classes only; the rules (names of persons,
lengths, finalising) live in the services and come back through `apply_field_errors`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tafel.cases.forms import TafelForm
from tafel.core.dates import nl_date

from .models import ImprovementStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EvaluationNewForm(TafelForm):
    title = forms.CharField(label=_("Titel"), required=False, max_length=200)
    moments = forms.MultipleChoiceField(
        label=_("Momenten uit de tijdlijn"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moments"].choices = [
            (c.key, f"{nl_date(c.at)} · {c.kind_label} — {c.description}") for c in candidates
        ]


class TitleForm(TafelForm):
    required_fields = frozenset({"title"})
    title = forms.CharField(label=_("Titel"), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MomentForm(TafelForm):
    went_well = forms.CharField(label=_("Wat ging goed"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    went_wrong = forms.CharField(
        label=_("Wat ging niet goed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    risky_decisions = forms.CharField(
        label=_("Welke beslissingen waren riskant"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ManualMomentForm(TafelForm):
    required_fields = frozenset({"date", "description"})
    date = forms.DateField(label=_("Datum"), required=False, widget=DATE)
    description = forms.CharField(label=_("Korte omschrijving"), required=False, max_length=300)


class AddMomentsForm(TafelForm):
    keys = forms.MultipleChoiceField(label=_("Momenten"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keys"].choices = [
            (c.key, f"{nl_date(c.at)} · {c.kind_label} — {c.description}") for c in candidates
        ]


class LessonForm(TafelForm):
    required_fields = frozenset({"text"})
    text = forms.CharField(label=_("Les"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImprovementActionForm(TafelForm):
    required_fields = frozenset({"text", "owner", "due_date"})
    text = forms.CharField(label=_("Verbeteractie"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ChoiceField(label=_("Eigenaar"), required=False)
    due_date = forms.DateField(label=_("Uiterlijk"), required=False, widget=DATE)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("— kies —"))] + [
            (str(u.pk), f"{u.get_full_name() or u.username} ({u.organisation})") for u in owners
        ]


class ImprovementStatusForm(TafelForm):
    status = forms.ChoiceField(label=_("Status"), choices=ImprovementStatus.choices, required=False)
    done_on = forms.DateField(label=_("Gedaan op"), required=False, widget=DATE)
    result = forms.CharField(label=_("Resultaat"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ParticipantForm(TafelForm):
    required_fields = frozenset({"organisation", "function"})
    organisation = forms.ChoiceField(label=_("Organisatie"), required=False)
    function = forms.CharField(label=_("Functie"), required=False, max_length=100)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("— kies —"))] + [(str(o.pk), o.name) for o in organisations]


class ReopenForm(TafelForm):
    required_fields = frozenset({"reason"})
    reason = forms.CharField(label=_("Reden om te heropenen"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InterviewForm(TafelForm):
    required_fields = frozenset({"organisation", "function"})
    organisation = forms.ChoiceField(label=_("Organisatie van de respondent"), required=False)
    function = forms.CharField(label=_("Functie van de respondent"), required=False, max_length=100)
    respondent = forms.ChoiceField(label=_("Gebruiker (optioneel)"), required=False)

    def __init__(self, *args, organisations, users, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("— kies —"))] + [(str(o.pk), o.name) for o in organisations]
        self.fields["respondent"].choices = [("", _("— geen —"))] + [
            (str(u.pk), f"{u.get_full_name() or u.username} ({u.organisation})") for u in users
        ]
        for q in questions:
            self.fields[f"q{q.pk}"] = forms.CharField(
                label=q.text,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea utrecht-textarea--html-textarea"}),
            )
