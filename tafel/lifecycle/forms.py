"""Parsing the lifecycle pages' input that needs more than reading a POST value: the responsible worker of a
Veilig Thuis decision is chosen from the people offered, not typed as an id. The rules of the decision itself
stay in services.vt_decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def worker_label(user) -> str:
    """ "Name (function)" or, without a function on file, "Name (roles)"."""
    what = user.job_title or ", ".join(str(r.get_role_display()) for r in user.roles.all())
    return f"{user} ({what})" if what else str(user)


class VtWorkerForm(forms.Form):
    responsible_worker = forms.TypedChoiceField(
        label=_("Verantwoordelijk medewerker"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Kies een medewerker van de Veilig Thuis-organisatie van deze melding.")},
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_worker"].choices = [("", "—"), *[(u.pk, worker_label(u)) for u in workers]]


class FollowUpFilterForm(forms.Form):
    """The follow-up overview's filters (a GET form that keeps its values). Unknown values are a field error
    and the overview falls back to the default for that field."""

    CHOICE = {"invalid_choice": _("Kies een van de mogelijkheden in de lijst.")}
    soort = forms.ChoiceField(label=_("Soort"), required=False, error_messages=CHOICE)
    eigenaar = forms.ChoiceField(label=_("Van wie"), required=False, error_messages=CHOICE)
    organisatie = forms.ChoiceField(label=_("Organisatie"), required=False, error_messages=CHOICE)
    pagina = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, kinds, owners, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [("", _("Alle soorten")), *kinds]
        self.fields["eigenaar"].choices = owners
        self.fields["organisatie"].choices = organisations

    def value(self, name: str, default=""):
        if not self.is_bound:
            return default
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned.get(name) or default
