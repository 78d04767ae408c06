"""Person matching core: normalisation, blocking keys and scoring (SPEC §3.2).

Pure Python on purpose (no Django import): the rules are the riskiest part of
intake -- a missed match creates a duplicate person, a false match merges two
people's case histories -- so they must be unit-testable in isolation and fast.

How the pieces fit together:

* At save time the DB layer stores ``person_keys(p)`` per person: normalised
  names plus three indexed phonetic columns (phon_first, phon_last,
  phon_birth_last).
* At intake it looks up ``query_phonetic_keys(query)`` in *all three* phonetic
  columns (so first/last names typed in the wrong field are still found), plus
  same date of birth and same BSN hash.
* Every fetched candidate goes through ``score(query, candidate)``; candidates
  with ``score >= THRESHOLD`` are shown, best first, with Dutch reasons.

The score is a points budget (a simplified Fellegi-Sunter model, where each
field adds evidence for or against "same person"); see ``score`` for the
numbers and why they were chosen.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from . import weights as fs

__all__ = [
    "THRESHOLD",
    "Levels",
    "Match",
    "NameParts",
    "blocking_keys",
    "normalise",
    "person_keys",
    "phonetic",
    "query_phonetic_keys",
    "score",
    "score_if_shown",
    "split_prefix",
    "surname_core",
]

# Candidates scoring at least this are shown to the user at intake.
THRESHOLD = 60.0
# From here on a candidate is labelled "hoog" (very likely the same person).
HIGH = 85.0


@dataclass(frozen=True)
class NameParts:
    """What we know about a person for matching. Frozen, so it is hashable (used as cache key)."""

    first_names: str = ""  # "Pieter", "P.", "P.J.", "Piet Jan"
    prefix: str = ""  # tussenvoegsel; may also be left inside last_name ("de Vries")
    last_name: str = ""
    birth_last_name: str = ""  # geboortenaam when different (married name in last_name)
    date_of_birth: datetime.date | None = None
    bsn: str = ""  # plain BSN if known, else ""


@dataclass(frozen=True)
class Levels:
    """The comparison levels of one pair, as the Fellegi-Sunter model in ``weights`` knows them.

    surname and first: "exact", "variant", "similar", "different" or "unknown" (first also "initial");
    dob: "exact", "near", "different" or "unknown". ``swapped``: read with first and last name swapped."""

    surname: str = "unknown"
    first: str = "unknown"
    dob: str = "unknown"
    swapped: bool = False

    @property
    def weight(self) -> float:
        """Match weight in bits: the sum of log2(m/u) of the three levels (calibrated offline)."""
        total = fs.SURNAME[self.surname] + fs.FIRST[self.first] + fs.DOB[self.dob]
        return total - fs.SWAP_PENALTY if self.swapped else total


@dataclass(frozen=True)
class Match:
    """Outcome of ``score``: 0..100 plus short Dutch reasons that are shown to the user.

    The score ranks candidates and decides which are shown (``THRESHOLD``); the grade ("hoog" or
    "mogelijk") comes from the Fellegi-Sunter ``weight`` when it is known (bench/calibrate_matcher.py)."""

    score: float
    reasons: tuple[str, ...] = ()
    weight: float | None = None

    @property
    def level(self) -> str:
        if self.score < THRESHOLD:
            return "laag"
        if self.weight is None:
            return "hoog" if self.score >= HIGH else "mogelijk"
        return "hoog" if self.weight >= fs.HIGH_WEIGHT else "mogelijk"


# --------------------------------------------------------------------------- normalisation

# Letters that NFKD does not decompose into "base letter + accent".
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",  # Turkish dotless i (Yıldız); the dotted capital İ decomposes by itself
        "þ": "th",
    }
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Lowercase ASCII words separated by single spaces.

    Diacritics are dropped (é→e, ï→i, ş→s) because registrations are typed on
    keyboards with and without them. Hyphens, apostrophes, dots and any other
    punctuation become spaces, so "el-Amrani", "in 't Veld" and "P.J." split
    into words the same way however they were typed.
    """
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_ALNUM.sub(" ", text.lower()).split())


# Dutch tussenvoegsels plus the foreign/Arabic ones common in Dutch registrations, in normalised form
# (apostrophes are spaces, so "in 't" is "in t" and "d'" is "d").
_PREFIX_LIST = (
    "van der",
    "van den",
    "van de",
    "van het",
    "van t",
    "van ter",
    "van ten",
    "van la",
    "in t",
    "in het",
    "in de",
    "in den",
    "op de",
    "op den",
    "op het",
    "op t",
    "op ten",
    "uit de",
    "uit den",
    "uit het",
    "uit t",
    "aan de",
    "aan den",
    "aan het",
    "bij de",
    "onder de",
    "over de",
    "voor de",
    "voor den",
    "de la",
    "de le",
    "de los",
    "von der",
    "von dem",
    "van",
    "de",
    "der",
    "den",
    "ter",
    "ten",
    "te",
    "het",
    "t",
    "la",
    "le",
    "du",
    "d",
    "el",
    "al",
    "von",
    "da",
    "di",
    "del",
    "dos",
    "das",
    "des",
    # Abbreviated inside the surname as registrations type them: "v.d. Berg", "v. Dijk", "i.t. Veld".
    "v d",
    "v der",
    "v den",
    "v de",
    "v t",
    "vd",
    "v",
    "i t",
)
# first word -> candidate prefixes starting with it, longest first ("van der" before "van").
_PREFIXES_BY_HEAD: dict[str, list[tuple[str, ...]]] = {}
for _p in sorted((tuple(p.split()) for p in _PREFIX_LIST), key=len, reverse=True):
    _PREFIXES_BY_HEAD.setdefault(_p[0], []).append(_p)
_PREFIX_SET = frozenset(tuple(p.split()) for p in _PREFIX_LIST)
_PREFIX_WORDS = frozenset(w for p in _PREFIX_LIST for w in p.split())
# Prefixes written together with the surname ("Vanthof" = "van 't Hof", "Vandenberg" = "van den Berg"):
# joined forms of at least three letters, longest first. Shorter ones ("de", "t") would cut real surnames.
_CONTRACTED = tuple(sorted({p.replace(" ", "") for p in _PREFIX_LIST if len(p.replace(" ", "")) >= 3}, key=len)[::-1])


def _uncontracted(core: str) -> str:
    """The surname core without a prefix written into it ("vanthof" -> "hof"), or "" when there is none."""
    if not core.startswith(_CONTRACTED):  # one call for the common case, no prefix at all
        return ""
    for joined in _CONTRACTED:
        if core.startswith(joined) and len(core) - len(joined) >= 3:
            return core[len(joined) :]
    return ""


def split_prefix(last_name: str) -> tuple[str, str]:
    """Split a (raw) surname into normalised (prefix, rest), longest prefix first.

    "van der Berg" -> ("van der", "berg"), "el-Amrani" -> ("el", "amrani"),
    "Vries" -> ("", "vries"). Registry style "Vries, de" -> ("de", "vries").
    A prefix is only split off when something is left, so the surname "Van"
    stays ("", "van").
    """
    if "," in last_name:
        head, _, tail = last_name.partition(",")
        tail_n, head_n = normalise(tail), normalise(head)
        if head_n and tuple(tail_n.split()) in _PREFIX_SET:
            return tail_n, head_n
    norm = normalise(last_name)
    words = norm.split()
    for pref in _PREFIXES_BY_HEAD.get(words[0], ()) if words else ():
        n = len(pref)
        if len(words) > n and tuple(words[:n]) == pref:
            return " ".join(pref), " ".join(words[n:])
    return "", norm


def surname_core(prefix: str, last_name: str) -> str:
    """Normalised surname without tussenvoegsel and without spaces: ("", "de Vries") -> "vries".

    The prefix is deliberately not part of the core: whether "de" was typed in the prefix field,
    inside the surname, or forgotten altogether, "de Vries", "Vries, de" and "Vries" must compare
    equal (Dutch sorting and many source systems drop or move it). ``prefix`` is accepted so
    callers need not care where it lives.
    """
    del prefix  # see docstring
    return split_prefix(last_name)[1].replace(" ", "")


# --------------------------------------------------------------------------- phonetic key

# Ordered rewrite rules. Dutch spelling variants first (ij/y/ei, ch/g, v/f, z/s, c/k, dt/d/t at
# the end), then spellings that come from transliterating Arabic/Turkish names (kh, dj, sh),
# then double letters. Every rule maps *both* spellings of a pair onto one form. Rules without
# regex syntax run as plain str.replace (this function is hot when candidates are prepared).
_PHONETIC_RULES_SRC = (
    ("dj", "j"),  # Khadidja = Khadija, Djamila = Jamila (before ij: "dija" must not differ)
    ("uy", "ui"),  # Huyser = Huiser
    ("ey", "ei"),  # Meyer = Meijer = Meier
    ("ij", "ei"),
    (r"^y(?=[aeiou])", "j"),  # Yilmaz = Jilmaz, Youssef = Joussef
    (r"(?<=[aeiou])y(?=[aeiou])", "j"),  # Maya = Maja
    ("y", "ei"),  # old Dutch y = ij: Wyk = Wijk
    (r"sch$", "s"),  # Bosch = Bos
    ("sch", "sg"),
    (r"^chr", "kr"),  # Christiaan = Kristiaan
    ("ch", "g"),  # Dutch ch ~ g; with kh also Chalid = Khalid
    ("kh", "g"),
    ("gh", "g"),
    ("ph", "f"),
    ("sj", "s"),
    ("sh", "s"),
    ("ck", "k"),
    ("qu", "kw"),
    ("c", "k"),  # Cees = Kees, Backer = Bakker
    ("q", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("v", "f"),  # de Vries = de Fries
    ("ou", "au"),  # Bouwman = Bauwman
    ("ae", "a"),  # Maes = Maas
    (r"(?<=[bdfgjklmnprstw])h", ""),  # Thijs = Tijs, Mathilde = Matilde
    (r"(.)\1+", r"\1"),  # Janssen = Jansen, Mohammed = Mohamed
    (r"h$", ""),  # Abdullah = Abdulla
    (r"dt$|d$", "t"),  # final devoicing: Smid = Smit, Mohamed = Mohamet
    (r"(.)\1+", r"\1"),
)
_PHONETIC_RULES: tuple[tuple[str | re.Pattern[str], str], ...] = tuple(
    (pattern if pattern.isalpha() else re.compile(pattern), repl) for pattern, repl in _PHONETIC_RULES_SRC
)
_NON_ALPHA = re.compile(r"[^a-z]+")
# The DB column is 60 wide; 16 letters are far more than needed to tell names apart.
_PHONETIC_MAX = 16


@lru_cache(maxsize=8192)
def phonetic(word: str) -> str:
    """Dutch-aware phonetic key for one name word (deterministic, at most 16 letters).

    Used only for *blocking* (finding candidates in an index), never as proof of a match:
    it must map common spelling variants onto the same key (Janssen/Jansen, Mohammed/Mohamed,
    Meyer/Meijer, de Vries/de Fries) while keeping different names apart, so the candidate set
    stays small. Spaces are removed, so a multi-word core gets one key.
    """
    letters = normalise(word)
    if not letters.isalpha():  # spaces, digits
        letters = _NON_ALPHA.sub("", letters)
    key = letters
    for pattern, repl in _PHONETIC_RULES:
        key = key.replace(pattern, repl) if isinstance(pattern, str) else pattern.sub(repl, key)
    # A one-letter surname "H" would lose its only letter to the final-h rule; never return "" for a name.
    return (key or letters)[:_PHONETIC_MAX]


# --------------------------------------------------------------------------- keys for the DB


def _is_packed_initials(raw: str) -> bool:
    # "PJ" or "JWM": capitals without dots and without vowels are initials, not a name.
    return 2 <= len(raw) <= 3 and raw.isalpha() and raw.isupper() and not set(raw) & set("AEIOUY")


_RAW_SPLIT = re.compile(r"[\s.\-]+")


def _given_names(first_names: str) -> tuple[str, ...]:
    """Normalised given names in order; initials become one-letter words ("P.J." -> ("p", "j"))."""
    if not first_names:
        return ()
    words: list[str] = []
    for raw in _RAW_SPLIT.split(first_names.strip()):
        if _is_packed_initials(raw):
            words.extend(raw.lower())
        else:
            words.extend(normalise(raw).split())
    return tuple(words)


def _first_given_key(given: tuple[str, ...]) -> str:
    # An initial says too little to be an index key: "P" would pull in every Pieter, Paul and Petra.
    return phonetic(given[0]) if given and len(given[0]) > 1 else ""


def person_keys(p: NameParts) -> dict[str, str]:
    """What the DB stores per person (norm_* for display/debugging, phon_* indexed for blocking)."""
    given = _given_names(p.first_names)
    last = surname_core(p.prefix, p.last_name)
    birth = surname_core("", p.birth_last_name)
    return {
        "norm_first": " ".join(given)[:200],
        "norm_last": last[:200],
        "norm_birth_last": birth[:200],
        "phon_first": _first_given_key(given),
        "phon_last": phonetic(last),
        "phon_birth_last": phonetic(birth),
    }


def blocking_keys(p: NameParts) -> set[str]:
    """Typed blocking keys ("l:" surname incl. birth surname, "f:" first given name), empties left out."""
    k = person_keys(p)
    keys = {"l:" + k["phon_last"], "l:" + k["phon_birth_last"], "f:" + k["phon_first"]}
    return {key for key in keys if len(key) > 2}


def query_phonetic_keys(p: NameParts) -> set[str]:
    """Phonetic values to look up in phon_first, phon_last AND phon_birth_last.

    Searching every column with every key is what finds swapped first/last names and a query
    surname that is the candidate's birth name. Also includes each part of a double surname
    ("Jansen-de Vries" finds "de Vries") and the first-name field read as a surname (for
    "de Vries" typed as first name).
    """
    keys = {phonetic(surname_core(p.prefix, p.last_name)), phonetic(surname_core("", p.birth_last_name))}
    for last_name in (p.last_name, p.birth_last_name):
        prefix, rest = split_prefix(last_name)
        keys.update(phonetic(part) for part in _surname_parts(rest))
        # "Vanthof" finds "van 't Hof" (stored as "hof") and "van 't Hof" finds "Vanthof" (stored whole).
        keys.add(phonetic(_uncontracted(rest.replace(" ", ""))))
        # Two letters typed the wrong way round break the key ("iWt", "Jasnen"): the query's adjacent
        # transpositions find the stored name (a few more values in the same indexed IN, issue 14).
        core = rest.replace(" ", "")
        if 3 <= len(core) <= _TRANSPOSE_MAX:
            keys.update(phonetic(core[:i] + core[i + 1] + core[i] + core[i + 2 :]) for i in range(len(core) - 1))
        if prefix and not prefix.startswith(("v ", "vd", "i ")) and prefix != "v":
            keys.add(phonetic((prefix + rest).replace(" ", "")))
    given = _given_names(p.first_names)
    keys.update(phonetic(w) for w in given if len(w) > 1 and w not in _PREFIX_WORDS)
    if given and split_prefix(p.first_names)[0]:
        keys.add(phonetic(surname_core("", p.first_names)))
    keys.discard("")
    return keys


_TRANSPOSE_MAX = 14


def _surname_parts(rest: str) -> list[str]:
    """Parts of a double surname ("jansen de vries" -> ["jansen", "vries"]); [] for a single surname."""
    words = rest.split()
    if len(words) < 2:
        return []
    parts = [w for w in words if w not in _PREFIX_WORDS and len(w) > 1]
    return parts[:3] if len(parts) >= 2 else []


# --------------------------------------------------------------------------- scoring

# Points budget; the maxima add up to 100 (45 surname + 35 first name + 20 date of birth).
# Why these numbers, checked by the tests:
# * a shared surname alone (45) plus a clearly different first name (-10) stays below THRESHOLD
#   even with unknown dates of birth (45 - 10 + 12 = 47): "Ahmed Yilmaz" is not "Fatma Yilmaz".
# * the same full name without dates of birth (45 + 35 + 12 = 92) is "hoog", but one clearly
#   different date of birth (-35) pushes even an identical name below THRESHOLD (45).
# * initial + surname + date of birth ("P. de Vries", 45 + 17 + 20 = 82) is shown as "mogelijk".
# * first name + date of birth with a completely different surname (0 + 35 + 20 = 55) is not shown:
#   common first names and placeholder birth dates (1 January) collide too often.
_W_LAST = 45.0
_LAST_UNKNOWN = 5.0
_W_FIRST = 45.0  # first-name points run from _FIRST_DISAGREE to _FIRST_DISAGREE + _W_FIRST = 35
_FIRST_DISAGREE = -10.0
_FIRST_UNKNOWN = 8.0
_DOB_EQUAL = 20.0
_DOB_UNKNOWN = 12.0
# One typo / day-month swap: more evidence than no date of birth at all, less than an equal one (issue 14).
_DOB_NEAR = 16.0
_DOB_DIFFERENT = -35.0
_SWAP_PENALTY = 5.0  # a swapped match ranks just below the same match typed the right way round
_BSN_DIFFERENT_CAP = THRESHOLD - 10.0

# Agreement on a name is its similarity rescaled from [60, 100] to [0, 1]: below 60 two names
# are simply different (short unrelated names like "jan"/"karin" still share letters).
_AGREE_FROM = 60.0
# Similarity floors: equal phonetic key, or exactly one typo in a name of at least 4 letters.
_SIM_PHONETIC = 96.0
_SIM_ONE_TYPO = 90.0
_SIM_NICKNAME = 88.0  # "Piet" / "Pieter": one given name is the start of the other
_OTHER_GIVEN_FACTOR = 0.9  # roepnaam is a second given name: "Jan" vs "Pieter Jan"
# Surname kind weights: last name vs last name counts fully; via a birth name or one part of a
# double surname slightly less, so the direct match ranks first when both exist.
_KIND_WEIGHT = {"last": 1.0, "birth": 0.98, "part": 0.95, "contracted": 0.98}


@dataclass(frozen=True, slots=True)
class _Prepared:
    given: tuple[str, ...]
    given_phon: tuple[str, ...]
    initials: str
    surnames: tuple[tuple[str, str, str], ...]  # (core, phonetic, kind)
    swap_firsts: tuple[tuple[str, str], ...]  # first-name field read as a surname: (text, phonetic)
    swap_lasts: tuple[tuple[str, str], ...]  # last and birth surname cores: (core, phonetic)
    dob: datetime.date | None


def _bsn_digits(bsn: str) -> str:
    digits = "".join(ch for ch in bsn if ch.isdigit())
    return digits.zfill(9) if len(digits) == 8 else digits  # leading zero lost in spreadsheets


def _bsn_valid(digits: str) -> bool:
    # Elfproef. A BSN that fails it is a typo, so a difference in it is no evidence of another person.
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0


@lru_cache(maxsize=4096)
def _prepare(p: NameParts) -> _Prepared:
    # Cached: the query is prepared once per intake and candidates recur across queries.
    # Callers strip the BSN first, so no plain BSN lingers in this process-wide cache.
    given = _given_names(p.first_names)
    surnames: list[tuple[str, str, str]] = []
    for kind, last_name in (("last", p.last_name), ("birth", p.birth_last_name)):
        prefix, rest = split_prefix(last_name)
        core = rest.replace(" ", "")
        if core:
            surnames.append((core, phonetic(core), kind))
            if uncontracted := _uncontracted(core):
                surnames.append((uncontracted, phonetic(uncontracted), "contracted"))
            surnames.extend((part, phonetic(part), "part") for part in _surname_parts(rest))
    swap_firsts: list[tuple[str, str]] = []
    if given:
        as_surname = surname_core("", p.first_names)
        swap_firsts.append((as_surname, phonetic(as_surname)))
        swap_firsts.extend((w, phonetic(w)) for w in given if len(w) > 1 and w != as_surname)
    return _Prepared(
        given=given,
        given_phon=tuple(phonetic(w) for w in given),
        initials="".join(w[0] for w in given),
        surnames=tuple(surnames),
        swap_firsts=tuple(swap_firsts),
        swap_lasts=tuple((core, ph) for core, ph, kind in surnames if kind in ("last", "birth")),
        dob=p.date_of_birth,
    )


def _sim(a: str, pa: str, b: str, pb: str) -> float:
    """Similarity 0..100 of two normalised names a, b with phonetic keys pa, pb (symmetric)."""
    if a == b:
        return 100.0
    s = fuzz.ratio(a, b)
    # Indel ratio punishes one typo in a short name hard (jansen/jnasen = 83); one edit is one typo.
    if s < _SIM_ONE_TYPO and min(len(a), len(b)) >= 4 and OSA.distance(a, b, score_cutoff=1) <= 1:
        s = _SIM_ONE_TYPO
    elif s < _SIM_ONE_TYPO and len(a) == len(b) == 3 and _transposed(a, b):
        s = _SIM_ONE_TYPO  # two letters swapped in a short surname: "iWt" for "Wit" (issue 14)
    if pa and pa == pb:
        s = max(s, _SIM_PHONETIC)
    return s


def _transposed(a: str, b: str) -> bool:
    """Equal but for two adjacent letters swapped ("wit"/"iwt")."""
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]
    return (
        len(a) == len(b)
        and len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


# Comparison levels of the Fellegi-Sunter model (weights.py). bench/calibrate_matcher.py computes the same
# levels in SQL for splink; the two definitions must stay equal (the script checks them on its pairs).
_LEVEL_RANK = {"exact": 4, "variant": 3, "initial": 2, "similar": 1, "different": 0, "unknown": -1}
_JW_SIMILAR = 0.85
_JW_SIMILAR_FIRST = 0.9  # "Arie" and "Marieke" are 0.86: for first names (twins) only closer ones count


def name_level(a: str, pa: str, b: str, pb: str, *, same_initial: bool = False, similar: float = _JW_SIMILAR) -> str:
    """Level of two normalised names a, b with phonetic keys pa, pb: exact, variant, similar or different.

    variant: equal phonetic key, one edit (at least four letters; for first names only after the same initial:
    Pien and Fien are two names, twins among them) or two letters swapped (three letters)."""
    if not a or not b:
        return "unknown"
    if a == b:
        return "exact"
    if (pa and pa == pb) or (
        min(len(a), len(b)) >= 4 and (not same_initial or _same_start(a, b)) and OSA.distance(a, b, score_cutoff=1) <= 1
    ):
        return "variant"
    if len(a) == len(b) == 3 and _transposed(a, b):
        return "variant"
    if (not same_initial or _same_start(a, b)) and JaroWinkler.similarity(a, b) >= similar:
        return "similar"
    return "different"


def _same_start(a: str, b: str) -> bool:
    """Same first letter, or the first two letters typed the wrong way round ("aJn" for "Jan")."""
    return a[0] == b[0] or (a[0] == b[1:2] and a[1:2] == b[0])


def _best_level(levels) -> str:
    return max(levels, key=_LEVEL_RANK.__getitem__, default="unknown")


def _surname_level(a: _Prepared, b: _Prepared) -> str:
    if not a.surnames or not b.surnames:
        return "unknown"
    return _best_level(name_level(ca, pa, cb, pb) for ca, pa, _ in a.surnames for cb, pb, _ in b.surnames)


def _first_level(a: _Prepared, b: _Prepared) -> str:
    if not a.given or not b.given:
        return "unknown"
    if len(a.given[0]) == 1 or len(b.given[0]) == 1:
        return "initial" if a.initials[0] == b.initials[0] else "different"
    fa, fb = a.given[0], b.given[0]
    level = name_level(fa, a.given_phon[0], fb, b.given_phon[0], same_initial=True, similar=_JW_SIMILAR_FIRST)
    if level in ("exact", "variant"):
        return level
    short, long_ = sorted((fa, fb), key=len)
    if (
        (len(fa) > 2 and _translit_key(fa) == _translit_key(fb))
        or (len(short) >= 3 and long_.startswith(short))
        or fa in b.given[1:]
        or fb in a.given[1:]
    ):
        return "variant"  # transliteration, short form (Piet/Pieter) or the roepnaam is another given name
    return level


def _swapped_levels(a: _Prepared, b: _Prepared) -> tuple[str, str]:
    def best(xs, ys):
        return _best_level(name_level(x, px, y, py) for x, px in xs for y, py in ys)

    return best(a.swap_firsts, b.swap_lasts), best(b.swap_firsts, a.swap_lasts)


def _agree(similarity: float) -> float:
    return min(1.0, max(0.0, (similarity - _AGREE_FROM) / (100.0 - _AGREE_FROM)))


def _describe(similarity: float, what: str) -> str:
    if similarity >= 100.0:
        return f"{what} gelijk"
    if similarity >= _SIM_ONE_TYPO:
        return f"{what} lijkt sterk"
    if similarity > _AGREE_FROM:
        return f"{what} lijkt enigszins"
    return f"{what} verschilt"


def _surname_points(a: _Prepared, b: _Prepared) -> tuple[float, list[str]]:
    if not a.surnames or not b.surnames:
        return _LAST_UNKNOWN, ["achternaam onbekend"]
    best, best_raw, best_kinds = -1.0, 0.0, ("last", "last")
    for ca, pa, ka in a.surnames:
        for cb, pb, kb in b.surnames:
            raw = _sim(ca, pa, cb, pb)
            weighted = raw * _KIND_WEIGHT[ka] * _KIND_WEIGHT[kb]
            if weighted > best:
                best, best_raw, best_kinds = weighted, raw, (ka, kb)
    reasons = [_describe(best_raw, "achternaam")]
    if best_raw > _AGREE_FROM:
        if "part" in best_kinds:
            reasons.append("deel van dubbele achternaam komt overeen")
        elif "birth" in best_kinds:
            reasons.append("achternaam komt overeen met geboortenaam")
    return _W_LAST * _agree(best), reasons


def _initials_agreement(a: _Prepared, b: _Prepared) -> tuple[float, str]:
    """At least one side starts with an initial ("P.", "P. Jan"): compare letters, not spelling."""
    if a.initials[0] != b.initials[0]:
        return 0.0, "voorletter verschilt"
    if a.given == b.given:
        # Identical information, but initials say less than a full name: not full agreement.
        return 0.87, "voorletters gelijk" if a.initials == "".join(a.given) else "voornamen gelijk"
    if len(a.initials) > 1 and len(b.initials) > 1:
        if a.initials == b.initials:
            return 0.7, "voorletters komen overeen"  # "P.J." vs "Pieter Jan"
        return 0.4, "voorletters verschillen deels"  # "P.J." vs "Pieter Klaas"
    return 0.6, "voorletter komt overeen"


# Known transliterations of one first name (Arabic, Turkish, Dutch spelling of both), as one canonical form.
# Phonetic normalisation (_translit_key) catches the spelling classes on top of this table.
_FIRST_NAME_EQUIVALENTS = {
    variant: canonical
    for canonical, variants in {
        "muhammad": (
            "mohammed mohamed mohammad mohamad muhammed muhamed mohamet mehmet mehmed mohammet muhamad "
            "mouhamed mouhammad mohd"
        ),
        "mustafa": "mustapha moestafa mostafa moustafa mostapha moestapha",
        "yusuf": "youssef yousef yusef joesoef youssouf yussuf jusuf josef",
        "ahmed": "ahmad achmed achmad ahmet ahmat",
        "abdullah": "abdallah abdoullah abdulla abdallah",
        "hussein": "husain hussain hoessein husein huseyin",
        "fatima": "fatma fatimah fatiema",
        "aisha": "aicha aischa ayse aysha aiesja",
        "khadija": "khadidja kadija hatice",
        "ibrahim": "ebrahim ibrahiem brahim",
        "hassan": "hasan hassane",
        "mahmoud": "mahmut mahmud mahmood",
        "omar": "umar omer oemar",
        "osman": "othman usman oesman",
    }.items()
    for variant in (canonical, *variants.split())
}
_TRANSLIT_RULES = (("oe", "u"), ("ou", "u"), ("ph", "f"), ("dj", "j"), ("kh", "h"))
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=8192)
def _translit_key(name: str) -> str:
    """One form for the transliterations of a first name: the table, else a light phonetic rewrite."""
    if name in _FIRST_NAME_EQUIVALENTS:
        return _FIRST_NAME_EQUIVALENTS[name]
    key = name
    for old, new in _TRANSLIT_RULES:
        key = key.replace(old, new)
    key = _DOUBLE.sub(r"\1", key)
    return _FIRST_NAME_EQUIVALENTS.get(key, key)


def _first_points(a: _Prepared, b: _Prepared) -> tuple[float, list[str]]:
    if not a.given or not b.given:
        return _FIRST_UNKNOWN, ["voornaam onbekend"]
    if len(a.given[0]) == 1 or len(b.given[0]) == 1:
        agreement, reason = _initials_agreement(a, b)
        return _FIRST_DISAGREE + _W_FIRST * agreement, [reason]
    fa, fb = a.given[0], b.given[0]
    best = _sim(fa, a.given_phon[0], fb, b.given_phon[0])
    reason = ""
    if best < _SIM_PHONETIC and len(fa) > 2 and _translit_key(fa) == _translit_key(fb):
        best, reason = _SIM_PHONETIC, "voornaam is andere schrijfwijze"
    if best < 100.0 and (len(a.given) > 1 or len(b.given) > 1):
        ja, jb = "".join(a.given), "".join(b.given)
        best = max(best, fuzz.ratio(ja, jb))
    short, long_ = sorted((fa, fb), key=len)
    if best < _SIM_NICKNAME and len(short) >= 3 and long_.startswith(short):
        best, reason = _SIM_NICKNAME, "voornaam is verkorte vorm"
    # The roepnaam may be a later given name on the other side; checked both ways for symmetry.
    for x, px, other, other_phon in (
        (fa, a.given_phon[0], b.given, b.given_phon),
        (fb, b.given_phon[0], a.given, a.given_phon),
    ):
        for w, pw in zip(other[1:], other_phon[1:], strict=True):
            s = _sim(x, px, w, pw) * _OTHER_GIVEN_FACTOR
            if s > best:
                best, reason = s, "voornaam komt overeen met andere voornaam"
    reasons = [_describe(best, "voornaam")]
    if reason and best > _AGREE_FROM:
        reasons.append(reason)
    return _FIRST_DISAGREE + _W_FIRST * _agree(best), reasons


def _best_sim(xs: tuple[tuple[str, str], ...], ys: tuple[tuple[str, str], ...]) -> float:
    return max((_sim(x, px, y, py) for x, px in xs for y, py in ys), default=0.0)


def _swapped_points(a: _Prepared, b: _Prepared) -> tuple[float, list[str]] | None:
    """Name points when one side has first and last name the other way round.

    Both cross pairs (a's first vs b's last, b's first vs a's last) get the same weight, which
    keeps score(a, b) == score(b, a); at full agreement this is 45 + 45 - 10 = 80, the same as a
    direct match, minus _SWAP_PENALTY.
    """
    if not (a.swap_firsts and b.swap_firsts and a.swap_lasts and b.swap_lasts):
        return None
    if len(a.given[0]) == 1 or len(b.given[0]) == 1:
        return None  # initials are never a surname
    s1 = _best_sim(a.swap_firsts, b.swap_lasts)
    s2 = _best_sim(b.swap_firsts, a.swap_lasts)
    points = _W_LAST * (_agree(s1) + _agree(s2)) + _FIRST_DISAGREE - _SWAP_PENALTY
    return points, ["voor- en achternaam omgedraaid", _describe(min(s1, s2), "naam")]


def _dob_near(a: datetime.date, b: datetime.date) -> bool:
    """One typed digit wrong, two adjacent digits swapped, or day and month swapped."""
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return True
    sa, sb = f"{a.day:02d}{a.month:02d}{a.year:04d}", f"{b.day:02d}{b.month:02d}{b.year:04d}"
    diff = [i for i in range(8) if sa[i] != sb[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and sa[diff[0]] == sb[diff[1]] and sa[diff[1]] == sb[diff[0]]


def _date_from_digits(digits: str) -> datetime.date | None:
    try:
        return datetime.date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def near_birth_dates(dob: datetime.date) -> frozenset[datetime.date]:
    """Every date b with ``_dob_near(dob, b)``: one digit of ddmmyyyy changed, two adjacent digits swapped, or day
    and month swapped (at most about 80 dates). The screening looks these up instead of comparing every candidate:
    with a date of birth typed, a candidate born on any other date scores below THRESHOLD (``may_be_shown``)."""
    digits = f"{dob.day:02d}{dob.month:02d}{dob.year:04d}"
    variants = {digits[:i] + d + digits[i + 1 :] for i in range(8) for d in "0123456789"}
    variants.update(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :] for i in range(7))
    near = {d for d in map(_date_from_digits, variants) if d is not None}
    if dob.day <= 12:
        near.add(dob.replace(day=dob.month, month=dob.day))
    near.discard(dob)
    return frozenset(near)


def birth_date_may_be_shown(query_dob: datetime.date | None, candidate_dob: datetime.date | None) -> bool:
    """False when ``candidate_dob`` alone keeps a candidate below THRESHOLD, whatever the names (the BSN aside).

    A different date of birth costs 35 points (_DOB_DIFFERENT) and the names give at most 80 (45 + 35, or the
    swapped reading's 75), so 45 < THRESHOLD; the "hoog" floor needs an equal date. A test pins this bound."""
    return (
        query_dob is None or candidate_dob is None or candidate_dob == query_dob or _dob_near(query_dob, candidate_dob)
    )


# The reasons a date-of-birth comparison gives (shown to the user), and the model's level for each.
DOB_UNKNOWN_REASON = "geboortedatum onbekend"
DOB_EQUAL_REASON = "geboortedatum gelijk"
DOB_NEAR_REASON = "geboortedatum bijna gelijk (tikfout?)"
DOB_DIFFERENT_REASON = "geboortedatum verschilt"
_DOB_LEVEL = {
    DOB_UNKNOWN_REASON: "unknown",
    DOB_EQUAL_REASON: "exact",
    DOB_NEAR_REASON: "near",
    DOB_DIFFERENT_REASON: "different",
}


def _dob_points(a: datetime.date | None, b: datetime.date | None) -> tuple[float, str]:
    if a is None or b is None:
        return _DOB_UNKNOWN, DOB_UNKNOWN_REASON
    if a == b:
        return _DOB_EQUAL, DOB_EQUAL_REASON
    if _dob_near(a, b):
        return _DOB_NEAR, DOB_NEAR_REASON
    return _DOB_DIFFERENT, DOB_DIFFERENT_REASON


def score(query: NameParts, candidate: NameParts) -> Match:
    """How likely ``candidate`` is the person described by ``query``: 0..100 with reasons.

    score = surname (0..45) + first name (-10..35) + date of birth (-35..20), clamped to 0..100.

    * Names: rapidfuzz similarity of normalised names without prefix, raised to 96 for an equal
      phonetic key and to 90 for exactly one typo, then rescaled from [60, 100] to [0, 1].
      Surnames are compared crosswise with birth names and parts of double surnames. An initial
      that matches scores as a partial first-name match (no spelling comparison possible).
    * Swapped first/last names are scored too (minus 5); the better reading wins.
    * Date of birth: equal +20, one typo or day/month swapped +16, unknown +12, different -35.
    * An initial that agrees, with the same surname and the same date of birth, is graded "hoog".
    * BSN: equal on both sides -> 100; both valid and different -> at most 50 (below THRESHOLD).
    Symmetric (score(a, b) == score(b, a)), so the result does not depend on which record is new.
    """
    a = _prepare(dataclasses.replace(query, bsn="") if query.bsn else query)
    b = _prepare(dataclasses.replace(candidate, bsn="") if candidate.bsn else candidate)
    last_points, last_reasons = _surname_points(a, b)
    first_points, first_reasons = _first_points(a, b)
    name_points, reasons = last_points + first_points, last_reasons + first_reasons
    dob_points, dob_reason = _dob_points(a.dob, b.dob)
    swapped = _swapped_points(a, b)
    swap_wins = swapped is not None and swapped[0] > name_points
    if swap_wins:
        name_points, reasons = swapped
    total = min(100.0, max(0.0, name_points + dob_points))
    if (
        dob_reason == DOB_EQUAL_REASON
        and last_points >= _W_LAST * _KIND_WEIGHT["contracted"] ** 2 * 0.99
        and first_reasons[0] in ("voorletter komt overeen", "voorletters komen overeen")
        and name_points == last_points + first_points
    ):
        # "P. de Vries" born on the same day as "Pieter de Vries": the initial leaves few others (issue 14).
        total = max(total, HIGH)
    reasons.append(dob_reason)
    bsn_a, bsn_b = _bsn_digits(query.bsn), _bsn_digits(candidate.bsn)
    if bsn_a and bsn_b:
        if bsn_a == bsn_b:
            # Same BSN is the same person whatever the names say (name changes, typos, aliases).
            return Match(100.0, ("BSN gelijk", *reasons), fs.HIGH_WEIGHT)
        if _bsn_valid(bsn_a) and _bsn_valid(bsn_b):
            return Match(round(min(total, _BSN_DIFFERENT_CAP), 1), ("BSN verschilt", *reasons))
        reasons.insert(0, "BSN verschilt, maar is ongeldig (genegeerd)")
    # The grade only matters for a candidate that is shown: most scored candidates are not, and skip this work.
    weight = _grade_weight(_levels(a, b, dob_reason, swap_wins)) if total >= THRESHOLD else None
    return Match(round(total, 1), tuple(reasons), weight)


# The most the names can give: surname 45 plus first name 35, or the swapped reading (at most 75).
_MAX_FIRST_POINTS = _FIRST_DISAGREE + _W_FIRST
# score() rounds to one decimal and the screening compares the rounded score, so a bound only rules a candidate out
# when it stays below the threshold after rounding.
_BELOW_THRESHOLD = THRESHOLD - 0.1


def score_if_shown(query: NameParts, candidate: NameParts) -> Match | None:
    """``score(query, candidate)`` when it reaches THRESHOLD, else None: the screening's fast path.

    Most blocked candidates are not shown. Bounds on what the remaining fields can add rule them out before the
    first name, the swapped reading, the grade and the reasons are worked out: a far date of birth (-35) caps the
    names' 80 points below the threshold, and a surname that hardly agrees leaves too little for the first name's
    35. Whatever passes the bounds is scored in full, so a shown candidate gets exactly ``score``'s answer."""
    if query.bsn and candidate.bsn:
        m = score(query, candidate)  # an equal BSN is 100 whatever the names: no bound holds
        return m if m.score >= THRESHOLD else None
    a = _prepare(dataclasses.replace(query, bsn="") if query.bsn else query)
    b = _prepare(dataclasses.replace(candidate, bsn="") if candidate.bsn else candidate)
    dob_points = _dob_points(a.dob, b.dob)[0]
    if _W_LAST + _MAX_FIRST_POINTS + dob_points < _BELOW_THRESHOLD:
        return None
    last_points = _surname_points(a, b)[0]
    if last_points + _MAX_FIRST_POINTS + dob_points < _BELOW_THRESHOLD or (
        last_points + _first_points(a, b)[0] + dob_points < _BELOW_THRESHOLD
    ):
        swapped = _swapped_points(a, b)
        if swapped is None or swapped[0] + dob_points < _BELOW_THRESHOLD:
            return None
    m = score(query, candidate)
    return m if m.score >= THRESHOLD else None


def _levels(a: _Prepared, b: _Prepared, dob_reason: str, swap_wins: bool) -> Levels:
    dob_level = _DOB_LEVEL[dob_reason]
    levels = Levels(_surname_level(a, b), _first_level(a, b), dob_level)
    if swap_wins:
        levels = max(levels, Levels(*_swapped_levels(a, b), dob_level, swapped=True), key=lambda lv: lv.weight)
    return levels


def _grade_weight(levels: Levels) -> float:
    weight = round(levels.weight, 2)
    if "unknown" in (levels.surname, levels.first, levels.dob):
        # "hoog" needs both names and the date of birth (or the BSN): an empty field is no evidence, and a first
        # name with a date of birth, or a surname with one, leaves many people at national scale.
        weight = min(weight, fs.HIGH_WEIGHT - 0.01)
    return weight


def grade_weight(query: NameParts, candidate: NameParts) -> float:
    """The Fellegi-Sunter weight that grades a shown candidate, for any pair (bench/calibrate_matcher.py)."""
    a, b = _prepare(dataclasses.replace(query, bsn="")), _prepare(dataclasses.replace(candidate, bsn=""))
    name_points = _surname_points(a, b)[0] + _first_points(a, b)[0]
    swapped = _swapped_points(a, b)
    return _grade_weight(_levels(a, b, _dob_points(a.dob, b.dob)[1], swapped is not None and swapped[0] > name_points))
