"""Privacy reglementen for the demo house, one per built-in overleg type, after the model privacy
protocol of the Zorg- en Veiligheidshuizen (SPEC §6, 000:L3221): purpose, who takes part, which information,
the grounds for sharing and the retention period. A real house has its beheerder write its own; the demo ships
these so that its cases show the reglement that governs them. Rows are written directly, like the rest of the
demo (no audit events)."""

from __future__ import annotations

from tafel.cases.models import InfoCategory
from tafel.meetings.models import OverlegType
from tafel.organisations.models import OrganisationType as T
from tafel.privacy.models import Reglement

LEGAL_BASIS = (
    "Convenant Zorg- en Veiligheidshuis en het bijbehorende privacyprotocol; AVG art. 6 lid 1 sub e "
    "(taak van algemeen belang) en sub c; voor politie- en justitiegegevens art. 16 Wpg en art. 39f Wjsg."
)
EXCHANGE_RULES = [
    "Noodzakelijk om ernstige schade aan een betrokkene te voorkomen (veiligheid)",
    "Met toestemming van de betrokkene",
    "Noodzakelijk voor de uitvoering van het gezamenlijke plan van aanpak",
    "Wettelijke taak van de verstrekkende organisatie",
]
ALL_PARTNERS = [t.value for t in T if t != T.RIEC]
JUSTICE = [T.POLITIE, T.OM, T.RECLASSERING, T.RAAD, T.ZVH]
YOUTH = [T.VEILIG_THUIS, T.RAAD, T.JEUGDBESCHERMING, T.GEMEENTE, T.ZVH]
ALL_CATEGORIES = [c.value for c in InfoCategory]

PURPOSES = {
    "triage": "Beoordelen of een aanmelding in het Zorg- en Veiligheidshuis thuishoort en wie er aan tafel moet.",
    "com": "Een gezamenlijke aanpak voor complexe casussen op het snijvlak van zorg en veiligheid (Casus-op-Maat).",
    "mda": "Het doorbreken van huiselijk geweld en kindermishandeling in gezinnen met een multidisciplinaire "
    "aanpak (MDA++).",
    "actieoverleg": "Snel afstemmen van acties in een acute situatie waarin de veiligheid in het geding is.",
    "justitieel": "Afstemmen van de strafrechtelijke aanpak van plegers en verdachten, met advies aan de zorgpartners.",
    "virtueel": "Afstemming tussen partners zonder fysiek overleg, binnen dezelfde regels als het casusoverleg.",
    "casusevaluatie": "Leren van afgesloten casussen; personen worden alleen bij hun rol genoemd.",
}


def add_demo_reglementen() -> int:
    rows = []
    for overleg_type in OverlegType.objects.filter(code__in=PURPOSES).exclude(reglement__isnull=False):
        justice_only = overleg_type.code == "justitieel"
        rows.append(
            Reglement(
                overleg_type=overleg_type,
                purpose=PURPOSES[overleg_type.code],
                participating_org_types=[str(t) for t in JUSTICE] if justice_only else ALL_PARTNERS,
                categories=(
                    [InfoCategory.ALGEMEEN, InfoCategory.POLITIE_ONDERZOEK, InfoCategory.JUSTITIEEL]
                    if justice_only
                    else ALL_CATEGORIES
                ),
                justitieel_org_types=[str(t) for t in JUSTICE],
                jeugd_org_types=[str(t) for t in YOUTH],
                exchange_rules=EXCHANGE_RULES,
                retention_months=60,
                legal_basis=LEGAL_BASIS,
            )
        )
    Reglement.objects.bulk_create(rows)
    return len(rows)
