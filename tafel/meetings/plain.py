"""The family's plan in plain Dutch, written from the structured plan (issue 12, item 6; SPEC §4.5: "who does
what", "a fixed contact person", "letters must not be impersonal").

The old page glued "<owner> gaat" in front of whatever was typed as the plain text, which made "Thomas gaat
Papa gaat praten met een hulpverlener". Here one function writes one sentence per action from its parts:

- who: a family member ("Papa"), the owner (and the second owner) with their organisation, or only an
  organisation; the verb agrees with the subject ("gaat" / "gaan");
- what: the plain text (or the professional's text) as a verb phrase ("met de school praten"); when it is
  already a whole sentence ("Papa gaat praten met een hulpverlener"), it is kept and the professional who
  does it is named after it ("Thomas de Vries (Politie) helpt daarbij.");
- when: "uiterlijk 17 okt. 2026".

The procesregisseur reads (and may correct) the result before the family gets it, so the few sentences a rule
cannot write well are caught by a person (see `family_plan_review`).

The letter is written in Dutch on every page: the family reads Dutch, and the plain texts are typed in Dutch.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tafel.core.dates import format_date

# Finite verb forms that make a typed text a whole sentence with its own subject ("Papa gaat …", "De school
# belt u"). Singular forms never start an infinitive phrase, so they count anywhere in the first words.
_FINITE_SINGULAR = frozenset(
    """gaat zal komt wordt is heeft doet belt maakt praat krijgt neemt blijft kan moet helpt zorgt zoekt houdt
    brengt regelt vraagt spreekt kijkt wil mag start stopt woont bezoekt begeleidt ondersteunt""".split()
)
# Plural forms look like infinitives ("gaan", "komen"), so they make a sentence only after a plural subject.
_FINITE_PLURAL = frozenset("gaan zullen komen worden hebben doen moeten kunnen willen mogen blijven".split())
_PLURAL_SUBJECTS = frozenset("wij we jullie zij ze ouders kinderen".split())
# Words that start a verb phrase in lower case; a name ("Lisa naar school brengen") keeps its capital.
_LOWER_STARTS = frozenset(
    """met bij een de het samen naar op in elke iedere wekelijks elke u uw zijn haar hun voor om aan over
    contact hulp zorgen kijken praten bellen nagaan regelen zoeken afspreken""".split()
)
# A leading auxiliary typed out of habit ("gaat met de school praten") is dropped: the sentence adds its own.
_LEADING_AUXILIARIES = frozenset({"gaat", "gaan", "zal", "zullen"})


@dataclass(frozen=True)
class Doer:
    """Someone who does an action, as the family reads it: "Thomas de Vries (Politie)", "Veilig Thuis", "Papa"."""

    name: str
    plural: bool = False


def is_plural_subject(name: str) -> bool:
    words = name.lower().split()
    return "en" in words or (bool(words) and words[-1] in _PLURAL_SUBJECTS)


def join_names(names: list[str]) -> str:
    """ "A", "A en B", "A, B en C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def _subject(doers: list[Doer]) -> tuple[str, bool]:
    plural = len(doers) > 1 or any(d.plural for d in doers)
    return join_names([d.name for d in doers]), plural


def _clean(text: str) -> str:
    text = " ".join((text or "").split()).rstrip(" .;")
    return text


def _words(text: str) -> list[str]:
    return [w.strip(",;:").lower() for w in text.split()]


def is_whole_sentence(text: str) -> bool:
    """Whether a typed text already has its own subject and verb ("Papa gaat praten met een hulpverlener"),
    as opposed to a verb phrase ("met de school praten")."""
    words = _words(text)
    if not words or words[0] in _LEADING_AUXILIARIES:
        return False
    for i, word in enumerate(words[1:5], start=1):
        if word in _FINITE_SINGULAR:
            return True
        if word in _FINITE_PLURAL and ("en" in words[:i] or words[i - 1] in _PLURAL_SUBJECTS):
            return True
    return False


def verb_phrase(text: str, *, title: bool = False) -> str:
    """A typed "what" as the part after "gaat": without a leading auxiliary, first word in lower case unless it
    looks like a name. A professional's task `title` ("Schoolgesprek plannen") always loses its capital."""
    text = _clean(text)
    words = text.split()
    while words and words[0].lower() in _LEADING_AUXILIARIES:
        words = words[1:]
    if words and (title or words[0].lower() in _LOWER_STARTS):
        words[0] = words[0].lower()
    return " ".join(words)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def action_sentence(
    *,
    doers: list[Doer],
    text: str,
    deadline: datetime.date | None = None,
    helpers: list[Doer] | None = None,
    title: bool = False,
) -> str:
    """One plain, correct Dutch sentence (or two) for one action.

    `doers` do it (their verb agrees with them); `helpers` are professionals named after a family member who
    does it ("Papa gaat … Thomas de Vries (Politie) helpt daarbij.")."""
    helpers = helpers or []
    text = _clean(text)
    when = f"uiterlijk {format_date(deadline, language='nl')}" if deadline else ""
    if is_whole_sentence(text):
        parts = [_capital(text) + "."]
        # The text names its own subject; whoever carries the action is named after it, unless already named.
        words = set(_words(text))
        named = [d for d in [*doers, *helpers] if d.name.split()[0].lower() not in words]
        if named:
            subject, plural = _subject(named)
            parts.append(f"{subject} {'helpen' if plural else 'helpt'} daarbij.")
        if when:
            parts.append(f"Dat gebeurt {when}.")
        return " ".join(parts)
    phrase = verb_phrase(text, title=title)
    middle = f"{when} {phrase}" if when else phrase
    if not doers:
        # Nobody is named yet: say so rather than invent "iemand".
        return f"Wie gaat {middle}? Dat spreken we nog met elkaar af."
    subject, plural = _subject(doers)
    sentence = f"{_capital(subject)} {'gaan' if plural else 'gaat'} {middle}."
    if helpers:
        helper_subject, helper_plural = _subject(helpers)
        sentence += f" {helper_subject} {'helpen' if helper_plural else 'helpt'} daarbij."
    return sentence


def person_name(user) -> str:
    """A professional as the family reads them: full name and organisation, "Thomas de Vries (Politie)"."""
    name = (user.get_full_name() or user.get_username()).strip()
    organisation = getattr(user, "organisation", None)
    return f"{name} ({organisation})" if organisation else name


def action_doers(action) -> tuple[list[Doer], list[Doer]]:
    """(doers, helpers) of a plan action: a family member does it with the professionals' help; otherwise the
    owner (and second owner) do it; otherwise the organisation; otherwise nobody yet."""
    professionals = [Doer(person_name(u)) for u in (action.owner, action.co_owner) if u is not None]
    if not professionals and action.organisation_id:
        professionals = [Doer(str(action.organisation))]
    member = _clean(getattr(action, "family_member", ""))
    if member:
        return [Doer(member, plural=is_plural_subject(member))], professionals
    return professionals, []


def plan_action_sentence(action) -> str:
    doers, helpers = action_doers(action)
    plain = _clean(action.plain_text)
    return action_sentence(
        doers=doers, helpers=helpers, text=plain or action.what, deadline=action.deadline, title=not plain
    )


def contact_sentence(user, *, house_name: str) -> str:
    """The fixed contact person (SPEC §4.5), or the house when nobody is appointed yet."""
    if user is None:
        return f"Uw vaste contactpersoon hoort u nog van {house_name}."
    name = (user.get_full_name() or user.get_username()).strip()
    details = ", ".join(str(x) for x in (getattr(user, "job_title", ""), getattr(user, "organisation", None)) if x)
    return f"Uw vaste contactpersoon is {name}" + (f" ({details})." if details else ".")
