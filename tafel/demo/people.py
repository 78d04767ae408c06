"""Persons of the demo: families and single persons with plausible names, ages, addresses and BSNs."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from tafel.cases.models import PersonRole, Theme
from tafel.persons.models import Gender, Person
from tafel.persons.services import PersonData, build_person

from . import data as d
from . import names
from .plan import Plan, at
from .reference import KNOWN_BSN, Context

# Names of the well-known persons; nobody else gets them, so a search by name finds exactly them.
RESERVED_NAMES = {("Pieter", "Jansen"), ("Piet", "Vries"), ("Johan", "Verbeek")}


def valid_bsn(rng: random.Random, used: set[str]) -> str:
    """A random BSN that passes the 11-proef and was not handed out before."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(x * w for x, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
        check = total % 11
        if check > 9:
            continue
        bsn = "".join(map(str, digits)) + str(check)
        if bsn not in used:
            used.add(bsn)
            return bsn


@dataclass(slots=True)
class Family:
    migrant: bool
    prefix: str
    last: str
    address: str


def _surname(ctx: Context) -> tuple[bool, str, str]:
    # A realistic namesake rate (issue 14): see names.py for the distribution and the figures it follows.
    return names.surname(ctx.rng)


def _first_name(ctx: Context, male: bool, born: int, migrant: bool) -> str:
    rng = ctx.rng
    if migrant and rng.random() < 0.8:
        return rng.choice(d.MIGRANT_MALE if male else d.MIGRANT_FEMALE)
    # The short lists of older first names went to 70% of older persons; a third is closer to real spread.
    if born < 1988 and rng.random() < 0.35:
        return rng.choice(d.OLDER_MALE if male else d.OLDER_FEMALE)
    return ctx.fake.first_name_male() if male else ctx.fake.first_name_female()


def _address(ctx: Context, muni: int) -> str:
    rng = ctx.rng
    if rng.random() < 0.03:
        return "Zonder vaste woon- of verblijfplaats"
    place, lo, hi = rng.choice(d.MUNICIPALITIES[muni][3])
    letters = rng.choice("ABCDEGHJKLMNPRSTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
    return f"{rng.choice(d.STREETS)} {rng.randint(1, 240)}, {rng.randint(lo, hi)} {letters} {place}"


def _new_person(ctx: Context, data: PersonData, *, org_id: int, created: int) -> Person:
    person = build_person(data, organisation_id=org_id)
    person.pk = ctx.writer.next_id(Person)
    person.created_at = at(created)
    person.demo_minute = created
    return person


def _person(
    ctx: Context,
    fam: Family,
    *,
    male: bool,
    age: int,
    created: int,
    muni: int,
    org_id: int,
    own_surname: bool = False,
    address: str | None = None,
) -> Person:
    rng = ctx.rng
    born = at(created).date() - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
    prefix, last, birth_last = fam.prefix, fam.last, ""
    if own_surname:
        # A partner with her or his own surname; sometimes registered under the partner's (geboortenaam kept).
        _, p2, l2 = _surname(ctx)
        if not male and rng.random() < 0.15:
            birth_last = f"{p2} {l2}".strip()
        else:
            prefix, last = p2, l2
    first = _first_name(ctx, male, born.year, fam.migrant)
    while (first, last) in RESERVED_NAMES:
        first = _first_name(ctx, male, born.year, fam.migrant)
    bsn = "" if ctx.fast_bsn or rng.random() >= 0.1 else valid_bsn(rng, ctx.used_bsn)
    data = PersonData(
        first_names=first,
        prefix=prefix,
        last_name=last,
        birth_last_name=birth_last,
        date_of_birth=born,
        gender=Gender.MAN if male else Gender.VROUW,
        bsn=bsn,
        address=fam.address if address is None else address,
        municipality_id=ctx.munis[muni].pk,
    )
    return _new_person(ctx, data, org_id=org_id, created=created)


def household(ctx: Context, plan: Plan, org_id: int) -> tuple[list[tuple[Person, str]], bool]:
    """1-6 persons with their role: a family system for domestic violence and youth, one person for a
    veelpleger (SPEC §8: parents 21-53, children 0-18). Sometimes the persons of an earlier, closed case come
    back (re-entry); the flag says so."""
    rng, theme, muni, t = ctx.rng, plan.theme, plan.muni, plan.created
    pool = ctx.reuse.get(theme)
    if pool and rng.random() < (0.05 if theme in (Theme.HUISELIJK_GEWELD, Theme.JEUGD) else 0.08):
        for _ in range(3):
            closed_at, members = pool[rng.randrange(len(pool))]
            if closed_at < t:
                return list(members), True
    migrant, prefix, last = _surname(ctx)
    fam = Family(migrant, prefix, last, _address(ctx, muni))
    out: list[tuple[Person, str]] = []

    def add(role: str, **kw) -> None:
        out.append((_person(ctx, fam, created=t, muni=muni, org_id=org_id, **kw), role))

    if theme == Theme.HUISELIJK_GEWELD:
        father_age = rng.randint(23, 53)
        mother_age = max(21, min(50, father_age - rng.randint(-3, 6)))
        # Not every family is split into dader and slachtoffer (002:L2005): both parents are often "ouder".
        split = rng.random() < 0.55
        add(PersonRole.PLEGER if split else PersonRole.OUDER, male=True, age=father_age)
        if rng.random() < 0.85:
            add(PersonRole.SLACHTOFFER if split else PersonRole.OUDER, male=False, age=mother_age, own_surname=True)
        for _ in range(rng.choice((0, 1, 1, 2, 2, 2, 3, 4))):
            add(PersonRole.KIND, male=rng.random() < 0.5, age=rng.randint(0, min(18, min(father_age, mother_age) - 19)))
    elif theme == Theme.JEUGD:
        youth_age = rng.randint(12, 17)
        add(rng.choice((PersonRole.VERDACHTE, PersonRole.BETROKKENE)), male=rng.random() < 0.8, age=youth_age)
        mother_age = rng.randint(max(21, youth_age + 19), 53)
        add(PersonRole.OUDER, male=False, age=mother_age, own_surname=rng.random() < 0.5)
        if rng.random() < 0.6:
            add(PersonRole.OUDER, male=True, age=min(53, mother_age + rng.randint(0, 5)))
        if rng.random() < 0.4:
            add(PersonRole.KIND, male=rng.random() < 0.5, age=rng.randint(0, min(18, mother_age - 19)))
    elif theme == Theme.VEELPLEGER:
        add(PersonRole.PLEGER, male=rng.random() < 0.88, age=rng.randint(18, 55))
    elif theme == Theme.NAZORG:
        role = PersonRole.PLEGER if rng.random() < 0.7 else PersonRole.BETROKKENE
        add(role, male=rng.random() < 0.85, age=rng.randint(19, 60))
        if rng.random() < 0.2:
            add(PersonRole.BETROKKENE, male=False, age=rng.randint(21, 55), own_surname=True)
    elif theme == Theme.OVERLAST:
        add(rng.choice((PersonRole.BETROKKENE, PersonRole.PLEGER)), male=rng.random() < 0.7, age=rng.randint(20, 70))
        if rng.random() < 0.2:
            add(PersonRole.BETROKKENE, male=rng.random() < 0.5, age=rng.randint(20, 70), own_surname=True)
        if rng.random() < 0.3:
            neighbour = _address(ctx, muni)
            add(
                PersonRole.GETUIGE,
                male=rng.random() < 0.5,
                age=rng.randint(25, 80),
                own_surname=True,
                address=neighbour,
            )
    elif theme == Theme.ZORGMIJDING:
        add(PersonRole.BETROKKENE, male=rng.random() < 0.6, age=rng.randint(25, 80))
        if rng.random() < 0.25:
            relative = _address(ctx, muni)
            add(
                PersonRole.BETROKKENE,
                male=rng.random() < 0.5,
                age=rng.randint(21, 60),
                own_surname=True,
                address=relative,
            )
    else:
        for _ in range(rng.randint(1, 3)):
            add(PersonRole.BETROKKENE, male=rng.random() < 0.6, age=rng.randint(18, 70), own_surname=bool(out))
    return out[:6], False


def known_household(ctx: Context, key: str, org_id: int, created: int) -> list[tuple[Person, str]]:
    def person(first, prefix, last, born, male, muni, address, bsn=""):
        data = PersonData(
            first_names=first,
            prefix=prefix,
            last_name=last,
            date_of_birth=born,
            gender=Gender.MAN if male else Gender.VROUW,
            bsn=bsn,
            address=address,
            municipality_id=ctx.munis[muni].pk,
        )
        return _new_person(ctx, data, org_id=org_id, created=created)

    if key == "jansen_old":
        home = "Gijsbrecht van Amstelstraat 112, 1214 BE Hilversum"
        hilversum = d.HILVERSUM
        ctx.known_persons = [
            (
                person("Pieter", "", "Jansen", datetime.date(1980, 3, 14), True, hilversum, home, KNOWN_BSN["jansen"]),
                PersonRole.PLEGER,
            ),
            (
                person("Marloes", "de", "Groot", datetime.date(1983, 9, 2), False, hilversum, home),
                PersonRole.SLACHTOFFER,
            ),
            (person("Daan", "", "Jansen", datetime.date(2013, 5, 20), True, hilversum, home), PersonRole.KIND),
            (person("Sophie", "", "Jansen", datetime.date(2017, 1, 8), False, hilversum, home), PersonRole.KIND),
        ]
        return list(ctx.known_persons)
    if key == "jansen":
        return list(ctx.known_persons)
    if key == "devries":
        huizen = [m[0] for m in d.MUNICIPALITIES].index("Huizen")
        address = "Havenstraat 41, 1271 AD Huizen"
        piet = person("Piet", "de", "Vries", datetime.date(1975, 6, 2), True, huizen, address, KNOWN_BSN["devries"])
        return [(piet, PersonRole.PLEGER)]
    johan = person("Johan", "", "Verbeek", datetime.date(1969, 11, 30), True, d.LAREN, "Eemnesserweg 7, 1251 NA Laren")
    return [(johan, PersonRole.BETROKKENE)]


def age(person: Person, minute: int) -> int:
    day, born = at(minute).date(), person.date_of_birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
