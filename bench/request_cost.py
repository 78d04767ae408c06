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

and, with `--mix`, every kind of bench/load.py's mix sent exactly as load.py sends it (its credentials made by
load.prepare_clients, its requests by load.Client.do's paths and bodies; the note's POST is answered with a
redirect that load.py's client does not follow). `--mix` prints a table: kind, share in the mix, CPU median,
queries, CPU x share, and their sum (the mix's CPU per request). The writes change the database: point `--var`
at a copy of var/bench to keep the benchmark set as it was.

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
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


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


def environ(path: str, headers: dict, method: str = "GET", body: bytes = b"") -> dict:
    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.input": io.BytesIO(body),
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


def call(app, path: str, headers: dict, expect, method: str = "GET", body: bytes = b"") -> None:
    status = []

    def start_response(s, h, exc_info=None):
        status.append(int(s.split()[0]))

    chunks = []
    response = app(environ(path, headers, method, body), start_response)
    for chunk in response:
        chunks.append(chunk)
    if hasattr(response, "close"):
        response.close()
    expected = expect if isinstance(expect, tuple) else (expect,)
    if status[0] not in expected:
        raise RuntimeError(f"{method} {path}: {status[0]}, expected {expect}: {b''.join(chunks)[:300]!r}")


# --- the load test's mix (bench/load.py), request by request -------------------------------------------------


class MixRequests:
    """The requests of bench/load.py's Client.do as WSGI calls: (method, path, headers, body, expected statuses)."""

    def __init__(self, data: dict, creds: dict, seed: int):
        import random

        import load

        self.load, self.data, self.creds = load, data, creds
        self.rng = random.Random(seed)
        self.cookie = f"{data['session_cookie']}={creds['session']}; {data['csrf_cookie']}={load.CSRF_SECRET}"

    def _api(self, method, path, payload=None, token=None, expect=200):
        import json

        headers = {"HTTP_AUTHORIZATION": f"Bearer {token or self.creds['token']}"}
        body = b""
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["CONTENT_TYPE"] = "application/json"
        return method, path, headers, body, expect

    def make(self, kind: str):
        import datetime
        import string

        rng, load = self.rng, self.load
        case_id = rng.choice(self.data["case_ids"])
        page = {"HTTP_COOKIE": self.cookie}
        if kind == "case page":
            return "GET", f"/casussen/{case_id}/", page, b"", 200
        if kind == "API case":
            return self._api("GET", f"/api/v1/cases/{case_id}")
        if kind == "case list":
            return "GET", f"/casussen/?page={rng.randint(1, 20)}", page, b"", 200
        if kind == "werkvoorraad":
            return "GET", "/werkvoorraad/", page, b"", 200
        if kind == "screening":
            person = dict(rng.choice(self.data["persons"]))
            person["last_name"] = person["last_name"][:-1] if len(person["last_name"]) > 4 else person["last_name"]
            return self._api("POST", "/api/v1/persons/match", person)
        if kind == "note (write)":
            body = f"text=Notitie+uit+de+belastingtest&category=algemeen&csrfmiddlewaretoken={load.CSRF_SECRET}"
            headers = {**page, "CONTENT_TYPE": "application/x-www-form-urlencoded"}
            return "POST", f"/casussen/{case_id}/notities/", headers, body.encode(), (200, 302)
        if kind == "aanmelding (write)":
            suffix = "".join(rng.choice(string.ascii_lowercase) for _ in range(6))
            payload = {
                "route": "veld",
                "theme": "huiselijk_geweld",
                "municipality_id": rng.choice(self.data["municipality_ids"]),
                "title": "Belastingtest",
                "reason": "Zorgen over het gezin (belastingtest).",
                "summary": "Meerdere meldingen; hulp komt niet van de grond.",
                "client_knows": True,
                "persons": [{"first_names": "Test", "last_name": f"Last{suffix}", "role": "pleger"}],
            }
            return self._api("POST", "/api/v1/aanmeldingen", payload, self.creds["aanmelder_token"], 201)
        if kind == "action update (write)":
            action = rng.choice(self.data["actions"])
            payload = {"status": "open", "outcome_note": f"Loopt; gesproken op {datetime.date.today():%d-%m}."}
            return self._api("POST", f"/api/v1/meetings/actions/{action['id']}/status", payload, action["token"])
        raise ValueError(kind)


def mix_data() -> tuple[dict, dict]:
    """bench/load.py's credentials and work, made with this process's keys (this process is the server)."""
    import load
    from django.conf import settings
    from django.db import connection

    data = load.prepare_clients(1, settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY)
    connection.close()
    return data, data["clients"][0]


def count_queries(app, requests: MixRequests, kind: str, n: int = 10) -> float:
    from django.db import connection

    counts = []
    for _ in range(n):
        seen = []

        def wrapper(execute, sql, params, many, context, seen=seen):
            seen.append(sql)
            return execute(sql, params, many, context)

        method, path, headers, body, expect = requests.make(kind)
        with connection.execute_wrapper(wrapper):
            call(app, path, headers, expect, method, body)
        counts.append(len(seen))
    return statistics.median(counts)


def measure_mix(app, data: dict, creds: dict, kinds, n: int) -> dict:
    import load

    shares = dict(load.MIX)
    out = {}
    for kind in kinds:
        requests = MixRequests(data, creds, seed=zlib.crc32(kind.encode()))
        for _ in range(10):
            method, path, headers, body, expect = requests.make(kind)
            call(app, path, headers, expect, method, body)
        cpu, wall = [], []
        for _ in range(n):
            method, path, headers, body, expect = requests.make(kind)
            c, w = time.process_time(), time.perf_counter()
            call(app, path, headers, expect, method, body)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        out[kind] = {
            "share": shares[kind] / 100,
            "cpu_median_ms": round(statistics.median(cpu), 2),
            "cpu_mean_ms": round(statistics.fmean(cpu), 2),
            "wall_median_ms": round(statistics.median(wall), 2),
            "queries": count_queries(app, requests, kind),
        }
    return out


def print_mix(figures: dict) -> None:
    # Wall time beside the CPU: on PostgreSQL the difference is mostly the database server's work and the round trips.
    print(
        f"  {'kind':<24} {'share':>5} {'CPU median':>10} {'mean':>7} {'wall median':>11} {'queries':>7} "
        f"{'CPU x share':>11} {'wall x share':>12}"
    )
    total = total_wall = 0.0
    for kind, f in figures.items():
        weighted = f["cpu_median_ms"] * f["share"]
        weighted_wall = f["wall_median_ms"] * f["share"]
        total += weighted
        total_wall += weighted_wall
        print(
            f"  {kind:<24} {f['share']:>5.0%} {f['cpu_median_ms']:>8.2f} ms {f['cpu_mean_ms']:>7.2f} "
            f"{f['wall_median_ms']:>8.2f} ms {f['queries']:>7g} {weighted:>8.2f} ms {weighted_wall:>9.2f} ms"
        )
    blank = ""
    print(
        f"  {'the mix, per request':<24} {blank:>5} {blank:>10} {blank:>7} {blank:>11} {blank:>7} "
        f"{total:>8.2f} ms {total_wall:>9.2f} ms"
    )


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
    parser.add_argument("--var", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--mix", action="store_true", help="every kind of bench/load.py's mix, as a table")
    parser.add_argument(
        "--only", default="", help="these kinds only, comma-separated (e.g. 'case page'; with --mix: the mix's kinds)"
    )
    parser.add_argument("--profile-mix", default="", help="a kind of the mix to profile (e.g. 'werkvoorraad')")
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
    if args.mix or args.profile_mix:
        import load

        data, mix_creds = mix_data()
        kinds = [k for k, _ in load.MIX]
        if args.only:
            kinds = [k for k in kinds if k in args.only.split(",")]
        if args.profile_mix:
            requests = MixRequests(data, mix_creds, seed=1)
            for _ in range(10):
                method, path, headers, body, expect = requests.make(args.profile_mix)
                call(app, path, headers, expect, method, body)
            profiler = cProfile.Profile(time.process_time)
            for _ in range(args.n):
                method, path, headers, body, expect = requests.make(args.profile_mix)
                profiler.enable()
                call(app, path, headers, expect, method, body)
                profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(30)
            return
        print_mix(measure_mix(app, data, mix_creds, kinds, args.n))
        return
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
