"""Taking a partner organisation out of a case (issue 11 item 6): a confirmation page that lists what stands in
the way, then the removal with a reason. Adding is `views.case_organisation_add` on the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tafel.cases import access as case_access
from tafel.core.errors import TransitionNotAllowed, ValidationFailed
from tafel.core.http import domain_errors

from . import participants


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def participation_remove(request, case_id, organisation_id):
    case = case_access.case_get_for_user(user=request.user, case_id=case_id, action="manage")
    participation = participants.participation_get(case=case, organisation_id=organisation_id)
    reason, error, refusal = "", "", ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            participants.case_participation_remove(
                actor=request.user, case=case, organisation_id=participation.organisation_id, reason=reason
            )
        except ValidationFailed as exc:
            error = next(iter(m for msgs in (exc.field_errors or {}).values() for m in msgs), exc.message)
        except TransitionNotAllowed as exc:
            refusal = exc.message
        else:
            messages.success(
                request,
                _("%(org)s neemt niet meer deel aan de casus en ziet haar niet meer.")
                % {"org": participation.organisation},
            )
            return redirect(reverse("cases:detail", args=[case.pk]) + "#organisaties")
    check = participants.removal_check_read(viewer=request.user, case=case, participation=participation)
    return render(
        request,
        "cases/participation_remove.html",
        {"case": case, "check": check, "reason": reason, "error": error, "refusal": refusal},
        status=422 if (error or refusal) else 200,
    )
