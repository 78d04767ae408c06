#!/usr/bin/env python
"""Federation benchmark (issue 16): 25 houses × 100,000 persons at the hub.

    .venv/bin/python bench/federation.py                      # the full run (several minutes, ~1 GB disk)
    .venv/bin/python bench/federation.py --houses 3 --persons 2000   # a quick smoke run
    .venv/bin/python bench/federation.py --republish          # step 2 again, into the register a full run left

Everything runs in one process against one SQLite file under var/bench/federation/ that holds both the hub's
tables and the measured house's (bench/federation_settings.py). Network time is not included: the house's
call to the hub and the hub's calls to the houses go through the real views and signatures in-process.

1. **The hub's register**: 24 houses × N persons (Faker nl_NL name pools, seeded; 60 % with a BSN), their
   tokens made with the real encoding (tafel/federation/tokens.py, two processes) and stored through the
   hub's publish service in batches of 5,000.
2. **Publishing N persons** from the 25th house, end to end: N persons in open cases in the house's database,
   then `publication_run()` — outbox marking, tokens, signed publish requests of 2,000, the hub's ingest, the
   outbox marked sent. Target ≤ 60 s for 100,000.
3. **A federated check**: `federated_check()` from the 25th house for persons of the other houses — exact
   (40 %), with one typo (40 %) and unknown (20 %) — through the hub's view (signature, nonce, rate limit,
   match, fan-out to the houses with a match, audit) with the asked houses answering at once (a signed canned
   answer: their own lookup is a one-row query). 20 warm-up checks, then 500 measured. Target p95 ≤ 200 ms.
4. **The fuzzy tier beside the local matcher** on a typo set of 1,000 persons of one house (one typo in first
   or last name, or a day/month swap): recall (is the person found?) and precision (how many of the persons
   shown are the right one?) for the hub (both tiers together, and the fuzzy tier alone) and for the local
   matcher (tafel.persons.matching.score ≥ THRESHOLD over the same house, blocked on date of birth or
   phonetic surname as the local screening blocks).

Results are printed and written to var/bench/federation/results.json; docs/performance.md records them.
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
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "federation"
SEED = 16
KEY = "bench-federation-key-" + "y" * 32
CHECK_WARMUP = 20
CHECKS = 500
TYPO_SET = 1000


def setup_django(db: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.federation_settings"
    os.environ["FEDERATION_BENCH_DB"] = str(db)
    os.environ.setdefault("TAFEL_SECRET_KEY", "bench-only-secret-" + "z" * 40)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- synthetic persons ----------------------------------------------------------------------------------------


def name_pools(seed: int) -> tuple[list[str], list[str]]:
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    firsts = sorted({fake.first_name() for _ in range(6000)})
    lasts = sorted({fake.last_name() for _ in range(20000)})
    return firsts, lasts


def _bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
        check = total % 11
        if check < 10 and (digits[0] or digits[1]):
            return "".join(map(str, digits)) + str(check)


def persons(house: int, n: int, pools) -> list:
    """The n persons of one house, the same on every run (seeded per house)."""
    from tafel.persons.matching import NameParts

    firsts, lasts = pools
    rng = random.Random(SEED * 1000 + house)
    start = datetime.date(1935, 1, 1).toordinal()
    out = []
    for _ in range(n):
        dob = datetime.date.fromordinal(start + rng.randrange(32000))
        out.append(
            NameParts(
                first_names=rng.choice(firsts),
                last_name=rng.choice(lasts),
                date_of_birth=dob,
                bsn=_bsn(rng) if rng.random() < 0.6 else "",
            )
        )
    return out


def _encode(job) -> list[dict]:
    house, n, pools = job
    sys.path.insert(0, str(ROOT))
    from tafel.federation import tokens

    return [
        {"ref": f"h{house:02d}p{i:07d}", **tokens.tokens_for(p, federation_key=KEY).as_wire()}
        for i, p in enumerate(persons(house, n, pools))
    ]


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + rng.choice("aeiou")
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice("isdt")
    letter = rng.choice("aeiounrstl")
    if op == "i":
        return word[:i] + letter + word[i:]
    if op == "s":
        return word[:i] + (letter if letter != word[i] else "x") + word[i + 1 :]
    if op == "d":
        return word[:i] + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def with_typo(rng: random.Random, p):
    import dataclasses

    kind = rng.random()
    if kind < 0.45:
        return dataclasses.replace(p, last_name=typo(rng, p.last_name), bsn=""), "surname"
    if kind < 0.9:
        return dataclasses.replace(p, first_names=typo(rng, p.first_names), bsn=""), "first name"
    d = p.date_of_birth
    if d.day <= 12 and d.day != d.month:
        return dataclasses.replace(p, date_of_birth=d.replace(day=d.month, month=d.day), bsn=""), "day/month swap"
    return dataclasses.replace(p, last_name=typo(rng, p.last_name), bsn=""), "surname"


# --- the phases -------------------------------------------------------------------------------------------------


def build_register(houses: int, n: int, pools) -> dict:
    from django.utils import timezone

    from tafel_hub import services as hub_services
    from tafel_hub.models import House

    encode_s = ingest_s = 0.0
    total = 0
    jobs = [(h, n, pools) for h in range(1, houses)]
    with Pool(2) as pool:
        # At most two houses encoded ahead of the one being stored: 100,000 encoded entries take ~100 MB.
        pending = [pool.apply_async(_encode, (job,)) for job in jobs[:2]]
        queued = 2
        for h in range(1, houses):
            started = time.perf_counter()
            rows = pending.pop(0).get()
            encode_s += time.perf_counter() - started
            if queued < len(jobs):
                pending.append(pool.apply_async(_encode, (jobs[queued],)))
                queued += 1
            house = House.objects.create(
                code=f"bench-{h:02d}",
                name=f"Bench huis {h}",
                secret=f"bench-secret-{h:02d}-" + "s" * 32,
                answer_url=f"http://house-{h:02d}.bench/federatie/v1/antwoord",
                joined_at=timezone.now(),
            )
            t = time.perf_counter()
            for i in range(0, len(rows), 5000):
                hub_services.publish(house=house, payload={"upserts": rows[i : i + 5000]})
            ingest_s += time.perf_counter() - t
            total += len(rows)
            print(f"  house {h}/{houses - 1}: {len(rows)} entries", flush=True)
    # encode_wait_s: time the main process waited for encoded houses (the encoding itself ran in two processes,
    # beside the ingest).
    return {
        "houses": houses - 1,
        "entries": total,
        "encode_wait_s": round(encode_s, 1),
        "hub_ingest_s": round(ingest_s, 1),
    }


def build_house(n: int, pools) -> None:
    """N persons in open cases in the measured house's own tables (bulk, not through intake: the intake is not
    what is measured)."""
    from django.utils import timezone

    from tafel.cases.models import Case, CasePerson, CaseStatus, EntryRoute, Theme
    from tafel.core import crypto
    from tafel.organisations.models import Municipality
    from tafel.persons import matching
    from tafel.persons.models import Person

    municipality = Municipality.objects.create(name="Benchgemeente")
    now = timezone.now()
    batch = 5000
    people = persons(25, n, pools)
    for start in range(0, n, batch):
        chunk = people[start : start + batch]
        rows = []
        for p in chunk:
            person = Person(
                first_names=p.first_names,
                last_name=p.last_name,
                date_of_birth=p.date_of_birth,
                bsn_encrypted=crypto.encrypt(p.bsn),
                bsn_hash=crypto.keyed_hash(p.bsn),
            )
            for field, value in matching.person_keys(p).items():
                setattr(person, field, value)
            rows.append(person)
        Person.objects.bulk_create(rows, batch_size=1000)
        cases = Case.objects.bulk_create(
            [
                Case(
                    reference=f"B{start + i:07d}",
                    theme=Theme.HUISELIJK_GEWELD,
                    entry_route=EntryRoute.VELD,
                    municipality=municipality,
                    status=CaseStatus.ACTIEF,
                    created_at=now,
                    status_changed_at=now,
                )
                for i in range(len(chunk))
            ],
            batch_size=1000,
        )
        CasePerson.objects.bulk_create(
            [
                CasePerson(case=case, person=person, role="betrokkene", added_at=now)
                for case, person in zip(cases, rows, strict=True)
            ],
            batch_size=1000,
        )


def wire_in_process(stub_secrets: dict) -> None:
    """The house's call to the hub goes into the hub's views; the hub's calls to the houses get a signed
    canned answer at once."""
    from urllib.parse import urlsplit

    from django.test import RequestFactory

    from tafel.federation import client, protocol
    from tafel_hub import services as hub_services
    from tafel_hub import views as hub_views

    def hub_transport(url, body, headers, timeout):
        path = urlsplit(url).path
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        request = RequestFactory().post(path, data=body, content_type="application/json", headers=headers)
        response = {"/v1/check": hub_views.check, "/v1/publish": hub_views.publish}[path](request)
        return client.RawResponse(response.status_code, response.content, response.get(protocol.HEADER_SIGNATURE, ""))

    def house_transport(url, body, headers, timeout):
        refs = json.loads(body)["refs"]
        answer = {
            "matches": [
                {
                    "tier": r["tier"],
                    "kind": "open",
                    "kind_label": "lopende casus",
                    "since": "2026-01-01",
                    "contact_name": "Bench Regisseur",
                    "contact_phone": "030-0000000",
                    "contact_organisation": "Zorg- en Veiligheidshuis",
                }
                for r in refs
            ]
        }
        raw = json.dumps(answer).encode()
        sig = protocol.sign_response(secret=stub_secrets[url], request_nonce=headers[protocol.HEADER_NONCE], body=raw)
        return 200, raw, sig

    client.transport = hub_transport
    hub_services.transport = house_transport


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure_checks(houses: int, n: int, pools) -> dict:
    from tafel.federation import services
    from tafel.organisations.models import Organisation, Role, User, UserRole
    from tafel.persons.matching import NameParts

    org = Organisation.objects.create(name="Benchpolitie", type="politie", convenant_signed=True)
    viewer = User.objects.create_user(username="bench", password="x" * 20, organisation=org)
    UserRole.objects.create(user=viewer, role=Role.PROFESSIONAL)
    rng = random.Random(SEED)
    sample_houses = {h: persons(h, n, pools) for h in rng.sample(range(1, houses), min(5, houses - 1))}
    queries = []
    for i in range(CHECK_WARMUP + CHECKS):
        h = rng.choice(list(sample_houses))
        p = rng.choice(sample_houses[h])
        kind = ("exact", "exact", "typo", "typo", "unknown")[i % 5]
        if kind == "typo":
            p = with_typo(rng, p)[0]
        elif kind == "unknown":
            # Someone else born the same day: another first name and surname from the pools.
            p = NameParts(
                first_names=rng.choice(pools[0]), last_name=rng.choice(pools[1]), date_of_birth=p.date_of_birth
            )
        else:
            p = NameParts(first_names=p.first_names, last_name=p.last_name, date_of_birth=p.date_of_birth)
        queries.append((kind, p))
    timings: dict[str, list[float]] = {"exact": [], "typo": [], "unknown": []}
    found: dict[str, int] = {"exact": 0, "typo": 0, "unknown": 0}
    for i, (kind, query) in enumerate(queries):
        t = time.perf_counter()
        result = services.federated_check(viewer=viewer, query=query)
        elapsed = (time.perf_counter() - t) * 1000
        assert result.status == "ok", result
        if i >= CHECK_WARMUP:
            timings[kind].append(elapsed)
            found[kind] += bool(result.found)
    every = [v for values in timings.values() for v in values]
    out = {
        "checks": len(every),
        "median_ms": round(statistics.median(every), 1),
        "p95_ms": round(percentile(every, 0.95), 1),
        "max_ms": round(max(every), 1),
    }
    for kind, values in timings.items():
        out[kind] = {
            "n": len(values),
            "median_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "found": found[kind],
        }
    return out


def measure_quality(n: int, pools) -> dict:
    from tafel.federation import tokens
    from tafel.persons import matching
    from tafel_hub import services as hub_services
    from tafel_hub.models import House

    house = House.objects.get(code="bench-01")
    people = persons(1, n, pools)
    by_dob: dict = {}
    by_phon: dict = {}
    for i, p in enumerate(people):
        by_dob.setdefault(p.date_of_birth, []).append(i)
        keys = matching.person_keys(p)
        for column in ("phon_first", "phon_last", "phon_birth_last"):
            if keys[column]:
                by_phon.setdefault(keys[column], []).append(i)
    rng = random.Random(SEED + 1)
    hub = {"tp": 0, "fp": 0, "fn": 0}
    fuzzy_only = {"tp": 0, "fp": 0}
    local = {"tp": 0, "fp": 0, "fn": 0}
    kinds: dict[str, list[int]] = {}
    for _ in range(TYPO_SET):
        i = rng.randrange(n)
        query, kind = with_typo(rng, people[i])
        truth = f"h01p{i:07d}"
        # The hub, both tiers, within the source house.
        q = hub_services.parse_tokens(tokens.tokens_for(query, federation_key=KEY).as_wire())
        hits = [h for h in hub_services.match(query=q) if h.house_id == house.pk]
        refs = {h.ref for h in hits}
        hub["tp"] += truth in refs
        hub["fn"] += truth not in refs
        hub["fp"] += len(refs - {truth})
        fuzzy_only["tp"] += any(h.ref == truth and h.tier == "fuzzy" for h in hits)
        fuzzy_only["fp"] += sum(1 for h in hits if h.tier == "fuzzy" and h.ref != truth)
        kinds.setdefault(kind, [0, 0])[0] += 1
        kinds[kind][1] += truth in refs
        # The local matcher over the same house, blocked as the local screening blocks.
        candidates = set(by_dob.get(query.date_of_birth, []))
        for key in matching.query_phonetic_keys(query):
            candidates.update(by_phon.get(key, []))
        shown = {c for c in candidates if matching.score(query, people[c]).score >= matching.THRESHOLD}
        local["tp"] += i in shown
        local["fn"] += i not in shown
        local["fp"] += len(shown - {i})

    def pr(d):
        precision = d["tp"] / (d["tp"] + d["fp"]) if d["tp"] + d["fp"] else 1.0
        return {"recall": round(d["tp"] / TYPO_SET, 3), "precision": round(precision, 3), **d}

    return {
        "queries": TYPO_SET,
        "hub_both_tiers": pr(hub),
        "hub_fuzzy_tier_alone": pr({**fuzzy_only, "fn": TYPO_SET - fuzzy_only["tp"]}),
        "local_matcher": pr(local),
        "hub_recall_by_typo": {k: f"{found}/{total}" for k, (total, found) in kinds.items()},
    }


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_start": os.getloadavg(),
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def republish(db: Path) -> None:
    """Publishing 100,000 persons into a full register (the 60 s target), timed alone: the register took the
    full run most of its time to build, so this reuses it."""
    from tafel.federation import services
    from tafel.federation.models import Publication
    from tafel_hub.models import Entry, House

    if not db.exists():
        raise SystemExit(f"{db} does not exist: run the full benchmark first")
    results = {
        "machine": machine(),
    }
    house = House.objects.get(code="bench-25")
    Entry.objects.filter(house=house).delete()
    Publication.objects.all().delete()
    secrets = {h.answer_url: h.secret for h in House.objects.exclude(pk=house.pk)}
    wire_in_process(secrets)
    results["hub_entries_before"] = Entry.objects.count()
    t, cpu = time.perf_counter(), time.process_time()
    outcome = services.publication_run()
    results["publish"] = {
        "persons": outcome.sent,
        "seconds": round(time.perf_counter() - t, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "pending": outcome.pending,
        "error": outcome.error,
    }
    results["hub_entries_after"] = Entry.objects.count()
    results["machine"]["load_average_end"] = os.getloadavg()
    print(json.dumps(results, indent=2))
    (OUT / "results-republish.json").write_text(json.dumps(results, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description="Federation benchmark (docs/performance.md).")
    parser.add_argument("--houses", type=int, default=25)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument(
        "--publish-only",
        action="store_true",
        help="only step 2 (publishing, then an unchanged run and a run with 1 %% edited), into an empty hub",
    )
    parser.add_argument(
        "--republish",
        action="store_true",
        help="step 2 again on the database a full run left: the measured house's entries are taken out of the "
        "hub and its outbox emptied, then it publishes its persons into the register of the other houses",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"bench-{args.houses}x{args.persons}.sqlite3"
    if args.republish:
        setup_django(db)
        republish(db)
        return
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    setup_django(db)
    from django.core.management import call_command

    results = {
        "machine": machine(),
        "houses": args.houses,
        "persons_per_house": args.persons,
    }
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - t:.1f} s", flush=True)
    pools = name_pools(SEED)
    print(f"register: {args.houses - 1} houses × {args.persons} persons", flush=True)
    results["register"] = {} if args.publish_only else build_register(args.houses, args.persons, pools)

    from django.utils import timezone

    from tafel.federation import services
    from tafel_hub.models import Entry, House

    secrets = {h.answer_url: h.secret for h in House.objects.all()}
    House.objects.create(
        code="bench-25",
        name="Bench huis 25",
        secret="bench-house-secret-" + "x" * 32,
        answer_url="http://house-25.bench/federatie/v1/antwoord",
        joined_at=timezone.now(),
    )
    wire_in_process(secrets)
    t = time.perf_counter()
    build_house(args.persons, pools)
    results["house_build_s"] = round(time.perf_counter() - t, 1)
    print(f"house built ({results['house_build_s']} s); publishing", flush=True)
    t, cpu = time.perf_counter(), time.process_time()
    outcome = services.publication_run()
    results["publish"] = {
        "persons": outcome.sent,
        "seconds": round(time.perf_counter() - t, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "pending": outcome.pending,
        "error": outcome.error,
    }
    t, cpu = time.perf_counter(), time.process_time()
    again = services.publication_run()
    results["publish"]["second_run_nothing_changed_s"] = round(time.perf_counter() - t, 1)
    results["publish"]["second_run_cpu_s"] = round(time.process_time() - cpu, 1)
    results["publish"]["second_run_sent"] = again.sent
    results["hub_entries"] = Entry.objects.count()
    if args.publish_only:
        from tafel.persons.models import Person

        edited = list(Person.objects.order_by("pk").values_list("pk", flat=True)[::100])
        Person.objects.filter(pk__in=edited).update(first_names="Bewerkt")
        t, cpu = time.perf_counter(), time.process_time()
        third = services.publication_run()
        results["publish"]["one_percent_edited_s"] = round(time.perf_counter() - t, 1)
        results["publish"]["one_percent_edited_cpu_s"] = round(time.process_time() - cpu, 1)
        results["publish"]["one_percent_edited_sent"] = third.sent
    print(f"published: {results['publish']}", flush=True)
    if args.publish_only:
        results["machine"]["load_average_end"] = os.getloadavg()
        print(json.dumps(results, indent=2))
        (OUT / "results-publish.json").write_text(json.dumps(results, indent=2))
        return
    results["check"] = measure_checks(args.houses, args.persons, pools)
    print(f"checks: {results['check']}", flush=True)
    results["quality"] = measure_quality(args.persons, pools)
    results["machine"]["load_average_end"] = os.getloadavg()
    results["database_mb"] = round(db.stat().st_size / 1e6)
    print(json.dumps(results, indent=2))
    (OUT / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
