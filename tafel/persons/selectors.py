"""Reads of persons: screening ("is this person known?", SPEC §3.2)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from tafel.core import crypto
from tafel.core.audit import audit
from tafel.core.models import AuditEventType
from tafel.core.policy import cases_visible_to, sees_case_content
from tafel.persons import matching
from tafel.persons.models import Person

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


@dataclass
class Candidate:
    person: Person
    score: float
    level: str
    reasons: tuple[str, ...]
    known: list[KnownSignal] = field(default_factory=list)


def _blocking_filter(query: matching.NameParts) -> Q:
    keys = {k for k in matching.query_phonetic_keys(query) if k}
    q = Q(pk__in=[])
    if keys:
        q |= Q(phon_last__in=keys) | Q(phon_birth_last__in=keys) | Q(phon_first__in=keys)
    if query.date_of_birth:
        q |= Q(date_of_birth=query.date_of_birth)
    if query.bsn:
        q |= Q(bsn_hash=crypto.keyed_hash(query.bsn))
    return q


def person_match(*, viewer, query: matching.NameParts, limit: int = 10, audit_it: bool = True) -> list[Candidate]:
    """Candidates for one person typed at intake, best first, with dat-informatie about open cases."""
    from tafel.cases.models import FOLLOW_UP_STATUSES, OPEN_STATUSES, CasePerson

    if not (query.last_name.strip() or query.first_names.strip() or query.bsn):
        return []
    rows = list(
        Person.objects.filter(_blocking_filter(query)).only(
            "id",
            "first_names",
            "prefix",
            "last_name",
            "birth_last_name",
            "date_of_birth",
            "bsn_encrypted",
            "gender",
            "municipality_id",
        )[:MAX_SCORED]
    )
    scored: list[Candidate] = []
    for person in rows:
        cand = matching.NameParts(
            first_names=person.first_names,
            prefix=person.prefix,
            last_name=person.last_name,
            birth_last_name=person.birth_last_name,
            date_of_birth=person.date_of_birth,
            bsn=person.bsn if query.bsn else "",
        )
        m = matching.score(query, cand)
        if m.score >= matching.THRESHOLD:
            scored.append(Candidate(person=person, score=round(m.score, 1), level=m.level, reasons=m.reasons))
    scored.sort(key=lambda c: (-c.score, c.person.pk))
    scored = scored[:limit]
    if not scored:
        return scored

    # Dat-informatie in one query for all candidates.
    by_person = {c.person.pk: c for c in scored}
    links = (
        CasePerson.objects.filter(
            person_id__in=by_person, case__status__in=[*OPEN_STATUSES, *FOLLOW_UP_STATUSES]
        )
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
        )
        if case.pk in visible_ids:
            signal.case_id = case.pk
            signal.case_reference = case.reference
        by_person[link.person_id].known.append(signal)
    if audit_it:
        audit(
            actor=viewer,
            event=AuditEventType.PERSON_MATCH,
            details={"candidates": [c.person.pk for c in scored]},
        )
    return scored
