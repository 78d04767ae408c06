#!/usr/bin/env python
"""Tafel benchmark: `make bench`, or `make bench BENCH_ARGS="--cases 2000"` for a quick run.

Uses its own database (SQLite under var/bench/, or DATABASE_URL for PostgreSQL), never the demo's. When that
database holds fewer than --cases cases it is wiped and filled with the demo generator (seed 7). Then, after
a warm-up, it measures with time.perf_counter:

  a. person matching at intake (cases.screening.person_match, audit off: the matcher alone) for 200 names
     of existing persons with a typo (letter dropped, letters swapped, first and last name swapped, initial
     only) — with and without the date of birth — and the recall: is the true person in the top 5?
  b. the case page GET /casussen/<id>/ through django.test.Client as a house procesregisseur, for 200 random
     cases: median, p95 and the number of queries per page (which must not grow with the case);
  c. the same for the API, GET /api/v1/cases/<id> (session authentication);
  d. the case_detail selector alone, to separate database time from rendering.
Then every other bench/<name>.py with a `run(results)` function adds its own section (e.g. reports.py).

The table is printed and written as JSON to var/bench/results.json (and results-<database>.json, so runs on
SQLite and PostgreSQL can be compared). See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BENCH_VAR_DIR puts the benchmark's SQLite file and results elsewhere, e.g. a 1,000,000-case set beside the
# 100,000-case one (BENCH_VAR_DIR=var/bench-1m). It must lie under var/, so the wipe guard still holds.
VAR = ROOT / os.environ["BENCH_VAR_DIR"] if os.environ.get("BENCH_VAR_DIR") else ROOT / "var" / "bench"

SEED = 7
SAMPLES = 200
WARMUP = 10


def setup_django() -> None:
    # Forced, not defaults: the benchmark must never run against the demo database under var/.
    os.environ["DJANGO_SETTINGS_MODULE"] = "tafel.settings"
    os.environ["TAFEL_DEBUG"] = "true"
    if not VAR.is_relative_to(ROOT / "var"):
        sys.exit(f"bench: BENCH_VAR_DIR must lie under {ROOT / 'var'}, not {VAR}")
    os.environ["TAFEL_VAR_DIR"] = str(VAR)
    VAR.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def database_label() -> tuple[str, str]:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return "SQLite", sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return connection.vendor.capitalize() if connection.vendor != "postgresql" else "PostgreSQL", version


def database_key() -> str:
    """Names the files of one benchmark database: "sqlite", or "postgresql-<database name>"."""
    from django.db import connection

    return "sqlite" if connection.vendor == "sqlite" else f"{connection.vendor}-{connection.settings_dict['NAME']}"


def check_may_wipe() -> None:
    """Only a database that is clearly a benchmark database is ever wiped."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        if Path(name).resolve().parent != VAR.resolve():
            sys.exit(f"bench: refusing to wipe {name}: not under {VAR}")
    elif "bench" not in name:
        sys.exit(f"bench: refusing to wipe database {name!r}: its name must contain 'bench' (e.g. tafel_bench)")


def wipe() -> None:
    """An empty database with every migration applied, data migrations included: the overleg types,
    questionnaires and intervention catalogue they add are part of every real database (`flush` would
    delete them, and the demo would then have no meetings and no goals)."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        for path in (name, name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm")):
            path.unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    call_command("migrate", verbosity=0, interactive=False)


def prepare(n_cases: int) -> dict:
    """Migrate; generate the data set when the database has fewer than n_cases cases."""
    from django.core.management import call_command

    from tafel.cases.models import Case
    from tafel.demo import house as demo

    call_command("migrate", verbosity=0, interactive=False)
    existing = Case.objects.count()
    info_file = VAR / f"generation-{database_key()}.json"
    generated = json.loads(info_file.read_text()).get("cases", 0) if info_file.exists() else 0
    # A set generated at this size that retention has since shrunk (bench/load.py runs the periodic work and the
    # server's task worker destroys expired closed cases) is still the set: regenerating it costs minutes.
    if existing >= n_cases or (generated >= n_cases and existing >= 0.9 * n_cases):
        print(f"bench: using the existing data set ({existing} cases)", file=sys.stderr)
        vacuum()
        return json.loads(info_file.read_text()) if info_file.exists() else {}
    check_may_wipe()
    print(f"bench: {existing} cases < {n_cases}: wiping and generating (seed {SEED})", file=sys.stderr)
    wipe()

    def progress(done: int, total: int, seconds: float) -> None:
        print(f"demo: {done:>7}/{total} casussen ({100 * done // total:3d}%)  {seconds:6.1f} s", file=sys.stderr)

    result = demo.generate(seed=SEED, cases=n_cases, progress=progress)
    info = {
        "cases": result.cases,
        "persons": result.persons,
        "seconds": round(result.seconds, 1),
        "seed": SEED,
        "database": " ".join(database_label()),
        "generated_on": datetime.date.today().isoformat(),
    }
    info_file.write_text(json.dumps(info, indent=2))
    vacuum()
    return info


def vacuum() -> None:
    """On PostgreSQL, VACUUM ANALYZE before measuring: a database in use is kept so by autovacuum, and
    without it the rows just loaded are not yet marked all-visible, so no index-only scan is possible and the
    monitor would be measured on a state production never stays in for long."""
    from django.db import connection

    if connection.vendor == "postgresql":
        print("bench: VACUUM ANALYZE", file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


class Timer:
    """Wall time (perf_counter) and this process's CPU time (process_time) of one operation. On a busy
    machine wall time includes waiting for a core; CPU time does not (for SQLite it includes the database
    work, which runs in this process; for PostgreSQL it does not)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def summary(timers: list[Timer], queries: list[int] | None = None, **extra) -> dict:
    ms = [t.wall * 1000 for t in timers]
    cpu = [t.cpu * 1000 for t in timers]
    out = {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(statistics.quantiles(ms, n=100, method="inclusive")[94], 2),
        "max_ms": round(max(ms), 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(statistics.quantiles(cpu, n=100, method="inclusive")[94], 2),
    }
    if queries:
        out["queries_min"], out["queries_max"] = min(queries), max(queries)
    out.update(extra)
    return out


# --- a. person matching -----------------------------------------------------------------------------------


from variants import ABBREVIATED, TRANSLITERATED  # noqa: E402 - bench/ is on the path of a bench script


def typo_query(rng: random.Random, person, kind: str, with_dob: bool):
    """The person as a registration types them, one variant class at a time (issue 14)."""
    from tafel.persons.matching import NameParts

    first, prefix, last, dob = person.first_names, person.prefix, person.last_name, person.date_of_birth

    def drop(word: str) -> str:
        if len(word) < 4:
            return word
        i = rng.randrange(1, len(word))
        return word[:i] + word[i + 1 :]

    def swap(word: str) -> str:
        if len(word) < 3:
            return word
        i = rng.randrange(0, len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]

    if kind == "letter dropped":
        last = drop(last)
    elif kind == "letters swapped":
        if rng.random() < 0.5:
            last = swap(last)
        else:
            first = swap(first)
    elif kind == "first/last swapped":
        first, prefix, last = f"{prefix} {last}".strip(), "", first
    elif kind == "initial only":
        first = first[0] + "."
    elif kind == "abbreviated prefix":
        prefix, last = "", f"{ABBREVIATED[prefix]} {last}"
    elif kind == "contracted prefix":
        prefix, last = "", (prefix + last).replace(" ", "").replace("'", "").capitalize()
    elif kind == "transliteration":
        first = TRANSLITERATED[first]
    elif kind == "dob one digit":
        for _ in range(50):
            digits = list(dob.strftime("%d%m%Y"))
            digits[rng.randrange(8)] = str(rng.randrange(10))
            try:
                typo = datetime.datetime.strptime("".join(digits), "%d%m%Y").date()
            except ValueError:
                continue
            if typo != dob:
                dob = typo
                break
    elif kind == "dob day/month swapped":
        dob = dob.replace(day=dob.month, month=dob.day)
    return NameParts(first_names=first, prefix=prefix, last_name=last, date_of_birth=dob if with_dob else None)


KINDS = ["letter dropped", "letters swapped", "first/last swapped", "initial only"]
# Classes that need a person with such a name or date, sampled among those persons; the date classes only with
# a date of birth. Each has VARIANT_SAMPLES searches.
EXTRA_KINDS = ["abbreviated prefix", "contracted prefix", "transliteration", "dob one digit", "dob day/month swapped"]
VARIANT_SAMPLES = 40


def _eligible(kind: str):
    """Persons a class applies to, as a queryset filter."""
    from django.db.models import F, Q

    if kind == "abbreviated prefix":
        return Q(prefix__in=list(ABBREVIATED))
    if kind == "contracted prefix":
        return Q(prefix__startswith="van")
    if kind == "transliteration":
        return Q(first_names__in=list(TRANSLITERATED))
    if kind == "dob day/month swapped":
        return Q(date_of_birth__day__lte=12) & ~Q(date_of_birth__day=F("date_of_birth__month"))
    return Q(date_of_birth__isnull=False)


def namesakes(person) -> int:
    """How many persons hold this person's name (normalised first name and surname, the person included)."""
    from tafel.persons.models import Person

    return Person.objects.filter(norm_first=person.norm_first, norm_last=person.norm_last).count()


def namesake_rate() -> dict:
    """Share of persons whose full name (normalised first name + surname) another person also holds, and the share
    of the most common surname."""
    from django.db.models import Count, Sum

    from tafel.persons.models import Person

    total = Person.objects.count()
    shared = (
        Person.objects.values("norm_first", "norm_last")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .aggregate(persons=Sum("n"))["persons"]
        or 0
    )
    top = Person.objects.values("norm_last").annotate(n=Count("id")).order_by("-n").first() or {"n": 0, "norm_last": ""}
    return {
        "persons": total,
        "share_with_a_namesake": round(shared / total, 3) if total else 0.0,
        "most_common_surname": top["norm_last"],
        "most_common_surname_share": round(top["n"] / total, 4) if total else 0.0,
    }


def bench_match(viewer, rng: random.Random, *, with_dob: bool) -> dict:
    """recall@5 per variant class, and the grade: strong recall (the true person graded "hoog") and strong precision
    (of all candidates graded "hoog", the share that is the true person)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tafel.cases.screening import person_match
    from tafel.persons.models import Person

    ids = list(Person.objects.values_list("id", flat=True))
    people = Person.objects.in_bulk(rng.sample(ids, SAMPLES + WARMUP))
    order = sorted(people)
    rng.shuffle(order)
    queries = [(pid, KINDS[i % len(KINDS)]) for i, pid in enumerate(order)]
    warmup, queries = queries[:WARMUP], queries[WARMUP:]
    for kind in EXTRA_KINDS:
        if kind.startswith("dob") and not with_dob:
            continue
        eligible = list(Person.objects.filter(_eligible(kind)).values_list("id", flat=True)[:20_000])
        picked = rng.sample(eligible, min(VARIANT_SAMPLES, len(eligible)))
        people.update(Person.objects.in_bulk(picked))
        queries += [(pid, kind) for pid in picked]
    for pid, kind in warmup:
        person_match(viewer=viewer, query=typo_query(rng, people[pid], kind, with_dob), audit_it=False)
    times, counts = [], []
    per_kind: dict[str, dict] = {}
    rare_hits = rare_n = 0
    for pid, kind in queries:
        query = typo_query(rng, people[pid], kind, with_dob)
        with CaptureQueriesContext(connection) as ctx, Timer() as timer:
            found = person_match(viewer=viewer, query=query, audit_it=False)
        stats = per_kind.setdefault(kind, {"n": 0, "hits": 0, "strong_true": 0, "strong_all": 0})
        hit = pid in [c.person.pk for c in found[:5]]
        stats["n"] += 1
        stats["hits"] += hit
        stats["strong_true"] += any(c.person.pk == pid and c.level == "hoog" for c in found)
        stats["strong_all"] += sum(c.level == "hoog" for c in found)
        if kind in KINDS:
            times.append(timer)
            counts.append(len(ctx))
            if not with_dob and namesakes(people[pid]) <= 2:
                rare_n += 1
                rare_hits += hit
    by_kind = {
        kind: {
            "n": s["n"],
            "recall_at_5": round(s["hits"] / s["n"], 3),
            "strong_recall": round(s["strong_true"] / s["n"], 3),
            "strong_precision": round(s["strong_true"] / s["strong_all"], 3) if s["strong_all"] else None,
        }
        for kind, s in per_kind.items()
    }
    hits = sum(per_kind[k]["hits"] for k in KINDS)
    extra = {"recall_at_5": round(hits / SAMPLES, 3), "by_kind": by_kind}
    if not with_dob:
        extra["recall_at_5_names_held_by_at_most_two"] = round(rare_hits / rare_n, 3) if rare_n else None
        extra["names_held_by_at_most_two"] = rare_n
    return summary(times, counts, **extra)


# --- b, c, d. case page, API, selector -------------------------------------------------------------------


def bench_get(client, urls: list[str]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:WARMUP]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times, counts = [], []
    for url in urls[WARMUP:]:
        with CaptureQueriesContext(connection) as ctx, Timer() as timer:
            response = client.get(url)
        times.append(timer)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(ctx))
    return summary(times, counts)


def bench_selector(viewer, case_ids: list[int]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tafel.cases.selectors import case_detail

    for case_id in case_ids[:WARMUP]:
        case_detail(viewer=viewer, case_id=case_id)
    times, counts = [], []
    for case_id in case_ids[WARMUP:]:
        with CaptureQueriesContext(connection) as ctx, Timer() as timer:
            case_detail(viewer=viewer, case_id=case_id)
        times.append(timer)
        counts.append(len(ctx))
    return summary(times, counts)


def login(client, user) -> None:
    """Log in as `user`; when the second factor is required (as in production), with a verified TOTP device in
    the session, as django_otp leaves it after a correct code."""
    from django.conf import settings

    client.force_login(user)
    if getattr(settings, "TAFEL_REQUIRE_2FA", False):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def route_exists(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def run_sections(results: dict) -> None:
    """Benchmarks other parts of Tafel add: every bench/<name>.py with a `run(results)` function (for example
    reports.py, the monitor). Each fills its own dict; a failing section is recorded, not fatal, so minutes of
    measurements above are not lost."""
    import importlib.util

    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        if path.name == "run.py":
            continue
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not callable(getattr(module, "run", None)):
            continue
        print(f"bench: section {path.stem}", file=sys.stderr)
        section: dict = {}
        try:
            module.run(section)
        except Exception as exc:  # noqa: BLE001 - reported in the results instead of aborting the run
            section["error"] = f"{type(exc).__name__}: {exc}"
        results["sections"][path.stem] = section


# --- report -----------------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    vendor, version = database_label()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "database": f"{vendor} {version}",
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        # Other work on the machine skews timings; the 1-minute load average says how busy it was.
        "load_average_at_start": round(os.getloadavg()[0], 2),
    }


def print_table(results: dict, written_to: Path) -> None:
    m = results["machine"]
    print(f"\nTafel benchmark — {m['date']}")
    print(f"{m['cpu']}, {m['cores']} cores, Python {m['python']}, {m['database']}")
    print(f"load average (1 min) at start {m['load_average_at_start']}, at end {m['load_average_at_end']}")
    d = results["data"]
    print(f"data: {d['cases']} cases, {d['persons']} persons", end="")
    gen = results.get("generation") or {}
    if gen.get("seconds"):
        print(f" (generated in {gen['seconds']} s on {gen.get('database', '?')})", end="")
    print("\n")
    header = (
        f"{'measurement':<42} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'CPU med':>8} {'CPU p95':>8} "
        f"{'queries':>9} {'recall@5':>9}"
    )
    print(header)
    print("-" * len(header))
    for label, r in results["measurements"].items():
        if "skipped" in r:
            print(f"{label:<42} skipped: {r['skipped']}")
            continue
        q = r.get("queries_min")
        queries = "" if q is None else (str(q) if q == r["queries_max"] else f"{q}–{r['queries_max']}")
        recall = f"{r['recall_at_5']:.3f}" if "recall_at_5" in r else ""
        print(
            f"{label:<42} {r['n']:>4} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f} {r['cpu_median_ms']:>8.2f} "
            f"{r['cpu_p95_ms']:>8.2f} {queries:>9} {recall:>9}"
        )
    for name, section in results.get("sections", {}).items():
        print(f"\nsection {name} (bench/{name}.py)")
        for key, value in section.items():
            print(f"  {key:<40} {value}")
    if "namesakes" in results:
        n = results["namesakes"]
        print(
            f"\nnamesakes: {n['share_with_a_namesake']:.1%} of {n['persons']} persons share their full name; most "
            f"common surname {n['most_common_surname']} {n['most_common_surname_share']:.2%}"
        )
    for label, r in results["measurements"].items():
        if "recall_by_kind" in r:
            kinds = ", ".join(f"{k} {v:.2f}" for k, v in r["recall_by_kind"].items())
            print(f"  recall by typo, {label}: {kinds}")
        if "by_kind" in r:
            print(f"\n{label}: {'class':<24} {'n':>4} {'recall@5':>9} {'hoog: recall':>13} {'precision':>10}")
            for kind, k in r["by_kind"].items():
                precision = "—" if k["strong_precision"] is None else f"{k['strong_precision']:.3f}"
                pad = " " * (len(label) + 2)
                print(
                    f"{pad}{kind:<24} {k['n']:>4} {k['recall_at_5']:>9.3f} {k['strong_recall']:>13.3f} {precision:>10}"
                )
            if "recall_at_5_names_held_by_at_most_two" in r:
                print(
                    f"{'':<{len(label) + 2}}recall@5 for names held by at most two persons: "
                    f"{r['recall_at_5_names_held_by_at_most_two']} (n={r['names_held_by_at_most_two']})"
                )
    print(f"\nwritten to {written_to}")


ONLY = ("case-page", "werkvoorraad", "case-list", "api-case")


def only_choices(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in ONLY]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(ONLY)} (comma-separated), not {value!r}")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description="Tafel benchmark (see docs/performance.md).")
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the benchmark data set (default 100000)")
    parser.add_argument(
        "--only",
        type=only_choices,
        help=(
            "measure only these, comma-separated: case-page (section b, the case page), werkvoorraad "
            "(GET /werkvoorraad/), case-list (GET /casussen/?page=N, N in 1..20), api-case (section c, "
            "GET /api/v1/cases/<id>); e.g. to compare before and after a change"
        ),
    )
    parser.add_argument("--only-matching", action="store_true", help="section a only (person matching)")
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from tafel.cases.models import Case
    from tafel.organisations.models import User
    from tafel.persons.models import Person

    started_on = machine()
    generation = prepare(args.cases)
    # Generation runs far more than 9,000 queries under DEBUG: Django's query log is then full and
    # CaptureQueriesContext would count 0 queries per page (seen at 1,000,000 cases).
    from django.db import reset_queries

    reset_queries()
    regisseur = User.objects.get(username="regisseur")
    rng = random.Random(SEED)
    results = {
        "machine": started_on,
        "data": {"cases": Case.objects.count(), "persons": Person.objects.count()},
        "generation": generation,
        "settings": {
            "samples": SAMPLES,
            "warmup": WARMUP,
            "viewer": "regisseur (procesregisseur of the house)",
            "second_factor": bool(getattr(settings, "TAFEL_REQUIRE_2FA", False)),
            "debug": settings.DEBUG,
        },
        "measurements": {},
    }
    measurements = results["measurements"]
    if not args.only:
        print("bench: person matching", file=sys.stderr)
        results["namesakes"] = namesake_rate()
        measurements["person match, name + date of birth (a)"] = bench_match(regisseur, rng, with_dob=True)
        measurements["person match, name only (a)"] = bench_match(regisseur, rng, with_dob=False)
        if args.only_matching:
            results["machine"]["load_average_at_end"] = round(os.getloadavg()[0], 2)
            written = VAR / f"results-matching-{database_key()}.json"
            written.write_text(json.dumps(results, indent=2, ensure_ascii=False))
            print_table(results, written)
            return

    case_ids = rng.sample(list(Case.objects.values_list("id", flat=True)), SAMPLES + WARMUP)
    client = Client()
    login(client, regisseur)
    if not args.only or "case-page" in args.only:
        print("bench: case page", file=sys.stderr)
        try:
            urls = [reverse("cases:detail", args=[case_id]) for case_id in case_ids]
        except NoReverseMatch:
            measurements["case page /casussen/<id>/ (b)"] = {"skipped": "URL cases:detail does not exist yet"}
        except ImportError as exc:  # the URL configuration itself does not load
            measurements["case page /casussen/<id>/ (b)"] = {"skipped": f"URLs do not load: {exc}"}
        else:
            measurements["case page /casussen/<id>/ (b)"] = bench_get(client, urls)
    results["sections"] = {}
    if args.only:
        # The other pages of the load test's mix (bench/load.py), one at a time.
        if "werkvoorraad" in args.only:
            print("bench: werkvoorraad", file=sys.stderr)
            measurements["werkvoorraad /werkvoorraad/"] = bench_get(client, ["/werkvoorraad/"] * (SAMPLES + WARMUP))
        if "case-list" in args.only:
            print("bench: case list", file=sys.stderr)
            pages = [f"/casussen/?page={rng.randint(1, 20)}" for _ in range(SAMPLES + WARMUP)]
            measurements["case list /casussen/?page=N"] = bench_get(client, pages)
        if "api-case" in args.only:
            print("bench: API case", file=sys.stderr)
            urls = [f"/api/v1/cases/{i}" for i in case_ids]
            measurements["API GET /api/v1/cases/<id> (c)"] = bench_get(client, urls)
        finish(results, f"results-only-{'-'.join(args.only)}")
        return
    print("bench: API", file=sys.stderr)
    try:
        api_exists = route_exists(f"/api/v1/cases/{case_ids[0]}")
    except ImportError:
        api_exists = False
    if api_exists:
        measurements["API GET /api/v1/cases/<id> (c)"] = bench_get(client, [f"/api/v1/cases/{i}" for i in case_ids])
    else:
        measurements["API GET /api/v1/cases/<id> (c)"] = {"skipped": "route /api/v1/cases/<id> does not exist"}
    print("bench: selector", file=sys.stderr)
    measurements["selector case_detail (d)"] = bench_selector(regisseur, case_ids)
    run_sections(results)
    finish(results, "results")


def finish(results: dict, name: str) -> None:
    results["machine"]["load_average_at_end"] = round(os.getloadavg()[0], 2)
    text = json.dumps(results, indent=2, ensure_ascii=False)
    (VAR / f"{name}.json").write_text(text)
    # One file per database as well, so SQLite and PostgreSQL runs can be compared.
    (VAR / f"{name}-{database_key()}.json").write_text(text)
    print_table(results, VAR / f"{name}.json")


if __name__ == "__main__":
    main()
