"""Persons by role only (003:L935-937: "De betrokkenen worden niet bij naam genoemd, maar in hun rol van vader,
moeder, kind 1"). Two things live here: the role label of every person in a case, and the check that refuses a
text naming a person of the case (first name, last name or BSN; whole word, in any case as long as it is written
with a capital — a surname such as "Groot" or "Bakker" in lower case is an ordinary word)."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from tafel.cases.models import CasePerson, PersonRole
from tafel.core.errors import ValidationFailed
from tafel.persons.models import Gender

# Role words used as labels; a parent's label follows their sex where it is known.
ROLE_WORDS = {
    PersonRole.PLEGER: "pleger",
    PersonRole.VERDACHTE: "verdachte",
    PersonRole.SLACHTOFFER: "slachtoffer",
    PersonRole.KIND: "kind",
    PersonRole.OUDER: "ouder",
    PersonRole.BETROKKENE: "betrokkene",
    PersonRole.GETUIGE: "getuige",
}
PARENT_WORDS = {Gender.MAN: "vader", Gender.VROUW: "moeder"}
# Children are always numbered ("kind 1" is the oldest), as in the source; other roles only when there are more.
ALWAYS_NUMBERED = frozenset({"kind"})
# Names this short would refuse ordinary words ("Al", "Bo" in a sentence); they are not checked.
MIN_NAME_LENGTH = 2
FAR_FUTURE = datetime.date(9999, 12, 31)


@dataclass(frozen=True)
class RoleLabel:
    person_id: int
    label: str
    # The words that identify this person in free text: name parts and the BSN.
    names: tuple[str, ...]
    bsn: str


def _word(cp: CasePerson) -> str:
    if cp.role == PersonRole.OUDER:
        return PARENT_WORDS.get(cp.person.gender, "ouder")
    return ROLE_WORDS.get(cp.role, cp.role)


def _names(person) -> tuple[str, ...]:
    parts = set(re.split(r"[\s]+", person.first_names or ""))
    for last in (person.last_name, person.birth_last_name):
        if last:
            parts.add(last)
            if person.prefix:
                parts.add(f"{person.prefix} {last}")
    return tuple(
        sorted((p.strip(" .,") for p in parts if len(p.strip(" .,")) >= MIN_NAME_LENGTH), key=len, reverse=True)
    )


def role_labels(case_persons) -> list[RoleLabel]:
    """Labels for the persons of one case, in a stable order: parents and others by role, children by birth
    date (oldest first: "kind 1", "kind 2"). `case_persons` are CasePerson rows with their person loaded."""
    groups: dict[str, list[CasePerson]] = defaultdict(list)
    for cp in case_persons:
        groups[_word(cp)].append(cp)
    out: list[RoleLabel] = []
    for word, members in groups.items():
        members.sort(key=lambda cp: (cp.person.date_of_birth or FAR_FUTURE, cp.person_id))
        numbered = word in ALWAYS_NUMBERED or len(members) > 1
        for n, cp in enumerate(members, start=1):
            out.append(
                RoleLabel(
                    person_id=cp.person_id,
                    label=f"{word} {n}" if numbered else word,
                    names=_names(cp.person),
                    bsn=cp.person.bsn if cp.person.bsn_encrypted else "",
                )
            )
    order = {w: i for i, w in enumerate(["vader", "moeder", "ouder", "kind"])}
    out.sort(key=lambda r: (order.get(r.label.split(" ")[0], 9), r.label))
    return out


def case_role_labels(case) -> list[RoleLabel]:
    return role_labels(CasePerson.objects.filter(case=case).select_related("person"))


def _pattern(name: str) -> re.Pattern:
    words = r"\s+".join(re.escape(w) for w in name.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def _as_name(match: re.Match) -> bool:
    """A name is written with a capital ("Groot", "de Groot", "JAN"); the same letters in lower case are an
    ordinary word ("een groot risico", "moeder wil niet") and are left alone."""
    return any(c.isupper() for c in match.group())


def _names_in(name: str, text: str) -> bool:
    return any(_as_name(m) for m in _pattern(name).finditer(text))


def _digits_joined(text: str) -> str:
    # "123 456 789" and "123.456.789" are the same BSN as "123456789".
    return re.sub(r"(?<=\d)[ .\-](?=\d)", "", text)


def named_person(text: str, labels: list[RoleLabel]) -> RoleLabel | None:
    """The first person of the case that `text` names, or None."""
    if not text:
        return None
    digits = None
    for label in labels:
        if any(_names_in(name, text) for name in label.names):
            return label
        if label.bsn:
            digits = digits if digits is not None else _digits_joined(text)
            if re.search(rf"(?<!\d){re.escape(label.bsn)}(?!\d)", digits):
                return label
    return None


def name_error(label: RoleLabel) -> str:
    return f"Noem personen bij hun rol: gebruik ‘{label.label}’ in plaats van de naam."


def check_texts(fields: dict[str, str], labels: list[RoleLabel]) -> None:
    """Refuse the save when any of the texts names a person of the case; the message sits at the field."""
    errors = {}
    for field, text in fields.items():
        found = named_person(text, labels)
        if found is not None:
            errors[field] = [name_error(found)]
    if errors:
        raise ValidationFailed("Er staan namen van personen in de tekst; noem hen bij hun rol.", field_errors=errors)


def pseudonymise(text: str, labels: list[RoleLabel]) -> str:
    """Replace the names (and BSN) of the case's persons by their role label: for descriptions taken over from
    the timeline, which were written before the evaluation and may name people."""
    for label in labels:
        for name in label.names:
            text = _pattern(name).sub(lambda m, lab=label.label: lab if _as_name(m) else m.group(), text)
        if label.bsn:
            text = re.sub(rf"(?<!\d){re.escape(label.bsn)}(?!\d)", label.label, text)
    return text
