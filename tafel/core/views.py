from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from tafel.core.audit import audit, query_details
from tafel.core.models import AuditEvent, AuditEventType
from tafel.core.policy import may_read_audit

log = logging.getLogger(__name__)


def home(request):
    if request.user.is_authenticated:
        return redirect("cases:werkvoorraad")
    return redirect("login")


@require_GET
def health(request):
    """Liveness and database readiness for load balancers and monitoring (no personal data)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        db = "ok"
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        log.exception("health check: database unavailable")
        db = "unavailable"
    status = 200 if db == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": db}, status=status)


class TafelLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from tafel.integrations.selectors import login_providers

        context = super().get_context_data(**kwargs)
        context["identity_providers"] = login_providers()
        if settings.DEMO_MODE:
            try:
                from tafel.core.demo_accounts import DEMO_ACCOUNTS
            except ImportError:
                DEMO_ACCOUNTS = []
            context["demo_accounts"] = DEMO_ACCOUNTS
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        audit(actor=form.get_user(), event=AuditEventType.LOGIN)
        return response


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
    audit(actor=request.user, event=AuditEventType.AUDIT_VIEW, details={"filters": query_details(f)})
    query = f.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "types": AuditEventType.choices, "filters": f, "query": query.urlencode()},
    )


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    return render(request, "errors/500.html", status=500)
