"""CORV: the police's Zorgformulier Politie ("zorgmelding") to Veilig Thuis (issue 15 item 4).

The message shape Tafel supports and what it maps are in docs/api.md ("CORV Zorgformulier Politie"). In short:

    <ZorgformulierPolitie xmlns="urn:tafel:corv:zorgformulier-politie:1">
      <Bericht><BerichtId/><Afzender><OIN/></Afzender><Tijdstip/></Bericht>
      <Melding><Registratienummer/><Soort/><Gemeente code=""/><Urgentie/><Aanleiding/><Situatie/>
               <BetrokkenenGeinformeerd/><RedenNietGeinformeerd/></Melding>
      <Betrokkenen><Persoon rol=""><BSN/><Voornamen/><Voorvoegsel/><Geslachtsnaam/><Geboortedatum/>
               <Geslacht/><Adres/></Persoon>...</Betrokkenen>
    </ZorgformulierPolitie>

`corv_receive` is the one door for the API endpoint and the drop-directory command: it identifies the sender by
OIN, is idempotent on (sender, BerichtId), creates the melding through the Veilig Thuis route (origin
"politie", so Veilig Thuis triages it) and answers with an acknowledgement (`Ontvangstbevestiging`). A message
it cannot take is refused with a reason a person can act on, and kept (encrypted) for inspection.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement, tostring  # noqa: S405 - building, not parsing

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from tafel.cases.models import PersonRole, Theme, Urgency
from tafel.cases.services import AanmeldingInput, PersonInput
from tafel.core.audit import audit
from tafel.core.crypto import bsn_is_valid, encrypt, keyed_hash
from tafel.core.errors import AccessDenied, TafelError
from tafel.core.models import AuditOutcome
from tafel.integrations.audit_events import IntegrationEvent
from tafel.integrations.models import CorvMessage, CorvStatus, PartnerSystem
from tafel.organisations.models import Municipality
from tafel.persons.models import Gender, Person

NS = "urn:tafel:corv:zorgformulier-politie:1"
ACK_NS = "urn:tafel:corv:ontvangstbevestiging:1"
MAX_BYTES = 512 * 1024

# Soort melding → Tafel theme. Domestic violence and child abuse are Veilig Thuis' own; the police's youth care
# report goes to the youth theme; a care report about an adult has no theme of its own.
SOORT_THEME = {
    "huiselijk_geweld": Theme.HUISELIJK_GEWELD,
    "kindermishandeling": Theme.HUISELIJK_GEWELD,
    "zorgmelding_jeugd": Theme.JEUGD,
    "zorgmelding_volwassene": Theme.OVERIG,
}
ROL = {
    "pleger": PersonRole.PLEGER,
    "verdachte": PersonRole.VERDACHTE,
    "slachtoffer": PersonRole.SLACHTOFFER,
    "kind": PersonRole.KIND,
    "ouder": PersonRole.OUDER,
    "betrokkene": PersonRole.BETROKKENE,
    "getuige": PersonRole.GETUIGE,
}
GESLACHT = {"M": Gender.MAN, "V": Gender.VROUW, "O": Gender.ANDERS, "X": Gender.ANDERS}


class CorvRefused(Exception):
    """The message cannot be taken: `code` for machines and the audit log, `detail` (Dutch) for the sender."""

    def __init__(self, code: str, detail: str, http_status: int = 400):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.http_status = http_status


@dataclass
class Parsed:
    message_id: str
    sender_oin: str
    data: AanmeldingInput
    bsns: list[str] = field(default_factory=list)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _text(parent: Element | None, path: str) -> str:
    if parent is None:
        return ""
    node = parent.find("/".join(_q(p) for p in path.split("/")))
    return (node.text or "").strip() if node is not None else ""


def _required(parent: Element | None, path: str, label: str) -> str:
    value = _text(parent, path)
    if not value:
        raise CorvRefused("veld_ontbreekt", f"{label} ontbreekt ({path}).")
    return value


def _envelope(raw: bytes) -> tuple[Element, str, str]:
    """Parse safely (no DTD, no entities) and read the envelope: BerichtId and the sender's OIN."""
    if len(raw) > MAX_BYTES:
        raise CorvRefused("te_groot", f"Het bericht is groter dan {MAX_BYTES // 1024} kB.", 413)
    try:
        root = fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise CorvRefused("geen_xml", f"Het bericht is geen geldige XML ({type(exc).__name__}).") from None
    if root.tag != _q("ZorgformulierPolitie"):
        raise CorvRefused(
            "onbekend_bericht", f"Verwacht het element ZorgformulierPolitie in namespace {NS}; ontvangen: {root.tag}."
        )
    bericht = root.find(_q("Bericht"))
    message_id = _required(bericht, "BerichtId", "Het BerichtId")
    if len(message_id) > 100:
        raise CorvRefused("veld_ongeldig", "Het BerichtId is langer dan 100 tekens.")
    oin = _required(bericht, "Afzender/OIN", "Het OIN van de afzender")
    if not (len(oin) == 20 and oin.isascii() and oin.isdigit()):
        raise CorvRefused("veld_ongeldig", "Het OIN van de afzender moet 20 cijfers zijn.")
    return root, message_id, oin


def _municipality(melding: Element) -> int:
    node = melding.find(_q("Gemeente"))
    code = (node.get("code") or "").strip() if node is not None else ""
    name = (node.text or "").strip() if node is not None else ""
    found = None
    if code:
        found = Municipality.objects.filter(code=code).only("pk").first()
    if found is None and name:
        found = Municipality.objects.filter(name__iexact=name).only("pk").first()
    if found is None:
        raise CorvRefused(
            "gemeente_onbekend", "De gemeente (Melding/Gemeente, CBS-code of naam) is bij Tafel niet bekend."
        )
    return found.pk


def _persons(root: Element) -> tuple[list[PersonInput], list[str]]:
    persons: list[PersonInput] = []
    bsns: list[str] = []
    nodes = root.findall(f"{_q('Betrokkenen')}/{_q('Persoon')}")
    if not nodes:
        raise CorvRefused("veld_ontbreekt", "Er staat geen persoon in Betrokkenen.")
    for i, node in enumerate(nodes, start=1):
        where = f"Betrokkenen/Persoon[{i}]"
        rol = (node.get("rol") or "betrokkene").strip()
        if rol not in ROL:
            raise CorvRefused("veld_ongeldig", f"{where}: onbekende rol ‘{rol}’ (kies uit {', '.join(ROL)}).")
        birth_text = _text(node, "Geboortedatum")
        birth = parse_date(birth_text) if birth_text else None
        if birth_text and birth is None:
            raise CorvRefused("veld_ongeldig", f"{where}/Geboortedatum: verwacht JJJJ-MM-DD.")
        bsn = _text(node, "BSN")
        if bsn and not bsn_is_valid(bsn):
            raise CorvRefused("veld_ongeldig", f"{where}/BSN: geen geldig burgerservicenummer (11-proef).")
        geslacht = _text(node, "Geslacht").upper() or "O"
        if geslacht not in GESLACHT:
            raise CorvRefused("veld_ongeldig", f"{where}/Geslacht: kies M, V of O.")
        existing = Person.objects.filter(bsn_hash=keyed_hash(bsn)).only("pk").first() if bsn else None
        if existing is not None:
            # The police know this person's BSN and so does Tafel: link, as the screening would.
            persons.append(PersonInput(role=ROL[rol], existing_person_id=existing.pk))
        else:
            persons.append(
                PersonInput(
                    role=ROL[rol],
                    first_names=_text(node, "Voornamen"),
                    prefix=_text(node, "Voorvoegsel"),
                    last_name=_required(node, "Geslachtsnaam", f"{where}: de geslachtsnaam"),
                    date_of_birth=birth,
                    gender=GESLACHT[geslacht],
                    bsn=bsn,
                    address=_text(node, "Adres"),
                )
            )
        if bsn:
            bsns.append(bsn)
    return persons, bsns


def parse(raw: bytes) -> Parsed:
    """The message as an intake; raises CorvRefused with the first problem found."""
    root, message_id, oin = _envelope(raw)
    melding = root.find(_q("Melding"))
    if melding is None:
        raise CorvRefused("veld_ontbreekt", "Het element Melding ontbreekt.")
    soort = _required(melding, "Soort", "De soort melding")
    if soort not in SOORT_THEME:
        raise CorvRefused("veld_ongeldig", f"Melding/Soort: onbekend ‘{soort}’ (kies uit {', '.join(SOORT_THEME)}).")
    urgency = _text(melding, "Urgentie") or Urgency.NORMAAL
    if urgency not in Urgency.values:
        raise CorvRefused("veld_ongeldig", "Melding/Urgentie: kies normaal, hoog of acuut.")
    informed = _text(melding, "BetrokkenenGeinformeerd").lower()
    if informed not in ("", "ja", "nee"):
        raise CorvRefused("veld_ongeldig", "Melding/BetrokkenenGeinformeerd: ja of nee.")
    registratie = _required(melding, "Registratienummer", "Het registratienummer van de politie")
    persons, bsns = _persons(root)
    data = AanmeldingInput(
        theme=SOORT_THEME[soort],
        municipality_id=_municipality(melding),
        title=f"Zorgmelding politie {registratie}"[:200],
        reason=_required(melding, "Aanleiding", "De aanleiding"),
        summary=_required(melding, "Situatie", "De beschrijving van de situatie"),
        urgency=urgency,
        client_knows=informed == "ja",
        client_knows_reason=""
        if informed == "ja"
        else (_text(melding, "RedenNietGeinformeerd") or "Niet vermeld in het Zorgformulier Politie (CORV)."),
        persons=persons,
    )
    return Parsed(message_id=message_id, sender_oin=oin, data=data, bsns=bsns)


# --- the acknowledgement ------------------------------------------------------------------------------------


@dataclass
class CorvResult:
    status: str  # ontvangen | al_ontvangen | geweigerd
    http_status: int
    message: CorvMessage | None
    message_id: str = ""
    reason_code: str = ""
    reason: str = ""

    def acknowledgement(self) -> bytes:
        ack = Element("Ontvangstbevestiging", xmlns=ACK_NS)
        SubElement(ack, "BerichtId").text = self.message_id
        SubElement(ack, "Status").text = self.status
        if self.message is not None:
            SubElement(ack, "Kenmerk").text = self.message.reference
            SubElement(ack, "Tijdstip").text = self.message.received_at.isoformat()
        if self.reason:
            SubElement(ack, "Reden", code=self.reason_code).text = self.reason
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(ack, encoding="unicode").encode()


def _record_refusal(
    *, raw: bytes, digest: str, channel: str, exc: CorvRefused, message_id: str, oin: str, partner
) -> CorvResult:
    with transaction.atomic():
        message = CorvMessage.objects.create(
            received_at=timezone.now(),
            sender_oin=oin[:20],
            message_id=message_id[:100],
            digest=digest,
            size=len(raw),
            channel=channel,
            status=CorvStatus.REFUSED,
            reason_code=exc.code,
            reason=exc.detail,
            # Kept for inspection (it may hold personal data: encrypted at rest, shown only by corv_import --show).
            # At most twice the accepted size: enough to see what was wrong with an oversized message.
            content_encrypted=encrypt(raw[: 2 * MAX_BYTES].decode("utf-8", errors="replace")),
            partner_system=partner,
        )
        audit(
            actor=None,
            event=IntegrationEvent.CORV_REFUSED,
            reason=f"corv.{exc.code}",
            details={"corv_message": message.pk, "partner_system": partner.pk if partner else None},
            outcome=AuditOutcome.DENIED,
        )
    return CorvResult("geweigerd", exc.http_status, message, message_id, exc.code, exc.detail)


def corv_receive(*, raw: bytes, channel: str, actor=None) -> CorvResult:
    """Take one Zorgformulier Politie. `actor` is the API caller (a token of the police's system); without one
    (the drop directory) Tafel acts as the sending partner system's account."""
    from tafel.lifecycle.models import VtOrigin
    from tafel.lifecycle.services.vt import vt_melding_create

    digest = hashlib.sha256(raw).hexdigest()
    message_id = oin = ""
    partner = None
    try:
        _root, message_id, oin = _envelope(raw)
        partner = PartnerSystem.objects.filter(oin=oin, active=True).select_related("organisation", "user").first()
        if partner is None:
            raise CorvRefused("afzender_onbekend", f"Afzender met OIN {oin} is bij Tafel niet bekend.", 403)
        if actor is None:
            actor = partner.user
            if actor is None or not actor.is_active:
                raise CorvRefused(
                    "afzender_zonder_account", "Voor deze afzender is geen actief account ingesteld.", 403
                )
        elif actor.organisation_id != partner.organisation_id:
            raise CorvRefused("afzender_niet_van_u", "Het OIN van de afzender hoort niet bij uw organisatie.", 403)
        earlier = CorvMessage.objects.filter(sender_oin=oin, message_id=message_id, status=CorvStatus.ACCEPTED).first()
        if earlier is not None:
            return _again(earlier, digest)
        parsed = parse(raw)
        with transaction.atomic():
            message = CorvMessage.objects.create(
                received_at=timezone.now(),
                sender_oin=oin,
                message_id=message_id,
                digest=digest,
                size=len(raw),
                channel=channel,
                status=CorvStatus.ACCEPTED,
                partner_system=partner,
            )
            result = vt_melding_create(actor=actor, origin=VtOrigin.POLITIE, data=parsed.data)
            message.aanmelding = result.aanmelding
            message.save(update_fields=["aanmelding"])
            audit(
                actor=actor,
                event=IntegrationEvent.CORV_IMPORT,
                case_id=result.case.pk,
                details={"corv_message": message.pk, "aanmelding": result.aanmelding.pk, "partner_system": partner.pk},
            )
        return CorvResult("ontvangen", 201, message, message_id)
    except IntegrityError:
        # The same message arrived twice at once: the other copy was taken.
        earlier = CorvMessage.objects.filter(sender_oin=oin, message_id=message_id, status=CorvStatus.ACCEPTED).first()
        if earlier is None:
            raise
        try:
            return _again(earlier, digest)
        except CorvRefused as exc:
            return _record_refusal(
                raw=raw, digest=digest, channel=channel, exc=exc, message_id=message_id, oin=oin, partner=partner
            )
    except CorvRefused as exc:
        return _record_refusal(
            raw=raw, digest=digest, channel=channel, exc=exc, message_id=message_id, oin=oin, partner=partner
        )
    except TafelError as exc:
        # The intake's own checks (aanmelding_validate, the sender's right to submit): the sender learns which.
        fields = getattr(exc, "field_errors", None) or {}
        detail = str(exc)
        if fields:
            detail += " " + " ".join(f"{k}: {' '.join(v)}" for k, v in sorted(fields.items()))
        status = 403 if isinstance(exc, AccessDenied) else 400
        refused = CorvRefused("melding_ongeldig" if status == 400 else "afzender_mag_niet_melden", detail, status)
        return _record_refusal(
            raw=raw, digest=digest, channel=channel, exc=refused, message_id=message_id, oin=oin, partner=partner
        )


def _again(earlier: CorvMessage, digest: str) -> CorvResult:
    """The acknowledgement of a message taken before; the same BerichtId with other content is refused."""
    if earlier.digest != digest:
        raise CorvRefused(
            "berichtid_hergebruikt", "Dit BerichtId is al gebruikt voor een ander bericht van deze afzender.", 409
        )
    return CorvResult("al_ontvangen", 200, earlier, earlier.message_id)
