"""Screening at intake ("is this person known?", SPEC §3.2): candidate persons with the dat-informatie of
their open cases. It reads cases, so it lives in the cases app (the persons app sits below cases)."""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field, replace

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Q, Value, When

from tafel.access.policy import may_submit_aanmelding, sees_case_content, sees_restricted_persons
from tafel.cases.access import cases_visible_to, persons_visible_to
from tafel.core import crypto
from tafel.core.audit import audit, audit_many
from tafel.core.errors import AccessDenied, ValidationFailed
from tafel.persons import matching
from tafel.persons.audit_events import PersonEvent
from tafel.persons.models import Person

from .models import FOLLOW_UP_STATUSES, OPEN_STATUSES, CasePerson

# The Person fields a candidate is scored on and shown with (the rest are deferred, as with .only()), in the
# model's field order: Person.from_db takes the values of a partial row in that order.
_CANDIDATE_FIELDS = (
    "id",
    "first_names",
    "prefix",
    "last_name",
    "birth_last_name",
    "date_of_birth",
    "gender",
    "bsn_encrypted",
    "municipality_id",
)
# How many candidates a screening query scores at most; blocking keys keep this small in practice.
MAX_SCORED = 400


@dataclass
class KnownSignal:
    """Dat-informatie: the fact that a person is in an open or followed case, and whom to contact.
    The case reference is only given to users who may see that case (wat-informatie stays inside)."""

    status_label: str
    contact_name: str
    contact_organisation: str
    contact_email: str
    contact_phone: str
    case_id: int | None = None
    case_reference: str = ""
    # In what kind of case the person is known (the theme): dat-informatie, given to every aanmelder.
    case_kind: str = ""


@dataclass
class Candidate:
    person: Person
    score: float
    level: str
    reasons: tuple[str, ...]
    known: list[KnownSignal] = field(default_factory=list)
    # False when the viewer does not see this person's case: the candidate then shows only what was typed
    # (issue 10, finding 3), never the stored first names, birth date, BSN or address.
    disclosed: bool = True


def _normalise_bsn(bsn: str) -> str:
    """The BSN as build_person stores it: digits only, a leading zero restored (lost in spreadsheets)."""
    bsn = bsn.strip().replace(" ", "").replace(".", "")
    return "0" + bsn if len(bsn) == 8 else bsn


def _blocking(query: matching.NameParts) -> tuple[Q, SqlCase]:
    """The candidate filter and a rank that puts the strongest evidence first.

    The rank matters when a blocking key is common (a first name like "Mohamed", a 1 January birth date):
    only MAX_SCORED rows are scored, and the person sharing BSN or surname must not be cut off by hundreds of
    namesakes that merely share a first name."""
    keys = {k for k in matching.query_phonetic_keys(query) if k}
    surname = [Q(phon_last__in=keys), Q(phon_birth_last__in=keys)]
    first = [Q(phon_first__in=keys)]
    # Weights: the BSN beats everything; date of birth and first name together (6 + 3) beat a surname alone (8),
    # so "Ian Smit" born on the right day is not cut off by hundreds of other Smits when the person is "Smits".
    parts: list[tuple[Q, Q, int]] = []  # (rows it adds, its rank condition, weight)
    if query.bsn:
        bsn = Q(bsn_hash=crypto.keyed_hash(query.bsn))
        parts.append((bsn, bsn, 32))
    if keys:
        parts.append((_may_be_shown(surname, query), _any(surname), 8))
    if query.date_of_birth:
        dob = Q(date_of_birth=query.date_of_birth)
        parts.append((dob, dob, 6))
    if keys:
        parts.append((_may_be_shown(first, query), _any(first), 3))
    q = Q(pk__in=[])
    rank = Value(0, output_field=IntegerField())
    for rows, part, weight in parts:
        q |= rows
        rank = rank + SqlCase(When(part, then=Value(weight)), default=Value(0), output_field=IntegerField())
    # Only orders, never adds rows: a typo that breaks the surname's phonetic key leaves the person reachable
    # through the first name alone; among hundreds of "Mohamed"s the ones whose stored surname begins or ends
    # like the typed one are scored first (issue 14: MAX_SCORED cut the true person off).
    core = matching.surname_core(query.prefix, query.last_name)
    if len(core) >= 4:
        near = Q(norm_last__startswith=core[:3]) | Q(norm_last__endswith=core[-3:])
        rank = rank + SqlCase(When(near, then=Value(1)), default=Value(0), output_field=IntegerField())
    return q, rank


def _any(terms: list[Q]) -> Q:
    return functools.reduce(operator.or_, terms)


def _may_be_shown(name_block: list[Q], query: matching.NameParts) -> Q:
    """The rows of a name block (one indexed column per term) that can reach THRESHOLD.

    With a date of birth typed, only those born on that date, on a date one typo away (matching.near_birth_dates,
    ~80 dates) or on an unknown date: any other date costs more points than the names can give
    (matching.birth_date_may_be_shown), and a person with the same BSN is found through the BSN. Leaving the
    others out before MAX_SCORED is cut keeps the scoring to the few that count (at national scale a surname or
    first-name block holds thousands of persons). Written as one OR term per column and date condition, so each
    term is a lookup in a composite index (phon_*, date_of_birth) on SQLite and PostgreSQL alike."""
    if not query.date_of_birth:
        return _any(name_block)
    dates = [query.date_of_birth, *sorted(matching.near_birth_dates(query.date_of_birth))]
    return _any(
        [term & when for term in name_block for when in (Q(date_of_birth__in=dates), Q(date_of_birth__isnull=True))]
    )


# What a screening query was made of, as a code for the audit log and the FG's fishing alert.
def query_shape(query: matching.NameParts) -> str:
    parts = []
    if query.bsn:
        parts.append("bsn")
    if query.last_name.strip() or query.birth_last_name.strip():
        parts.append("achternaam")
    if query.first_names.strip():
        parts.append("voornaam")
    if query.date_of_birth:
        parts.append("geboortedatum")
    return "+".join(parts) or "leeg"


# Shapes that single out a person well enough for an organisation outside the house (issue 10, finding 3).
SCREENING_REFUSED = "Zoek op achternaam én geboortedatum, of op BSN."


def may_search_broadly(viewer) -> bool:
    """The house searches with whatever it has (a name alone at the intake desk); organisations outside the
    house must bring surname and date of birth, or the BSN, so screening cannot be used to fish."""
    return bool(getattr(viewer, "in_house", False))


def query_is_specific(query: matching.NameParts) -> bool:
    return bool(query.bsn) or bool((query.last_name.strip() or query.birth_last_name.strip()) and query.date_of_birth)


def equally_good_namesakes(query: matching.NameParts, candidates: list[Candidate]) -> int:
    """How many candidates share the best score when no date of birth or BSN was typed (0 when one stands out).

    Beyond two persons with the same name only the date of birth can tell them apart: the screening page says
    so instead of letting the user pick one of several equal namesakes (issue 14)."""
    if query.date_of_birth or query.bsn or len(candidates) < 2:
        return 0
    best = candidates[0].score
    ties = sum(1 for c in candidates if c.score == best)
    return ties if ties >= 2 else 0


def _typed_only(person: Person, query: matching.NameParts) -> Person:
    """A stand-in for a candidate the viewer may not see: the id (to link the melding) and what they typed."""
    return Person(
        pk=person.pk,
        first_names=query.first_names.strip(),
        prefix=query.prefix.strip(),
        last_name=query.last_name.strip(),
        birth_last_name=query.birth_last_name.strip(),
        date_of_birth=query.date_of_birth,
    )


TYPED_DATE_TAKEN_REASON = "een andere kandidaat is precies op de getypte geboortedatum geboren"


def _prefer_the_typed_date(scored: list[Candidate]) -> None:
    """When one "hoog" candidate was born on exactly the typed date, a namesake born a typo away from it is no
    longer "hoog" but "mogelijk" (unless the BSN is equal): the typed date is then better explained by the first.

    A date with one digit wrong is graded "hoog" on its own (issue 14 item 5), but at national scale a common
    name has namesakes born a typo away from anyone's date of birth; without this rule they were graded as
    strongly as the person born on the typed date (bench at 1,000,000 cases: "hoog" precision for an initial
    with a date of birth 0.89)."""
    if not any(c.level == "hoog" and matching.DOB_EQUAL_REASON in c.reasons for c in scored):
        return
    for c in scored:
        if c.level == "hoog" and matching.DOB_NEAR_REASON in c.reasons and "BSN gelijk" not in c.reasons:
            c.level = "mogelijk"
            c.reasons = (*c.reasons, TYPED_DATE_TAKEN_REASON)


def person_match(*, viewer, query: matching.NameParts, limit: int = 10, audit_it: bool = True) -> list[Candidate]:
    """Candidates for one person typed at intake, best first, with dat-informatie about open cases.

    Screening is part of submitting an aanmelding: users who may not submit one (analysts, beheerders,
    inactive accounts) get AccessDenied rather than a list of names and birth dates. Every search is
    audited, one event per candidate shown (person_id) and one per case signalled (case_id)."""
    if not may_submit_aanmelding(viewer):
        raise AccessDenied("U mag geen personen opzoeken.")
    query = replace(query, bsn=_normalise_bsn(query.bsn))
    if not (query.last_name.strip() or query.first_names.strip() or query.bsn):
        return []
    shape = query_shape(query)
    if not may_search_broadly(viewer) and not query_is_specific(query):
        # Refused, and still audited: a run of refused name-only queries is itself a fishing pattern.
        if audit_it:
            audit(actor=viewer, event=PersonEvent.PERSON_MATCH, details={"query": shape, "refused": True})
        raise ValidationFailed(
            SCREENING_REFUSED,
            field_errors={"date_of_birth": ["Vul ook de geboortedatum in (of zoek op BSN)."]},
        )
    where, rank = _blocking(query)
    people = Person.objects.all()
    if not sees_restricted_persons(viewer):
        # AVG art. 18, as on the case page: a person under restriction of processing is not offered as a
        # match (no name, no birth date, no dat-informatie) to anyone but the FG and the procesregisseur.
        people = people.filter(processing_restricted=False)
    # Plain tuples: a Person is built only for the few candidates that are shown, not for every row scored.
    rows = people.filter(where).annotate(blocking_rank=rank).order_by("-blocking_rank", "pk")
    rows = rows.values_list(*_CANDIDATE_FIELDS)[:MAX_SCORED]
    scored: list[Candidate] = []
    for values in rows:
        _pk, first_names, prefix, last_name, birth_last_name, date_of_birth, _gender, bsn_encrypted, _ = values
        cand = matching.NameParts(
            first_names=first_names,
            prefix=prefix,
            last_name=last_name,
            birth_last_name=birth_last_name,
            date_of_birth=date_of_birth,
            bsn=crypto.decrypt(bsn_encrypted) if query.bsn else "",
        )
        m = matching.score_if_shown(query, cand)
        if m is not None:
            person = Person.from_db(people.db, _CANDIDATE_FIELDS, values)
            scored.append(Candidate(person=person, score=round(m.score, 1), level=m.level, reasons=m.reasons))
    _prefer_the_typed_date(scored)
    scored.sort(key=lambda c: (-c.score, c.person.pk))
    scored = scored[:limit]
    if audit_it:
        # One row per query (its shape and how many it found, codes only) for the FG's fishing alert; below,
        # one row per candidate shown.
        audit(actor=viewer, event=PersonEvent.PERSON_MATCH, details={"query": shape, "candidates": len(scored)})
    if not scored:
        return scored

    # Screening discloses what was typed plus dat-informatie; the stored attributes only to those who already
    # see the person (issue 10, finding 3).
    seen = set(persons_visible_to(viewer).filter(pk__in=[c.person.pk for c in scored]).values_list("pk", flat=True))
    for c in scored:
        if c.person.pk not in seen:
            c.person = _typed_only(c.person, query)
            c.disclosed = False
            c.reasons = ()

    # Dat-informatie in one query for all candidates.
    by_person = {c.person.pk: c for c in scored}
    links = (
        CasePerson.objects.filter(person_id__in=by_person, case__status__in=[*OPEN_STATUSES, *FOLLOW_UP_STATUSES])
        .select_related("case__procesregisseur__organisation")
        .order_by("case_id")
    )
    visible_ids = set()
    if sees_case_content(viewer):
        visible_ids = set(
            cases_visible_to(viewer).filter(pk__in=[link.case_id for link in links]).values_list("pk", flat=True)
        )
    for link in links:
        case = link.case
        regisseur = case.procesregisseur
        signal = KnownSignal(
            status_label=case.get_status_display(),
            contact_name=str(regisseur) if regisseur else "het Zorg- en Veiligheidshuis",
            contact_organisation=str(regisseur.organisation) if regisseur and regisseur.organisation else "",
            contact_email=regisseur.email if regisseur else "",
            contact_phone=regisseur.phone if regisseur else "",
            case_kind=case.get_theme_display(),
        )
        if case.pk in visible_ids:
            signal.case_id = case.pk
            signal.case_reference = case.reference
        by_person[link.person_id].known.append(signal)
    if audit_it:
        audit_many(actor=viewer, event=PersonEvent.PERSON_MATCH, person_ids=[c.person.pk for c in scored])
        signalled = sorted({link.case_id for link in links})
        if signalled:
            audit_many(actor=viewer, event=PersonEvent.PERSON_KNOWN_SIGNAL, case_ids=signalled)
    return scored
