"""The doors through which apps above core hand it what it needs (docs/decisions/0008-dependency-layers.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tafel.core import notifications, registry


def test_the_apps_import_downwards_only_and_core_imports_no_app():
    """The same check as `make lint-imports` in CI, so the suite fails too when a new import climbs."""
    from importlinter.cli import lint_imports

    config = Path(__file__).resolve().parents[3] / ".importlinter"
    assert lint_imports(config_filename=str(config), no_cache=True, no_logo=True) == 0


def test_the_lifecycle_app_stores_the_notifications_of_the_apps_below_it(db, professional):
    from tafel.lifecycle.models import Notification

    sent = notifications.notify(
        [professional, professional], case=None, kind=notifications.NotificationKind.PROPOSAL, text="Voorstel"
    )
    assert sent == 1
    assert Notification.objects.get(user=professional).kind == "proposal"


def test_notify_without_an_inbox_app_says_so(monkeypatch):
    monkeypatch.setattr(notifications, "_sender", None)
    with pytest.raises(ImproperlyConfigured, match="tafel.lifecycle"):
        notifications.notify([], case=None, kind="proposal", text="x")


def test_the_login_page_context_merges_what_the_apps_registered(monkeypatch):
    monkeypatch.setattr(registry, "_login_context", [])
    registry.register_login_context(lambda: {"a": 1})
    registry.register_login_context(lambda: {"b": 2})
    assert registry.login_context() == {"a": 1, "b": 2}
