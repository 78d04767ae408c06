"""A web process keeps its database connection between requests, on SQLite as on PostgreSQL
(docs/decisions/0010-persistent-database-connections.md): the per-connection settings stay in force on the
connection it keeps, a connection left unusable is replaced, and TAFEL_DB_CONN_MAX_AGE=0 gives a new one per
request."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from tafel.core.tests.test_scaling import PG, loaded, settings_in_subprocess


def get(app: WSGIHandler, path: str = "/healthz") -> int:
    """One request through the WSGI handler gunicorn calls: with the request signals, which open and close the
    connection per CONN_MAX_AGE (django.test.Client leaves them out)."""
    status = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    response = app(environ, lambda s, headers, exc_info=None: status.append(int(s.split()[0])))
    b"".join(response)
    response.close()
    return status[0]


# --- the settings -------------------------------------------------------------------------------------------


def test_sqlite_and_postgresql_keep_connections_for_a_minute():
    sqlite = loaded()["databases"]["default"]
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["CONN_MAX_AGE"] == 60
    # The per-connection PRAGMAs are unchanged: run on every new connection.
    assert "PRAGMA busy_timeout=5000" in sqlite["OPTIONS"]["init_command"]
    assert loaded(DATABASE_URL=PG)["databases"]["default"]["CONN_MAX_AGE"] == 60


def test_conn_max_age_from_the_environment():
    assert loaded(TAFEL_DB_CONN_MAX_AGE="0")["databases"]["default"]["CONN_MAX_AGE"] == 0
    assert loaded(DATABASE_URL=PG, TAFEL_DB_CONN_MAX_AGE="5")["databases"]["default"]["CONN_MAX_AGE"] == 5
    result = settings_in_subprocess(TAFEL_DB_CONN_MAX_AGE="-1")
    assert result.returncode != 0
    assert "TAFEL_DB_CONN_MAX_AGE must be 0 or more" in result.stderr


# --- the behaviour, through the WSGI handler ----------------------------------------------------------------


@pytest.fixture
def app():
    connection.close()
    yield WSGIHandler()
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_web_process_keeps_its_connection_between_requests(app):
    assert get(app) == 200
    first = connection.connection
    assert first is not None
    assert get(app) == 200
    assert connection.connection is first


@pytest.mark.django_db(transaction=True)
def test_the_kept_sqlite_connection_still_has_its_settings(app):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's per-connection PRAGMAs")
    get(app)
    get(app)
    with connection.cursor() as cursor:
        values = {
            pragma: cursor.execute(f"PRAGMA {pragma}").fetchone()[0]
            for pragma in ("busy_timeout", "foreign_keys", "journal_mode", "synchronous")
        }
    # busy_timeout: a writer waits for another instead of failing at once; foreign keys enforced; WAL; NORMAL.
    assert values == {"busy_timeout": 5000, "foreign_keys": 1, "journal_mode": "wal", "synchronous": 1}


@pytest.mark.django_db(transaction=True)
def test_a_connection_left_in_a_transaction_is_not_kept(app):
    get(app)
    first = connection.connection
    # A request that ended with its connection outside autocommit (a transaction left open by a crash) must not
    # hand that state to the next request.
    connection.set_autocommit(False)
    assert get(app) == 200
    assert connection.connection is not first
    assert connection.get_autocommit()


@pytest.mark.django_db(transaction=True)
def test_conn_max_age_zero_opens_a_connection_per_request(app, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    get(app)
    assert connection.connection is None
