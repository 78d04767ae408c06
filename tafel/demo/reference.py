"""Reference data of the demo through the ORM (a few rows): organisations, municipalities, users; and the
Context that the rest of the build shares."""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from faker import Faker

from tafel.demo.accounts import DEMO_PASSWORD
from tafel.organisations.models import Municipality, Organisation, Role, User, UserRole
from tafel.persons.models import Person

from . import data as d
from .plan import AMS
from .rows import RowWriter

# Known BSNs of the well-known persons; generated ones never collide with them.
KNOWN_BSN = {"jansen": "123456782", "devries": "111222333"}


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


@dataclass
class Context:
    rng: random.Random
    fake: Faker
    writer: RowWriter
    orgs: dict[str, Organisation]
    munis: list[Municipality]
    logins: dict[str, User]  # the demo logins by username
    staff: dict[str, list[User]]  # org key -> users who work on cases
    regisseurs: list[User]
    house_staff: list[User]
    casusregisseurs: dict[str, list[User]]
    fast_bsn: bool
    used_bsn: set[str] = field(default_factory=lambda: set(KNOWN_BSN.values()))
    # The demo login of an organisation that submits cases, so "politie" and "vt" have their own aanmeldingen.
    login_by_org: dict[str, User] = field(default_factory=dict)
    org_key_by_id: dict[int, str] = field(default_factory=dict)
    # Persons of closed cases per theme, as (closed at, [(person, role)]): they may come back in a new case.
    reuse: dict[str, list[tuple[int, list]]] = field(default_factory=dict)
    known_persons: list[tuple[Person, str]] = field(default_factory=list)
    queued_persons: set[int] = field(default_factory=set)


def create_reference_data(rng: random.Random, fake: Faker, caps: list[int], *, fast_bsn: bool) -> Context:
    """Organisations, municipalities (with their maximum caseload) and users, through the ORM (a few rows)."""
    joined = datetime.datetime(2022, 1, 10, 9, 0, tzinfo=AMS)
    orgs = {
        key: Organisation(
            name=name,
            type=type_,
            convenant_signed=convenant,
            convenant_signed_on=datetime.date(2021, 6, 1) if convenant else None,
            email=f"info@{domain}",
        )
        for key, (name, type_, convenant, domain) in d.ORGANISATIONS.items()
    }
    Organisation.objects.bulk_create(orgs.values())
    munis = [
        Municipality(name=name, code=code, is_centrumgemeente=(i == d.HILVERSUM), max_caseload=caps[i])
        for i, (name, code, _, _) in enumerate(d.MUNICIPALITIES)
    ]
    Municipality.objects.bulk_create(munis)

    # One hash for every demo user: Argon2 takes ~0.1 s per hash, and the demo password is published anyway.
    password = make_password(DEMO_PASSWORD)
    users: list[tuple[User, tuple, str]] = []
    taken: set[str] = set()

    def user(key: str, username: str, first: str, last: str, title: str, roles: tuple) -> None:
        u = User(
            username=username,
            first_name=first,
            last_name=last,
            job_title=title,
            email=f"{username}@{d.ORGANISATIONS[key][3]}",
            organisation=orgs[key],
            is_staff=Role.BEHEERDER in roles,
            password=password,
            date_joined=joined,
            phone=f"035-{rng.randint(5000000, 6999999)}",
        )
        users.append((u, roles, key))
        taken.add(username)

    for username, (roles, first, last, title) in d.LOGIN_USERS.items():
        user(d.LOGIN_ORG_KEY[username], username, first, last, title, roles)
    for key, groups in d.STAFF.items():
        for roles, count, title in groups:
            for _ in range(count):
                first = fake.first_name_female() if rng.random() < 0.6 else fake.first_name_male()
                prefix, last = rng.choice(d.COMMON_SURNAMES)[:2]
                base = f"{_ascii(first[0])}.{_ascii(last).replace(' ', '')}"
                username, n = base, 1
                while username in taken:
                    n += 1
                    username = f"{base}{n}"
                user(key, username, first, f"{prefix} {last}".strip(), title, roles)
    User.objects.bulk_create([u for u, _, _ in users])
    UserRole.objects.bulk_create([UserRole(user=u, role=r) for u, roles, _ in users for r in roles])

    staff: dict[str, list[User]] = {k: [] for k in d.ORGANISATIONS}
    casusregisseurs: dict[str, list[User]] = {}
    regisseurs, house_staff = [], []
    for u, roles, key in users:
        if Role.PROCESREGISSEUR in roles:
            regisseurs.append(u)
        if key == "zvh" and (Role.PROCESREGISSEUR in roles or Role.INFORMATIEMEDEWERKER in roles):
            house_staff.append(u)
        if Role.CASUSREGISSEUR in roles:
            casusregisseurs.setdefault(key, []).append(u)
        if key != "zvh" and {Role.PROFESSIONAL, Role.AANMELDER, Role.CASUSREGISSEUR} & set(roles):
            staff[key].append(u)
    staff["zvh"] = house_staff
    ctx = Context(
        rng=rng,
        fake=fake,
        writer=RowWriter(),
        orgs=orgs,
        munis=munis,
        logins={u.username: u for u, _, _ in users if u.username in d.LOGIN_USERS},
        staff=staff,
        regisseurs=regisseurs,
        house_staff=house_staff,
        casusregisseurs=casusregisseurs,
        fast_bsn=fast_bsn,
    )
    for username, u in ctx.logins.items():
        key = d.LOGIN_ORG_KEY[username]
        if u in staff[key] and key not in ctx.login_by_org:
            ctx.login_by_org[key] = u
    ctx.org_key_by_id = {org.pk: key for key, org in orgs.items()}
    return ctx
