"""The meeting page's "organisation missing?" form (issue 11 item 6): add the organisation of the person to
invite to the case, with a reason, and invite them, in one step."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tafel.core.errors import TafelError
from tafel.core.forms import show_refusal

from .access import meeting_get_for_user
from .forms import PartnerInviteForm
from .services.partner_invite import invitable_outsiders, invitation_add_with_organisation
from .views import _detail, _warn, domain_errors


@domain_errors
@require_POST
def invite_with_organisation(request, meeting_id: int):
    meeting = meeting_get_for_user(user=request.user, meeting_id=meeting_id, action="plan")
    items = list(meeting.agenda_items.select_related("case"))
    form = PartnerInviteForm(request.POST, users=invitable_outsiders(), items=items)
    if form.is_valid():
        item = next((i for i in items if i.pk == form.cleaned_data["agenda_item"]), None)
        try:
            result = invitation_add_with_organisation(
                actor=request.user,
                meeting=meeting,
                agenda_item=item,
                user_id=form.cleaned_data["user"],
                reason=form.cleaned_data["reason"],
            )
        except TafelError as exc:
            show_refusal(request, exc, form)
        else:
            user = result.invitation.user
            messages.success(
                request,
                _("%(org)s neemt nu deel aan casus %(case)s en %(user)s is uitgenodigd.")
                % {"org": user.organisation, "case": item.case.reference, "user": user},
            )
            _warn(request, result.warnings)
            return redirect("meetings:detail", meeting.pk)
    return _detail(request, meeting.pk, status=422, partner_invite_form=form)
