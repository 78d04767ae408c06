"""Surnames and first names of the demo with a realistic namesake rate (issue 14).

The earlier generator drew half of all families from 46 common surnames and 22 migrant surnames, and the other
half from Faker's ~1,100 nl_NL surnames. Jansen then went to ~2% of persons and each migrant surname to ~0.5%
(Yilmaz as common as De Jong), so a population of 200,000 had far more namesakes than a real one: matching
by name alone could not tell them apart, whatever the matcher did.

Real figures (CBS / Meertens Instituut, Nederlandse Familienamenbank): De Jong, the most common surname, is held
by about 0.5% of the population, the ten most common by about 3.5% together, and there are some 300,000
surnames, most held by a few dozen people or fewer. This module draws from a Zipf-like distribution,
p(rank) ~ (rank + 12) ** -0.88 over ~97,000 surnames (Jansen ~0.42% of persons, the top ten ~3.3%, the top
1,000 ~32%):
the common surnames of data.py first (in their order), then Faker's, then names composed deterministically
from Dutch name parts ("Oosterveld", "van der Hoeve", "Dijkhuis"). Migrant surnames (12% of families) follow
their own Zipf-like distribution over ~770 composed names (the most common ~0.2% of persons).

Everything is drawn from the caller's seeded ``random.Random`` with precomputed cumulative weights: deterministic
for a seed, one ``bisect`` per draw.
"""

from __future__ import annotations

import bisect
import itertools
import random
from functools import lru_cache
from itertools import accumulate

from . import data as d

DUTCH_SURNAMES = 250_000  # upper bound; the parts below compose ~97,000
_ZIPF_OFFSET, _ZIPF_EXPONENT = 12.0, 0.88
_MIGRANT_OFFSET, _MIGRANT_EXPONENT = 10.0, 0.9

_HEADS = (
    "Berg Hof Bos Brink Veld Dijk Broek Meer Horst Kamp Beek Wijk Hout Hoeve Molen Water Zand Steen Kerk Brug "
    "Haven Linde Eik Esch Haar Hul Leeuw Vliet Weerd Donk Laar Rade Heuvel Akker Ven Burg Dam Gaard Mark Hage "
    "Wal Holt Loo Kolk Made Hamer Schot Riet Schuur Velde Wiel Stege Sloot Vaart Mors Heide Lind Bree Zijl Kooi"
).split()
_SUFFIXES = (
    "man mans er ers ink ing huis stra ma sma inga ens sen kamp veld berg hof dijk broek horst beek meijer "
    "boer hout wijk mate land rink kes"
).split()
_MODS = (
    "Groot Klein Hoog Laag Nieuw Oud Noord Zuid Oost West Wester Ooster Hoge Lange Korte Breed Zwart Wit Rood "
    "Groen Mid Vos Wolf Zon Maan Ros Hen Kat Hart Kroon"
).split()
_TUSSEN = ("van", "van de", "van den", "van der", "de", "ter", "ten", "van 't", "op de", "in 't")

_TURKISH_STEMS = (
    "Yıl Ak Kara Öz Er Kay Çel Doğ Ay Yıld Şah Kurt Arslan Bal Tur Gül Sar Çak Demir Kılıç Tek Kar Uç Sev Yüz Koç Bay"
).split()
_TURKISH_ENDS = "maz soy kaya türk dem han can er oğlu taş ık göz dağ bay ay tekin gün yol".split()
_ARABIC_PARTS = (
    "Amrani Idrissi Ali Zid Hadi Kaddouri Azzouzi Bakkali Haddou Ouali Tahiri Mansouri Chaabi Ghazi Karimi "
    "Alaoui Yousfi Hamdi Said Rahmouni Ouahabi Bouchta Moussaoui Hamouchi Aissati Boukhari Jebari Ziani Mokhtari "
    "Lahlou Benyahia Messaoudi Fassi Kabbaj Mrabet Tazi Slimani Chakir Belhaj Amri"
).split()
_ARABIC_HEADS = ("", "El ", "Ben ", "Bou", "Ait ", "Abou ")
_OTHER = (
    "Kartosen Sedney Wijngaarde Pinas Nguyen Kowalski Nowak Ramdin Mahabier Tran Pham Le Wiśniewski Wójcik "
    "Kamiński Lewandowski Zieliński Ramcharan Jagesar Bhagwandin Soekhoe Doelahasan Mangroe Biharie Ramsaran "
    "Abdoelrahman Tjon Fung Lie Liem Sitaram Oemrawsingh Jhinkoe Kromodimedjo Santoso Wirjo Popescu Ionescu Horvat"
).split()


def _split(name: str) -> tuple[str, str]:
    for prefix in sorted(_TUSSEN, key=len, reverse=True):
        if name.startswith(prefix + " "):
            return prefix, name[len(prefix) + 1 :]
    return "", name


@lru_cache(maxsize=1)
def dutch_surnames() -> tuple[tuple[str, str], ...]:
    """Up to 250,000 distinct (tussenvoegsel, surname) by rank: common ones, Faker's, then composed ones."""
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str]] = []

    def add(prefix: str, name: str) -> None:
        key = (prefix, name.lower())
        if key not in seen:
            seen.add(key)
            out.append((prefix, name))

    for prefix, name, _ in d.COMMON_SURNAMES:
        add(prefix, name)
    for prefix, name in sorted(d.faker_surnames(), key=lambda pn: pn[1]):
        add(prefix, name)
    composed = [h + s for h in _HEADS for s in _SUFFIXES]
    composed += [m + h.lower() + s for m in _MODS for h in _HEADS for s in ("", *_SUFFIXES)]
    rng = random.Random(2026)  # fixed: the names by rank are part of the data set, not of the demo seed
    rng.shuffle(composed)
    with_prefix = [(t, h + "e" if h[-1] not in "aeiou" and rng.random() < 0.2 else h) for t in _TUSSEN for h in _HEADS]
    with_prefix += [(t, c) for t, c in zip(itertools.cycle(_TUSSEN), composed[:40_000], strict=False)]
    rng.shuffle(with_prefix)
    for i, name in enumerate(composed):
        add("", name)
        if i < len(with_prefix):
            add(*with_prefix[i])
        if len(out) >= DUTCH_SURNAMES:
            break
    return tuple(out[:DUTCH_SURNAMES])


@lru_cache(maxsize=1)
def migrant_surnames() -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = list(d.MIGRANT_SURNAMES)
    seen = {(p, n.lower()) for p, n in out}
    composed = [(s + e.lower(), "") for s in _TURKISH_STEMS for e in _TURKISH_ENDS]
    composed += [(h + p, "") for h in _ARABIC_HEADS for p in _ARABIC_PARTS]
    composed += [(o, "") for o in _OTHER]
    random.Random(2027).shuffle(composed)
    for name, _ in composed:
        prefix, rest = ("el", name[3:]) if name.startswith("El ") else ("", name)
        if (prefix, rest.lower()) not in seen:
            seen.add((prefix, rest.lower()))
            out.append((prefix, rest))
    return tuple(out)


def _zipf_cumulative(n: int, offset: float, exponent: float) -> list[float]:
    return list(accumulate((rank + offset) ** -exponent for rank in range(1, n + 1)))


@lru_cache(maxsize=1)
def _dutch_cum() -> list[float]:
    return _zipf_cumulative(len(dutch_surnames()), _ZIPF_OFFSET, _ZIPF_EXPONENT)


@lru_cache(maxsize=1)
def _migrant_cum() -> list[float]:
    return _zipf_cumulative(len(migrant_surnames()), _MIGRANT_OFFSET, _MIGRANT_EXPONENT)


def _draw(rng: random.Random, names: tuple[tuple[str, str], ...], cum: list[float]) -> tuple[str, str]:
    return names[min(bisect.bisect(cum, rng.random() * cum[-1]), len(names) - 1)]


def surname(rng: random.Random) -> tuple[bool, str, str]:
    """(migrant, tussenvoegsel, surname) for a new family."""
    if rng.random() < 0.12:
        return (True, *_draw(rng, migrant_surnames(), _migrant_cum()))
    return (False, *_draw(rng, dutch_surnames(), _dutch_cum()))


def share_of_top(k: int) -> float:
    """Share of Dutch-surname families holding one of the k most common surnames (for the docs and tests)."""
    cum = _dutch_cum()
    return cum[k - 1] / cum[-1]
