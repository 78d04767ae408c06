"""Lead times (SPEC §7): aanmelding → triage decision → first meeting → closure, as median and 90th
percentile in whole days, per theme. Grouped by (theme, days) in the database; the percentiles are read
off that histogram."""

from __future__ import annotations

from collections import Counter

from django.db.models import Exists, OuterRef, Q

from tafel.cases.models import Case, Theme, Triage, TriageOutcome
from tafel.reports.indicators.base import (
    COUNT,
    DAYS,
    Column,
    DaysBetween,
    Definition,
    Indicator,
    Params,
    Result,
    Row,
    case_conditions,
    count,
    derived,
    grouped_histograms,
    in_period,
    partitioned,
    percentile,
    register,
)
from tafel.reports.indicators.lifecycle import first_closures_in_period

LEAD_TIME_COLUMNS = [
    Column("n", "Aantal casussen", COUNT),
    Column("mediaan", "Mediaan (dagen)", DAYS),
    Column("p90", "90e percentiel (dagen)", DAYS),
]


def _lead_time_row(key: str, label: str, histogram: Counter) -> Row:
    n = count(sum(histogram.values()))
    return Row(
        key,
        label,
        {
            "n": n,
            "mediaan": derived(percentile(histogram, 0.5), DAYS, n),
            "p90": derived(percentile(histogram, 0.9), DAYS, n),
        },
    )


def lead_time_table(histograms: dict, headline_label: str) -> Result:
    rows = [_lead_time_row(key, label, histograms.get(key, Counter())) for key, label in Theme.choices]
    everything: Counter = Counter()
    for histogram in histograms.values():
        everything.update(histogram)
    total = _lead_time_row("totaal", "Alle thema's", everything)
    result = Result(
        columns=list(LEAD_TIME_COLUMNS),
        rows=rows,
        total=total,
        headline=total.cells["mediaan"],
        headline_label=headline_label,
        stats=[("90e percentiel (dagen)", total.cells["p90"]), ("Aantal casussen", total.cells["n"])],
        chart_columns=("mediaan", "p90"),
    )
    return partitioned(result, "n")


# --- aanmelding → triage decision -------------------------------------------------------------------------


def _routing_decisions(params: Params):
    return Triage.objects.filter(
        in_period("decided_at", params.period),
        *case_conditions(params, path="case__", case_ref="case_id"),
        aanmelding__isnull=False,
    ).exclude(outcome=TriageOutcome.VERRIJKEN)


def triage_lead_time(params: Params) -> Result:
    qs = _routing_decisions(params).annotate(days=DaysBetween("decided_at", "aanmelding__created_at"))
    return lead_time_table(grouped_histograms(qs, "case__theme", "days"), "Mediaan aanmelding → triagebesluit (dagen)")


def triage_lead_time_cases(params: Params, row: str, column: str):
    qs = Case.objects.filter(Exists(_routing_decisions(params).filter(case_id=OuterRef("pk"))))
    return qs if row == "totaal" else qs.filter(theme=row)


register(
    Indicator(
        code="doorlooptijd_triage",
        cost=2,
        name="Doorlooptijd aanmelding → triagebesluit",
        group="doorlooptijd",
        definition=Definition(
            numerator="Per routeringsbesluit (ZVH-aanpak, lokaal, RIEC, niet geaccepteerd) in de periode: het "
            "aantal hele dagen (van 24 uur, naar beneden afgerond) van de aanmelding waarop het besluit antwoordt "
            "tot het besluit: een besluit binnen 24 uur duurt 0 dagen. Mediaan en 90e percentiel (lineair "
            "geïnterpoleerd tussen de twee dichtstbijzijnde waarden).",
            denominator="Alle routeringsbesluiten in de periode (per thema van de casus).",
            window="Datum van het besluit binnen de periode.",
            exclusions="‘Eerst verrijken’ is geen routeringsbesluit en telt niet; de tijd in verrijking telt wel "
            "mee in het latere besluit. Casussen zonder besluit (wachtend op triage) tellen niet.",
        ),
        compute=triage_lead_time,
        cases=triage_lead_time_cases,
        headline="mediaan dagen aanmelding → triagebesluit",
        unit=DAYS,
    )
)


# --- aanmelding → closure ---------------------------------------------------------------------------------


def closure_lead_time(params: Params) -> Result:
    qs = first_closures_in_period(params).annotate(days=DaysBetween("at", "case__created_at"))
    return lead_time_table(grouped_histograms(qs, "case__theme", "days"), "Mediaan aanmelding → afsluiting (dagen)")


def closure_lead_time_cases(params: Params, row: str, column: str):
    qs = Case.objects.filter(pk__in=first_closures_in_period(params).values("case_id"))
    return qs if row == "totaal" else qs.filter(theme=row)


register(
    Indicator(
        code="doorlooptijd_afsluiting",
        cost=2,
        name="Doorlooptijd aanmelding → afsluiting",
        group="doorlooptijd",
        definition=Definition(
            numerator="Per casus die in de periode is afgesloten (statuswijziging naar ‘afgesloten’): het aantal "
            "hele dagen (24 uur, naar beneden afgerond) van de eerste aanmelding (aanmaak van de casus) tot de "
            "afsluiting. Mediaan en 90e percentiel (lineair geïnterpoleerd).",
            denominator="Alle casussen die in de periode zijn afgesloten, elk één keer (de eerste afsluiting in "
            "de periode).",
            window="Datum van afsluiting binnen de periode.",
            exclusions="Casussen die nog lopen of onder ‘volgen op afstand’ staan tellen niet mee. Lokaal, RIEC "
            "en niet geaccepteerd zijn triage-uitkomsten, geen afsluiting van een ZVH-aanpak. Een heropende "
            "casus telt vanaf zijn oorspronkelijke aanmelding.",
        ),
        compute=closure_lead_time,
        cases=closure_lead_time_cases,
        headline="mediaan dagen aanmelding → afsluiting",
        unit=DAYS,
    )
)


# --- aanmelding → first meeting ---------------------------------------------------------------------------


def _first_discussions(params: Params):
    from tafel.meetings.models import AgendaItem, MeetingStatus

    held = (MeetingStatus.OPEN, MeetingStatus.HELD, MeetingStatus.CLOSED)  # opened counts: it took place
    earlier = AgendaItem.objects.filter(case_id=OuterRef("case_id"), deferred=False, meeting__status__in=held).filter(
        Q(meeting__starts_at__lt=OuterRef("meeting__starts_at"))
        | Q(meeting__starts_at=OuterRef("meeting__starts_at"), id__lt=OuterRef("id"))
    )
    return AgendaItem.objects.filter(
        in_period("meeting__starts_at", params.period),
        ~Exists(earlier),
        *case_conditions(params, path="case__", case_ref="case_id"),
        deferred=False,
        meeting__status__in=held,
    )


def first_meeting_lead_time(params: Params) -> Result:
    qs = _first_discussions(params).annotate(days=DaysBetween("meeting__starts_at", "case__created_at"))
    return lead_time_table(
        grouped_histograms(qs, "case__theme", "days"), "Mediaan aanmelding → eerste bespreking (dagen)"
    )


def first_meeting_lead_time_cases(params: Params, row: str, column: str):
    qs = Case.objects.filter(pk__in=_first_discussions(params).values("case_id"))
    return qs if row == "totaal" else qs.filter(theme=row)


register(
    Indicator(
        code="doorlooptijd_eerste_overleg",
        name="Doorlooptijd aanmelding → eerste bespreking in een overleg",
        group="doorlooptijd",
        definition=Definition(
            numerator="Per casus die in de periode voor het eerst in een gehouden overleg is besproken: het aantal "
            "hele dagen (24 uur, naar beneden afgerond) van de eerste aanmelding tot de aanvang van dat overleg. "
            "Mediaan en 90e percentiel.",
            denominator="Alle casussen met hun eerste bespreking in de periode.",
            window="Datum van het overleg binnen de periode.",
            exclusions="Doorgeschoven agendapunten en geplande (nog niet gehouden) overleggen tellen niet als "
            "bespreking.",
        ),
        compute=first_meeting_lead_time,
        cases=first_meeting_lead_time_cases,
        headline="mediaan dagen aanmelding → eerste bespreking",
        unit=DAYS,
    )
)
