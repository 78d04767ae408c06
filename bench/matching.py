"""Bench section of person matching: the matcher alone, without the database.

Called by bench/run.py as `run(results)`. Adds, in seconds:
  matching.thousand_scores_s   1000 calls of tafel.persons.matching.score (one query, 1000 different candidates,
                               caches cleared first), median of 3; the target is under one second
  matching.per_score_us        the same per score, in microseconds
The tests pin the work instead (tafel/persons/tests/test_matching.py: each name prepared once, a bounded number
of string comparisons per score).
"""

from __future__ import annotations

import datetime
import statistics
import time


def _candidates():
    from tafel.persons.matching import NameParts

    first = ["Pieter", "Jan", "Mohamed", "Fatma", "Anaïs", "P.", "Karin", "Ahmed"]
    last = ["Jansen", "de Vries", "El Amrani", "Yilmaz", "van der Berg", "Bakker", "Müller", "Jansen-de Vries"]
    pairs = [(f, ln) for f in first for ln in last for _ in range(16)]
    return [
        NameParts(
            f"{f}{i % 7 or ''}",
            last_name=f"{ln}{i % 5 or ''}",
            date_of_birth=datetime.date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
        )
        for i, (f, ln) in enumerate(pairs)
    ][:1000]


def run(results: dict) -> None:
    from tafel.persons import matching

    candidates = _candidates()
    query = matching.NameParts("Pieter", last_name="Janssen", date_of_birth=datetime.date(1980, 3, 14))
    runs = []
    for _ in range(3):
        matching._prepare.cache_clear()
        matching.normalise.cache_clear()
        matching.phonetic.cache_clear()
        started = time.perf_counter()
        for candidate in candidates:
            matching.score(query, candidate)
        runs.append(time.perf_counter() - started)
    seconds = statistics.median(runs)
    results["thousand_scores_s"] = round(seconds, 4)
    results["per_score_us"] = round(seconds / len(candidates) * 1e6, 1)


if __name__ == "__main__":
    import json

    out: dict = {}
    run(out)
    print(json.dumps(out))
