"""The authorization matrix (issue 4): every URL pattern and every API operation, for every actor kind, with
the exact expected status. Apps contribute entries in `tafel/<app>/tests/matrix.py` as a dict `ENTRIES`:

    ENTRIES = {
        "cases:detail": {"expect": {"regisseur": 200, "member": 200, "partner": 404, ...}},
        "cases:note_add": {"method": "post", "data": {...}, "expect": {...}},
        "api:case_get": {"expect": {...}},          # API operations are keyed by operationId
    }

Optional keys: "method" ("get" by default; "post" for POST-only views), "data" (the POST body; empty by
default so nothing is written), "kwargs" (a callable taking the World, returning the URL kwargs; by default
the kwargs are filled from the World by parameter name, see DEFAULT_KWARGS). Every actor in
`testworld.ACTORS` must have an expectation. A new URL without an entry fails tests/test_authorization_matrix.py.
"""

from __future__ import annotations

import functools
import importlib
import re

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tafel.testing.world import ACTORS

# URL parameter name → how to find its value in the World.
DEFAULT_KWARGS = {
    "case_id": lambda w: w.case.pk,
    "meeting_id": lambda w: w.meeting.pk,
    "item_id": lambda w: w.item.pk,
    "plan_id": lambda w: w.plan.pk,
    "action_id": lambda w: w.action.pk,
    "section_id": lambda w: w.section.pk,
    "invitation_id": lambda w: w.invitation.pk,
    "aanmelding_id": lambda w: w.aanmelding.pk,
    "consent_id": lambda w: w.consent.pk,
    "attachment_id": lambda w: w.attachment.pk,
    "person_id": lambda w: w.person.pk,
    "overleg_type_id": lambda w: w.overleg_type.pk,
    # An indicator of the monitor.
    "code": lambda w: "doorlooptijd_triage",
    # Objects the World does not build: an id that does not exist (everyone who may ask gets a 404, and
    # nobody a 500). The owning app may override with a `kwargs` callable in its entry.
    "job_id": lambda w: 999999,
    "goal_id": lambda w: 999999,
    "escalation_id": lambda w: 999999,
    "request_id": lambda w: 999999,
    "action": lambda w: "onbekend",
}

# The API operations that are plain URL patterns rather than operations in the schema.
API_PLAIN = {"api:openapi-json", "api:openapi-view", "api:api-root"}


@functools.cache
def url_names() -> dict[str, str]:
    """name → route, for every named URL pattern outside the admin and the API operations."""
    found: dict[str, str] = {}

    def walk(resolver, prefix: str, ns: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                sub = ":".join(x for x in (ns, p.namespace) if x)
                walk(p, prefix + str(p.pattern), sub)
            elif isinstance(p, URLPattern):
                if ns == "admin" or ns.startswith("admin:"):
                    continue  # one rule for the whole admin site (ADMIN_RULE)
                name = ":".join(x for x in (ns, p.name) if x) if p.name else f"route:{prefix}{p.pattern}"
                if name.startswith("api:") and name not in API_PLAIN:
                    continue  # API operations come from the OpenAPI schema
                found.setdefault(name, prefix + str(p.pattern))

    walk(get_resolver(), "", "")
    return found


@functools.cache
def api_operations() -> dict[str, tuple[str, str]]:
    """operationId → (method, path) from the OpenAPI schema."""
    from tafel.api.api import api

    spec = api.get_openapi_schema()
    # Paths in the document are relative to the server URL, which holds the base path (/api/v1).
    base = spec["servers"][0]["url"]
    return {
        f"api:{op['operationId']}": (method, base + path)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
    }


# Actors added by issue 10 whose expectation, where an entry does not name it, is that of an existing actor:
# the reporter-only organisation is an outsider to the case everywhere (it sees its own melding, which the
# World does not give it), like the partner outside the case; the family member with an account but no
# organisation or role gets no API token (like anonymous) and on the pages reaches what a logged-in user
# without case content reaches (like the analyst). An entry names the new actor where it differs.
DERIVED_ACTORS = {
    "reporter": lambda key: "partner",
    "family": lambda key: "anonymous" if key.startswith("api:") and key not in API_PLAIN else "analyst",
}


def load_entries() -> dict[str, dict]:
    entries: dict[str, dict] = {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("tafel."):
            continue
        try:
            module = importlib.import_module(f"{app}.tests.matrix")
        except ModuleNotFoundError as exc:
            if exc.name in (f"{app}.tests.matrix", f"{app}.tests"):
                continue
            raise
        for key, entry in module.ENTRIES.items():
            assert key not in entries, f"matrix entry {key} is defined twice"
            expect = dict(entry["expect"])
            for actor, like in DERIVED_ACTORS.items():
                if actor not in expect and like(key) in expect:
                    expect[actor] = expect[like(key)]
            entries[key] = {**entry, "expect": expect}
    return entries


def kwargs_for(entry: dict, params: list[str], w) -> dict:
    if "kwargs" in entry:
        return entry["kwargs"](w)
    return {name: DEFAULT_KWARGS[name](w) for name in params}


def route_params(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def api_params(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def status_class(code: int) -> int:
    return code


__all__ = ["ACTORS", "DEFAULT_KWARGS", "api_operations", "kwargs_for", "load_entries", "url_names"]
