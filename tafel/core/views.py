from __future__ import annotations

import logging

from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.registry import login_context

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
        # The identity providers and the demo accounts come from the apps that own them (core.registry).
        context = super().get_context_data(**kwargs)
        context.update(login_context())
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        audit(actor=form.get_user(), event=CoreEvent.LOGIN)
        return response


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    return render(request, "errors/500.html", status=500)
