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
