"""Volumes (SPEC §7): aanmeldingen, new cases per route, theme and municipality, triage routing, caseload
against the per-municipality maximum."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from tafel.cases.models import (
    CASELOAD_STATUSES,
    Aanmelding,
    Case,
    EntryRoute,
    LokaalReason,
    Theme,
    Triage,
    TriageOutcome,
)
from tafel.core.dates import nl_datetime
from tafel.organisations.models import Municipality
from tafel.reports.indicators.base import (
    COUNT,
    NUMBER,
    SHARE,
    Cell,
    Column,
    Definition,
    Indicator,
    Params,
    Result,
    Row,
    case_conditions,
    count,
    grouped_counts,
    in_period,
    number,
    partitioned,
    register,
    share,
    shared,
)
from tafel.reports.indicators.lifecycle import cases_with_status_at

COUNT_COLUMNS = [Column("aantal", "Aantal", COUNT), Column("aandeel", "Aandeel", SHARE)]


def count_table(choices: list[tuple[str, str]], counts: dict, *, total_label: str = "Totaal") -> Result:
    """Rows for fixed categories (zero where none), a share of the total per row, a total row."""
    total = count(sum(counts.get(key, 0) for key, _ in choices))
    rows = []
    for key, label in choices:
        cell = count(counts.get(key, 0))
        rows.append(Row(key, label, {"aantal": cell, "aandeel": share(cell, total)}))
    result = Result(
        columns=list(COUNT_COLUMNS),
        rows=rows,
        total=Row("totaal", total_label, {"aantal": total, "aandeel": share(total, total)}),
        headline=total,
        chart_columns=("aantal",),
    )
    return partitioned(result, "aantal")


def _str_keys(counts: dict) -> dict[str, int]:
    return {str(k): v for k, v in counts.items()}


# --- aanmeldingen -----------------------------------------------------------------------------------------


def _aanmeldingen_qs(params: Params):
    qs = Aanmelding.objects.filter(
        in_period("created_at", params.period),
        *case_conditions(params, path="case__", case_ref="case_id", route=False),
    )
    if params.route:
        qs = qs.filter(route=params.route)
    return qs


def aanmeldingen(params: Params) -> Result:
    result = count_table(EntryRoute.choices, grouped_counts(_aanmeldingen_qs(params), "route"))
    result.headline_label = "Aanmeldingen"
    return result


def aanmeldingen_cases(params: Params, row: str, column: str):
    qs = _aanmeldingen_qs(params).filter(case_id=OuterRef("pk"))
    if row != "totaal":
        qs = qs.filter(route=row)
    return Case.objects.filter(Exists(qs))


register(
    Indicator(
        code="aanmeldingen",
        name="Aanmeldingen per instroomroute",
        group="instroom",
        definition=Definition(
            numerator="Aanmeldingen (meldingen) die in de periode zijn ingediend, naar de instroomroute van de "
            "aanmelding zelf.",
            denominator="Aandeel: alle aanmeldingen in de periode.",
            window="Datum van indienen binnen de periode.",
            exclusions="Geen: ook aanmeldingen die aan een lopende casus zijn toegevoegd tellen mee (één casus "
            "kan meer aanmeldingen hebben).",
        ),
        compute=aanmeldingen,
        cases=aanmeldingen_cases,
        headline="aantal aanmeldingen",
    )
)


# --- new cases --------------------------------------------------------------------------------------------


def _new_cases(params: Params):
    return Case.objects.filter(in_period("created_at", params.period), *case_conditions(params))


def _municipality_choices(params: Params) -> list[tuple[str, str]]:
    qs = Municipality.objects.order_by("name")
    if params.municipality_id:
        qs = qs.filter(pk=params.municipality_id)
    return [(str(pk), name) for pk, name in qs.values_list("pk", "name")]


NEW_CASE_FIELDS = ("theme", "entry_route", "municipality")


def _new_case_counts(params: Params) -> dict[str, dict]:
    """The period's new cases counted per theme, per entry route and per municipality in one pass (one GROUP BY
    over the three, summed here), shared by the three indicators instead of a pass each."""

    def compute() -> dict[str, dict]:
        counts: dict[str, dict] = {field: {} for field in NEW_CASE_FIELDS}
        rows = (
            _new_cases(params)
            .order_by()
            .values(*NEW_CASE_FIELDS)
            .annotate(n=Count("pk"))
            .values_list(*NEW_CASE_FIELDS, "n")
        )
        for *keys, n in rows:
            for field, key in zip(NEW_CASE_FIELDS, keys, strict=True):
                counts[field][key] = counts[field].get(key, 0) + n
        return counts

    return shared(("new_case_counts", params), compute)


def new_cases_by(field: str):
    def compute(params: Params) -> Result:
        counts = _str_keys(_new_case_counts(params)[field])
        if field == "theme":
            choices = Theme.choices
        elif field == "entry_route":
            choices = EntryRoute.choices
        else:
            choices = _municipality_choices(params)
        result = count_table(choices, counts)
        result.headline_label = "Nieuwe casussen"
        return result

    def cases(params: Params, row: str, column: str):
        qs = _new_cases(params)
        return qs if row == "totaal" else qs.filter(**{field: row})

    return compute, cases


NEW_CASES_DEFINITION = dict(
    numerator="Casussen die in de periode zijn aangemaakt: de eerste aanmelding over deze personen.",
    denominator="Aandeel: alle nieuwe casussen in de periode.",
    window="Aanmaakdatum van de casus binnen de periode.",
    exclusions="Aanmeldingen die aan een lopende casus zijn toegevoegd maken geen nieuwe casus en tellen "
    "hier niet mee (zie ‘Aanmeldingen’).",
)

for _field, _code, _name in (
    ("theme", "casussen_thema", "Nieuwe casussen per thema"),
    ("entry_route", "casussen_route", "Nieuwe casussen per instroomroute"),
    ("municipality", "casussen_gemeente", "Nieuwe casussen per gemeente"),
):
    _compute, _cases = new_cases_by(_field)
    register(
        Indicator(
            code=_code,
            name=_name,
            group="instroom",
            definition=Definition(**NEW_CASES_DEFINITION),
            compute=_compute,
            cases=_cases,
            headline="aantal nieuwe casussen",
        )
    )


# --- triage routing ---------------------------------------------------------------------------------------

ROUTING_ROWS: list[tuple[str, str]] = [
    (TriageOutcome.ZVH_COM, "ZVH-aanpak: Casus-op-Maat"),
    (TriageOutcome.ZVH_MDA, "ZVH-aanpak: MDA++"),
    *[(f"lokaal_{r.value}", f"Lokaal, reden {r.label}") for r in LokaalReason],
    (TriageOutcome.RIEC, "Doorgezet naar RIEC"),
    (TriageOutcome.NIET_GEACCEPTEERD, "Niet geaccepteerd / terug naar aanmelder"),
    (TriageOutcome.VERRIJKEN, "Eerst verrijken (informatie ontbreekt)"),
]


def _triages(params: Params):
    return Triage.objects.filter(
        in_period("decided_at", params.period), *case_conditions(params, path="case__", case_ref="case_id")
    )


def triage_routing(params: Params) -> Result:
    counts: dict[str, int] = {}
    rows = (
        _triages(params)
        .order_by()
        .values("outcome", "lokaal_reason")
        .annotate(n=Count("pk"))
        .values_list("outcome", "lokaal_reason", "n")
    )
    for outcome, reason, n in rows:
        key = f"lokaal_{reason}" if outcome == TriageOutcome.LOKAAL else outcome
        counts[key] = counts.get(key, 0) + n
    result = count_table(ROUTING_ROWS, counts, total_label="Alle triagebesluiten")
    cells = {row.key: row.cells["aantal"] for row in result.rows}
    routed = Cell(
        sum(c.value for k, c in cells.items() if k != TriageOutcome.VERRIJKEN),
        COUNT,
        basis=tuple(c for k, c in cells.items() if k != TriageOutcome.VERRIJKEN),
    )
    zvh = (cells[TriageOutcome.ZVH_COM], cells[TriageOutcome.ZVH_MDA])
    result.headline = share(zvh, routed)
    result.headline_label = "Geaccepteerd voor de ZVH-aanpak (van de routeringsbesluiten)"
    result.stats = [("Routeringsbesluiten (zonder verrijken)", routed)]
    return result


def triage_routing_cases(params: Params, row: str, column: str):
    qs = _triages(params).filter(case_id=OuterRef("pk"))
    if row.startswith("lokaal_"):
        qs = qs.filter(outcome=TriageOutcome.LOKAAL, lokaal_reason=row.removeprefix("lokaal_"))
    elif row != "totaal":
        qs = qs.filter(outcome=row)
    return Case.objects.filter(Exists(qs))


register(
    Indicator(
        code="triage_uitkomst",
        name="Triagebesluiten: ZVH-aanpak, lokaal (reden a–g), RIEC, niet geaccepteerd, verrijken",
        group="instroom",
        definition=Definition(
            numerator="Triagebesluiten in de periode, naar uitkomst; ‘lokaal’ naar de vastgelegde reden a–g "
            "(001:L4524-4593). Kopcijfer: besluiten tot ZVH-aanpak (Casus-op-Maat of MDA++).",
            denominator="Aandeel per rij: alle triagebesluiten. Kopcijfer: alle routeringsbesluiten, dat is "
            "zonder ‘eerst verrijken’.",
            window="Datum van het besluit binnen de periode.",
            exclusions="Geen. Elk besluit telt: een casus die eerst naar verrijken gaat en daarna wordt "
            "geaccepteerd telt één keer bij ‘verrijken’ en één keer bij ‘ZVH-aanpak’.",
        ),
        compute=triage_routing,
        cases=triage_routing_cases,
        headline="% geaccepteerd voor ZVH-aanpak",
        unit=SHARE,
    )
)


# --- caseload ---------------------------------------------------------------------------------------------


def caseload(params: Params) -> Result:
    moment = params.period.end
    active = cases_with_status_at(moment, CASELOAD_STATUSES, params)
    counts = _str_keys(grouped_counts(active, "municipality_id"))
    maxima = dict(
        Municipality.objects.filter(pk__in=[int(k) for k, _ in _municipality_choices(params)]).values_list(
            "pk", "max_caseload"
        )
    )
    rows = []
    for key, label in _municipality_choices(params):
        cell = count(counts.get(key, 0))
        maximum = number(maxima.get(int(key), 0))
        rows.append(Row(key, label, {"actief": cell, "maximum": maximum, "bezetting": share(cell, maximum)}))
    total = count(sum(r.cells["actief"].value for r in rows))
    total_max = number(sum(r.cells["maximum"].value for r in rows))
    result = Result(
        columns=[
            Column("actief", "Actieve ZVH-casussen", COUNT),
            Column("maximum", "Maximale caseload", NUMBER),
            Column("bezetting", "Bezetting", SHARE),
        ],
        rows=rows,
        total=Row("totaal", "Totaal", {"actief": total, "maximum": total_max, "bezetting": share(total, total_max)}),
        headline=total,
        headline_label="Actieve ZVH-casussen",
        chart_columns=("actief",),
    )
    stand = min(moment, timezone.now())
    result.notes.append(
        f"Stand op {nl_datetime(timezone.localtime(stand))}; de maximale caseload is de huidige instelling "
        "per gemeente."
    )
    return partitioned(result, "actief")


def caseload_cases(params: Params, row: str, column: str):
    qs = cases_with_status_at(params.period.end, CASELOAD_STATUSES, params)
    return qs if row == "totaal" else qs.filter(municipality_id=row)


register(
    Indicator(
        code="caseload",
        cost=2,
        name="Caseload per gemeente tegen het maximum",
        group="instroom",
        definition=Definition(
            numerator="Casussen met status ‘ZVH-aanpak loopt’ (actief) aan het einde van de periode, per gemeente; "
            "voor een lopende periode de stand van nu. Afgeleid uit de statushistorie, dus niet veranderd door "
            "latere heropeningen.",
            denominator="Bezetting: de maximale caseload van de gemeente (triage-reden g, 001:L4524-4593).",
            window="Eén moment: het einde van de periode.",
            exclusions="Casussen onder ‘volgen op afstand’ tellen niet mee voor de caseload, net als bij triage.",
        ),
        compute=caseload,
        cases=caseload_cases,
        headline="aantal actieve ZVH-casussen",
    )
)
