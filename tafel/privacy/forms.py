"""Forms of the privacy pages: parsing only; the rules live in the services."""

from __future__ import annotations

from django import forms

from tafel.cases.models import InfoCategory
from tafel.organisations.models import OrganisationType
from tafel.privacy.models import ConsentForm, ConsentPurpose, RestrictionScope
from tafel.privacy.services import RECTIFIABLE


class ReglementForm(forms.Form):
    purpose = forms.CharField(label="Doel", widget=forms.Textarea(attrs={"rows": 3}))
    participating_org_types = forms.MultipleChoiceField(
        label="Deelnemende organisatiesoorten",
        choices=OrganisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label="Toegestane informatiecategorieën",
        choices=InfoCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    justitieel_org_types = forms.MultipleChoiceField(
        label="Wie ziet justitiële gegevens",
        choices=OrganisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    jeugd_org_types = forms.MultipleChoiceField(
        label="Wie ziet jeugdinformatie (leeg: alle deelnemers)",
        choices=OrganisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exchange_rules = forms.CharField(
        label="Gronden voor delen (één per regel)", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    retention_months = forms.IntegerField(label="Bewaartermijn na afsluiting (maanden)", min_value=1, max_value=240)
    legal_basis = forms.CharField(label="Grondslag", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ConsentFormForm(forms.Form):
    person = forms.TypedChoiceField(label="Persoon", coerce=int)
    purpose = forms.ChoiceField(label="Doel", choices=ConsentPurpose.choices)
    given_on = forms.DateField(label="Gegeven op", widget=forms.DateInput(attrs={"type": "date"}))
    form = forms.ChoiceField(label="Vorm", choices=ConsentForm.choices, widget=forms.RadioSelect)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Reden van intrekking", max_length=500)


class ShareForm(forms.Form):
    item = forms.ChoiceField(label="Item")
    to_org = forms.TypedChoiceField(label="Delen met", coerce=int)
    reason = forms.ChoiceField(label="Grond (uit het reglement)")
    explanation = forms.CharField(label="Toelichting", widget=forms.Textarea(attrs={"rows": 3}))


class RestrictForm(forms.Form):
    item = forms.ChoiceField(label="Item")
    scope = forms.ChoiceField(label="Zichtbaar voor", choices=RestrictionScope.choices)


class AttachmentForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    category = forms.ChoiceField(label="Informatiecategorie", choices=InfoCategory.choices)
    file = forms.FileField(label="Bestand (pdf, png, jpg, docx of txt)")


class RectifyForm(forms.Form):
    field = forms.ChoiceField(label="Veld", choices=[(f, f) for f in RECTIFIABLE])
    new_value = forms.CharField(label="Nieuwe waarde", max_length=300, required=False)
    reason = forms.CharField(label="Reden", max_length=500)


class RestrictPersonForm(forms.Form):
    restricted = forms.BooleanField(label="Verwerking beperken", required=False)
    reason = forms.CharField(label="Reden", max_length=500)


class OtpForm(forms.Form):
    token = forms.RegexField(label="Code uit de authenticator-app", regex=r"^\d{6}$", max_length=6)
