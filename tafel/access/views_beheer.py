"""Beheer pages (issue 12, item 8c): list, add and change the catalogues in `tafel.access.beheer`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import modelform_factory
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tafel.access import beheer
from tafel.core.errors import TafelError
from tafel.core.forms import show_refusal
from tafel.core.http import domain_errors


def _form(catalogue, *, creating: bool, data=None, instance=None):
    fields = [f for f in catalogue.fields if creating or f not in catalogue.create_only]
    form_class = modelform_factory(catalogue.model, fields=fields)
    form = form_class(data, instance=instance)
    form.fields["stamp"] = forms.CharField(required=False, widget=forms.HiddenInput)
    form.fields["stamp"].initial = beheer.stamp(instance)
    return form


@login_required
@domain_errors
def index(request):
    beheer.require_beheerder(request.user)
    return render(request, "core/beheer_index.html", {"catalogues": beheer.CATALOGUES.values()})


@login_required
@domain_errors
def catalogue_list(request, kind):
    catalogue = beheer.catalogue_get(user=request.user, kind=kind)
    model = catalogue.model
    labels = [model._meta.get_field(c).verbose_name for c in catalogue.columns]
    rows = []
    for obj in model.objects.all():
        cells = []
        for c in catalogue.columns:
            display = getattr(obj, f"get_{c}_display", None)
            value = display() if display else getattr(obj, c)
            cells.append(value)
        rows.append((obj, cells))
    return render(request, "core/beheer_list.html", {"c": catalogue, "labels": labels, "rows": rows})


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def entry_edit(request, kind, entry_id=None):
    if entry_id is None:
        catalogue, instance = beheer.catalogue_get(user=request.user, kind=kind), None
    else:
        catalogue, instance = beheer.entry_get(user=request.user, kind=kind, entry_id=entry_id)
    creating = instance is None
    form = _form(catalogue, creating=creating, data=request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "stamp"}
            try:
                saved = beheer.entry_save(
                    actor=request.user,
                    catalogue=catalogue,
                    instance=instance,
                    data=data,
                    expected_stamp=form.cleaned_data.get("stamp") or "",
                )
            except TafelError as exc:
                show_refusal(request, exc, form)
            else:
                messages.success(request, f"‘{saved}’ is opgeslagen.")
                return redirect("beheer:list", kind)
        status = 400
    return render(
        request,
        "core/beheer_form.html",
        {"c": catalogue, "form": form, "instance": instance, "creating": creating},
        status=status,
    )
