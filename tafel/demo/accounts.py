"""The demo logins, shown on the login page in demo mode and by `manage.py demo_logins`.

Plain data without model imports, so the login page can read it cheaply. `manage.py demo` creates exactly
these users (tafel/demo/); its test checks that every one of them exists and can log in.
"""

from __future__ import annotations

# Role labels are marked for the catalogue only: the data stays plain Dutch (the demo_logins command prints it)
# and the login page translates each label as it shows it.
from django.utils.translation import gettext_noop

# One shared password for every demo user. Demo data only: never load the demo into a real house.
DEMO_PASSWORD = "Tafel-demo-2026!"

HOUSE = "Zorg- en Veiligheidshuis Gooi en Vechtstreek"

DEMO_ACCOUNTS: list[dict[str, str]] = [
    {
        "username": "regisseur",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Procesregisseur"),
        "organisation": HOUSE,
    },
    {
        "username": "regisseur2",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Procesregisseur"),
        "organisation": HOUSE,
    },
    {
        "username": "info",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Informatiemedewerker"),
        "organisation": HOUSE,
    },
    {
        "username": "manager",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Ketenmanager"),
        "organisation": HOUSE,
    },
    {
        "username": "beheer",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Functioneel beheerder"),
        "organisation": HOUSE,
    },
    {
        "username": "fg",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Functionaris gegevensbescherming (FG)"),
        "organisation": HOUSE,
    },
    {
        "username": "politie",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Professional en aanmelder"),
        "organisation": "Politie Midden-Nederland, basisteam Gooi en Vechtstreek",
    },
    {
        "username": "vt",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Professional en aanmelder"),
        "organisation": "Veilig Thuis Gooi en Vechtstreek",
    },
    {
        "username": "reclassering",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Professional en aanmelder"),
        "organisation": "Reclassering Nederland, unit Gooi en Vechtstreek",
    },
    {
        "username": "om",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Professional (officier van justitie)"),
        "organisation": "Openbaar Ministerie Midden-Nederland",
    },
    {
        "username": "raad",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Professional"),
        "organisation": "Raad voor de Kinderbescherming, regio Midden-Nederland",
    },
    {
        "username": "ggz",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Professional (behandelaar)"),
        "organisation": "GGZ Gooi en Vecht",
    },
    {
        "username": "casusregisseur",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Casusregisseur"),
        "organisation": "Sociaal Wijkteam Hilversum",
    },
    {
        "username": "gemeente",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Aanmelder (Top-X / PGA-lijst)"),
        "organisation": "Gemeente Hilversum",
    },
    {
        "username": "buiten",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Professional (organisatie zonder convenant)"),
        "organisation": "Maatschappelijke Opvang De Schakel",
    },
    {
        "username": "analist",
        "password": DEMO_PASSWORD,
        "role_label": gettext_noop("Analist / stuurgroep"),
        "organisation": "Regio Gooi en Vechtstreek",
    },
]
