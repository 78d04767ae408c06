"""The inzage export as a citizen reads it (AVG art. 15; issue 12, item 8): Dutch headings with a short
explanation per section, Dutch labels instead of field names, "17 okt. 2026" instead of ISO timestamps, case
kenmerken instead of database ids. Built from the same `person_export` data as the JSON for the FG, so both
always hold the same facts."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from tafel.cases.models import Case, InfoCategory
from tafel.core.dates import nl_date, nl_datetime

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

GENDERS = {"m": "man", "v": "vrouw", "x": "anders of onbekend"}

# section → (heading, explanation, {field: label}); fields without a label are left out of the citizen's copy.
SECTIONS: dict[str, tuple[str, str, dict[str, str]]] = {
    "person": (
        "Uw gegevens",
        "Deze gegevens over u staan in Tafel. Klopt er iets niet? Dan kunt u vragen het te verbeteren.",
        {
            "first_names": "Voornamen",
            "prefix": "Tussenvoegsel",
            "last_name": "Achternaam",
            "birth_last_name": "Geboortenaam",
            "date_of_birth": "Geboortedatum",
            "gender": "Geslacht",
            "address": "Adres",
            "bsn": "Burgerservicenummer (deels afgeschermd)",
            "municipality": "Gemeente",
            "processing_restricted": "Gebruik van uw gegevens beperkt",
            "source": "Vastgelegd door",
            "id": "Uw nummer in Tafel",
        },
    ),
    "cases": (
        "Casussen waarin u voorkomt",
        "Een casus is de samenwerking van organisaties rond een gezin of persoon. Het kenmerk noemt u als u "
        "vragen heeft over een casus.",
        {
            "reference": "Kenmerk",
            "role": "Uw rol",
            "theme": "Onderwerp",
            "status": "Stand van zaken",
            "municipality": "Gemeente",
            "created_at": "Begonnen op",
            "closed_at": "Afgesloten op",
        },
    ),
    "aanmeldingen": (
        "Meldingen",
        "Een organisatie heeft zich zorgen gemaakt en de situatie gemeld. Hier staat wat zij meldde.",
        {
            "case": "Casus",
            "source": "Gemeld door",
            "created_at": "Gemeld op",
            "category": "Soort informatie",
            "reason": "Reden van de melding",
            "summary": "Samenvatting",
            "household": "Huishouden",
            "antecedents": "Wat er eerder gebeurde",
            "help_tried": "Hulp die al is geprobeerd",
            "client_knows": "Wist u van de melding?",
            "client_knows_reason": "Toelichting",
        },
    ),
    "notes": (
        "Aantekeningen",
        "Aantekeningen die professionals bij een casus maakten.",
        {
            "case_id": "Casus",
            "source": "Geschreven door",
            "created_at": "Op",
            "category": "Soort informatie",
            "text": "Tekst",
        },
    ),
    "pre_meeting_updates": (
        "Informatie voor een overleg",
        "Voor een overleg vertelden organisaties kort hoe het ging.",
        {
            "case_id": "Casus",
            "source": "Van",
            "created_at": "Op",
            "category": "Soort informatie",
            "current_situation": "Hoe het nu gaat",
            "worries": "Zorgen",
            "what_changed": "Wat er veranderde",
        },
    ),
    "discussions": (
        "Besprekingen in een overleg",
        "Wat in een overleg over uw situatie is vastgelegd.",
        {
            "case_id": "Casus",
            "source": "Vastgelegd door",
            "created_at": "Op",
            "category": "Soort informatie",
            "family_picture": "Beeld van het gezin",
            "worries": "Zorgen",
            "strengths": "Wat goed gaat",
            "oordeel_note": "Toelichting op wat er besloten is",
        },
    ),
    "meetings_as_client": (
        "Overleggen waarvoor u bent uitgenodigd",
        "U bent altijd welkom bij het overleg over uw situatie. Hier staan de overleggen waarvoor u bent uitgenodigd.",
        {},
    ),
    "consents": (
        "Toestemming",
        "Waarvoor u toestemming gaf, en of u die weer heeft ingetrokken.",
        {
            "case_id": "Casus",
            "purpose": "Waarvoor",
            "form": "Hoe gegeven",
            "given_on": "Gegeven op",
            "withdrawn_at": "Ingetrokken op",
            "withdrawn_reason": "Reden van intrekken",
        },
    ),
    "rectifications": (
        "Verbeteringen",
        "Gegevens over u die zijn verbeterd, met wat er eerst stond.",
        {"field": "Welk gegeven", "old": "Eerst", "new": "Nu", "reason": "Reden", "at": "Verbeterd op"},
    ),
    "seen_by": (
        "Wie uw gegevens heeft gebruikt",
        "Tafel houdt bij wie gegevens over u bekeek of veranderde. Per persoon en soort handeling ziet u hoe vaak.",
        {"user": "Wie", "organisation": "Organisatie", "event": "Wat", "case_id": "Casus", "count": "Aantal keer"},
    ),
}

FIELD_WORDS = {
    "last_name": "achternaam",
    "first_names": "voornamen",
    "date_of_birth": "geboortedatum",
    "address": "adres",
    "prefix": "tussenvoegsel",
    "birth_last_name": "geboortenaam",
    "gender": "geslacht",
}


@dataclass
class Section:
    heading: str
    explanation: str
    # Each row: a list of (label, value) pairs; a list section has one pair per row with an empty label.
    rows: list[list[tuple[str, str]]] = field(default_factory=list)


def _value(name: str, value, cases: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if name == "case_id":
        return cases.get(value, f"nummer {value}")
    if name == "category":
        return str(InfoCategory(value).label) if value in InfoCategory.values else str(value)
    if name == "gender":
        return GENDERS.get(str(value), str(value))
    if name == "field":
        return FIELD_WORDS.get(str(value), str(value))
    if isinstance(value, datetime.datetime):
        return nl_datetime(value)
    if isinstance(value, datetime.date):
        return nl_date(value)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        return nl_datetime(datetime.datetime.fromisoformat(value))
    if isinstance(value, str) and _ISO_DATE.match(value):
        return nl_date(datetime.date.fromisoformat(value))
    return str(value)


def citizen_sections(data: dict) -> list[Section]:
    """The export's data as sections a citizen reads."""
    case_ids = {
        row.get("case_id")
        for key in SECTIONS
        if isinstance(data.get(key), list)
        for row in data[key]
        if isinstance(row, dict) and row.get("case_id")
    }
    cases = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "reference"))
    out = []
    for key, (heading, explanation, labels) in SECTIONS.items():
        content = data.get(key)
        section = Section(heading, explanation)
        if isinstance(content, dict):
            section.rows = [[(labels[n], _value(n, content.get(n), cases)) for n in labels if n in content]]
        elif isinstance(content, list):
            for row in content:
                if isinstance(row, dict):
                    section.rows.append([(labels[n], _value(n, row.get(n), cases)) for n in labels if n in row])
                else:
                    section.rows.append([("", _value("", row, cases))])
        out.append(section)
    return out
