""" "Mijn werk" (issue 11): my invitations with an answer form, my actions with a status form in place, and
the cases awaiting my pre-meeting update. Thin: one selector or one access check and one service."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tafel.core.errors import TafelError
from tafel.core.forms import show_refusal

from . import mywork
from .forms import ActionStatusForm, InvitationResponseForm, PoliceCheckForm
from .services import partners, police_checks
from .views import domain_errors


def _page(request, *, status: int = 200, response_form=None, response_for=None, check_form=None, check_for=None):
    work = mywork.my_work(viewer=request.user)
    for check in work.police_checks:
        check.form = (
            check_form
            if check_for == check.pk
            else PoliceCheckForm(
                prefix=f"c{check.pk}",
                initial={
                    "known": {True: "ja", False: "nee"}.get(check.known, ""),
                    "attention_points": check.attention_points,
                },
            )
        )
    for inv in work.invitations:
        inv.form = (
            response_form
            if response_for == inv.pk
            else InvitationResponseForm(
                prefix=f"i{inv.pk}", colleagues=work.colleagues, initial={"response": inv.response}
            )
        )
    for action in work.actions:
        action.form = ActionStatusForm(
            prefix=f"a{action.pk}", initial={"status": action.status, "outcome_note": action.outcome_note}
        )
        action.waiting_for_other = action.status == "open" and bool(
            action.owner_confirmed_at or action.co_owner_confirmed_at
        )
        action.i_confirmed = (request.user.pk == action.owner_id and action.owner_confirmed_at) or (
            request.user.pk == action.co_owner_id and action.co_owner_confirmed_at
        )
    return render(request, "meetings/my_work.html", {"work": work}, status=status)


@domain_errors
@require_http_methods(["GET"])
def my_work(request):
    return _page(request)


@domain_errors
@require_POST
def invitation_respond(request, invitation_id: int):
    invitation = partners.invitation_get_for_invitee(user=request.user, invitation_id=invitation_id)
    colleagues = mywork.my_work(viewer=request.user).colleagues
    form = InvitationResponseForm(request.POST, prefix=f"i{invitation.pk}", colleagues=colleagues)
    if form.is_valid():
        try:
            partners.invitation_respond(
                actor=request.user,
                invitation=invitation,
                response=form.cleaned_data["response"],
                reason=form.cleaned_data["reason"],
                substitute_id=form.cleaned_data["substitute"],
            )
        except TafelError as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, "Uw antwoord is doorgegeven aan de voorzitter.")
            return redirect("meetings:my_work")
    return _page(request, status=422, response_form=form, response_for=invitation.pk)


@domain_errors
@require_POST
def police_check_answer(request, check_id: int):
    """The police answer one DIK-check from "Mijn werk" (SPEC §4.2)."""
    check = police_checks.police_check_get_for_user(user=request.user, check_id=check_id)
    form = PoliceCheckForm(request.POST, prefix=f"c{check.pk}")
    if form.is_valid():
        try:
            police_checks.police_check_answer(
                actor=request.user,
                check=check,
                known=form.cleaned_data["known"],
                attention_points=form.cleaned_data["attention_points"],
            )
        except TafelError as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, "De DIK-check is doorgegeven aan de voorzitter.")
            return redirect(reverse("meetings:my_work") + "#dik-check")
    return _page(request, status=422, check_form=form, check_for=check.pk)
