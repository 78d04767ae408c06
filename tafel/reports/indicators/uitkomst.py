"""Outcomes (SPEC §7): leaving the ZVH-aanpak, re-entry within 12 months after closure, new meldingen during
the aanpak, phase progression and scale scores."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from tafel.cases.models import (
    Aanmelding,
    Case,
    CasePerson,
    CaseStatus,
    CaseStatusChange,
    EntryRoute,
    Phase,
    Theme,
)
from tafel.lifecycle.models import ClosureKind, GoalReached
from tafel.reports.indicators.base import (
    COUNT,
    MEAN,
    SHARE,
    Cell,
    Column,
    Definition,
    Indicator,
    Params,
    Partition,
    PlusDays,
    Result,
    Row,
    case_conditions,
    count,
    derived,
    grouped_counts,
    in_period,
    mean_of,
    partitioned,
    register,
    share,
)
from tafel.reports.indicators.instroom import count_table
from tafel.reports.indicators.kwaliteit import RATIO_COLUMNS, ratio_row
from tafel.reports.indicators.lifecycle import (
    ZVH_STATUSES,
    last_closures_in_period,
    retained_closures,
    whole_quarters,
)

# --- leaving the ZVH-aanpak -------------------------------------------------------------------------------

EXIT_ROWS = [
    (CaseStatus.VOLGEN, "Naar volgen op afstand"),
    (CaseStatus.AFGESLOTEN, "Afgesloten"),
    (CaseStatus.LOKAAL, "Afgeschaald naar lokaal"),
    (CaseStatus.RIEC, "Opgeschaald naar RIEC"),
]


def _exits(params: Params):
    return CaseStatusChange.objects.filter(
        in_period("at", params.period),
        *case_conditions(params, path="case__", case_ref="case_id"),
        from_status__in=ZVH_STATUSES,
        to_status__in=[key for key, _ in EXIT_ROWS],
    ).exclude(from_status=F("to_status"))


def exits(params: Params) -> Result:
    counts = grouped_counts(_exits(params), "to_status")
    # Closed cases that retention has destroyed since keep counting through their retained statistics.
    retained = retained_closures(params, [CaseStatus.AFGESLOTEN])
    for status, n in retained.items():
        counts[status] = counts.get(status, 0) + n
    result = count_table(EXIT_ROWS, counts, total_label="Alle overgangen")
    if retained:
        result.notes.append(
            "Inclusief afgesloten casussen die na de bewaartermijn zijn vernietigd (via hun bewaarde statistiek); "
            "die staan niet in de lijst van casussen achter het cijfer."
        )
    result.headline = result.row(CaseStatus.AFGESLOTEN).cells["aantal"]
    result.headline_label = "Afgesloten"
    result.notes.append(
        "Een gestructureerde reden van afsluiting wordt nog niet vastgelegd; de reden staat als vrije tekst in de "
        "statushistorie van de casus."
    )
    return result


def exits_cases(params: Params, row: str, column: str):
    qs = _exits(params)
    if row != "totaal":
        qs = qs.filter(to_status=row)
    return Case.objects.filter(pk__in=qs.values("case_id"))


register(
    Indicator(
        code="afsluitingen",
        name="Uitstroom uit de ZVH-aanpak: volgen, afsluiten, afschalen, opschalen",
        group="uitkomst",
        definition=Definition(
            numerator="Statuswijzigingen in de periode vanuit ‘ZVH-aanpak loopt’ of ‘volgen op afstand’ naar "
            "volgen op afstand, afgesloten, lokaal (afschaling) of RIEC (opschaling) (SPEC §5.3).",
            denominator="Aandeel: alle zulke overgangen in de periode.",
            window="Datum van de statuswijziging binnen de periode.",
            exclusions="Triage-uitkomsten (een casus die nooit in de ZVH-aanpak zat) tellen niet. Een casus die "
            "twee keer overgaat (bijvoorbeeld eerst volgen, dan afgesloten) telt bij beide. Afgesloten casussen "
            "die na de bewaartermijn zijn vernietigd, tellen mee via hun bewaarde statistiek (kwartaal van "
            "afsluiting, gemeente, thema, instroomroute): bij ‘Afgesloten’, in een periode van hele kwartalen en "
            "niet bij een filter op organisatie of soort overleg. Een vernietigde casus die lokaal of naar het "
            "RIEC ging, telt niet: uit de bewaarde statistiek blijkt niet of hij in de ZVH-aanpak zat.",
        ),
        compute=exits,
        cases=exits_cases,
        headline="aantal afgesloten casussen",
    )
)


# --- re-entry within 12 months after leaving active handling ---------------------------------------------

REENTRY_DAYS = 365
# Leaving active handling (SPEC §7): closed, stepped down to local handling, or moved to volgen op afstand —
# always from a running ZVH-aanpak (a triage outcome "lokaal" is not a leaving).
LEFT_STATUSES = (CaseStatus.AFGESLOTEN, CaseStatus.LOKAAL, CaseStatus.VOLGEN)
BACK_STATUSES = (CaseStatus.AANGEMELD, CaseStatus.VERRIJKEN, CaseStatus.ACTIEF)


def _leavings():
    return CaseStatusChange.objects.filter(from_status=CaseStatus.ACTIEF, to_status__in=LEFT_STATUSES)


def first_leavings_in_period(params: Params):
    """The moment each case left active handling in the period: its first such status change in it. A case
    that left, came back and left again in one quarter is one case of that quarter."""
    period = params.period
    earlier_in_period = (
        _leavings()
        .filter(case_id=OuterRef("case_id"), at__gte=period.start)
        .filter(Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lt=OuterRef("id")))
    )
    return _leavings().filter(
        in_period("at", period),
        ~Exists(earlier_in_period),
        *case_conditions(params, path="case__", case_ref="case_id"),
    )


def _reentry_condition() -> Q:
    """For a leaving (a CaseStatusChange row): within 365 days after it, a new melding or aanmelding on the case
    (under volgen op afstand it joins the case), the case taken back into handling (reopened, also at a
    professional's initiative), or a new case about one of its persons (after closure or afschaling a new
    melding makes a new case: SPEC §3.2 joins only open and followed cases)."""
    window_end = PlusDays(OuterRef("at"), REENTRY_DAYS)
    new_aanmelding = Aanmelding.objects.filter(
        case_id=OuterRef("case_id"), created_at__gt=OuterRef("at"), created_at__lte=window_end
    )
    reopened = CaseStatusChange.objects.filter(
        case_id=OuterRef("case_id"),
        from_status__in=LEFT_STATUSES,
        to_status__in=BACK_STATUSES,
        at__gt=OuterRef("at"),
        at__lte=window_end,
    )
    new_case = CasePerson.objects.filter(
        person_id__in=Subquery(CasePerson.objects.filter(case_id=OuterRef(OuterRef("case_id"))).values("person_id")),
        case__created_at__gt=OuterRef("at"),
        case__created_at__lte=window_end,
    ).exclude(case_id=OuterRef("case_id"))
    return Q(Exists(new_aanmelding)) | Q(Exists(reopened)) | Q(Exists(new_case))


def reentry_history(case_id: int) -> list[dict]:
    """What retention keeps of a case for this figure (privacy.RetainedCaseStat.reentry_exits): per quarter in
    which the case left active handling, whether it re-entered within 365 days after its first leaving of that
    quarter — the same rule, computed while the case still exists."""
    out: dict[tuple[int, int], bool] = {}
    for change in _leavings().filter(case_id=case_id).order_by("at", "id"):
        local = timezone.localtime(change.at)
        key = (local.year, (local.month - 1) // 3 + 1)
        if key in out:
            continue
        out[key] = CaseStatusChange.objects.filter(pk=change.pk).filter(_reentry_condition()).exists()
    return [{"y": y, "q": q, "r": r} for (y, q), r in sorted(out.items())]


def _retained_reentry(params: Params) -> dict[str, tuple[int, int]]:
    """Destroyed cases (privacy.RetainedCaseStat) that left active handling in the period, per theme: (left,
    re-entered). Only for periods of whole quarters and filters their statistic can answer (as
    `retained_closures`)."""
    from tafel.privacy.models import RetainedCaseStat

    if params.organisation_id or params.overleg_type:
        return {}
    quarters = whole_quarters(params.period)
    if not quarters:
        return {}
    first, last = quarters[0], quarters[-1]
    qs = RetainedCaseStat.objects.exclude(reentry_exits=[]).filter(created_year__lte=last[0], closed_year__gte=first[0])
    if params.municipality_id:
        qs = qs.filter(municipality_id=params.municipality_id)
    if params.theme:
        qs = qs.filter(theme=params.theme)
    if params.route:
        qs = qs.filter(route=params.route)
    wanted = set(quarters)
    out: dict[str, list[int]] = {}
    for theme, exits in qs.values_list("theme", "reentry_exits"):
        inside = [e for e in exits or [] if (e["y"], e["q"]) in wanted]
        if not inside:
            continue
        earliest = min(inside, key=lambda e: (e["y"], e["q"]))
        cell = out.setdefault(theme, [0, 0])
        cell[0] += 1
        cell[1] += int(bool(earliest["r"]))
    return {theme: (left, back) for theme, (left, back) in out.items()}


def reentry(params: Params) -> Result:
    leavings = first_leavings_in_period(params)
    window_open_since = timezone.now() - datetime.timedelta(days=REENTRY_DAYS)
    grouped = (
        leavings.order_by()
        .values("case__theme")
        .annotate(
            left=Count("pk"),
            reentered=Count("pk", filter=_reentry_condition()),
            window_open=Count("pk", filter=Q(at__gt=window_open_since)),
        )
        .values_list("case__theme", "left", "reentered", "window_open")
    )
    figures = {theme: [left, reentered, window_open] for theme, left, reentered, window_open in grouped}
    retained = _retained_reentry(params)
    for theme, (left, back) in retained.items():
        cell = figures.setdefault(theme, [0, 0, 0])
        cell[0] += left
        cell[1] += back
    rows = []
    for key, label in Theme.choices:
        left, reentered, _ = figures.get(key, (0, 0, 0))
        c, r = count(left), count(reentered)
        rows.append(Row(key, label, {"afgesloten": c, "heraangemeld": r, "aandeel": share(r, c)}))
    total_left = count(sum(v[0] for v in figures.values()))
    total_reentered = count(sum(v[1] for v in figures.values()))
    window_open = count(sum(v[2] for v in figures.values()))
    total = Row(
        "totaal",
        "Alle thema's",
        {"afgesloten": total_left, "heraangemeld": total_reentered, "aandeel": share(total_reentered, total_left)},
    )
    result = Result(
        columns=[
            Column("afgesloten", "Uit de actieve aanpak in de periode", COUNT),
            Column("heraangemeld", "Binnen 12 maanden opnieuw gemeld", COUNT),
            Column("aandeel", "Aandeel", SHARE),
        ],
        rows=rows,
        total=total,
        headline=total.cells["aandeel"],
        headline_label="Opnieuw gemeld binnen 12 maanden",
        stats=[("Casussen waarvan de 12 maanden nog niet om zijn", window_open)],
        chart_columns=("aandeel",),
    )
    if window_open.value:
        result.notes.append(
            "Voorlopig cijfer: voor een deel van de casussen zijn de 12 maanden na het verlaten van de actieve "
            "aanpak nog niet verstreken."
        )
    if retained:
        result.notes.append(
            "Inclusief casussen die na de bewaartermijn zijn vernietigd (via hun bewaarde statistiek); die staan "
            "niet in de lijst van casussen achter het cijfer."
        )
    return partitioned(result, "afgesloten", "heraangemeld")


def reentry_cases(params: Params, row: str, column: str):
    leavings = first_leavings_in_period(params)
    if column == "heraangemeld":
        leavings = leavings.filter(_reentry_condition())
    qs = Case.objects.filter(pk__in=leavings.values("case_id"))
    return qs if row == "totaal" else qs.filter(theme=row)


register(
    Indicator(
        code="heraanmelding_12m",
        cost=2,
        settles_after_days=REENTRY_DAYS,
        name="Opnieuw gemeld binnen 12 maanden na de actieve aanpak",
        group="uitkomst",
        definition=Definition(
            numerator="Casussen uit de noemer waarover binnen 365 dagen nadat ze de actieve aanpak verlieten "
            "opnieuw iets binnenkwam: een nieuwe melding of aanmelding op de casus (ook een nieuwe politiemelding "
            "onder volgen op afstand), het weer oppakken van de casus, of een nieuwe casus met een van dezelfde "
            "personen. Elke casus telt één keer, hoe vaak hij ook terugkomt.",
            denominator="Casussen die in de periode de actieve aanpak verlieten: afgesloten, afgeschaald naar "
            "lokaal of naar volgen op afstand (de eerste keer in de periode telt).",
            window="Het verlaten van de actieve aanpak binnen de periode; terugkeer binnen 365 dagen daarna (tot "
            "vandaag, zolang die 365 dagen nog niet om zijn: dan is het cijfer voorlopig).",
            exclusions="Triage-uitkomsten (een casus die nooit in de actieve aanpak zat, ook ‘lokaal’ bij triage) "
            "en opschaling naar het RIEC. Casussen die na de bewaartermijn zijn vernietigd, tellen mee via hun "
            "bewaarde statistiek, in een periode van hele kwartalen en niet bij een filter op organisatie of "
            "soort overleg.",
        ),
        compute=reentry,
        cases=reentry_cases,
        headline="% opnieuw gemeld binnen 12 maanden",
        unit=SHARE,
    )
)


# --- new meldingen during the ZVH-aanpak ------------------------------------------------------------------


def _meldingen_during(params: Params):
    status_then = Subquery(
        CaseStatusChange.objects.filter(case_id=OuterRef("case_id"), at__lt=OuterRef("created_at"))
        .order_by("-at", "-id")
        .values("to_status")[:1]
    )
    qs = Aanmelding.objects.filter(
        in_period("created_at", params.period),
        *case_conditions(params, path="case__", case_ref="case_id", route=False),
    )
    if params.route:
        qs = qs.filter(route=params.route)
    return qs.annotate(status_then=status_then).filter(status_then__in=ZVH_STATUSES)


def meldingen_during(params: Params) -> Result:
    result = count_table(EntryRoute.choices, grouped_counts(_meldingen_during(params), "route"))
    result.headline_label = "Nieuwe meldingen tijdens de ZVH-aanpak"
    return result


def meldingen_during_cases(params: Params, row: str, column: str):
    qs = _meldingen_during(params)
    if row != "totaal":
        qs = qs.filter(route=row)
    return Case.objects.filter(pk__in=qs.values("case_id"))


register(
    Indicator(
        code="meldingen_tijdens",
        cost=2,
        name="Nieuwe meldingen tijdens de ZVH-aanpak",
        group="uitkomst",
        definition=Definition(
            numerator="Aanmeldingen die in de periode binnenkwamen over een casus die op dat moment in de "
            "ZVH-aanpak zat (actief of volgen op afstand), naar instroomroute.",
            denominator="Aandeel: alle zulke aanmeldingen.",
            window="Datum van de aanmelding binnen de periode; de status van de casus op dat moment.",
            exclusions="Aanmeldingen over een casus die nog op triage wachtte.",
        ),
        compute=meldingen_during,
        cases=meldingen_during_cases,
        headline="aantal nieuwe meldingen tijdens de aanpak",
    )
)


# --- phases -----------------------------------------------------------------------------------------------

PHASE_LABEL = dict(Phase.choices)
FORWARD = [
    ("", Phase.DIRECTE_VEILIGHEID),
    (Phase.DIRECTE_VEILIGHEID, Phase.RISICOGESTUURDE_ZORG),
    (Phase.RISICOGESTUURDE_ZORG, Phase.HERSTELGERICHTE_ZORG),
    (Phase.RISICOGESTUURDE_ZORG, Phase.DIRECTE_VEILIGHEID),
    (Phase.HERSTELGERICHTE_ZORG, Phase.RISICOGESTUURDE_ZORG),
    (Phase.HERSTELGERICHTE_ZORG, Phase.DIRECTE_VEILIGHEID),
]


def _phase_key(from_phase: str, to_phase: str) -> str:
    return f"{from_phase or 'start'}__{to_phase}"


def _phase_label(from_phase: str, to_phase: str) -> str:
    if not from_phase:
        return f"Start in {PHASE_LABEL.get(to_phase, to_phase).lower()}"
    return f"{PHASE_LABEL.get(from_phase, from_phase)} → {PHASE_LABEL.get(to_phase, to_phase).lower()}"


def _phase_changes(params: Params):
    from tafel.meetings.models import PhaseChange

    return PhaseChange.objects.filter(
        in_period("at", params.period), *case_conditions(params, path="case__", case_ref="case_id")
    )


def phases(params: Params) -> Result:
    counts: dict[str, int] = {}
    pairs = list(FORWARD)
    rows = (
        _phase_changes(params)
        .order_by()
        .values("from_phase", "to_phase")
        .annotate(n=Count("pk"))
        .values_list("from_phase", "to_phase", "n")
    )
    for from_phase, to_phase, n in rows:
        counts[_phase_key(from_phase, to_phase)] = n
        if (from_phase, to_phase) not in pairs:
            pairs.append((from_phase, to_phase))
    choices = [(_phase_key(f, t), _phase_label(f, t)) for f, t in pairs]
    result = count_table(choices, counts, total_label="Alle fasewisselingen")
    result.headline = result.row(_phase_key(Phase.RISICOGESTUURDE_ZORG, Phase.HERSTELGERICHTE_ZORG)).cells["aantal"]
    result.headline_label = "Door naar herstelgerichte zorg"
    return result


def phases_cases(params: Params, row: str, column: str):
    qs = _phase_changes(params)
    if row != "totaal":
        from_phase, _, to_phase = row.partition("__")
        qs = qs.filter(from_phase="" if from_phase == "start" else from_phase, to_phase=to_phase)
    return Case.objects.filter(pk__in=qs.values("case_id"))


register(
    Indicator(
        code="fasen",
        name="Faseprogressie: directe veiligheid → risicogestuurde zorg → herstel",
        group="uitkomst",
        definition=Definition(
            numerator="Fasewisselingen die in de periode in de oordeelsvorming zijn besloten (SPEC §4.3), naar "
            "van- en naar-fase; ‘start’ is de eerste fase van een casus.",
            denominator="Aandeel: alle fasewisselingen in de periode.",
            window="Datum van de fasewisseling binnen de periode.",
            exclusions="Geen.",
        ),
        compute=phases,
        cases=phases_cases,
        headline="aantal casussen door naar herstelgerichte zorg",
    )
)


# --- scale scores -----------------------------------------------------------------------------------------


def _scale_scores(params: Params):
    from tafel.meetings.models import ScaleScore

    return ScaleScore.objects.filter(
        in_period("created_at", params.period),
        *case_conditions(params, path="discussion__case__", case_ref="discussion__case_id"),
    )


def scale_scores(params: Params) -> Result:
    from tafel.meetings.models import ScaleKind

    histograms: dict[tuple[str, bool], Counter] = {}
    for kind, is_client, score, n in (
        _scale_scores(params)
        .order_by()
        .values("kind", "is_client", "score")
        .annotate(n=Count("pk"))
        .values_list("kind", "is_client", "score", "n")
    ):
        histograms.setdefault((kind, is_client), Counter())[score] += n
    cases = grouped_distinct_cases(params)
    rows = []
    for key, label in ScaleKind.choices:
        pro = histograms.get((key, False), Counter())
        client = histograms.get((key, True), Counter())
        n_pro, n_client = count(sum(pro.values())), count(sum(client.values()))
        rows.append(
            Row(
                key,
                label,
                {
                    "casussen": count(cases.get(key, 0)),
                    "scores": Cell(n_pro.value + n_client.value, COUNT, basis=(n_pro, n_client)),
                    "professionals": derived(mean_of(pro), MEAN, n_pro),
                    "client": derived(mean_of(client), MEAN, n_client),
                },
            )
        )
    return Result(
        columns=[
            Column("casussen", "Casussen", COUNT),
            Column("scores", "Scores", COUNT),
            Column("professionals", "Gemiddelde professionals (1–10)", MEAN),
            Column("client", "Gemiddelde cliënten (1–10)", MEAN),
        ],
        rows=rows,
        headline=rows[0].cells["professionals"],
        headline_label="Gemiddelde schaalscore directe veiligheid (professionals)",
        chart_columns=("professionals", "client"),
        notes=[
            "Het verloop per casus (eerste tegen laatste score) wordt nog niet getoond; de gemiddelden gaan over "
            "alle scores die in de periode zijn gegeven."
        ],
    )


def grouped_distinct_cases(params: Params) -> dict[str, int]:
    return dict(
        _scale_scores(params)
        .order_by()
        .values("kind")
        .annotate(n=Count("discussion__case_id", distinct=True))
        .values_list("kind", "n")
    )


def scale_scores_cases(params: Params, row: str, column: str):
    qs = _scale_scores(params)
    if row != "totaal":
        qs = qs.filter(kind=row)
    return Case.objects.filter(pk__in=qs.values("discussion__case_id"))


register(
    Indicator(
        code="schaalscores",
        name="Schaalvragen: directe veiligheid, stabiele veiligheid, kwaliteit van leven",
        group="uitkomst",
        definition=Definition(
            numerator="Schaalscores 1–10 die in de periode in een gespreksverslag zijn vastgelegd (SPEC §4.3), per "
            "schaalvraag; gemiddeld, apart voor professionals en cliënten.",
            denominator="Het aantal scores per groep; ‘casussen’ telt elke casus één keer per schaalvraag.",
            window="Datum van vastleggen binnen de periode.",
            exclusions="Geen.",
        ),
        compute=scale_scores,
        cases=scale_scores_cases,
        headline="gemiddelde score directe veiligheid",
        unit=MEAN,
    )
)


# --- closures by kind and criterion -------------------------------------------------------------------

# The closure criteria of an afsluiting (SPEC §5.3, 000:L2322, L3460), as the closing form asks them.
CRITERION_ROWS = [
    ("care_started", "Criterium: iedereen die zorg nodig heeft, is gestart"),
    ("justice_started", "Criterium: justitieel traject gestart"),
    ("family_refuses", "Criterium: het gezin weigert hulp"),
]
KIND_ROWS = [
    (ClosureKind.AFSLUITING, "Afsluiting (afsluitcriteria voldaan)"),
    (ClosureKind.AFSCHALING, "Afschaling naar lokaal (warme overdracht)"),
    (ClosureKind.RIEC, "Opschaling naar het RIEC"),
]


def _criterion(key: str) -> Q:
    return Q(**{f"criteria__{key}": True})


def _several_criteria() -> Q:
    keys = [key for key, _ in CRITERION_ROWS]
    several = Q()
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            several |= _criterion(first) & _criterion(second)
    return several


def closure_reasons(params: Params) -> Result:
    closures = last_closures_in_period(params)
    afsluiting = Q(kind=ClosureKind.AFSLUITING)
    figures = closures.aggregate(
        n_total=Count("pk"),
        **{f"n_{kind}": Count("pk", filter=Q(kind=kind)) for kind, _ in KIND_ROWS},
        **{f"n_{key}": Count("pk", filter=afsluiting & _criterion(key)) for key, _ in CRITERION_ROWS},
        n_meerdere=Count("pk", filter=afsluiting & _several_criteria()),
    )
    total = count(figures["n_total"])
    kinds = {kind: count(figures[f"n_{kind}"]) for kind, _ in KIND_ROWS}
    closed = kinds[ClosureKind.AFSLUITING]

    rows = [ratio_row(kind, label, kinds[kind], total) for kind, label in KIND_ROWS]
    rows += [ratio_row(key, label, count(figures[f"n_{key}"]), closed) for key, label in CRITERION_ROWS]
    rows.append(
        ratio_row(
            "meerdere", "Afsluitingen die aan meer dan één criterium voldeden", count(figures["n_meerdere"]), closed
        )
    )
    return Result(
        columns=list(RATIO_COLUMNS),
        rows=rows,
        total=Row(
            "totaal",
            "Alle afsluitingen, afschalingen en opschalingen",
            {"aantal": total, "noemer": total, "aandeel": share(total, total)},
        ),
        headline=rows[len(KIND_ROWS)].cells["aandeel"],
        headline_label="Afsluitingen waarbij iedereen die zorg nodig heeft, is gestart",
        partitions=[Partition(cells=list(kinds.values()), total=total)],
        chart_columns=("aandeel",),
        notes=[
            "Een afsluiting kan aan meer dan één criterium voldoen; de criteria tellen daarom niet op tot het aantal "
            "afsluitingen. Afschalingen en opschalingen hebben geen afsluitcriteria."
        ],
    )


def closure_reasons_cases(params: Params, row: str, column: str):
    closures = last_closures_in_period(params)
    criteria = {key for key, _ in CRITERION_ROWS}
    if row in criteria or row == "meerdere":
        closures = closures.filter(kind=ClosureKind.AFSLUITING)
        if column != "noemer":
            closures = closures.filter(_several_criteria() if row == "meerdere" else _criterion(row))
    elif row != "totaal" and column != "noemer":
        closures = closures.filter(kind=row)
    return Case.objects.filter(pk__in=closures.values("case_id"))


register(
    Indicator(
        code="afsluitredenen",
        cost=2,
        name="Afsluitingen naar reden",
        group="uitkomst",
        definition=Definition(
            numerator="Per soort: casussen die de ZVH-aanpak verlieten met een afsluiting, een afschaling naar "
            "lokaal of een opschaling naar het RIEC (SPEC §5.3). Per afsluitcriterium: afsluitingen waarbij dat "
            "criterium is aangevinkt (iedereen die zorg nodig heeft is gestart; justitieel traject gestart; het "
            "gezin weigert hulp; 000:L2322, L3460). Een afsluiting die aan twee of drie criteria voldoet, telt bij "
            "elk daarvan één keer, en ook bij ‘meer dan één criterium’.",
            denominator="Per soort: alle afsluitingen, afschalingen en opschalingen in de periode. Per criterium: "
            "de afsluitingen in de periode.",
            window="Datum van de vastgelegde afsluiting binnen de periode. Per casus telt alleen de laatste "
            "afsluiting in de periode: een casus die in dezelfde periode werd afgesloten, heropend en opnieuw "
            "afgesloten, telt één keer, met de soort en criteria van die laatste afsluiting.",
            exclusions="De overgang van ‘volgen op afstand’ naar ‘afgesloten’ aan het einde van de volgperiode is "
            "geen nieuwe afsluiting. De controlelijst (partners en gezin geïnformeerd) telt niet als reden. "
            "Casussen die na de bewaartermijn zijn vernietigd, tellen niet: van hen wordt de reden niet bewaard.",
        ),
        compute=closure_reasons,
        cases=closure_reasons_cases,
        headline="% afsluitingen waarbij iedereen die zorg nodig heeft, is gestart",
        unit=SHARE,
    )
)


# --- goals reached ("doorbraak") ----------------------------------------------------------------------------

GOAL_ROWS = [
    (GoalReached.BEREIKT, "Doel bereikt"),
    (GoalReached.DEELS, "Doel deels bereikt"),
    (GoalReached.NIET, "Doel niet bereikt"),
    ("onbekend", "Onbekend (niet vastgelegd)"),
]
GOAL_KINDS = (ClosureKind.AFSLUITING, ClosureKind.AFSCHALING)


def _goal_closures(params: Params):
    return last_closures_in_period(params).filter(kind__in=GOAL_KINDS)


def goals_reached(params: Params) -> Result:
    counts = grouped_counts(_goal_closures(params), "goal_reached")
    counts["onbekend"] = counts.pop(None, 0) + counts.pop("", 0)
    cells = {key: count(counts.get(key, 0)) for key, _ in GOAL_ROWS}
    total = count(sum(c.value for c in cells.values()))
    answered_cells = [cells[key] for key, _ in GOAL_ROWS[:3]]
    answered = Cell(sum(c.value for c in answered_cells), COUNT)
    rows = [Row(key, label, {"aantal": cells[key], "aandeel": share(cells[key], total)}) for key, label in GOAL_ROWS]
    return Result(
        columns=[Column("aantal", "Casussen", COUNT), Column("aandeel", "Aandeel", SHARE)],
        rows=rows,
        total=Row("totaal", "Afgesloten en afgeschaalde casussen", {"aantal": total, "aandeel": share(total, total)}),
        headline=share(cells[GoalReached.BEREIKT], answered),
        headline_label="Doel bereikt (van de casussen met een vastgelegd antwoord)",
        stats=[("Casussen met een vastgelegd antwoord", answered)],
        partitions=[
            Partition(cells=[cells[key] for key, _ in GOAL_ROWS], total=total),
            # Answered plus unknown make the total: hiding one of the two alone would not hide it.
            Partition(cells=[answered, cells["onbekend"]], total=total),
        ],
        chart_columns=("aandeel",),
        notes=["Referentie: in 3 van de 4 casussen werd een doorbraak bereikt (001:L456)."],
    )


def goals_reached_cases(params: Params, row: str, column: str):
    closures = _goal_closures(params)
    if row == "onbekend":
        closures = closures.filter(Q(goal_reached__isnull=True) | Q(goal_reached=""))
    elif row != "totaal":
        closures = closures.filter(goal_reached=row)
    return Case.objects.filter(pk__in=closures.values("case_id"))


register(
    Indicator(
        code="doelen_bereikt",
        name="Doelen bereikt (doorbraak)",
        group="uitkomst",
        definition=Definition(
            numerator="Casussen waarvan bij afsluiting of afschaling is vastgelegd dat het gezamenlijke doel is "
            "bereikt (‘doorbraak’: 3 van 4 casussen in 001:L456); in de tabel ook deels bereikt, niet bereikt en "
            "onbekend.",
            denominator="Kopcijfer: de casussen die in de periode zijn afgesloten of afgeschaald met een vastgelegd "
            "antwoord (bereikt, deels of niet). Tabel: alle casussen die in de periode zijn afgesloten of "
            "afgeschaald, ook die zonder antwoord (‘onbekend’).",
            window="Datum van de vastgelegde afsluiting binnen de periode. Per casus telt alleen de laatste "
            "afsluiting in de periode (een casus die in de periode werd afgesloten, heropend en opnieuw "
            "afgesloten, telt één keer, met het antwoord van de laatste keer).",
            exclusions="Opschaling naar het RIEC (daar wordt het doel niet beoordeeld) en casussen waarvan de laatste "
            "afsluiting in de periode een opschaling was. ‘Onbekend’: afsluitingen van vóór de vraag in Tafel "
            "kwam; die tellen niet in de noemer van het kopcijfer. Casussen die na de bewaartermijn zijn "
            "vernietigd, tellen niet.",
        ),
        compute=goals_reached,
        cases=goals_reached_cases,
        headline="% casussen met doel bereikt",
        unit=SHARE,
    )
)


# --- not yet measurable -----------------------------------------------------------------------------------

register(
    Indicator(
        code="politiemeldingen",
        name="Nieuwe politiemeldingen tijdens en na de casus",
        group="uitkomst",
        definition=Definition(
            numerator="Casussen met een nieuwe politiemelding (HG-melding of zorgmelding) over een van de personen, "
            "tijdens de aanpak of binnen 12 maanden na afsluiting.",
            denominator="Casussen in de ZVH-aanpak in de periode.",
            window="Meldingsdatum binnen de aanpak of 12 maanden daarna.",
            exclusions="Geen.",
        ),
        compute=None,
        unavailable_reason="Nog geen gegevens: politiemeldingen komen nog niet als eigen berichten binnen (alleen "
        "als aanmelding).",
    )
)
