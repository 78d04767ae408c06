#!/usr/bin/env python
"""Calibrate the matcher's grades: Fellegi-Sunter m/u weights estimated with splink on labelled records.

    pip install --target /tmp/splink -r requirements-calibrate.txt
    PYTHONPATH=/tmp/splink .venv/bin/python bench/calibrate_matcher.py          # writes tafel/persons/weights.py
    PYTHONPATH=/tmp/splink .venv/bin/python bench/calibrate_matcher.py --check  # prints, writes nothing

Offline only: splink is not a runtime dependency (requirements-calibrate.txt).

The data (seeded, deterministic):
* a population of 20,000 persons with the demo's realistic name distribution (tafel/demo/names.py), first names
  from the demo's lists and Faker's nl_NL pools, dates of birth 1940-2020;
* for 2,000 of them, records of the same person as registrations type them (same cluster id): a letter dropped,
  two letters swapped, the initial only, the surname prefix abbreviated ("v.d. Berg") or contracted ("Vanthof"),
  a transliterated first name (Mohammed/Muhammad, Mustafa/Moestafa, ...), a date of birth with one digit wrong,
  day and month swapped;
* hard non-matches with their own cluster id: a namesake with another date of birth, a twin (same surname and
  date of birth, another first name) and a parent or child (same names, 25-40 years apart, "jr").

splink (DuckDB) then estimates u by random sampling over all records and m from the cluster label. The comparison
levels are SQL versions of tafel.persons.matching.name_level and its neighbours, computed on columns that the
matcher itself prepares (surname core, phonetic key, transliteration key); keep the two definitions equal.
Zero m counts (no true pair in the data has a clearly different
date of birth, say) are floored at M_FLOOR: registrations do get them wrong sometimes.

The grade threshold HIGH_WEIGHT is chosen on the labelled pairs: above every hard non-match and above every
name-only pair (without a date of birth only the date of birth could tell namesakes apart), so "hoog" needs the
name and the date of birth (or BSN). Precision and recall per class are printed.

First/last name swapped is not a level of its own: the matcher scores the swapped reading with the same weights
minus SWAP_PENALTY bits.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import math
import os
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 14
POPULATION = 20_000
VARIANT_PERSONS = 2_000
M_FLOOR = 0.002
SWAP_PENALTY = 1.0

VARIANT_CLASSES = (
    "letter dropped",
    "letters swapped",
    "first/last swapped",
    "initial only",
    "abbreviated prefix",
    "contracted prefix",
    "transliteration",
    "dob one digit",
    "dob day/month swapped",
)
NEGATIVE_CLASSES = ("namesake, other dob", "twin", "parent/child")

from variants import ABBREVIATED  # noqa: E402 - bench/ is on the path of a bench script
from variants import TRANSLITERATED as TRANSLITERATIONS  # noqa: E402


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tafel.settings")
    os.environ.setdefault("TAFEL_DEBUG", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- data ------------------------------------------------------------------------------------------------------


def population(rng: random.Random) -> list[dict]:
    from faker.providers.person.nl_NL import Provider

    from tafel.demo import data as d
    from tafel.demo import names

    people = []
    for i in range(POPULATION):
        migrant, prefix, last = names.surname(rng)
        male = rng.random() < 0.5
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(80 * 365))
        if migrant and rng.random() < 0.8:
            first = rng.choice(d.MIGRANT_MALE if male else d.MIGRANT_FEMALE)
        elif rng.random() < 0.3:
            first = rng.choice(d.OLDER_MALE if male else d.OLDER_FEMALE)
        else:
            first = rng.choice(Provider.first_names_male if male else Provider.first_names_female)
        if migrant and male and rng.random() < 0.3:
            first = rng.choice(list(TRANSLITERATIONS)[:5])  # the names that get transliterated are common
        people.append({"cluster": i, "first": first, "prefix": prefix, "last": last, "dob": born, "cls": "base"})
    return people


def _drop(rng, word):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word))
    return word[:i] + word[i + 1 :]


def _swap(rng, word):
    if len(word) < 3:
        return word
    i = rng.randrange(0, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _dob_digit(rng, dob):
    for _ in range(50):
        s = list(dob.strftime("%d%m%Y"))
        i = rng.randrange(8)
        s[i] = str(rng.randrange(10))
        try:
            new = datetime.datetime.strptime("".join(s), "%d%m%Y").date()
        except ValueError:
            continue
        if new != dob:
            return new
    return None


def variant(rng: random.Random, p: dict, cls: str) -> dict | None:
    v = dict(p, cls=cls)
    if cls == "letter dropped":
        v["last"] = _drop(rng, p["last"])
    elif cls == "letters swapped":
        if rng.random() < 0.5:
            v["last"] = _swap(rng, p["last"])
        else:
            v["first"] = _swap(rng, p["first"])
    elif cls == "first/last swapped":
        v["first"], v["prefix"], v["last"] = f"{p['prefix']} {p['last']}".strip(), "", p["first"]
    elif cls == "initial only":
        v["first"] = p["first"][0] + "."
    elif cls == "abbreviated prefix":
        if p["prefix"] not in ABBREVIATED:
            return None
        v["prefix"], v["last"] = "", f"{ABBREVIATED[p['prefix']]} {p['last']}"
    elif cls == "contracted prefix":
        if not p["prefix"].startswith("van"):
            return None
        v["prefix"], v["last"] = "", (p["prefix"] + p["last"]).replace(" ", "").replace("'", "").capitalize()
    elif cls == "transliteration":
        if p["first"] not in TRANSLITERATIONS:
            return None
        v["first"] = TRANSLITERATIONS[p["first"]]
    elif cls == "dob one digit":
        v["dob"] = _dob_digit(rng, p["dob"])
        if v["dob"] is None:
            return None
    elif cls == "dob day/month swapped":
        if p["dob"].day > 12 or p["dob"].day == p["dob"].month:
            return None
        v["dob"] = p["dob"].replace(day=p["dob"].month, month=p["dob"].day)
    return v


def negative(rng: random.Random, p: dict, cls: str, cluster: int, first_names: list[str]) -> dict:
    from tafel.persons.matching import _dob_near

    v = dict(p, cls=cls, cluster=cluster)
    if cls == "twin":
        # Another first name with another initial: "J." cannot tell Jan from his twin Joost, and is not asked to.
        while v["first"] == p["first"] or v["first"][0] == p["first"][0]:
            v["first"] = rng.choice(first_names)
        return v
    if cls == "parent/child":
        v["first"] = p["first"] + (" jr." if rng.random() < 0.3 else "")
    while True:
        # A namesake's date of birth anywhere in 80 years; a parent's or child's 25 to 40 years apart. Dates that
        # differ by one typed digit (1960 and 1990 on the same day) are not "another date of birth": redrawn.
        if cls == "namesake, other dob":
            dob = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(80 * 365))
        else:
            days = rng.randint(25 * 365, 40 * 365) * (1 if rng.random() < 0.5 else -1)
            dob = p["dob"] + datetime.timedelta(days=days)
        if dob != p["dob"] and not _dob_near(dob, p["dob"]):
            v["dob"] = dob
            return v


def build(rng: random.Random) -> tuple[list[dict], list[tuple[dict, dict]]]:
    """Records for splink, and the labelled (query, candidate) pairs for the grade threshold and the report."""
    people = population(rng)
    first_names = sorted({p["first"] for p in people})
    records, pairs = list(people), []
    next_cluster = POPULATION
    # The transliteration and prefix classes need persons that have such a name: pick those first.
    chosen = rng.sample(people, VARIANT_PERSONS)
    chosen += [p for p in people if p["first"] in TRANSLITERATIONS][:300]
    chosen += [p for p in people if p["prefix"] in ABBREVIATED][:300]
    for p in chosen:
        for cls in VARIANT_CLASSES:
            v = variant(rng, p, cls)
            if v is not None and (v["first"], v["prefix"], v["last"], v["dob"]) != (
                p["first"],
                p["prefix"],
                p["last"],
                p["dob"],
            ):
                if cls != "first/last swapped":  # the swap is a reading of the matcher, not a level
                    records.append(v)
                pairs.append((v, p))
    for p in rng.sample(people, VARIANT_PERSONS):
        for cls in NEGATIVE_CLASSES:
            v = negative(rng, p, cls, next_cluster, first_names)
            next_cluster += 1
            records.append(v)
            pairs.append((v, p))
    return records, pairs


# --- the matcher's view of a record -------------------------------------------------------------------------------


def columns(r: dict) -> dict:
    """The columns splink compares, each computed by the matcher's own functions."""
    from tafel.persons import matching as m

    prep = m._prepare(m.NameParts(first_names=r["first"], prefix=r["prefix"], last_name=r["last"]))
    core, phon, _ = prep.surnames[0] if prep.surnames else ("", "", "")
    uncon = next((c for c, _, kind in prep.surnames if kind == "contracted"), core)
    given = prep.given[0] if prep.given else ""
    is_initial = len(given) == 1
    return {
        "unique_id": r["uid"],
        "cluster": r["cluster"],
        "core": core or None,
        "core_phon": phon or None,
        "uncon": uncon or None,
        "first": given or None,
        "first_phon": prep.given_phon[0] if prep.given else None,
        "first_tr": m._translit_key(given) if given and not is_initial else None,
        "first_initial": given[:1] or None,
        "first_is_initial": is_initial,
        "dob": r["dob"].strftime("%d%m%Y") if r["dob"] else None,
    }


def _name_levels(
    col: str, phon: str, extra_exact: str = "", extra_variant: str = "", same_initial=False, similar=0.85
) -> list:
    import splink.comparison_level_library as cll

    a, b, pa, pb = f"{col}_l", f"{col}_r", f"{phon}_l", f"{phon}_r"
    initial = (
        f" AND (left({a}, 1) = left({b}, 1) OR (left({a}, 1) = substr({b}, 2, 1) AND substr({a}, 2, 1) = left({b}, 1)))"
        if same_initial
        else ""
    )
    return [
        cll.NullLevel(col),
        cll.CustomLevel(f"({a} = {b}{extra_exact})", "exact"),
        cll.CustomLevel(
            f"({pa} = {pb} OR (least(length({a}), length({b})) >= 4 AND damerau_levenshtein({a}, {b}) <= 1{initial})"
            f" OR (length({a}) = 3 AND length({b}) = 3 AND damerau_levenshtein({a}, {b}) = 1"
            f" AND list_sort(string_split({a}, '')) = list_sort(string_split({b}, ''))){extra_variant})",
            "variant",
        ),
        cll.CustomLevel(f"jaro_winkler_similarity({a}, {b}) >= {similar}{initial}", "similar"),
        cll.ElseLevel(),
    ]


def settings():
    import splink.comparison_level_library as cll
    from splink import SettingsCreator, block_on
    from splink.internals.comparison_creator import ComparisonCreator

    class Levels(ComparisonCreator):
        def __init__(self, name, levels):
            self.name, self.levels = name, levels
            super().__init__(name)

        def create_comparison_levels(self):
            return self.levels

        def create_output_column_name(self):
            return self.name

        def create_description(self):
            return self.name

    surname = _name_levels(
        "core", "core_phon", extra_exact=" OR uncon_l = uncon_r OR uncon_l = core_r OR core_l = uncon_r"
    )
    first = [
        cll.NullLevel("first"),
        cll.CustomLevel("(first_is_initial_l OR first_is_initial_r) AND first_initial_l = first_initial_r", "initial"),
        cll.CustomLevel("first_is_initial_l OR first_is_initial_r", "different"),
        *_name_levels(
            "first",
            "first_phon",
            extra_variant=(
                " OR (length(first_l) > 2 AND first_tr_l = first_tr_r)"
                " OR (least(length(first_l), length(first_r)) >= 3"
                " AND (starts_with(first_l, first_r) OR starts_with(first_r, first_l)))"
            ),
            same_initial=True,
            similar=0.9,
        )[1:],
    ]
    dob = [
        cll.NullLevel("dob"),
        cll.CustomLevel("dob_l = dob_r", "exact"),
        cll.CustomLevel(
            "damerau_levenshtein(dob_l, dob_r) <= 1 OR (substr(dob_l, 5, 4) = substr(dob_r, 5, 4)"
            " AND substr(dob_l, 1, 2) = substr(dob_r, 3, 2) AND substr(dob_l, 3, 2) = substr(dob_r, 1, 2))",
            "near",
        ),
        cll.ElseLevel(),
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[Levels("surname", surname), Levels("first", first), Levels("dob", dob)],
        blocking_rules_to_generate_predictions=[block_on("core_phon"), block_on("dob")],
        retain_intermediate_calculation_columns=False,
    )


LEVEL_NAMES = {
    "surname": ["exact", "variant", "similar", "different"],
    "first": ["initial", "initial_different", "exact", "variant", "similar", "different"],
    "dob": ["exact", "near", "different"],
}


def estimate(records: list[dict]) -> dict[str, dict[str, tuple[float, float]]]:
    """(m, u) per comparison level, from splink."""
    import duckdb
    import pyarrow as pa
    from splink import DuckDBAPI, Linker

    rows = [columns(r) for r in records]
    con = duckdb.connect()
    table = pa.Table.from_pylist(rows)
    con.register("records_arrow", table)
    con.execute("CREATE TABLE records AS SELECT * FROM records_arrow")
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register("records")
    linker = Linker(sdf, settings(), log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=SEED)
    linker.training.estimate_m_from_label_column("cluster")
    model = linker.misc.save_model_to_json()
    estimate.model, estimate.db_api = model, db_api  # for check_levels
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        out[name] = {}
        for label, lv in zip(LEVEL_NAMES[name], levels, strict=True):
            m, u = lv.get("m_probability"), lv.get("u_probability")
            out[name][label] = (m, u)
    return out


_GAMMA = {
    "surname": {3: "exact", 2: "variant", 1: "similar", 0: "different", -1: "unknown"},
    "first": {5: "initial", 4: "different", 3: "exact", 2: "variant", 1: "similar", 0: "different", -1: "unknown"},
    "dob": {2: "exact", 1: "near", 0: "different", -1: "unknown"},
}


def check_levels(pairs, sample: int = 1000) -> int:
    """The SQL levels splink trained on must be the matcher's own levels: compared on a sample of labelled pairs
    (direct reading only). Returns the number of pairs where they differ (printed)."""
    from splink.internals.realtime import compare_records

    from tafel.persons import matching

    direct = [(q, c) for q, c in pairs if q["cls"] != "first/last swapped"]
    chosen = random.Random(SEED).sample(direct, min(sample, len(direct)))
    left = [dict(columns(q), unique_id=2 * i, pair_id=i) for i, (q, _) in enumerate(chosen)]
    right = [dict(columns(c), unique_id=2 * i + 1, pair_id=i) for i, (_, c) in enumerate(chosen)]
    rows = compare_records(
        left, right, estimate.model, estimate.db_api, join_condition="l.pair_id = r.pair_id"
    ).as_record_list()
    differ = 0
    for row in rows:
        q, c = chosen[row["unique_id_l"] // 2]
        a, b = matching._prepare(nameparts(q)), matching._prepare(nameparts(c))
        python = (
            matching._surname_level(a, b),
            matching._first_level(a, b),
            matching._DOB_LEVEL[matching._dob_points(a.dob, b.dob)[1]],
        )
        sql = tuple(_GAMMA[name][row[f"gamma_{name}"]] for name in ("surname", "first", "dob"))
        if python != sql:
            differ += 1
            if differ <= 5:
                print(f"  level differs: python {python}, splink {sql}: {q} / {c}", file=sys.stderr)
    print(f"levels checked on {len(rows)} labelled pairs: {differ} differ", file=sys.stderr)
    return differ


def weights_from(params: dict) -> dict[str, dict[str, float]]:
    def w(m, u):
        m = max(m or 0.0, M_FLOOR)
        u = max(u or 0.0, 1e-6)
        return round(math.log2(m / u), 2)

    s, f, d = params["surname"], params["first"], params["dob"]
    result = {
        "SURNAME": {
            "exact": w(*s["exact"]),
            "variant": w(*s["variant"]),
            "initial": 0.0,  # not a surname level
            "similar": w(*s["similar"]),
            "different": w(*s["different"]),
            "unknown": 0.0,
        },
        "FIRST": {
            "exact": w(*f["exact"]),
            "variant": w(*f["variant"]),
            "initial": w(*f["initial"]),
            "similar": w(*f["similar"]),
            # An initial that differs and a full name that differs are one level at runtime; the full-name
            # estimate is the one with most data.
            "different": w(*f["different"]),
            "unknown": 0.0,
        },
        "DOB": {"exact": w(*d["exact"]), "near": w(*d["near"]), "different": w(*d["different"]), "unknown": 0.0},
    }
    # Monotone: a variant is never stronger evidence than exact agreement (a rare variant can have a smaller u than
    # a common exact surname in random pairs, which would rank "Janssen" above "Jansen" for a query "Jansen").
    for table in (result["SURNAME"], result["FIRST"]):
        table["variant"] = min(table["variant"], table["exact"])
    return result


# --- evaluation -----------------------------------------------------------------------------------------------------


def nameparts(r: dict, *, with_dob: bool = True):
    from tafel.persons.matching import NameParts

    return NameParts(
        first_names=r["first"], prefix=r["prefix"], last_name=r["last"], date_of_birth=r["dob"] if with_dob else None
    )


def evaluate(pairs, weights: dict, high: float | None) -> tuple[float, dict]:
    """Install the weights in the matcher, choose the threshold when not given, and report per class."""
    from tafel.persons import matching
    from tafel.persons import weights as module

    for name, table in weights.items():
        setattr(module, name, table)
    module.SWAP_PENALTY = SWAP_PENALTY
    matching._prepare.cache_clear()
    scored = []
    for q, c in pairs:
        for with_dob in (True, False):
            query, candidate = nameparts(q, with_dob=with_dob), nameparts(c)
            m = matching.score(query, candidate)
            scored.append((q["cls"], with_dob, dataclasses.replace(m, weight=matching.grade_weight(query, candidate))))
    if high is None:
        negatives = [(m.weight, i) for i, (cls, _, m) in enumerate(scored) if cls in NEGATIVE_CLASSES]
        name_only = [(m.weight, i) for i, (_, with_dob, m) in enumerate(scored) if not with_dob]
        top, i = max(negatives + name_only)
        print(f"highest non-match or name-only weight {top}: {pairs[i // 2]}", file=sys.stderr)
        high = math.floor(top) + 1.0
    module.HIGH_WEIGHT = high
    report: dict = defaultdict(Counter)
    for cls, with_dob, m in scored:
        key = f"{cls}, {'with dob' if with_dob else 'name only'}"
        report[key]["n"] += 1
        report[key][m.level] += 1
    return high, report


def write_module(weights: dict, high: float, n_records: int, n_pairs: int) -> None:
    today = datetime.date.today().isoformat()
    lines = [
        '"""Fellegi-Sunter match weights of the person matcher (bits: log2(m/u) per comparison level).',
        "",
        f"Generated by bench/calibrate_matcher.py on {today} with splink (m from the cluster label, u by random",
        f"sampling), seed {SEED}: {n_records} labelled records (a population of {POPULATION} persons with the demo's",
        "realistic name distribution, true variants per class, and namesakes, twins and parents/children as",
        f"non-matches), {n_pairs} labelled pairs. Do not edit by hand: change the script and run it again.",
        '"""',
        "",
    ]
    for name in ("SURNAME", "FIRST", "DOB"):
        lines.append(f"{name} = {json.dumps(weights[name])}")
    lines.append(f"# The swapped reading of first and last name costs this many bits.\nSWAP_PENALTY = {SWAP_PENALTY}")
    lines.append(
        '# Graded "hoog" from this weight on: above every namesake, twin, parent/child and every name-only pair'
        f" of the data.\nHIGH_WEIGHT = {high}"
    )
    path = ROOT / "tafel" / "persons" / "weights.py"
    path.write_text("\n".join(lines) + "\n")
    print(f"written to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the weights and the report; write nothing")
    args = parser.parse_args()
    setup_django()
    rng = random.Random(SEED)
    records, pairs = build(rng)
    for i, r in enumerate(records):
        r["uid"] = i
    print(f"{len(records)} records, {len(pairs)} labelled pairs", file=sys.stderr)
    params = estimate(records)
    for field, levels in params.items():
        for label, (m, u) in levels.items():
            print(f"  {field:<8} {label:<18} m={m if m is None else round(m, 5)}  u={u if u is None else round(u, 6)}")
    check_levels(pairs)
    weights = weights_from(params)
    high, report = evaluate(pairs, weights, None)
    print(f"weights: {weights}\nHIGH_WEIGHT = {high}")
    print(f"{'class':<46} {'n':>5} {'hoog':>6} {'mogelijk':>9} {'laag':>6}")
    for key, c in report.items():
        print(f"{key:<46} {c['n']:>5} {c['hoog']:>6} {c['mogelijk']:>9} {c['laag']:>6}")
    if not args.check:
        write_module(weights, high, len(records), len(pairs))


if __name__ == "__main__":
    main()
