"""The warm-up gunicorn's master runs before forking its workers (tafel/core/warmup.py, deploy/serve.sh)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.template import engines

from tafel.core.warmup import own_template_dirs, warm_up


def cached_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]
    return set(loader.get_template_cache)


@pytest.fixture
def cached_loader(settings):
    """The cached template loader, as production has it (DEBUG off), emptied before and after."""
    loader = engines["django"].engine.template_loaders[0]
    if not hasattr(loader, "get_template_cache"):
        pytest.skip("the template loader is not the cached one")
    loader.reset()
    yield loader
    loader.reset()


@pytest.mark.django_db(transaction=True)
def test_warm_up_compiles_tafels_templates_and_leaves_no_connection_open(cached_loader):
    connection.ensure_connection()

    result = warm_up()

    assert result["templates"] > 50
    names = cached_names()
    assert {"base.html", "cases/case_detail.html", "cases/werkvoorraad.html"} <= names
    # Only Tafel's own: the admin's templates are compiled when (and if) the admin is used.
    assert not any(name.startswith("admin/") for name in names)
    # Nothing may cross the fork: every worker opens its own connection.
    assert all(conn.connection is None for conn in connections.all(initialized_only=True))


def test_own_template_dirs_are_inside_the_project():
    root = Path(settings.BASE_DIR).resolve()
    dirs = own_template_dirs()
    assert dirs
    assert all(d.resolve().is_relative_to(root) for d in dirs)


def test_serve_starts_gunicorn_preloaded_with_the_warmed_application():
    serve = (Path(settings.BASE_DIR) / "deploy" / "serve.sh").read_text()
    assert "APP=('tafel.wsgi:warmed()' --preload)" in serve


def test_the_warmed_application_is_the_application():
    from tafel import wsgi

    assert wsgi.warmed() is wsgi.application
