"""Pseudonymous tokens of a person for the federation (docs/decisions/0006-federation.md).

Two tiers, both keyed with the federation key that every house holds and the hub does not:

* **Exact**: HMAC-SHA256 of the BSN, and of the normalised surname (without tussenvoegsel, so "de Vries",
  "Vries, de" and "Vries" agree, as in the local matcher) with the date of birth, once for the surname and
  once for the birth surname; and the same again with the first initial. A question that names a first name
  is matched on the tokens with the initial, so "Karin Janssen" born on Pieter Janssen's birthday is not
  "exactly" him (the local matcher, too, refuses a clearly different first name); one without a first name
  on the tokens without it (the local matcher shows those candidates as well).
* **Fuzzy**: a cryptographic long-term key (CLK, Schnell, Bachteler & Reiher 2009): one Bloom filter into
  which the bigrams of the surname and first given name and the parts of the date of birth are hashed with
  keyed double hashing (Kirsch & Mitzenmacher), the scheme of Data61's clkhash. The field keys are salted with
  the birth year, so the same name in different years sets different bits and the hub cannot count name
  frequencies across the whole register. The hub compares filters only within a block (same date-of-birth
  token, or same phonetic-surname-and-year token) by their Dice coefficient.

Pure Python over tafel.persons.matching (no database), so the bench and the tests use the very same encoding.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
from dataclasses import dataclass, field
from functools import lru_cache

from tafel.persons import matching

# Bloom filter length in bits and the hash count per kind of token. 1024 bits keeps the filter sparse enough
# (about 200 set bits for a typical name) for Dice to separate a typo from another name.
CLK_BITS = 1024
_K_SURNAME = 16
_K_FIRST = 20
_K_DOB = 4
# Token length on the wire: 128 bits of an HMAC-SHA256 is ample against collisions among millions.
_TOKEN_HEX = 32


@dataclass(frozen=True)
class Tokens:
    """What a house sends for one person (publication) or one question (check). No name, no date."""

    bsn: str = ""
    nd: tuple[str, ...] = ()  # surname + date of birth, for the surname and the birth surname
    ndi: tuple[str, ...] = ()  # the same with the first initial
    blocks: tuple[str, ...] = ()  # fuzzy-tier blocking tokens
    clk: bytes = b""  # fuzzy-tier Bloom filter
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def is_empty(self) -> bool:
        return not (self.bsn or self.nd or self.blocks)

    def as_wire(self) -> dict:
        return {
            "bsn": self.bsn,
            "nd": list(self.nd),
            "ndi": list(self.ndi),
            "blocks": list(self.blocks),
            "clk": base64.b64encode(self.clk).decode() if self.clk else "",
        }


@lru_cache(maxsize=8)
def _keys(federation_key: str) -> tuple[bytes, bytes, bytes]:
    # Separate derived keys per use, so a token of one kind can never stand in for another.
    derive = lambda label: hashlib.sha256(f"tafel-federation-{label}:".encode() + federation_key.encode()).digest()
    return derive("exact"), derive("block"), derive("clk")


def _token(key: bytes, text: str) -> str:
    return hmac.digest(key, text.encode(), "sha256").hex()[:_TOKEN_HEX]


def _bsn9(bsn: str) -> str:
    digits = "".join(ch for ch in bsn or "" if ch.isascii() and ch.isdigit())
    return digits.zfill(9) if len(digits) == 8 else digits


def _surnames(p: matching.NameParts) -> list[str]:
    cores = [matching.surname_core(p.prefix, p.last_name), matching.surname_core("", p.birth_last_name)]
    return list(dict.fromkeys(core for core in cores if core))


def _first_given(p: matching.NameParts) -> str:
    words = matching.normalise(p.first_names).split()
    return words[0] if words else ""


@lru_cache(maxsize=4096)
def _field_key(clk_key: bytes, name: str, year: int) -> bytes:
    return hmac.digest(clk_key, f"{name}|{year}".encode(), "sha256")


@lru_cache(maxsize=200_000)
def _mask(field_key: bytes, token: str, k: int) -> int:
    """The k bits one token sets (double hashing: position i is h1 + i*h2 mod CLK_BITS), as one integer.
    Cached: names share their bigrams, so a register of 100 000 persons needs only some thousands."""
    digest = hmac.digest(field_key, token.encode(), "sha256")
    h1 = int.from_bytes(digest[:16], "big")
    h2 = int.from_bytes(digest[16:], "big") | 1
    mask = 0
    for i in range(k):
        mask |= 1 << ((h1 + i * h2) % CLK_BITS)
    return mask


def _bigrams(word: str) -> list[str]:
    padded = f"_{word}_"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


@lru_cache(maxsize=100_000)
def _word_mask(field_key: bytes, word: str, k: int) -> int:
    """The bits all bigrams of one word set. Cached per word: a register repeats its names (and years) often,
    so most persons cost a few dictionary look-ups instead of a dozen HMACs."""
    bits = 0
    for gram in _bigrams(word):
        bits |= _mask(field_key, gram, k)
    return bits


def clk(p: matching.NameParts, *, federation_key: str) -> bytes:
    """The person's Bloom filter (CLK_BITS bits, big-endian bytes); empty without surname or date of birth."""
    surnames = _surnames(p)
    if not surnames or p.date_of_birth is None:
        return b""
    _, _, clk_key = _keys(federation_key)
    year = p.date_of_birth.year
    bits = 0
    surname_key = _field_key(clk_key, "surname", year)
    # Only the surname itself: a birth surname is its own block and its own exact token, but mixing it into
    # the filter would make a married person's filter differ from the one typed with only the current name.
    bits = _word_mask(surname_key, surnames[0], _K_SURNAME)
    first = _first_given(p)
    if first:
        bits |= _word_mask(_field_key(clk_key, "first", year), first, _K_FIRST)
    bits |= _dob_mask(_field_key(clk_key, "dob", year), p.date_of_birth.day, p.date_of_birth.month)
    return bits.to_bytes(CLK_BITS // 8, "big")


@lru_cache(maxsize=50_000)
def _dob_mask(dob_key: bytes, day: int, month: int) -> int:
    bits = 0
    for part in (f"d{day:02d}", f"m{month:02d}", f"dm{day:02d}{month:02d}"):
        bits |= _mask(dob_key, part, _K_DOB)
    return bits


def tokens_for(p: matching.NameParts, *, federation_key: str) -> Tokens:
    """Every token of one person (or of one question typed at screening).

    Without BSN and without surname + date of birth there is nothing to ask or publish (SPEC §6.1: outside the
    house, a search needs surname + date of birth or BSN)."""
    exact_key, block_key, _ = _keys(federation_key)
    bsn = _bsn9(p.bsn)
    bsn_token = _token(exact_key, "bsn|" + bsn) if len(bsn) == 9 else ""
    surnames = _surnames(p)
    dob: datetime.date | None = p.date_of_birth
    if not surnames or dob is None:
        return Tokens(bsn=bsn_token)
    iso = dob.isoformat()
    nd = tuple(_token(exact_key, f"nd|{core}|{iso}") for core in surnames)
    first = _first_given(p)
    ndi = tuple(_token(exact_key, f"ndi|{core}|{iso}|{first[0]}") for core in surnames) if first else ()
    blocks = [_token(block_key, "dob|" + iso)]
    # A typo in the day or month still meets the same phonetic surname in the same birth year.
    blocks.extend(_token(block_key, f"ph|{matching.phonetic(core)}|{dob.year}") for core in surnames)
    return Tokens(
        bsn=bsn_token,
        nd=nd,
        ndi=ndi,
        blocks=tuple(dict.fromkeys(blocks)),
        clk=clk(p, federation_key=federation_key),
    )


def query_allowed(p: matching.NameParts) -> bool:
    """May this question leave the house? Surname + date of birth, or a nine-digit BSN (SPEC §6.1)."""
    return len(_bsn9(p.bsn)) == 9 or bool(_surnames(p) and p.date_of_birth)
