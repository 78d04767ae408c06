"""Forms of the monitor: the filter bar and the goals of the effectiviteitsmatrix. Parsing only; the rules
are in the services and in `params.parse_params`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tafel.cases.forms import TafelForm
from tafel.cases.models import EntryRoute, Theme
from tafel.reports.indicators import all_indicators
from tafel.reports.models import Direction
from tafel.reports.periods import recent_quarters, recent_years


def period_choices() -> list[tuple[str, str]]:
    quarters = [(q.code, q.label.capitalize()) for q in recent_quarters(8)]
    years = [(y.code, y.label.capitalize()) for y in recent_years(4)]
    return [(_("Kwartaal"), quarters), (_("Jaar"), years)]


class MonitorFilterForm(TafelForm):
    period = forms.ChoiceField(label=_("Periode"), required=False)
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)
    theme = forms.ChoiceField(label=_("Thema"), choices=[("", _("Alle"))] + Theme.choices, required=False)
    route = forms.ChoiceField(label=_("Instroomroute"), choices=[("", _("Alle"))] + EntryRoute.choices, required=False)
    organisation = forms.ChoiceField(label=_("Organisatie"), required=False)
    overleg_type = forms.ChoiceField(label=_("Soort overleg"), required=False)

    def __init__(self, *args, municipalities, organisations, overleg_types, current_period: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = period_choices()
        known = {code for _group, options in choices for code, _label in options}
        if current_period and current_period not in known:
            # A custom range or an older quarter reached through a link stays selectable.
            choices.insert(0, (_("Gekozen"), [(current_period, current_period)]))
        self.fields["period"].choices = choices
        self.fields["municipality"].choices = [("", _("Alle"))] + [(str(pk), name) for pk, name in municipalities]
        self.fields["organisation"].choices = [("", _("Alle"))] + [(str(pk), name) for pk, name in organisations]
        self.fields["overleg_type"].choices = [("", _("Alle"))] + list(overleg_types)


def indicator_choices() -> list[tuple[str, str]]:
    return [("", _("Kies een indicator"))] + [
        (i.code, f"{i.name} — {i.headline}") for i in all_indicators() if i.available and i.headline
    ]


class GoalForm(TafelForm):
    required_fields = frozenset({"title", "indicator_code", "target_value", "direction"})

    title = forms.CharField(label=_("Doel"), max_length=200, required=False)
    description = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    overleg_type = forms.ChoiceField(label=_("Soort overleg"), required=False)
    theme = forms.ChoiceField(label=_("Thema"), choices=[("", _("Alle thema's"))] + Theme.choices, required=False)
    selection_criteria = forms.CharField(
        label=_("Selectiecriteria"),
        help_text=_("Welke casussen horen bij dit doel?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    input_criteria = forms.CharField(
        label=_("Inputcriteria"),
        help_text=_("Wat moet er minimaal aan tafel komen (informatie, mensen)?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    follow_up_criteria = forms.CharField(
        label=_("Vervolgcriteria"),
        help_text=_("Wat moet er na het overleg gebeuren?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    indicator_code = forms.ChoiceField(label=_("Indicator (het kopcijfer wordt gemeten)"), required=False)
    target_value = forms.DecimalField(label=_("Streefwaarde"), max_digits=10, decimal_places=1, required=False)
    direction = forms.ChoiceField(
        label=_("Richting"), choices=Direction.choices, widget=forms.RadioSelect, required=False
    )
    active = forms.BooleanField(label=_("Actief (meten en tonen)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, overleg_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overleg_type"].choices = [("", _("Hele huis (alle overleggen)"))] + [
            (str(pk), name) for pk, name in overleg_types
        ]
        self.fields["indicator_code"].choices = indicator_choices()


class ResearchExportForm(TafelForm):
    """Parsing only; the required fields and the period are checked by `research.ResearchExportInput`."""

    required_fields = frozenset(
        {"researcher_name", "researcher_organisation", "approval_reference", "purpose", "period_start", "period_end"}
    )

    researcher_name = forms.CharField(label=_("Naam onderzoeker"), max_length=200, required=False)
    researcher_organisation = forms.CharField(label=_("Organisatie onderzoeker"), max_length=200, required=False)
    approval_reference = forms.CharField(
        label=_("Kenmerk goedkeuring"),
        max_length=100,
        required=False,
        help_text=_("Het kenmerk van het besluit waarmee het onderzoek is goedgekeurd (verplicht)."),
    )
    purpose = forms.CharField(
        label=_("Doel van het onderzoek"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    period_start = forms.DateField(
        label=_("Periode vanaf"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    period_end = forms.DateField(
        label=_("Periode tot en met"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


# --- questionnaire editor (issue 6 item 5) ------------------------------------------------------------------


class QuestionnaireForm(TafelForm):
    """Parsing only; the rules are in `tafel.reports.questionnaires`."""

    required_fields = frozenset({"title"})

    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    introduction = forms.CharField(
        label=_("Toelichting"),
        help_text=_("Staat boven de vragen als iemand de vragenlijst invult."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    active = forms.BooleanField(label=_("Actief (wordt aangeboden om in te vullen)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class QuestionForm(TafelForm):
    required_fields = frozenset({"kind", "text"})

    kind = forms.ChoiceField(label=_("Soort vraag"), choices=[("", _("Kies de soort"))], required=False)
    text = forms.CharField(label=_("Vraag of stelling"), max_length=300, required=False)
    low_label = forms.CharField(
        label=_("Betekenis laagste waarde"),
        help_text=_("Alleen bij een stelling of cijfer, bijvoorbeeld ‘helemaal oneens’."),
        max_length=60,
        required=False,
    )
    high_label = forms.CharField(
        label=_("Betekenis hoogste waarde"),
        help_text=_("Alleen bij een stelling of cijfer, bijvoorbeeld ‘helemaal eens’."),
        max_length=60,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        from tafel.reports.models import QuestionKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Kies de soort"))] + QuestionKind.choices
