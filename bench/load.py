#!/usr/bin/env python
"""Load test (issue 14 item 2): real HTTP against `make serve`'s server, a mixed read and write load.

`make bench` runs it as the section "load" on the benchmark database; on its own:

    .venv/bin/python bench/load.py                      # 2,000 cases, 8 and 32 clients, 15 s each
    .venv/bin/python bench/load.py --cases 100000 --seconds 60
    DATABASE_URL=postgres://…/tafel_bench .venv/bin/python bench/load.py

It starts deploy/serve.sh (production settings, gunicorn, the task worker) on a free port against the benchmark
database, signs N clients in (a browser session verified with the second factor, made as django-otp leaves it
after a correct code, and an API token each), and for a fixed time per client count sends, from N threads
with http.client:

    reads  case page (30%), API case (20%), case list (10%), werkvoorraad (10%), screening (API match, 10%)
    writes a note on a case page form (10%), an aanmelding through the API (5%), an action update (5%)

then /healthz from N clients for the same time on the same server. It reports requests/s, p50 and p99 and
errors per kind and in all, and the ratio of the mix's throughput to /healthz's. The load generator shares
the machine with the server: on 2 cores it takes part of the CPU the server would have (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import string
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

MIX = (
    ("case page", 30),
    ("API case", 20),
    ("case list", 10),
    ("werkvoorraad", 10),
    ("screening", 10),
    ("note (write)", 10),
    ("aanmelding (write)", 5),
    ("action update (write)", 5),
)
DEFAULT_CLIENTS = (8, 32)
DEFAULT_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", 15))
DEFAULT_WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", 4))
CSRF_SECRET = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the clients' credentials, made in the benchmark's Django process with the server's keys ------------------


def prepare_clients(n: int, server_secret: str, field_key: str) -> dict:
    """Sessions (second factor verified) and API tokens for `n` clients, plus the cases, persons and actions they
    work on. Sessions and the session auth hash are signed with the server's secret key."""
    import logging

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test.utils import override_settings
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tafel.access.backends import UserBackend
    from tafel.api.models import SCOPES
    from tafel.api.services import api_token_create
    from tafel.cases.models import Case
    from tafel.organisations.models import Municipality, Role, User
    from tafel.persons.models import Person

    logging.getLogger("tafel.api").setLevel(logging.WARNING)
    rng = random.Random(14)
    regisseur = User.objects.get(username="regisseur")
    aanmelders = list(
        User.objects.filter(roles__role=Role.AANMELDER, organisation__isnull=False, is_active=True).distinct()[:20]
    )
    # Not the closed cases whose retention period has run out: the server's task worker destroys them during the
    # run, and a request for a destroyed case is a 404 that says nothing about the server.
    from django.utils import timezone

    from tafel.privacy.services.retention import retention_candidates

    due = {c.case.pk for c in retention_candidates(as_of=timezone.now() + datetime.timedelta(days=1))}
    case_ids = [
        pk for pk in Case.objects.order_by("?").values_list("id", flat=True)[: 2000 + len(due)] if pk not in due
    ]
    case_ids = case_ids[:2000]
    persons = list(
        Person.objects.filter(date_of_birth__isnull=False)
        .order_by("?")
        .values("first_names", "prefix", "last_name", "date_of_birth")[:500]
    )
    municipality_ids = list(Municipality.objects.values_list("id", flat=True))
    clients, actions = [], []
    with override_settings(SECRET_KEY=server_secret, FIELD_ENCRYPTION_KEY=field_key):
        device, _ = TOTPDevice.objects.get_or_create(user=regisseur, name="load", defaults={"confirmed": True})
        for i in range(n):
            session = SessionStore()
            session[SESSION_KEY] = str(regisseur.pk)
            session[BACKEND_SESSION_KEY] = f"{UserBackend.__module__}.{UserBackend.__qualname__}"
            session[HASH_SESSION_KEY] = regisseur.get_session_auth_hash()
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.create()
            token = api_token_create(actor=None, user=regisseur, name=f"load {i}", scopes=list(SCOPES), days=2).key
            aanmelder = aanmelders[i % len(aanmelders)] if aanmelders else regisseur
            write_token = api_token_create(
                actor=None, user=aanmelder, name=f"load {i}", scopes=list(SCOPES), days=2
            ).key
            clients.append({"session": session.session_key, "token": token, "aanmelder_token": write_token})
        # The action update: each owner reports on their own action, so every owner gets a token of their own.
        action_owners = {}
        for action in owned_actions(rng):
            if action.owner_id not in action_owners:
                action_owners[action.owner_id] = api_token_create(
                    actor=None, user=action.owner, name="load actions", scopes=list(SCOPES), days=2
                ).key
            actions.append({"id": action.pk, "token": action_owners[action.owner_id]})
    return {
        "clients": clients,
        "case_ids": case_ids,
        "persons": [{**p, "date_of_birth": p["date_of_birth"].isoformat()} for p in persons],
        "municipality_ids": municipality_ids,
        "actions": actions,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "rng_seed": rng.random(),
    }


def owned_actions(rng: random.Random, limit: int = 200) -> list:
    """Up to `limit` actions of a case's current plan whose owner is an active user of an organisation: the
    actions an owner may report on."""
    from tafel.meetings.models import Action
    from tafel.meetings.services.plans import current_plan

    candidates = list(
        Action.objects.filter(
            plan__published_at__isnull=False, owner__is_active=True, owner__organisation__isnull=False
        )
        .select_related("owner")
        .order_by("?")[: limit * 3]
    )
    out = []
    for action in candidates:
        plan = current_plan(action.case_id)
        if plan is not None and plan.pk == action.plan_id:
            out.append(action)
        if len(out) >= limit:
            break
    return out


def daily_work_done() -> dict:
    """Bring the data set to the state of a running house before the server starts: the periodic work (the
    tick's clocks and notifications, retention) done once. A freshly generated data set has years of it to catch
    up, and the server's task worker would otherwise do that during the first run: on SQLite its long writes
    then make the page views' audit inserts wait. The seconds it took are reported beside the run."""
    from django.db import connection

    from tafel.lifecycle.services.tick import tick
    from tafel.privacy.services.retention import retention_run

    out = {}
    t = time.perf_counter()
    tick(send_mail=False)
    out["tick"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    retention_run()
    out["retention"] = round(time.perf_counter() - t, 1)
    connection.close()
    return out


# --- the server ---------------------------------------------------------------------------------------------


def start_server(
    port: int, *, var_dir: Path, server_secret: str, field_key: str, workers: int, extra_env: dict | None = None
):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAFEL_", "DJANGO_"))}
    env.update(
        TAFEL_VAR_DIR=str(var_dir),
        TAFEL_BIND=f"127.0.0.1:{port}",
        TAFEL_WORKERS=str(workers),
        TAFEL_SECRET_KEY=server_secret,
        TAFEL_FIELD_ENCRYPTION_KEY=field_key,
        **(extra_env or {}),
    )
    # The server's log goes to a file: a pipe nobody reads fills up and then blocks the server's writes.
    log_path = var_dir / f"load-server-{port}.log"
    log = open(log_path, "wb")  # noqa: SIM115 - the server process writes it until stop_server
    proc = subprocess.Popen(
        [str(ROOT / "deploy" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    proc.log_path = log_path
    log.close()  # the child holds its own descriptor
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError(f"the server did not answer /healthz: {log_path.read_text(errors='replace')[-2000:]}")


def stop_server(proc) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# --- the load -----------------------------------------------------------------------------------------------


class Client:
    """One simulated user: a keep-alive connection (gunicorn's sync workers close it; http.client reopens)."""

    def __init__(self, port: int, creds: dict, data: dict, rng: random.Random):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.creds, self.data, self.rng = creds, data, rng
        self.cookie = f"{data['session_cookie']}={creds['session']}; {data['csrf_cookie']}={CSRF_SECRET}"
        self.last_error = ""

    def request(self, method: str, path: str, *, body=None, headers=None) -> int:
        self.conn.request(method, path, body=body, headers=headers or {})
        response = self.conn.getresponse()
        body = response.read()
        if response.status >= 400:
            self.last_error = f"{response.status} {body[:200].decode(errors='replace')}"
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status

    def page(self, path: str) -> bool:
        return self.request("GET", path, headers={"Cookie": self.cookie}) == 200

    def api(self, method: str, path: str, payload=None, token: str | None = None) -> int:
        headers = {"Authorization": f"Bearer {token or self.creds['token']}"}
        body = None
        if payload is not None:
            body = json.dumps(payload)
            headers["Content-Type"] = "application/json"
        return self.request(method, path, body=body, headers=headers)

    def case_id(self) -> int:
        return self.rng.choice(self.data["case_ids"])

    def do(self, kind: str) -> bool:
        if kind == "case page":
            return self.page(f"/casussen/{self.case_id()}/")
        if kind == "API case":
            return self.api("GET", f"/api/v1/cases/{self.case_id()}") == 200
        if kind == "case list":
            return self.page(f"/casussen/?page={self.rng.randint(1, 20)}")
        if kind == "werkvoorraad":
            return self.page("/werkvoorraad/")
        if kind == "screening":
            person = dict(self.rng.choice(self.data["persons"]))
            person["last_name"] = person["last_name"][:-1] if len(person["last_name"]) > 4 else person["last_name"]
            return self.api("POST", "/api/v1/persons/match", person) == 200
        if kind == "note (write)":
            body = f"text=Notitie+uit+de+belastingtest&category=algemeen&csrfmiddlewaretoken={CSRF_SECRET}"
            status = self.request(
                "POST",
                f"/casussen/{self.case_id()}/notities/",
                body=body,
                headers={"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"},
            )
            return status in (200, 302)
        if kind == "aanmelding (write)":
            suffix = "".join(self.rng.choice(string.ascii_lowercase) for _ in range(6))
            payload = {
                "route": "veld",
                "theme": "huiselijk_geweld",
                "municipality_id": self.rng.choice(self.data["municipality_ids"]),
                "title": "Belastingtest",
                "reason": "Zorgen over het gezin (belastingtest).",
                "summary": "Meerdere meldingen; hulp komt niet van de grond.",
                "client_knows": True,
                "persons": [{"first_names": "Test", "last_name": f"Last{suffix}", "role": "pleger"}],
            }
            return self.api("POST", "/api/v1/aanmeldingen", payload, token=self.creds["aanmelder_token"]) == 201
        if kind == "action update (write)":
            # The owner of an action of a current plan reports on it (the partner's most frequent write).
            if not self.data["actions"]:
                raise RuntimeError("the data set holds no action of a current plan with an active owner")
            action = self.rng.choice(self.data["actions"])
            payload = {"status": "open", "outcome_note": f"Loopt; gesproken op {datetime.date.today():%d-%m}."}
            status = self.api("POST", f"/api/v1/meetings/actions/{action['id']}/status", payload, token=action["token"])
            return status == 200
        if kind == "healthz":
            return self.request("GET", "/healthz") == 200
        raise ValueError(kind)


def tree_cpu_seconds(pid: int, *, only: str = "") -> float:
    """CPU seconds (user + system) of process `pid` and all its descendants, living or ended: each living
    process's own time plus the time of its children that ended and were waited for (gunicorn's restarted
    workers count in the master's). With `only`, the subtrees of the descendants whose command line contains
    it (e.g. "gunicorn": the web server without the task worker). 0 where /proc is missing."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = fields
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    roots = [pid]
    if only:
        roots, todo = [], [pid]
        while todo:
            current = todo.pop()
            try:
                cmdline = Path(f"/proc/{current}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                cmdline = ""
            if only in cmdline and current != pid:
                roots.append(current)
            else:
                todo.extend(children.get(current, ()))
    total, todo = 0, list(roots)
    while todo:
        current = todo.pop()
        fields = stats.get(current)
        if fields is None:
            continue
        # After the ")": state ppid … utime(11) stime(12) cutime(13) cstime(14), counted from "state" as 0.
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))
        todo.extend(children.get(current, ()))
    return total / tick


def drive(port: int | list[int], data: dict, *, clients: int, seconds: float, kinds, weights, server_pids=()) -> dict:
    """`clients` threads for `seconds`, each picking a kind by weight; latencies per kind. With several ports
    (several server processes, bench/scale_out.py) client i talks to ports[i % len(ports)]. The CPU the load
    generator (this process) and the servers (`server_pids` and their descendants) used is reported as a share
    of the machine's cores and, for the servers, per request."""
    ports = port if isinstance(port, list) else [port]
    cpu_before = time.process_time()
    server_before = sum(tree_cpu_seconds(pid) for pid in server_pids)
    web_before = sum(tree_cpu_seconds(pid, only="gunicorn") for pid in server_pids)
    stop_at = time.monotonic() + seconds
    samples: dict[str, list[float]] = {k: [] for k in kinds}
    errors: dict[str, int] = {k: 0 for k in kinds}
    per_port: dict[int, int] = dict.fromkeys(ports, 0)
    examples: dict[str, str] = {}
    lock = threading.Lock()

    def worker(i: int) -> None:
        rng = random.Random(1000 + i)
        client = Client(ports[i % len(ports)], data["clients"][i % len(data["clients"])], data, rng)
        local_samples: dict[str, list[float]] = {k: [] for k in kinds}
        local_errors = {k: 0 for k in kinds}
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                ok = client.do(kind)
            except (OSError, http.client.HTTPException):
                client.conn.close()
                ok = False
            local_samples[kind].append(time.perf_counter() - started)
            if not ok:
                local_errors[kind] += 1
                examples.setdefault(kind, client.last_error or "connection error")
        with lock:
            for k in kinds:
                samples[k].extend(local_samples[k])
                errors[k] += local_errors[k]
            per_port[client.conn.port] += sum(len(v) for v in local_samples.values())

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    client_cpu = time.process_time() - cpu_before
    server_cpu = sum(tree_cpu_seconds(pid) for pid in server_pids) - server_before
    web_cpu = sum(tree_cpu_seconds(pid, only="gunicorn") for pid in server_pids) - web_before
    everything = [s for k in kinds for s in samples[k]]
    result = _stats(everything, sum(errors.values()), elapsed)
    cores = os.cpu_count() or 1
    result["load_generator_cpu_share"] = round(client_cpu / elapsed / cores, 3)
    if server_pids:
        result["server_cpu_share"] = round(server_cpu / elapsed / cores, 3)
        result["server_cpu_ms_per_request"] = round(1000 * server_cpu / max(1, len(everything)), 2)
        # gunicorn alone (master and workers), without the task worker.
        result["web_cpu_ms_per_request"] = round(1000 * web_cpu / max(1, len(everything)), 2)
    result["per_kind"] = {k: _stats(samples[k], errors[k], elapsed) for k in kinds if samples[k]}
    if examples:
        result["error_examples"] = examples
    if len(ports) > 1:
        result["requests_per_port"] = per_port
    return result


def _stats(latencies: list[float], errors: int, elapsed: float) -> dict:
    if not latencies:
        return {"requests": 0, "errors": errors}
    ms = sorted(x * 1000 for x in latencies)
    return {
        "requests": len(ms),
        "per_second": round(len(ms) / elapsed, 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
        "errors": errors,
    }


def run(
    results: dict,
    *,
    clients=DEFAULT_CLIENTS,
    seconds: float = DEFAULT_SECONDS,
    workers: int = DEFAULT_WORKERS,
    server_env: dict | None = None,
):
    """The bench section "load": the benchmark database as prepared by bench/run.py. `server_env` adds TAFEL_
    variables to the server's environment (e.g. TAFEL_THREADS, TAFEL_DB_CONN_MAX_AGE)."""
    from django.conf import settings
    from django.db import connection

    var_dir = Path(settings.VAR_DIR) if hasattr(settings, "VAR_DIR") else ROOT / "var" / "bench"
    server_secret = secrets.token_urlsafe(48)
    # The data set was encrypted with the benchmark process's field key (its secret key when none is set).
    field_key = settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY
    catch_up = daily_work_done()
    data = prepare_clients(max(clients), server_secret, field_key)
    connection.close()  # SQLite: leave the database to the server
    port = free_port()
    load_before = os.getloadavg()[0]
    proc = start_server(
        port, var_dir=var_dir, server_secret=server_secret, field_key=field_key, workers=workers, extra_env=server_env
    )
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    try:
        drive(port, data, clients=4, seconds=3, kinds=kinds, weights=weights)  # warm the workers
        for n in clients:
            mixed = drive(port, data, clients=n, seconds=seconds, kinds=kinds, weights=weights, server_pids=[proc.pid])
            health = drive(
                port, data, clients=n, seconds=seconds, kinds=["healthz"], weights=[1], server_pids=[proc.pid]
            )
            health.pop("per_kind", None)
            ratio = mixed.get("per_second", 0) / health["per_second"] if health.get("per_second") else 0
            results[f"{n} clients"] = {"mix": mixed, "healthz": health, "mix_vs_healthz": round(ratio, 3)}
    finally:
        stop_server(proc)
    log_text = Path(proc.log_path).read_text(errors="replace")
    threads = int((server_env or {}).get("TAFEL_THREADS", 1))
    results["setup"] = {
        "server": f"deploy/serve.sh: gunicorn, {workers} {'sync' if threads == 1 else f'gthread ({threads} threads)'} "
        "workers, production settings, task worker",
        "server_env": server_env or {},
        # Workers gunicorn started, the first `workers` included: more means workers were recycled during the run.
        "worker_boots": log_text.count("Booting worker"),
        "database": connection.vendor,
        "seconds_per_run": seconds,
        "mix": dict(MIX),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "server_log": str(proc.log_path),
        "daily_work_before_the_run_s": catch_up,
    }


def print_results(results: dict) -> None:
    for key, value in results.items():
        if key == "setup":
            print(f"setup: {json.dumps(value)}")
            continue
        mix, health = value["mix"], value["healthz"]
        print(
            f"\n{key}: mix {mix.get('per_second')} req/s, p50 {mix.get('p50_ms')} ms, p99 {mix.get('p99_ms')} ms, "
            f"errors {mix.get('errors')} of {mix.get('requests')}; /healthz {health.get('per_second')} req/s "
            f"(p99 {health.get('p99_ms')} ms); mix/healthz {value['mix_vs_healthz']:.1%}"
        )
        for name, part in (("mix", mix), ("/healthz", health)):
            print(
                f"  CPU, {name}: load generator {part.get('load_generator_cpu_share', 0):.0%} of the machine, "
                f"server {part.get('server_cpu_share', 0):.0%} ({part.get('server_cpu_ms_per_request', 0)} ms "
                f"per request with the task worker, {part.get('web_cpu_ms_per_request', 0)} ms gunicorn alone)"
            )
        for kind, example in mix.get("error_examples", {}).items():
            print(f"  first error, {kind}: {example}")
        for kind, s in mix.get("per_kind", {}).items():
            print(
                f"  {kind:<24} {s.get('per_second', 0):>7} req/s  p50 {s.get('p50_ms', 0):>7} ms  "
                f"p99 {s.get('p99_ms', 0):>7} ms  errors {s['errors']}"
            )


def main() -> None:
    import run as bench

    parser = argparse.ArgumentParser(description="Tafel load test (docs/performance.md).")
    parser.add_argument("--cases", type=int, default=2000, help="cases in the data set (default 2000; bench: 100000)")
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS, help="seconds per run (default 15)")
    parser.add_argument("--clients", default="8,32", help="concurrent clients, comma-separated (default 8,32)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn workers (default 4)")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="TAFEL_NAME=VALUE",
        help="a TAFEL_ variable for the server (repeatable), e.g. TAFEL_THREADS=4",
    )
    args = parser.parse_args()
    server_env = dict(item.split("=", 1) for item in args.server_env)
    if any(not name.startswith("TAFEL_") for name in server_env):
        parser.error("--server-env takes TAFEL_ variables only")
    bench.setup_django()
    bench.prepare(args.cases)
    results: dict = {"machine": bench.machine()}
    section: dict = {}
    run(
        section,
        clients=tuple(int(c) for c in args.clients.split(",")),
        seconds=args.seconds,
        workers=args.workers,
        server_env=server_env,
    )
    results["load"] = section
    out = bench.VAR / f"load-{bench.database_key()}{os.environ.get('BENCH_LOAD_TAG', '')}.json"
    out.write_text(json.dumps(results, indent=2))
    m = results["machine"]
    print(f"Tafel load test — {m['date']}, {m['cpu']}, {m['cores']} cores, {m['database']}")
    print_results(section)
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
