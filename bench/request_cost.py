#!/usr/bin/env python
"""What every request pays, whatever the page (issue 14): CPU per request through the WSGI handler gunicorn
calls, under production settings, on the benchmark database.

    .venv/bin/python bench/request_cost.py                       # SQLite under var/bench
    DATABASE_URL=postgres://…/tafel_bench .venv/bin/python bench/request_cost.py
    .venv/bin/python bench/request_cost.py --profile /           # cProfile of one kind, top functions

It signs a browser session in (second factor verified, as bench/load.py does) and an API token, then calls
`django.core.wsgi.get_wsgi_application()` in this process, as a gunicorn sync worker does: the request signals
(and so the connection's opening and closing per CONN_MAX_AGE) and the whole middleware stack run. Kinds:

    /healthz          no session, one `SELECT 1`
    anonymous /       the middleware stack without a session (a redirect to the login page)
    signed-in /       the stack with session, user, second factor and idle clock (a redirect to the werkvoorraad)
    API token 404     an API request with a bearer token for a case that does not exist
    case page         GET /casussen/<id>/ signed in as the house's procesregisseur, for the 200 cases bench/run.py
                      draws (seed 7), in turn (with -n 500 each is read two or three times)

Figures are CPU (time.process_time) per request: on SQLite the database's work is in this process, on
PostgreSQL the server's part is not.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(var_dir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tafel.settings",
        TAFEL_ENV="production",
        TAFEL_DEBUG="false",
        TAFEL_DEMO="false",
        TAFEL_VAR_DIR=str(var_dir),
        TAFEL_SECRET_KEY=secrets.token_urlsafe(48),
        # The data set was encrypted with the benchmark's development key (bench/run.py runs with TAFEL_DEBUG).
        TAFEL_FIELD_ENCRYPTION_KEY=os.environ.get("TAFEL_FIELD_ENCRYPTION_KEY", "")
        or "tafel-dev-only-secret-do-not-use-in-production",
        TAFEL_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    import django

    django.setup()


def credentials() -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tafel.access.backends import UserBackend
    from tafel.api.models import SCOPES
    from tafel.api.services import api_token_create
    from tafel.organisations.models import User

    user = User.objects.get(username="regisseur")
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="load", defaults={"confirmed": True})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = f"{UserBackend.__module__}.{UserBackend.__qualname__}"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["last_seen"] = int(time.time())
    session.create()
    token = api_token_create(actor=None, user=user, name="request cost", scopes=list(SCOPES), days=1).key
    connection.close()
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}", "token": token}


def environ(path: str, headers: dict) -> dict:
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    env.update(headers)
    return env


# The case page's path stands for 200 cases (after 10 for warming up), drawn as bench/run.py draws them (seed 7).
CASE_PAGE = "/casussen/<id>/"

KINDS = {
    "/healthz": ("/healthz", lambda c: {}, 200),
    "anonymous /": ("/", lambda c: {}, 302),
    "signed-in /": ("/", lambda c: {"HTTP_COOKIE": c["cookie"]}, 302),
    "API token 404": ("/api/v1/cases/999999999", lambda c: {"HTTP_AUTHORIZATION": f"Bearer {c['token']}"}, 404),
    "case page": (CASE_PAGE, lambda c: {"HTTP_COOKIE": c["cookie"]}, 200),
}


def case_pages() -> list[str]:
    """The case pages bench/run.py measures: 210 random cases (seed 7), the first 10 for warming up."""
    import random

    from django.db import connection

    from tafel.cases.models import Case

    ids = random.Random(7).sample(list(Case.objects.values_list("id", flat=True)), 210)
    connection.close()
    return [f"/casussen/{case_id}/" for case_id in ids]


def paths_of(path: str) -> tuple[list[str], list[str]]:
    """(warm-up paths, measured paths) of a kind."""
    if path != CASE_PAGE:
        return [path] * 20, [path]
    pages = case_pages()
    return pages[:10], pages[10:]


def call(app, path: str, headers: dict, expect: int) -> None:
    status = []

    def start_response(s, h, exc_info=None):
        status.append(int(s.split()[0]))

    body = app(environ(path, headers), start_response)
    for _ in body:
        pass
    if hasattr(body, "close"):
        body.close()
    if status[0] != expect:
        raise RuntimeError(f"{path}: {status[0]}, expected {expect}")


def measure(app, creds: dict, kinds, n: int) -> dict:
    out = {}
    for kind in kinds:
        path, headers, expect = KINDS[kind]
        hdrs = headers(creds)
        warm, paths = paths_of(path)
        for each in warm:
            call(app, each, hdrs, expect)
        cpu, wall = [], []
        for i in range(n):
            each = paths[i % len(paths)]
            c, w = time.process_time(), time.perf_counter()
            call(app, each, hdrs, expect)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        out[kind] = {
            "cpu_median_ms": round(statistics.median(cpu), 3),
            "cpu_mean_ms": round(statistics.fmean(cpu), 3),
            "wall_median_ms": round(statistics.median(wall), 3),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--profile", default="", help="a kind to profile (e.g. 'signed-in /', 'case page')")
    parser.add_argument("--only", default="", help="measure these kinds only, comma-separated (e.g. 'case page')")
    parser.add_argument("--var", default=str(ROOT / "var" / "bench"))
    args = parser.parse_args()
    setup(Path(args.var).resolve())
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    app = get_wsgi_application()
    creds = credentials()
    db = settings.DATABASES["default"]
    print(
        f"{connection.vendor}: CONN_MAX_AGE={db['CONN_MAX_AGE']} CONN_HEALTH_CHECKS={db.get('CONN_HEALTH_CHECKS')} "
        f"load {os.getloadavg()[0]:.2f}"
    )
    if args.profile:
        path, headers, expect = KINDS[args.profile]
        hdrs = headers(creds)
        warm, paths = paths_of(path)
        for each in warm:
            call(app, each, hdrs, expect)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for i in range(args.n):
            call(app, paths[i % len(paths)], hdrs, expect)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        return
    kinds = [k.strip() for k in args.only.split(",") if k.strip()] or list(KINDS)
    for kind, figures in measure(app, creds, kinds, args.n).items():
        print(
            f"  {kind:<16} CPU median {figures['cpu_median_ms']:7.3f} ms  mean {figures['cpu_mean_ms']:7.3f} ms  "
            f"wall median {figures['wall_median_ms']:7.3f} ms"
        )


if __name__ == "__main__":
    main()
