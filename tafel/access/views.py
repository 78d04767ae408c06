"""The beheerder's audit log page: it lives with the policy because who may read the log is a policy answer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.dateparse import parse_date

from tafel.access.audit_events import AccessEvent
from tafel.access.policy import may_read_audit
from tafel.core.audit import audit, query_details
from tafel.core.models import AuditEvent
from tafel.core.registry import audit_event_choices


@login_required
def audit_log(request):
    """The beheerder's audit view: filter by user, case, person, event type and period."""
    if not may_read_audit(request.user):
        raise Http404
    qs = AuditEvent.objects.select_related("organisation").order_by("-at", "-id")
    f = request.GET
    if f.get("user"):
        qs = qs.filter(actor_label__icontains=f["user"])
    if f.get("case") and f["case"].isdigit():
        qs = qs.filter(case_id=int(f["case"]))
    if f.get("person") and f["person"].isdigit():
        qs = qs.filter(person_id=int(f["person"]))
    if f.get("type") and f["type"].isdigit():
        qs = qs.filter(event_type=int(f["type"]))
    if f.get("from") and parse_date(f["from"]):
        qs = qs.filter(at__date__gte=parse_date(f["from"]))
    if f.get("to") and parse_date(f["to"]):
        qs = qs.filter(at__date__lte=parse_date(f["to"]))
    page = Paginator(qs, 50).get_page(f.get("page"))
    audit(actor=request.user, event=AccessEvent.AUDIT_VIEW, details={"filters": query_details(f)})
    query = f.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "types": audit_event_choices(), "filters": f, "query": query.urlencode()},
    )
