"""schemathesis against the OpenAPI spec (issue 4): generated requests, authenticated with a token of the
house's procesregisseur, must never produce a server error or a response that violates the schema. Bounded
(few examples per operation, no deadline) so it runs in `make test` and CI."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hsettings

from tafel.testing.world import build_world, token_for


@pytest.fixture
def api_world(db, settings):
    settings.TAFEL_REQUIRE_2FA = False
    w = build_world()
    return w, token_for(w, "regisseur")


@pytest.fixture(autouse=True)
def keep_test_connection():
    """schemathesis calls the WSGI application directly, whose request signals would close the database
    connection that holds the test's transaction (PostgreSQL); Django's own test client does the same."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_api_has_no_server_errors_and_no_schema_violations(api_world):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    from tafel.wsgi import application

    w, token = api_world
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures, calls = [], []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hsettings(
            max_examples=6,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @schemathesis_given(operation)
        def run(case):
            if "case_id" in (case.path_parameters or {}):
                case.path_parameters["case_id"] = w.case.pk
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            calls.append((operation.path, response.status_code))
            case.validate_response(
                response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance]
            )

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
    # The run reached every operation, and not only with refused requests.
    assert {path for path, _ in calls} == {r.ok().path for r in schema.get_all_operations()}
    assert any(200 <= status < 300 for _, status in calls)


def schemathesis_given(operation):
    from hypothesis import given

    return given(case=operation.as_strategy())
