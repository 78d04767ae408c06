"""BRP lookup at intake (issue 15 item 5): Haal Centraal BRP bevragen v2, `RaadpleegMetBurgerservicenummer`.

An aanmelder of an organisation with a legal basis (tafel.access.policy.may_lookup_brp) types a BSN; Tafel asks the
BRP for name, date of birth, gender and address, shows them beside what was typed, and fills the form on request.
Every lookup sends the purpose-binding headers (`x-doelbinding`, `x-verwerking`, `x-gebruiker`) and is audited
(event 955, with a keyed hash of the BSN, never the BSN itself), found or not, answered or not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tafel.access.policy import may_lookup_brp
from tafel.core.audit import audit
from tafel.core.crypto import bsn_is_valid, keyed_hash
from tafel.core.errors import AccessDenied, NotFound, TafelError, ValidationFailed
from tafel.core.models import AuditOutcome
from tafel.integrations.audit_events import IntegrationEvent
from tafel.persons.models import Gender, Person

FIELDS = ["burgerservicenummer", "naam", "geboorte", "geslacht", "verblijfplaats", "gemeenteVanInschrijving"]
GENDER = {"M": Gender.MAN, "V": Gender.VROUW}


class BrpUnavailable(TafelError):
    """The BRP did not answer, or answered with an error: the person can go on typing by hand."""

    code = "brp_unavailable"
    status = 502


@dataclass(frozen=True)
class BrpPerson:
    bsn: str
    first_names: str
    prefix: str
    last_name: str
    date_of_birth: datetime.date | None
    gender: str
    address: str
    municipality_code: str

    def form_values(self) -> dict[str, str]:
        """The values for the aanmeldformulier's person fields."""
        return {
            "first_names": self.first_names,
            "prefix": self.prefix,
            "last_name": self.last_name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "gender": self.gender,
            "address": self.address,
            "bsn": self.bsn,
        }


def _date(value) -> datetime.date | None:
    # v2 dates are typed: only a full `Datum` fills the form; a partly unknown date (JaarMaandDatum, JaarDatum,
    # DatumOnbekend) is left for the person to judge.
    if isinstance(value, dict) and value.get("type") == "Datum":
        try:
            return datetime.date.fromisoformat(value.get("datum", ""))
        except ValueError:
            return None
    return None


def _address(verblijfplaats) -> str:
    if not isinstance(verblijfplaats, dict):
        return ""
    adres = verblijfplaats.get("verblijfadres") or {}
    if verblijfplaats.get("type") == "Adres" or "officieleStraatnaam" in adres or "korteStraatnaam" in adres:
        street = adres.get("officieleStraatnaam") or adres.get("korteStraatnaam") or ""
        number = str(adres.get("huisnummer") or "")
        number += str(adres.get("huisletter") or "")
        if adres.get("huisnummertoevoeging"):
            number += f"-{adres['huisnummertoevoeging']}"
        postcode = str(adres.get("postcode") or "")
        if len(postcode) == 6:
            postcode = f"{postcode[:4]} {postcode[4:]}"
        place = " ".join(p for p in (postcode, adres.get("woonplaats") or "") if p)
        return ", ".join(p for p in (f"{street} {number}".strip(), place) if p)
    # A location description or an address abroad: shown as the BRP gives it.
    if adres.get("locatiebeschrijving"):
        return str(adres["locatiebeschrijving"])
    lines = [adres.get(f"regel{i}") for i in (1, 2, 3)]
    return ", ".join(str(line) for line in lines if line)


def _person(data: dict) -> BrpPerson:
    naam = data.get("naam") or {}
    return BrpPerson(
        bsn=str(data.get("burgerservicenummer") or ""),
        first_names=str(naam.get("voornamen") or ""),
        prefix=str(naam.get("voorvoegsel") or ""),
        last_name=str(naam.get("geslachtsnaam") or ""),
        date_of_birth=_date((data.get("geboorte") or {}).get("datum")),
        gender=GENDER.get(str((data.get("geslacht") or {}).get("code") or ""), Gender.ANDERS),
        address=_address(data.get("verblijfplaats")),
        municipality_code=str((data.get("gemeenteVanInschrijving") or {}).get("code") or ""),
    )


def _request(*, actor, bsn: str) -> requests.Response:
    headers = {
        "Accept": "application/json",
        "x-doelbinding": settings.TAFEL_BRP_DOELBINDING,
        "x-verwerking": settings.TAFEL_BRP_VERWERKING,
        # The BRP's protocol logs who looked: the account name, as in Tafel's own audit log.
        "x-gebruiker": actor.username,
    }
    if settings.TAFEL_BRP_API_KEY:
        headers[settings.TAFEL_BRP_API_KEY_HEADER] = settings.TAFEL_BRP_API_KEY
    cert = None
    if settings.TAFEL_BRP_CLIENT_CERT:
        cert = (settings.TAFEL_BRP_CLIENT_CERT, settings.TAFEL_BRP_CLIENT_KEY or None)
    return requests.post(
        f"{settings.TAFEL_BRP_URL}/personen",
        json={"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn], "fields": FIELDS},
        headers=headers,
        cert=cert,
        timeout=settings.TAFEL_BRP_TIMEOUT_SECONDS,
    )


def brp_lookup(*, actor, bsn: str) -> BrpPerson:
    """The BRP's data for one BSN. Raises AccessDenied (not allowed), ValidationFailed (not a BSN), NotFound (not
    in the BRP) or BrpUnavailable. Audited whatever the outcome."""
    if not may_lookup_brp(actor):
        raise AccessDenied("U mag de BRP niet raadplegen.")
    bsn = "".join(ch for ch in (bsn or "") if not ch.isspace() and ch != ".")
    if len(bsn) == 8:
        bsn = "0" + bsn
    if not bsn_is_valid(bsn):
        raise ValidationFailed("Dit is geen geldig BSN.", field_errors={"bsn": ["Vul een geldig BSN in (11-proef)."]})
    known = Person.objects.filter(bsn_hash=keyed_hash(bsn)).values_list("pk", flat=True).first()
    # The FG can find every lookup of a BSN by this hash (tafel.core.crypto.keyed_hash), without the BSN in the log.
    details = {"bsn_hash": keyed_hash(bsn)[:32]}
    try:
        response = _request(actor=actor, bsn=bsn)
    except requests.RequestException as exc:
        audit(
            actor=actor,
            event=IntegrationEvent.BRP_LOOKUP,
            person_id=known,
            reason="brp.unavailable",
            details={**details, "error": type(exc).__name__},
            outcome=AuditOutcome.DENIED,
        )
        raise BrpUnavailable("De BRP is nu niet bereikbaar. Vul de gegevens zelf in.") from None
    if response.status_code != 200:
        audit(
            actor=actor,
            event=IntegrationEvent.BRP_LOOKUP,
            person_id=known,
            reason="brp.error",
            details={**details, "status": response.status_code},
            outcome=AuditOutcome.DENIED,
        )
        raise BrpUnavailable(
            gettext("De BRP gaf een fout (HTTP %(status)s). Vul de gegevens zelf in.")
            % {"status": response.status_code}
        )
    try:
        personen = response.json().get("personen") or []
    except (ValueError, AttributeError):
        personen = None
    if personen is None or not isinstance(personen, list):
        audit(actor=actor, event=IntegrationEvent.BRP_LOOKUP, person_id=known, reason="brp.error", details=details)
        raise BrpUnavailable("De BRP gaf een antwoord dat Tafel niet begrijpt. Vul de gegevens zelf in.")
    audit(
        actor=actor,
        event=IntegrationEvent.BRP_LOOKUP,
        person_id=known,
        reason="brp.found" if personen else "brp.not_found",
        details={**details, "found": bool(personen)},
    )
    if not personen or not isinstance(personen[0], dict):
        raise NotFound("Geen persoon met dit BSN in de BRP.")
    return _person(personen[0])


@dataclass(frozen=True)
class Check:
    field: str
    label: object
    entered: str
    brp: str

    @property
    def matches(self) -> bool | None:
        """True/False when something was typed, None when the field was empty (nothing to verify)."""
        if not self.entered:
            return None
        return " ".join(self.entered.lower().split()) == " ".join(self.brp.lower().split())


def brp_verify(*, entered: dict[str, str], brp: BrpPerson) -> list[Check]:
    """What the aanmelder typed next to what the BRP holds: name, date of birth and address."""
    values = brp.form_values()
    labels = {
        "first_names": _("Voornamen"),
        "prefix": _("Tussenvoegsel"),
        "last_name": _("Achternaam"),
        "date_of_birth": _("Geboortedatum"),
        "address": _("Adres"),
    }
    return [Check(name, label, (entered.get(name) or "").strip(), values[name]) for name, label in labels.items()]
