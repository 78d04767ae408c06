"""Reads of the koppelingen (issue 15)."""

from __future__ import annotations

from tafel.integrations.models import IdentityProvider


def login_providers() -> list[IdentityProvider]:
    """The identity providers shown on the login page (public: names only)."""
    return list(IdentityProvider.objects.filter(active=True).only("name", "slug").order_by("name"))
