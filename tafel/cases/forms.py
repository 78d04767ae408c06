"""Forms of the intake, triage and case pages.

Forms only parse input (types, choices, dates) and carry the NL Design System classes; every business rule
lives in the services, whose `ValidationFailed.field_errors` are mapped back onto these fields with
`tafel.core.forms.apply_field_errors`, so a Dutch message appears at the field and in the error summary.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tafel.persons.models import Gender

from .models import (
    CRITERION_HELP,
    CaseStatus,
    Criterion,
    EntryRoute,
    InfoCategory,
    LokaalReason,
    PersonRole,
    Theme,
    TriageMode,
    TriageOutcome,
    Urgency,
)
from .services import LIFE_DOMAINS, PREDICTIVE_FACTORS

BLANK = [("", _("— kies —"))]

TEXT_CLASSES = "utrecht-textbox utrecht-textbox--html-input"
TEXTAREA_CLASSES = "utrecht-textarea utrecht-textarea--html-textarea"
SELECT_CLASSES = "utrecht-select utrecht-select--html-select"


def _style(widget: forms.Widget) -> None:
    """Give a widget the NL Design System class of its kind (radio and checkbox stay native inputs)."""
    if isinstance(widget, forms.HiddenInput):
        return
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
        widget.attrs.setdefault("class", "tafel-choice__input")
    elif isinstance(widget, forms.Textarea):
        widget.attrs.setdefault("class", TEXTAREA_CLASSES)
        widget.attrs.setdefault("rows", 4)
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        widget.attrs.setdefault("class", SELECT_CLASSES)
    else:
        widget.attrs.setdefault("class", TEXT_CLASSES)


class TafelForm(forms.Form):
    """Styles every widget and marks the fields the domain requires (shown as "verplicht").

    The browser's own required-check is switched off: the server gives the Dutch message at the field and in
    the error summary, the same way for every rule."""

    use_required_attribute = False
    required_fields: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            _style(field.widget)
            if field.required or name in self.required_fields:
                field.tafel_required = True
                if not isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    field.widget.attrs["aria-required"] = "true"

    def value(self, name, default=None):
        """The parsed value of a field, or `default` when it did not parse: the service then reports every
        remaining problem at once, next to the parsing errors."""
        return self.cleaned_data.get(name, default) if hasattr(self, "cleaned_data") else default


# --- aanmelding -------------------------------------------------------------------------------------------


def life_domain_field_name(key: str) -> str:
    return f"life_domain_{key}"


class AanmeldingForm(TafelForm):
    """The aanmeldformulier (SPEC §3.1, 001 Bijlage 6): content only, no scoring."""

    required_fields = frozenset({"route", "theme", "municipality", "reason", "summary", "urgency"})

    route = forms.ChoiceField(label=_("Instroomroute"), choices=BLANK + EntryRoute.choices, required=False)
    origin = forms.CharField(
        label=_("Herkomst van de melding"),
        max_length=100,
        required=False,
        help_text=_("Alleen bij een politiemelding aan Veilig Thuis: politie, professional (Meldcode) of burger."),
        widget=forms.TextInput(attrs={"list": "origin-options", "autocomplete": "off"}),
    )
    theme = forms.ChoiceField(label=_("Thema"), choices=BLANK + Theme.choices, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=None,
        required=False,
        empty_label=_("— kies —"),
        error_messages={"invalid_choice": _("Deze gemeente is niet bekend.")},
    )
    title = forms.CharField(
        label=_("Korte omschrijving"),
        max_length=200,
        required=False,
        help_text=_("Een werktitel zonder namen, bijvoorbeeld ‘gezin met escalerende ruzies’."),
    )
    reason = forms.CharField(label=_("Reden van aanmelding"), required=False, widget=forms.Textarea)
    summary = forms.CharField(
        label=_("Samenvattende analyse: wat speelt er en wat is nodig?"), required=False, widget=forms.Textarea
    )
    household = forms.CharField(
        label=_("Gezinssamenstelling en systeem"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wie horen bij het gezin of systeem, en hoe verhouden zij zich tot elkaar?"),
    )
    antecedents = forms.CharField(
        label=_("Antecedenten en recente politiemutaties"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    predictive_factors = forms.MultipleChoiceField(
        label=_("Voorspellende factoren (huiselijk geweld)"),
        choices=list(PREDICTIVE_FACTORS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    predictive_notes = forms.CharField(
        label=_("Toelichting op de voorspellende factoren"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    help_tried = forms.CharField(
        label=_("Betrokken hulp en wat is al geprobeerd"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    client_knows = forms.TypedChoiceField(
        label=_("Weet de cliënt van deze aanmelding?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Geef aan of de cliënt van de aanmelding weet.")},
    )
    client_knows_reason = forms.CharField(
        label=_("Waarom weet de cliënt het niet?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht als de cliënt niet van de aanmelding weet."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgentie"), choices=Urgency.choices, initial=Urgency.NORMAAL, required=False, widget=forms.RadioSelect
    )
    desired_response_days = forms.IntegerField(
        label=_("Gewenste responstermijn (dagen)"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_("Binnen hoeveel dagen wilt u een reactie? Dit staat los van de urgentie."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        for key, label in LIFE_DOMAINS.items():
            field = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}))
            _style(field.widget)
            self.fields[life_domain_field_name(key)] = field

    def life_domain_fields(self):
        return [self[life_domain_field_name(key)] for key in LIFE_DOMAINS]

    def life_domains_filled(self) -> bool:
        return any(bf.value() for bf in self.life_domain_fields()) or any(bf.errors for bf in self.life_domain_fields())


class PersonForm(TafelForm):
    """One person in the aanmelding. `existing_person_id` is set when the user links a screening match."""

    required_fields = frozenset({"role", "last_name"})
    # The fields whose change starts a new screening query (SPEC §3.2).
    MATCH_FIELDS = ("first_names", "prefix", "last_name", "birth_last_name", "date_of_birth", "bsn")

    role = forms.ChoiceField(label=_("Rol in de casus"), choices=BLANK + PersonRole.choices, required=False)
    first_names = forms.CharField(
        label=_("Voornamen"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    prefix = forms.CharField(
        label=_("Tussenvoegsel"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": f"{TEXT_CLASSES} tafel-textbox--short"}),
    )
    last_name = forms.CharField(
        label=_("Achternaam"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    birth_last_name = forms.CharField(
        label=_("Geboortenaam"),
        max_length=200,
        required=False,
        help_text=_("Als die anders is dan de achternaam."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Geboortedatum"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": f"{TEXT_CLASSES} tafel-textbox--date"}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": _("Vul een geldige geboortedatum in (dag, maand en jaar).")},
    )
    gender = forms.ChoiceField(label=_("Geslacht"), choices=Gender.choices, initial=Gender.ANDERS, required=False)
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=11,
        required=False,
        help_text=_("Negen cijfers, als bekend."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": f"{TEXT_CLASSES} tafel-textbox--bsn"}
        ),
    )
    address = forms.CharField(label=_("Adres of feitelijke verblijfplaats"), max_length=300, required=False)
    own_view = forms.CharField(
        label=_("Eigen visie en wensen van deze persoon"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    existing_person_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    match_score = forms.FloatField(required=False, widget=forms.HiddenInput)

    @property
    def html_prefix(self) -> str:
        """The form prefix for templates: `form.prefix` there is the tussenvoegsel field."""
        return self.prefix


PersonFormSet = forms.formset_factory(PersonForm, extra=1, max_num=20, validate_max=True)


class SupplyInfoForm(TafelForm):
    required_fields = frozenset({"text"})

    text = forms.CharField(label=_("Aanvullende informatie"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


# --- triage -----------------------------------------------------------------------------------------------


def criterion_field(code: str) -> str:
    return f"criterion_{code}"


def criterion_argument_field(code: str) -> str:
    return f"criterion_{code}_argument"


MET_CHOICES = [("ja", _("Voldoet")), ("nee", _("Voldoet niet"))]


class TriageForm(TafelForm):
    """The triage decision (SPEC §3.3): a verdict and argument per criterion, then the routing outcome."""

    required_fields = frozenset({"outcome", "mode"})

    mode = forms.ChoiceField(
        label=_("Besluitvorm"),
        choices=TriageMode.choices,
        initial=TriageMode.DESK,
        widget=forms.RadioSelect,
        required=False,
    )
    team_members = forms.ModelMultipleChoiceField(
        label=_("Deelnemers triageteam (medewerkers van het huis)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    team_others = forms.CharField(
        label=_("Overige deelnemers"),
        max_length=500,
        required=False,
        help_text=_("Naam en organisatie van deelnemers van buiten het huis."),
    )
    outcome = forms.ChoiceField(
        label=_("Uitkomst"), choices=TriageOutcome.choices, required=False, widget=forms.RadioSelect
    )
    lokaal_reason = forms.ChoiceField(
        label=_("Reden voor lokaal oppakken"), choices=BLANK + LokaalReason.choices, required=False
    )
    override_reason = forms.CharField(
        label=_("Reden om af te wijken van de criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij een ZVH-aanpak terwijl een van de criteria a–d niet voldoet."),
    )
    caseload_override_reason = forms.CharField(
        label=_("Reden om de maximale caseload te overschrijden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    missing_info = forms.CharField(
        label=_("Welke informatie ontbreekt?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De aanmelder krijgt dit als vraag."),
    )
    feedback = forms.CharField(
        label=_("Toelichting aan de aanmelder"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    procesregisseur = forms.ModelChoiceField(
        label=_("Procesregisseur"), queryset=None, required=False, empty_label=_("— ik zelf —")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, house_users, procesregisseurs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_members"].queryset = house_users
        self.fields["procesregisseur"].queryset = procesregisseurs
        criteria = {}
        for code, label in Criterion.choices:
            met = forms.ChoiceField(
                label=label,
                choices=MET_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                help_text=CRITERION_HELP[code],
            )
            argument = forms.CharField(
                label=_("Argument bij criterium %(code)s") % {"code": code},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            for field in (met, argument):
                _style(field.widget)
                field.tafel_required = True
            criteria[criterion_field(code)] = met
            criteria[criterion_argument_field(code)] = argument
        # Criteria first: the form reads top to bottom in the order the procesregisseur decides.
        self.fields = {**criteria, **self.fields}

    def criteria_rows(self):
        return [(self[criterion_field(code)], self[criterion_argument_field(code)]) for code in Criterion.values]


# --- case page --------------------------------------------------------------------------------------------


class NoteForm(TafelForm):
    required_fields = frozenset({"text"})

    text = forms.CharField(label=_("Notitie"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(
        label=_("Informatiecategorie"), choices=InfoCategory.choices, initial=InfoCategory.ALGEMEEN, required=False
    )


class AddOrganisationForm(TafelForm):
    required_fields = frozenset({"organisation", "reason"})

    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=None,
        empty_label=_("— kies —"),
        error_messages={
            "required": _("Kies een organisatie."),
            "invalid_choice": _("Deze organisatie kan niet worden toegevoegd."),
        },
    )
    reason = forms.CharField(label=_("Reden van deelname"), max_length=300, required=False)

    def __init__(self, *args, organisations=None, shown=None, **kwargs):
        """`organisations` (a queryset) is what the form accepts; `shown`, the same organisations already read as a
        list, gives an unbound form's options without a query of its own (the case page, issue 14 item 3). An
        unbound form with `shown` needs no `organisations`: it accepts nothing (building that queryset, a subquery
        for the exclusion, cost the case page about 0.6 ms of CPU on every GET)."""
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        if organisations is None and (self.is_bound or shown is None):
            raise TypeError("AddOrganisationForm: a bound form, or one without `shown`, needs `organisations`")
        if organisations is not None:
            field.queryset = organisations
        if shown is not None and not self.is_bound:
            # What ModelChoiceIterator yields: the empty label, then (value, label) per organisation.
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            field.choices = [*empty, *((field.prepare_value(org), field.label_from_instance(org)) for org in shown)]


class StatusForm(TafelForm):
    required_fields = frozenset({"to_status", "reason"})

    to_status = forms.ChoiceField(label=_("Nieuwe status"), choices=(), required=False)
    reason = forms.CharField(label=_("Reden"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Only the steps the transition table allows are offered; the service still checks (SPEC §3.3).
        self.fields["to_status"].choices = BLANK + [(s, CaseStatus(s).label) for s in allowed]


class ClassificationForm(TafelForm):
    """Issue 11: the procesregisseur changes urgency and theme, with a reason."""

    required_fields = frozenset({"reason"})

    urgency = forms.ChoiceField(label=_("Urgentie"), choices=Urgency.choices, required=False)
    theme = forms.ChoiceField(label=_("Thema"), choices=Theme.choices, required=False)
    reason = forms.CharField(
        label=_("Reden van de wijziging"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RoleForm(TafelForm):
    """Issue 11: the procesregisseur gives a person another role in the case, with a reason."""

    required_fields = frozenset({"person", "role", "reason"})

    person = forms.ChoiceField(label=_("Persoon"), choices=(), required=False)
    role = forms.ChoiceField(label=_("Nieuwe rol"), choices=BLANK + PersonRole.choices, required=False)
    reason = forms.CharField(label=_("Reden van de wijziging"), required=False, max_length=2000)

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = BLANK + [(str(link.person_id), link.person.full_name) for link in persons]


class ProposalDecisionForm(TafelForm):
    """Issue 11: accept or decline what a joining melding proposed (declining needs a reason)."""

    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("accept", _("Overnemen")), ("decline", _("Afwijzen"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies overnemen of afwijzen.")},
    )
    reason = forms.CharField(label=_("Toelichting (verplicht bij afwijzen)"), required=False, max_length=2000)


# --- case list --------------------------------------------------------------------------------------------


class CaseFilterForm(TafelForm):
    q = forms.CharField(label=_("Zoeken op kenmerk of omschrijving"), required=False, max_length=100)
    person = forms.CharField(
        label=_("Naam van een persoon"),
        help_text=_("Ook bij een andere schrijfwijze, bijvoorbeeld Jansen of Janssen."),
        required=False,
        max_length=100,
    )
    bsn = forms.CharField(label=_("BSN"), required=False, max_length=11)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Alle"))] + CaseStatus.choices, required=False)
    municipality = forms.ModelChoiceField(label=_("Gemeente"), queryset=None, required=False, empty_label=_("Alle"))
    theme = forms.ChoiceField(label=_("Thema"), choices=[("", _("Alle"))] + Theme.choices, required=False)
    route = forms.ChoiceField(label=_("Instroomroute"), choices=[("", _("Alle"))] + EntryRoute.choices, required=False)
    mine = forms.BooleanField(label=_("Alleen mijn casussen"), required=False)

    def __init__(self, *args, municipalities, may_search_bsn=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if not may_search_bsn:
            del self.fields["bsn"]

    def clean_bsn(self):
        bsn = (self.cleaned_data.get("bsn") or "").replace(" ", "").replace(".", "")
        if bsn and not (bsn.isdigit() and len(bsn) in (8, 9)):
            raise forms.ValidationError(_("Een BSN bestaat uit 9 cijfers."))
        return bsn
