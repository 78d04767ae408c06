"""Several web processes (issue 14 item 6; docs/operations.md "Scaling out"): the shared cache and sessions,
the monitor's database router, PgBouncer's transaction mode configured or refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, router

from tafel.cases.models import Case
from tafel.core.checks import _transaction_pooling_problems, scaling_checks
from tafel.core.databases import MonitorRouter, monitor_database, monitor_reads, temporary_tables_usable
from tafel.core.models import AuditEvent
from tafel.reports.models import Goal, ReportJob
from tafel.settings import cache_from_url

PG = "postgres://postgres@127.0.0.1:5432/tafel"


def settings_in_subprocess(**env: str) -> subprocess.CompletedProcess:
    """Import tafel.settings with `env` and print what scaling out depends on."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TAFEL_DEBUG": "true", **env}
    code = (
        "import json, tafel.settings as s; print(json.dumps({'databases': s.DATABASES, 'caches': s.CACHES, "
        "'monitor': s.TAFEL_MONITOR_DATABASE, 'session': s.SESSION_ENGINE, 'axes': s.AXES_HANDLER}, default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def loaded(**env: str) -> dict:
    result = settings_in_subprocess(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- the cache and the sessions -----------------------------------------------------------------------------


def test_the_default_cache_is_the_database_shared_by_every_process():
    config = loaded()
    assert config["caches"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    # Django's database store, its read of a session composed once (tafel.core.sessions).
    assert config["session"] == "tafel.core.sessions"
    assert config["axes"] == "axes.handlers.database.AxesDatabaseHandler"


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "db.DatabaseCache", "tafel_cache"),
        ("db", "db.DatabaseCache", "tafel_cache"),
        ("file:", "filebased.FileBasedCache", "/srv/var/cache"),
        ("file:///tmp/tafel-cache", "filebased.FileBasedCache", "/tmp/tafel-cache"),  # noqa: S108
        ("locmem:", "locmem.LocMemCache", "tafel"),
    ],
)
def test_cache_url_chooses_the_backend(url, backend, location):
    config = cache_from_url(url, var_dir=Path("/srv/var"))
    assert config["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert config["LOCATION"] == location
    assert config["KEY_PREFIX"] == "tafel"


@pytest.mark.parametrize("url", ["memcached://x", "file:relative/path", "junk"])
def test_cache_url_refuses_what_it_does_not_know(url):
    with pytest.raises(ImproperlyConfigured):
        cache_from_url(url, var_dir=Path("/srv/var"))


def test_redis_cache_needs_the_redis_package():
    import importlib.util

    if importlib.util.find_spec("redis") is None:
        with pytest.raises(ImproperlyConfigured, match="redis"):
            cache_from_url("redis://127.0.0.1:6379/0", var_dir=Path("/srv/var"))
    else:
        assert cache_from_url("redis://127.0.0.1:6379/0", var_dir=Path("/srv/var"))["BACKEND"].endswith("RedisCache")


def test_a_bad_cache_url_refuses_to_start():
    result = settings_in_subprocess(TAFEL_CACHE_URL="memcached://127.0.0.1")
    assert result.returncode != 0 and "TAFEL_CACHE_URL" in result.stderr


@pytest.mark.django_db
def test_cache_entries_are_rows_of_the_database_not_of_this_process():
    cache.set("scaling-test", {"n": 1}, 60)
    table = connection.ops.quote_name("tafel_cache")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our own table name
        assert cursor.fetchone()[0] >= 1
    assert cache.get("scaling-test") == {"n": 1}


@pytest.mark.django_db
def test_migrate_makes_the_cache_table(settings):
    from tafel.core.apps import create_cache_table

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name('tafel_cache')}")
    assert "tafel_cache" not in connection.introspection.table_names()
    create_cache_table(using="default")  # what post_migrate runs after `migrate`
    assert "tafel_cache" in connection.introspection.table_names()


@pytest.mark.django_db
def test_a_login_session_is_a_database_row(client, procesregisseur):
    client.force_login(procesregisseur)
    assert Session.objects.filter(session_key=client.session.session_key).exists()


# --- the monitor's router -----------------------------------------------------------------------------------


def test_without_a_replica_everything_reads_and_writes_the_primary(settings):
    settings.TAFEL_MONITOR_DATABASE = "default"
    with monitor_reads() as alias:
        assert alias == "default"
        assert router.db_for_read(Case) == "default"
    assert router.db_for_write(Case) == "default"


def test_with_a_replica_only_the_monitors_reads_of_its_tables_go_there(settings):
    settings.TAFEL_MONITOR_DATABASE = "replica"
    assert router.db_for_read(Case) == "default"  # outside the monitor: the case page, the API, ...
    with monitor_reads() as alias:
        assert alias == monitor_database() == "replica"
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_read(Goal) == "replica"
        # Never on the replica: the audit log, sessions, the job's own row; and no write at all.
        assert router.db_for_read(AuditEvent) == "default"
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(ReportJob) == "default"
        assert router.db_for_write(Case) == "default"
        assert router.db_for_write(AuditEvent) == "default"
    assert router.db_for_read(Case) == "default"


def test_the_replica_is_never_migrated(settings):
    settings.TAFEL_MONITOR_DATABASE = "replica"
    assert MonitorRouter().allow_migrate("replica", "cases") is False
    assert MonitorRouter().allow_migrate("default", "cases") is None


def test_a_replica_url_adds_the_alias_and_points_the_monitor_at_it():
    config = loaded(DATABASE_URL=f"{PG}_primary", DATABASE_REPLICA_URL=f"{PG}_standby")
    assert config["monitor"] == "replica"
    assert config["databases"]["replica"]["NAME"] == "tafel_standby"
    assert config["databases"]["replica"]["TEST"] == {"MIRROR": "default"}
    assert loaded()["monitor"] == "default"


def test_a_replica_needs_postgresql():
    result = settings_in_subprocess(DATABASE_REPLICA_URL=f"{PG}_standby")  # the primary is SQLite
    assert result.returncode != 0 and "DATABASE_REPLICA_URL needs PostgreSQL" in result.stderr


def conn(alias: str, *, in_transaction: bool = False) -> SimpleNamespace:
    return SimpleNamespace(alias=alias, in_atomic_block=in_transaction)


def test_temporary_tables_are_not_made_on_the_replica(settings):
    settings.TAFEL_MONITOR_DATABASE = "default"
    assert temporary_tables_usable(conn("default"))
    settings.TAFEL_MONITOR_DATABASE = "replica"
    assert not temporary_tables_usable(conn("replica"))
    assert not temporary_tables_usable(conn("replica", in_transaction=True))
    assert temporary_tables_usable(conn("default"))


def test_behind_pgbouncer_temporary_tables_only_inside_a_transaction(settings):
    settings.TAFEL_PGBOUNCER = "transaction"
    assert not temporary_tables_usable(conn("default"))
    assert temporary_tables_usable(conn("default", in_transaction=True))
    settings.TAFEL_PGBOUNCER = "session"
    assert temporary_tables_usable(conn("default"))


# --- PgBouncer --------------------------------------------------------------------------------------------


def test_transaction_pooling_configures_django_for_it():
    config = loaded(DATABASE_URL=PG, TAFEL_PGBOUNCER="transaction")
    default = config["databases"]["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert default["OPTIONS"]["prepare_threshold"] is None
    assert loaded(DATABASE_URL=PG)["databases"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": PG, "TAFEL_PGBOUNCER": "statement"}, "statement mode cannot run Tafel"),
        ({"TAFEL_PGBOUNCER": "transaction"}, "TAFEL_PGBOUNCER=transaction needs PostgreSQL"),
    ],
)
def test_what_cannot_work_behind_pgbouncer_refuses_to_start(env, message):
    result = settings_in_subprocess(**env)
    assert result.returncode != 0
    assert message in result.stderr


def pg(**extra) -> dict:
    return {"ENGINE": "django.db.backends.postgresql", "DISABLE_SERVER_SIDE_CURSORS": True, "OPTIONS": {}, **extra}


def test_the_check_passes_a_configuration_made_for_transaction_pooling():
    assert _transaction_pooling_problems({"default": pg(), "replica": pg()}) == []


@pytest.mark.parametrize(
    ("database", "check_id"),
    [
        (pg(DISABLE_SERVER_SIDE_CURSORS=False), "tafel.E143"),
        (pg(OPTIONS={"prepare_threshold": 5}), "tafel.E144"),
        ({"ENGINE": "django.db.backends.sqlite3"}, "tafel.E142"),
    ],
)
def test_the_check_refuses_what_breaks_under_transaction_pooling(database, check_id):
    problems = _transaction_pooling_problems({"default": pg(), "replica": database})
    assert [p.id for p in problems] == [check_id]
    assert "'replica'" in problems[0].msg
    # Dutch and English, and what to do.
    assert " — " in problems[0].msg and problems[0].hint


def test_the_check_runs_with_the_settings(settings):
    settings.TAFEL_PGBOUNCER = "transaction"  # the test database is SQLite or PostgreSQL without the options
    ids = [p.id for p in scaling_checks()]
    assert ids and set(ids) <= {"tafel.E142", "tafel.E143"}
    settings.TAFEL_PGBOUNCER = ""
    assert scaling_checks() == []
    settings.TAFEL_MONITOR_DATABASE = "standby"
    assert [p.id for p in scaling_checks()] == ["tafel.E140"]


def test_a_per_process_cache_is_warned_about_outside_development(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    settings.CACHES = {"default": cache_from_url("locmem:", var_dir=Path("/srv/var"))}
    assert [p.id for p in scaling_checks()] == ["tafel.W141"]
