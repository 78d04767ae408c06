"""Deterministic demo data for one house, calibrated to SPEC §8 (`manage.py demo`).

Same seed, same data: Faker (nl_NL) and one `random.Random` are both seeded, every generated moment is
derived from the fixed BASE_DATE (never from the clock), and nothing iterates over a set. The house is the
"Zorg- en Veiligheidshuis Gooi en Vechtstreek" with the nine municipalities of the source report
(001 Tables 1-3, 2013 — before Bussum, Naarden and Muiden merged into Gooise Meren in 2016 and Weesp joined
Amsterdam in 2022), weighted by their share of the caseload in 001 Table 3 (Hilversum ≈ 55%).

    data.py       the region, organisations, users, proportions, names and text templates
    plan.py       every case as a dated path of status changes (only ALLOWED_TRANSITIONS), and references
    reference.py  organisations, municipalities and users through the ORM (a few rows)
    people.py     persons and households
    build.py      the cases as rows, batch by batch
    rows.py       id allocation and executemany inserts (why not bulk_create: see there)

Demo generation writes no audit events: it is not a user action on personal data (docs/performance.md).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from faker import Faker

from tafel.cases.models import Case
from tafel.organisations.models import Municipality, Organisation, User
from tafel.persons.models import Person

from .build import Batch
from .data import LAREN, LOGIN_USERS, MUNICIPALITIES, ORGANISATIONS
from .evaluations import add_demo_evaluations
from .lifecycle import add_demo_closures
from .meetings import add_demo_meetings
from .plan import BASE_DATE, Plan, laren_cap, make_plans
from .privacy import add_demo_reglementen
from .reference import create_reference_data
from .reports import add_demo_goals, add_demo_responses

__all__ = ["BASE_DATE", "LAREN", "MIN_CASES", "MUNICIPALITIES", "DemoResult", "generate", "laren_cap"]

# Fewer cases cannot cover every status, theme and route next to the well-known cases.
MIN_CASES = 20


@dataclass
class DemoResult:
    cases: int
    persons: int
    users: int
    seconds: float
    plans: list[Plan]


def demo_exists() -> bool:
    return Case.objects.exists()


def reference_data_exists() -> bool:
    return (
        Organisation.objects.filter(name__in=[spec[0] for spec in ORGANISATIONS.values()]).exists()
        or Municipality.objects.filter(name__in=[m[0] for m in MUNICIPALITIES]).exists()
        or User.objects.filter(username__in=list(LOGIN_USERS)).exists()
    )


def generate(
    *,
    seed: int,
    cases: int,
    fast_bsn: bool = False,
    batch_size: int = 2000,
    progress: Callable[[int, int, float], None] | None = None,
) -> DemoResult:
    """Generate the demo house with `cases` cases, one transaction per batch. The database must hold no
    cases and no demo organisations yet (the command checks)."""
    if cases < MIN_CASES:
        raise ValueError(f"De demo heeft ten minste {MIN_CASES} casussen nodig.")
    started = time.perf_counter()
    rng = random.Random(seed)
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    plans, caps = make_plans(rng, cases)
    with transaction.atomic():
        ctx = create_reference_data(rng, fake, caps, fast_bsn=fast_bsn)
    persons = 0
    for start in range(0, len(plans), batch_size):
        batch = Batch(ctx)
        for plan in plans[start : start + batch_size]:
            batch.add(plan)
        with transaction.atomic():
            batch.write()
        persons += len(batch.rows[Person])
        if progress:
            progress(min(start + batch_size, len(plans)), len(plans), time.perf_counter() - started)
    ctx.writer.reset_sequences()
    # Add-ons per app: evaluations, reglementen, meetings and the ratings of those meetings, survey answers,
    # the effectiviteitsmatrix's goals, and the closure records of the cases that left the aanpak.
    add_demo_evaluations(count=3)
    add_demo_reglementen()
    add_demo_meetings(rng)
    add_demo_responses(rng)
    add_demo_goals()
    add_demo_closures(rng)
    # Planner statistics for the freshly loaded tables, as after any bulk load (PostgreSQL's autovacuum would
    # otherwise collect them at some arbitrary later moment).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return DemoResult(
        cases=len(plans),
        persons=persons,
        users=User.objects.count(),
        seconds=time.perf_counter() - started,
        plans=plans,
    )
