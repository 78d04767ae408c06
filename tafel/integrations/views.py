"""Pages of the koppelingen (issue 15): the BRP lookup partial of the aanmeldformulier."""

from __future__ import annotations

import json
import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tafel.access.policy import may_lookup_brp
from tafel.core.errors import AccessDenied, NotFound, ValidationFailed
from tafel.integrations.brp import BrpUnavailable, brp_lookup, brp_verify

# The person blocks of the aanmeldformulier are a formset: persons-0, persons-1, ...
PREFIX_RE = re.compile(r"^[a-z]+-\d{1,3}$")


@login_required
@require_POST
def brp_lookup_partial(request):
    """Look the BSN of one person block up in the BRP; show the BRP's data beside what was typed, with a button
    that fills the block (static/tafel/brp.js)."""
    if not may_lookup_brp(request.user):
        # Switched off, or not for this user: the button is not offered, so the URL does not exist for them.
        raise Http404
    prefix = request.GET.get("prefix", "")
    if not PREFIX_RE.match(prefix):
        return HttpResponseBadRequest("prefix")

    def get(name: str) -> str:
        return request.POST.get(f"{prefix}-{name}", "").strip()

    context = {"prefix": prefix}
    try:
        person = brp_lookup(actor=request.user, bsn=get("bsn"))
    except ValidationFailed:
        context["problem"] = _("Vul eerst een geldig BSN in; dan kan Tafel de persoon in de BRP opzoeken.")
    except NotFound:
        context["problem"] = _("De BRP kent geen persoon met dit BSN. Controleer het nummer.")
    except (BrpUnavailable, AccessDenied) as exc:
        context["problem"] = _(exc.message)
    else:
        entered = {name: get(name) for name in ("first_names", "prefix", "last_name", "date_of_birth", "address")}
        context.update(
            person=person,
            checks=brp_verify(entered=entered, brp=person),
            values=json.dumps(person.form_values()),
        )
    return render(request, "integrations/_brp_result.html", context)
