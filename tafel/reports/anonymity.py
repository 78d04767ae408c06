"""k-anonymity for the research export (issue 10 finding 16).

Birth year, municipality and the months of a case together single people out: in a small municipality there
is one 34-year-old whose case started in March. The export therefore describes each person only by
*quasi-identifiers* coarse enough that every combination of them holds at least k different persons:

- age at the start of the case, in bands (finer → coarser: ten-year bands, wider bands, minor/adult, none);
- region: the municipality, or the whole house;
- start and end of the case: quarter, half year, year, or none.

The ladder of generalisation levels below is climbed one step at a time (full-domain generalisation: one level
for the whole file, so every row is equally coarse and a researcher can compare them). At each step the rows
whose combination holds fewer than k persons are counted; the first step at which at most
`MAX_SUPPRESSED_SHARE` of the rows would be left out is used, and those rows are left out (suppressed). At the
last step whatever remains below k is suppressed. The k achieved — the smallest number of persons sharing one
combination in the file as released — is recorded with the export.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

# At most this share of the rows is suppressed before the next, coarser level is tried.
MAX_SUPPRESSED_SHARE = 0.05

# (age level, region level, period level); each tuple is coarser than or equal to the one before in every part.
LADDER: tuple[tuple[int, int, int], ...] = (
    (0, 0, 0),
    (1, 0, 0),
    (1, 0, 1),
    (2, 0, 1),
    (2, 0, 2),
    (2, 1, 2),
    (3, 1, 2),
    (3, 1, 3),
)

UNKNOWN = "onbekend"
ALL = "alle"

# Age bands per level: (lowest age, label). Level 1 joins pairs of level 0, level 2 is minor/adult.
_AGE_BANDS = {
    0: (
        (0, "0-11"),
        (12, "12-17"),
        (18, "18-24"),
        (25, "25-34"),
        (35, "35-44"),
        (45, "45-54"),
        (55, "55-64"),
        (65, "65+"),
    ),
    1: ((0, "0-17"), (18, "18-34"), (35, "35-54"), (55, "55+")),
    2: ((0, "0-17"), (18, "18+")),
}
LEVEL_NAMES = {
    "age": {
        0: "leeftijd in banden van 10 jaar",
        1: "leeftijd in brede banden",
        2: "minderjarig/volwassen",
        3: "geen leeftijd",
    },
    "region": {0: "gemeente", 1: "geen gemeente"},
    "period": {0: "kwartaal", 1: "halfjaar", 2: "jaar", 3: "geen periode"},
}


def age_on(date_of_birth: datetime.date | None, day: datetime.date) -> int | None:
    if date_of_birth is None or date_of_birth > day:
        return None
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def age_band(age: int | None, level: int) -> str:
    if age is None:
        return UNKNOWN
    if level >= 3:
        return ALL
    label = _AGE_BANDS[level][0][1]
    for lowest, name in _AGE_BANDS[level]:
        if age >= lowest:
            label = name
    return label


def region(municipality: str, level: int) -> str:
    return (municipality or UNKNOWN) if level == 0 else ALL


def period(day: datetime.date | None, level: int) -> str:
    """The quarter, half year or year of a day; "" when there is none (a case still running)."""
    if day is None:
        return ""
    if level == 0:
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    if level == 1:
        return f"{day.year}H{1 if day.month <= 6 else 2}"
    if level == 2:
        return str(day.year)
    return ALL


@dataclass(frozen=True)
class Subject:
    """One person in one case, with the exact values the quasi-identifiers are made from."""

    person_id: int
    age: int | None
    municipality: str
    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True)
class Generalised:
    age_band: str
    region: str
    start: str
    end: str


@dataclass
class Result:
    rows: list[tuple[int, Generalised]]  # (index into the subjects, its generalised quasi-identifiers)
    k_required: int
    k_achieved: int | None  # None when nothing could be released
    suppressed: int
    level: tuple[int, int, int]

    @property
    def level_description(self) -> str:
        a, r, p = self.level
        return ", ".join((LEVEL_NAMES["age"][a], LEVEL_NAMES["region"][r], LEVEL_NAMES["period"][p]))


def generalise(subject: Subject, level: tuple[int, int, int]) -> Generalised:
    a, r, p = level
    return Generalised(
        age_band=age_band(subject.age, a),
        region=region(subject.municipality, r),
        start=period(subject.start, p),
        end=period(subject.end, p),
    )


def anonymise(subjects: Sequence[Subject], k: int) -> Result:
    """Generalise until at most MAX_SUPPRESSED_SHARE of the rows fall in a combination of fewer than k distinct
    persons; suppress those rows."""
    if k < 1:
        raise ValueError("k must be at least 1")
    for step, level in enumerate(LADDER):
        keys = [generalise(s, level) for s in subjects]
        persons: dict[Generalised, set[int]] = defaultdict(set)
        for subject, key in zip(subjects, keys, strict=True):
            persons[key].add(subject.person_id)
        small = {key for key, ids in persons.items() if len(ids) < k}
        suppressed = sum(1 for key in keys if key in small)
        if suppressed <= MAX_SUPPRESSED_SHARE * len(subjects) or step == len(LADDER) - 1:
            rows = [(i, key) for i, key in enumerate(keys) if key not in small]
            sizes = [len(ids) for key, ids in persons.items() if key not in small]
            return Result(rows, k, min(sizes) if sizes else None, suppressed, level)
    raise AssertionError("the last level of the ladder always returns")
