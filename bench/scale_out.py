#!/usr/bin/env python
"""Two server processes against one database (issue 14 item 6; docs/operations.md "Scaling out").

    DATABASE_URL=postgres://…/tafel_bench .venv/bin/python bench/scale_out.py            # 2,000 cases
    .venv/bin/python bench/scale_out.py --cases 2000 --seconds 20 --clients 8 --workers 2
    DATABASE_URL=postgres://…@127.0.0.1:6432/tafel_bench TAFEL_PGBOUNCER=transaction .venv/bin/python bench/scale_out.py

It starts deploy/serve.sh twice (production settings, gunicorn with --workers each, and each its task worker) on
two ports against the benchmark database, then shows with real HTTP that the processes share their state:

1. **session**: a person signs in with a password on server A; server B knows the session (it asks for the
   second factor, not for a password); the TOTP code is entered on B; A then shows the werkvoorraad; a
   logout on A ends the session on B too;
2. **lock-out**: wrong passwords for one account, alternately on A and on B, lock the account on both after
   TAFEL_LOGIN_FAILURE_LIMIT (5) failures in all, even for the right password;
3. **monitor**: the dashboard on A and on B (the monitor's reads, on the replica when DATABASE_REPLICA_URL is
   set);
4. **load**: the mixed load of bench/load.py for a fixed time with the clients spread over both servers, and
   /healthz the same way: throughput, p50/p99, errors, the requests each server answered, the load average.

TAFEL_PGBOUNCER, TAFEL_CACHE_URL and DATABASE_REPLICA_URL are passed on to the servers. The load generator shares
the machine with both servers (and with whatever else runs): the load average before and after is printed.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import secrets
import string
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402 - bench/ is on the path only now

PASSWORD = "testpass-Tafel-2026"  # tafel.testing.make_user's password
USERS = ("schaal-a", "schaal-slot")


class Browser:
    """One person's browser: the cookies it holds, sent to whichever server it asks."""

    def __init__(self) -> None:
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.cookies = {"csrftoken": csrf}

    def request(self, port: int, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.cookies["csrftoken"]})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in header.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        conn.close()
        return response.status, response.getheader("Location", ""), text


def prepare_people() -> dict:
    """Two accounts of the house with a password and a confirmed TOTP device; no lock-out left from a run
    before. Returns what the browsers need."""
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tafel.organisations.models import Role, User
    from tafel.testing import make_user

    house = User.objects.get(username="regisseur").organisation
    devices = {}
    for username in USERS:
        user = User.objects.filter(username=username).first() or make_user(
            house, Role.PROCESREGISSEUR, username=username
        )
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="schaal", defaults={"confirmed": True})
        devices[username] = device.pk
    AccessAttempt.objects.filter(username__in=USERS).delete()
    return devices


def totp_code(device_id: int) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(pk=device_id)
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


def session_shared(a: int, b: int, device_id: int) -> dict:
    browser = Browser()
    steps = {}
    status, location, _ = browser.request(a, "POST", "/login/", {"username": USERS[0], "password": PASSWORD})
    steps["password on A"] = f"{status} → {location}"
    status, location, _ = browser.request(b, "GET", "/werkvoorraad/")
    steps["werkvoorraad on B, before the second factor"] = f"{status} → {location}"
    knows_session = status == 302 and location.startswith("/privacy/tweede-factor/")
    # A TOTP code is accepted once per 30-second step: wait for a fresh step if this one was used by a run before.
    status, location, _ = browser.request(b, "POST", "/privacy/tweede-factor/", {"token": totp_code(device_id)})
    if status != 302:
        time.sleep(31 - time.time() % 30)
        status, location, _ = browser.request(b, "POST", "/privacy/tweede-factor/", {"token": totp_code(device_id)})
    steps["TOTP code on B"] = f"{status} → {location}"
    status_a, _, _ = browser.request(a, "GET", "/werkvoorraad/")
    status_b, _, _ = browser.request(b, "GET", "/werkvoorraad/")
    steps["werkvoorraad on A / on B"] = f"{status_a} / {status_b}"
    monitor = {}
    period = f"{datetime.date.today().year}Q{(datetime.date.today().month - 1) // 3 + 1}"
    for name, port in (("A", a), ("B", b)):
        started = time.perf_counter()
        status, _, _ = browser.request(port, "GET", f"/monitor/?period={period}")
        monitor[name] = {"status": status, "ms": round((time.perf_counter() - started) * 1000)}
    browser.request(a, "POST", "/logout/", {})
    status, location, _ = browser.request(b, "GET", "/werkvoorraad/")
    steps["werkvoorraad on B after logout on A"] = f"{status} → {location}"
    ok = (
        knows_session
        and status_a == status_b == 200
        and status == 302
        and location.startswith("/login/")
        and all(m["status"] == 200 for m in monitor.values())
    )
    return {"ok": ok, "steps": steps, "monitor dashboard": monitor}


def lockout_shared(a: int, b: int, limit: int) -> dict:
    browser = Browser()
    statuses = []
    for attempt in range(limit):
        port = (a, b)[attempt % 2]
        status, _, _ = browser.request(port, "POST", "/login/", {"username": USERS[1], "password": "fout-wachtwoord"})
        statuses.append(f"{'AB'[attempt % 2]}:{status}")
    right = {}
    for name, port in (("A", a), ("B", b)):
        status, location, _ = browser.request(port, "POST", "/login/", {"username": USERS[1], "password": PASSWORD})
        right[name] = status
    # 429: django-axes' lock-out answer; a 302 would be a successful login.
    return {"ok": all(s == 429 for s in right.values()), "wrong passwords": statuses, "right password": right}


def main() -> None:
    import run as bench

    parser = argparse.ArgumentParser(description="Tafel on two server processes (docs/operations.md).")
    parser.add_argument("--cases", type=int, default=2000, help="cases in the data set (default 2000)")
    parser.add_argument("--seconds", type=float, default=20, help="seconds of load (default 20)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients over both servers (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (default 2)")
    args = parser.parse_args()
    bench.setup_django()
    bench.prepare(args.cases)

    from django.conf import settings
    from django.db import connection

    results: dict = {"machine": bench.machine()}
    devices = prepare_people()
    server_secret = secrets.token_urlsafe(48)
    field_key = settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY
    data = load.prepare_clients(args.clients, server_secret, field_key)
    passed = {k: os.environ[k] for k in ("TAFEL_PGBOUNCER", "TAFEL_CACHE_URL") if os.environ.get(k)}
    connection.close()
    ports = [load.free_port(), load.free_port()]
    load_before = os.getloadavg()
    servers = []
    try:
        for port in ports:  # one after the other: each runs migrate and collectstatic first
            servers.append(
                load.start_server(
                    port,
                    var_dir=Path(settings.VAR_DIR),
                    server_secret=server_secret,
                    field_key=field_key,
                    workers=args.workers,
                    extra_env=passed,
                )
            )
        a, b = ports
        results["session"] = session_shared(a, b, devices[USERS[0]])
        results["lockout"] = lockout_shared(a, b, settings.AXES_FAILURE_LIMIT)
        kinds = [k for k, _ in load.MIX]
        weights = [w for _, w in load.MIX]
        load.drive(ports, data, clients=4, seconds=3, kinds=kinds, weights=weights)  # warm both
        mixed = load.drive(ports, data, clients=args.clients, seconds=args.seconds, kinds=kinds, weights=weights)
        health = load.drive(ports, data, clients=args.clients, seconds=args.seconds, kinds=["healthz"], weights=[1])
        health.pop("per_kind", None)
        results["load"] = {"mix": mixed, "healthz": health}
    finally:
        for server in servers:
            load.stop_server(server)
    db = connection.settings_dict
    results["setup"] = {
        "servers": f"2 × deploy/serve.sh: gunicorn, {args.workers} sync workers each, production settings, "
        "a task worker each",
        "database": f"{connection.vendor} {db['HOST'] or ''}:{db['PORT'] or ''}",
        "passed to the servers": passed,
        "clients": args.clients,
        "seconds": args.seconds,
        "load_average_before (1, 5, 15 min)": [round(x, 2) for x in load_before],
        "load_average_after (1, 5, 15 min)": [round(x, 2) for x in os.getloadavg()],
    }
    out = bench.VAR / f"scale-out-{bench.database_key()}.json"
    out.write_text(json.dumps(results, indent=2))
    m = results["machine"]
    print(f"Tafel on two server processes — {m['date']}, {m['cpu']}, {m['cores']} cores, {m['database']}")
    print(f"setup: {json.dumps(results['setup'])}")
    print(f"\nsession shared: {'yes' if results['session']['ok'] else 'NO'}")
    for step, outcome in results["session"]["steps"].items():
        print(f"  {step}: {outcome}")
    print(f"  monitor dashboard: {results['session']['monitor dashboard']}")
    lock = results["lockout"]
    print(f"\nlock-out counted across both: {'yes' if lock['ok'] else 'NO'}")
    print(f"  wrong passwords: {' '.join(lock['wrong passwords'])}; then the right one: {lock['right password']}")
    mix, health = results["load"]["mix"], results["load"]["healthz"]
    print(
        f"\nload over both ({args.clients} clients, {args.seconds:g} s): mix {mix.get('per_second')} req/s, "
        f"p50 {mix.get('p50_ms')} ms, p99 {mix.get('p99_ms')} ms, errors {mix.get('errors')} of "
        f"{mix.get('requests')}, per server {mix.get('requests_per_port')}; /healthz {health.get('per_second')} "
        f"req/s (p99 {health.get('p99_ms')} ms), per server {health.get('requests_per_port')}"
    )
    for kind, example in mix.get("error_examples", {}).items():
        print(f"  first error, {kind}: {example}")
    print(f"\nwritten to {out}")
    if not (results["session"]["ok"] and lock["ok"] and mix.get("errors") == 0):
        sys.exit(1)


if __name__ == "__main__":
    main()
