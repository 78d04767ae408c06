"""Network participation (SPEC §7): partner organisations per case, and each partner's number of cases.

002 found 4–10 partners per meeting and 39 distinct organisations in 10 families, 46% of them in only one."""

from __future__ import annotations

from collections import Counter

from django.db.models import F

from tafel.organisations.models import Organisation, OrganisationType
from tafel.reports.indicators.base import (
    COUNT,
    MEAN,
    NUMBER,
    Cell,
    Column,
    Definition,
    Indicator,
    Params,
    Result,
    Row,
    count,
    derived,
    mean_of,
    number,
    percentile,
    register,
    share,
)
from tafel.reports.indicators.instroom import count_table
from tafel.reports.indicators.lifecycle import zvh_cases_during
from tafel.reports.indicators.populations import partner_histogram, zvh_population_figures

BUCKET_MAX = 8


def _with_partner_count(params: Params):
    # The count stored on the case (tafel/cases/partners.py), the one the figure is made of.
    return zvh_cases_during(params).annotate(partners=F("partner_count"))


def _bucket(n: int) -> str:
    return f"{BUCKET_MAX}+" if n >= BUCKET_MAX else str(n)


def _bucket_label(key: str) -> str:
    if key.endswith("+"):
        return f"{key[:-1]} of meer organisaties"
    return "1 organisatie" if key == "1" else f"{key} organisaties"


def partners_per_case(params: Params) -> Result:
    histogram = partner_histogram(params)
    buckets: Counter = Counter()
    for n_partners, n in histogram.items():
        buckets[_bucket(n_partners)] += n
    keys = [str(i) for i in range(BUCKET_MAX)] + [f"{BUCKET_MAX}+"]
    result = count_table([(k, _bucket_label(k)) for k in keys], buckets, total_label="Casussen in de ZVH-aanpak")
    n = result.total.cells["aantal"]
    # The mean and median rest on every case; a small population hides them (basis: the total).
    result.headline = derived(mean_of(histogram), MEAN, n)
    result.headline_label = "Gemiddeld aantal partnerorganisaties per casus"
    result.stats = [
        ("Mediaan partnerorganisaties per casus", derived(percentile(histogram, 0.5), MEAN, n)),
        ("Casussen", n),
    ]
    return result


def partners_per_case_cases(params: Params, row: str, column: str):
    qs = _with_partner_count(params)
    if row == "totaal":
        return qs
    if row.endswith("+"):
        return qs.filter(partners__gte=int(row[:-1]))
    return qs.filter(partners=int(row))


register(
    Indicator(
        code="netwerk_per_casus",
        # Its figures come from the population's figures it shares with casusregie and netwerk_per_organisatie
        # (populations.zvh_population_figures): started late, it finds them computed instead of holding a
        # worker while it waits.
        cost=1,
        name="Partnerorganisaties per casus",
        group="netwerk",
        definition=Definition(
            numerator="Per casus: het aantal deelnemende organisaties (need-to-know, SPEC §6), zonder het Zorg- en "
            "Veiligheidshuis zelf. Gemiddelde en mediaan.",
            denominator="Casussen die in de periode in de ZVH-aanpak zaten (actief of volgen op afstand op enig "
            "moment in de periode).",
            window="De deelnemers zoals nu vastgelegd, voor casussen die in de periode liepen.",
            exclusions="Casussen die alleen getrieerd zijn (lokaal, RIEC, niet geaccepteerd).",
        ),
        compute=partners_per_case,
        cases=partners_per_case_cases,
        headline="gemiddeld aantal partners per casus",
        unit=MEAN,
    )
)


def cases_per_partner(params: Params) -> Result:
    counts = zvh_population_figures(params).per_organisation
    names = Organisation.objects.filter(pk__in=list(counts)).values_list("pk", "name", "type")
    rows_data = [(org_id, name, org_type, counts[org_id]) for org_id, name, org_type in names]
    types = dict(OrganisationType.choices)
    rows = [
        Row(str(org_id), f"{name} ({types.get(org_type, org_type)})", {"casussen": count(n)})
        for org_id, name, org_type, n in sorted(rows_data, key=lambda r: (-r[3], r[1]))
    ]
    single = [row.cells["casussen"] for row in rows if row.cells["casussen"].value == 1]
    organisations = number(len(rows))
    # The share of partners in exactly one case says which hidden cells hold a 1: it rests on those cells.
    only_one = Cell(len(single), COUNT, basis=tuple(single))
    result = Result(
        columns=[Column("casussen", "Casussen", COUNT)],
        rows=rows,
        headline=organisations,
        headline_label="Deelnemende partnerorganisaties",
        stats=[
            ("Organisaties in precies één casus", only_one),
            ("Aandeel in precies één casus", share(only_one, organisations)),
        ],
        chart_columns=("casussen",),
    )
    if not rows:
        result.notes.append("Geen casussen in de ZVH-aanpak in deze periode.")
    return result


def cases_per_partner_cases(params: Params, row: str, column: str):
    qs = zvh_cases_during(params)
    if row == "totaal":
        return qs
    return qs.filter(participations__organisation_id=row)


register(
    Indicator(
        code="netwerk_per_organisatie",
        # Its figures come from the population's figures (populations.zvh_population_figures), as
        # netwerk_per_casus'.
        cost=1,
        name="Casussen per partnerorganisatie",
        group="netwerk",
        definition=Definition(
            numerator="Per partnerorganisatie: het aantal casussen waaraan zij deelneemt.",
            denominator="Casussen die in de periode in de ZVH-aanpak zaten. Een casus telt bij elke organisatie die "
            "deelneemt, dus de rijen tellen niet op tot een totaal.",
            window="De deelnemers zoals nu vastgelegd, voor casussen die in de periode liepen.",
            exclusions="Het Zorg- en Veiligheidshuis zelf; organisaties zonder casus in de periode.",
        ),
        compute=cases_per_partner,
        cases=cases_per_partner_cases,
        headline="aantal deelnemende organisaties",
        unit=NUMBER,
    )
)
