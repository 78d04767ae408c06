"""Shared fixtures: the three standard actors of STYLE.md and the house around them."""

import os
import shutil

import pytest

# Django models are imported inside the fixtures, so pure-Python tests can run with `-p no:django`.


@pytest.fixture
def house(db):
    from tafel.organisations.models import OrganisationType
    from tafel.testing import make_org

    return make_org("Zorg- en Veiligheidshuis Test", OrganisationType.ZVH)


@pytest.fixture
def municipality(db):
    from tafel.testing import make_municipality

    return make_municipality("Hilversum", max_caseload=50)


@pytest.fixture
def police(db):
    from tafel.organisations.models import OrganisationType
    from tafel.testing import make_org

    return make_org("Politie Test", OrganisationType.POLITIE)


@pytest.fixture
def ggz(db):
    from tafel.organisations.models import OrganisationType
    from tafel.testing import make_org

    return make_org("GGZ Test", OrganisationType.GGZ)


@pytest.fixture
def procesregisseur(house):
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    return make_user(house, Role.PROCESREGISSEUR, username="regisseur")


@pytest.fixture
def professional(police):
    """A professional of an organisation in the case (the police submits the case in `case`)."""
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    return make_user(police, Role.PROFESSIONAL, Role.AANMELDER, username="agent")


@pytest.fixture
def outsider(ggz):
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    """A professional of a partner organisation that is not in the case."""
    return make_user(ggz, Role.PROFESSIONAL, Role.AANMELDER, username="buiten")


@pytest.fixture
def analyst(db):
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_org, make_user

    org = make_org("Gemeente Beleid", OrganisationType.GEMEENTE)
    return make_user(org, Role.ANALIST, username="analist")


@pytest.fixture
def beheerder(house):
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    return make_user(house, Role.BEHEERDER, username="beheerder", is_staff=True)


@pytest.fixture
def case(professional, municipality, procesregisseur):
    from tafel.testing import make_case

    return make_case(professional, municipality)


# --- reference data ---------------------------------------------------------------------------------------
# Transactional tests (browser tests, report threads) end with a flush that also empties the tables that data
# migrations fill (overleg types, the intervention catalogue). Every database test therefore makes sure they are
# there before it starts, whatever ran before it on the same worker.


def _restore_reference_data() -> None:
    from importlib import import_module

    from django.apps import apps as django_apps
    from django.db import connection

    OverlegType = django_apps.get_model("meetings", "OverlegType")
    InterventionType = django_apps.get_model("lifecycle", "InterventionType")
    if not OverlegType.objects.exists():
        import_module("tafel.meetings.migrations.0002_overleg_types").add_types(django_apps, connection.schema_editor)
    Questionnaire = django_apps.get_model("reports", "Questionnaire")
    if not Questionnaire.objects.exists():
        import_module("tafel.reports.migrations.0003_builtin_questionnaires").forwards(
            django_apps, connection.schema_editor
        )
    if not Questionnaire.objects.filter(code="casusreview").exists():
        import_module("tafel.evaluations.migrations.0002_casusreview_questionnaire").forwards(
            django_apps, connection.schema_editor
        )
    if not InterventionType.objects.exists():
        import_module("tafel.lifecycle.migrations.0002_intervention_catalogue").forwards(
            django_apps, connection.schema_editor
        )


@pytest.fixture(autouse=True)
def _reference_data(request):
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(
        {"transactional_db", "live_server"} & names or (marker is not None and marker.kwargs.get("transaction"))
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    _restore_reference_data()


# --- the browser ------------------------------------------------------------------------------------------
# One Chromium per test process, shared by every browser test (two sync Playwright instances cannot run in one
# thread). Debian's Chromium, never a downloaded one; flags keep it off the closed network.

CHROMIUM = os.environ.get("TAFEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _dutch_after_each_test():
    """A request through the test client leaves its language active in the thread (LocaleMiddleware activates
    it and nothing deactivates it), so an English page would make the next test in the same worker speak
    English. Every test starts and ends in the default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium` (apt-get install -y chromium).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def pytest_sessionfinish(session, exitstatus):
    """The SQLite test database is a file named per process (tafel/settings.py); Django removes the file at the
    end but not SQLite's -wal and -shm companions, which would pile up in /dev/shm."""
    try:
        from django.conf import settings

        if not settings.configured or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
            return
        name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    except Exception:  # noqa: BLE001 - no Django in this run (-p no:django)
        return
    if not name:
        return
    import glob

    for leftover in glob.glob(f"{glob.escape(name)}*-wal") + glob.glob(f"{glob.escape(name)}*-shm"):
        if not os.path.exists(leftover[: -len("-wal")]):
            os.remove(leftover)
