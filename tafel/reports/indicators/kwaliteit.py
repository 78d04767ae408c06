"""Process quality (SPEC §7): how triage decisions were taken, casusregie and plans, agreements, meetings."""

from __future__ import annotations

import functools
import operator

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from tafel.cases.models import Case, Criterion, Triage, TriageMode
from tafel.reports.indicators.base import (
    COUNT,
    SHARE,
    Cell,
    Column,
    Definition,
    Indicator,
    Params,
    Partition,
    Result,
    Row,
    case_conditions,
    count,
    in_period,
    register,
    share,
)
from tafel.reports.indicators.lifecycle import zvh_cases_during
from tafel.reports.indicators.populations import plan_annotations, zvh_population_figures

RATIO_COLUMNS = [
    Column("aantal", "Aantal", COUNT),
    Column("noemer", "Van", COUNT),
    Column("aandeel", "Aandeel", SHARE),
]


def ratio_row(key: str, label: str, numerator: Cell, denominator: Cell) -> Row:
    return Row(key, label, {"aantal": numerator, "noemer": denominator, "aandeel": share(numerator, denominator)})


# --- triage -----------------------------------------------------------------------------------------------


def _triages(params: Params):
    return Triage.objects.filter(
        in_period("decided_at", params.period), *case_conditions(params, path="case__", case_ref="case_id")
    )


def triage_quality(params: Params) -> Result:
    figures = _triages(params).aggregate(
        n_total=Count("pk"),
        n_override=Count("pk", filter=~Q(override_reason="")),
        n_caseload_override=Count("pk", filter=~Q(caseload_override_reason="")),
        n_desk=Count("pk", filter=Q(mode=TriageMode.DESK)),
        n_team=Count("pk", filter=Q(mode=TriageMode.TEAM)),
        # Decisions with every criterion argued, from the count stored with the decision (tafel/cases/argued.py):
        # counting the criteria rows of every decision of the period was most of this figure's time at scale.
        n_all_argued=Count("pk", filter=Q(criteria_argued__gte=len(Criterion.values))),
    )
    total = count(figures["n_total"])
    desk, team = count(figures["n_desk"]), count(figures["n_team"])
    rows = [
        ratio_row(
            "override", "Afwijking van de criteria a–d met vastgelegde reden", count(figures["n_override"]), total
        ),
        ratio_row(
            "caseload_override",
            "Maximale caseload overschreden met reden",
            count(figures["n_caseload_override"]),
            total,
        ),
        ratio_row("alle_criteria", "Alle criteria a–e beoordeeld met argument", count(figures["n_all_argued"]), total),
        ratio_row("bureau", "Bureaubesluit procesregisseur", desk, total),
        ratio_row("team", "Triageteam (weegoverleg)", team, total),
    ]
    headline = rows[0].cells["aandeel"]
    return Result(
        columns=list(RATIO_COLUMNS),
        rows=rows,
        total=Row("totaal", "Triagebesluiten", {"aantal": total, "noemer": total, "aandeel": share(total, total)}),
        headline=headline,
        headline_label="Besluiten met afwijking van de criteria",
        partitions=[Partition(cells=[desk, team], total=total)],
        chart_columns=("aandeel",),
    )


def triage_quality_cases(params: Params, row: str, column: str):
    qs = _triages(params)
    if row == "override":
        qs = qs.exclude(override_reason="")
    elif row == "caseload_override":
        qs = qs.exclude(caseload_override_reason="")
    elif row == "bureau":
        qs = qs.filter(mode=TriageMode.DESK)
    elif row == "team":
        qs = qs.filter(mode=TriageMode.TEAM)
    elif row != "totaal":
        return None
    return Case.objects.filter(Exists(qs.filter(case_id=OuterRef("pk"))))


register(
    Indicator(
        code="triage_kwaliteit",
        cost=2,
        name="Kwaliteit van het triageproces",
        group="kwaliteit",
        definition=Definition(
            numerator="Triagebesluiten in de periode met: een vastgelegde reden om af te wijken van criteria a–d "
            "(001:L1745-1757); een reden om de maximale caseload te overschrijden; alle vijf criteria a–e "
            "beoordeeld met een argument; genomen aan het bureau door de procesregisseur of door het triageteam "
            "(001:L1576).",
            denominator="Alle triagebesluiten in de periode (ook ‘eerst verrijken’).",
            window="Datum van het besluit binnen de periode.",
            exclusions="Geen.",
        ),
        compute=triage_quality,
        cases=triage_quality_cases,
        headline="% besluiten met afwijking van de criteria",
        unit=SHARE,
    )
)


# --- casusregie and plans ---------------------------------------------------------------------------------


def casusregie(params: Params) -> Result:
    figures = zvh_population_figures(params)
    total = count(figures.total)
    rows = [
        ratio_row("casusregisseur", "Casusregisseur benoemd", count(figures.with_casusregisseur), total),
        ratio_row("plan", "Plan van aanpak gepubliceerd", count(figures.with_plan), total),
        ratio_row(
            "plan_kwaliteit", "Laatste plan voldoet aan de kwaliteitscriteria", count(figures.with_good_plan), total
        ),
        ratio_row(
            "plan_bewust_onvolledig",
            "Laatste plan bewust onvolledig gepubliceerd (met reden)",
            count(figures.with_confirmed_incomplete_plan),
            total,
        ),
    ]
    return Result(
        columns=list(RATIO_COLUMNS),
        rows=rows,
        total=Row(
            "totaal", "Casussen in de ZVH-aanpak", {"aantal": total, "noemer": total, "aandeel": share(total, total)}
        ),
        headline=rows[0].cells["aandeel"],
        headline_label="Casusregisseur benoemd",
        chart_columns=("aandeel",),
    )


def casusregie_cases(params: Params, row: str, column: str):
    qs = zvh_cases_during(params).annotate(**plan_annotations(params))
    if row == "casusregisseur":
        return qs.filter(casusregisseur__isnull=False)
    if row == "plan":
        return qs.filter(has_plan=True)
    if row == "plan_kwaliteit":
        return qs.filter(good_plan=True)
    if row == "plan_bewust_onvolledig":
        return qs.filter(confirmed_incomplete_plan=True)
    return qs


register(
    Indicator(
        code="casusregie",
        cost=3,
        name="Casusregie en plan van aanpak",
        group="kwaliteit",
        definition=Definition(
            numerator="Casussen met een casusregisseur (SPEC §4.4: benoemd bij de start); met een gepubliceerd plan "
            "van aanpak; waarvan het laatst gepubliceerde plan voldoet aan de kwaliteitscriteria van het "
            "convenant (001:L3340): doel beschreven, casusregisseur genoemd, ten minste één actie, elke actie met "
            "eigenaar en deadline, elke bodemeis met een bewaker en met wat we doen als ze niet wordt nagekomen, "
            "datum van de volgende evaluatie (dezelfde toets als op de planpagina, vastgelegd bij publicatie); en "
            "waarvan het laatste plan bewust onvolledig is gepubliceerd, met een reden.",
            denominator="Casussen die in de periode in de ZVH-aanpak zaten (actief of volgen op afstand op enig "
            "moment in de periode, volgens de statushistorie).",
            window="De stand van het plan aan het einde van de periode; de casusregisseur zoals nu vastgelegd.",
            exclusions="Casussen die alleen getrieerd zijn (lokaal, RIEC, niet geaccepteerd) tellen niet.",
        ),
        compute=casusregie,
        cases=casusregie_cases,
        headline="% casussen met casusregisseur",
        unit=SHARE,
    )
)


# --- agreements (actions) ---------------------------------------------------------------------------------


def _current_actions(params: Params):
    """The actions of each case's latest plan published in the period (one agreement list per case)."""
    from tafel.meetings.models import Action, Plan

    later = Plan.objects.filter(
        case_id=OuterRef("plan__case_id"), published_at__lt=params.period.end, published_at__isnull=False
    ).filter(
        Q(published_at__gt=OuterRef("plan__published_at"))
        | Q(published_at=OuterRef("plan__published_at"), id__gt=OuterRef("plan_id"))
    )
    return Action.objects.filter(
        in_period("plan__published_at", params.period),
        ~Exists(later),
        *case_conditions(params, path="case__", case_ref="case_id"),
    )


def action_quality(params: Params) -> Result:
    from tafel.meetings.models import RECURRING_AFTER_MEETINGS, ActionStatus

    figures = _current_actions(params).aggregate(
        n_total=Count("pk"),
        n_owner=Count("pk", filter=Q(owner__isnull=False)),
        n_deadline=Count("pk", filter=Q(deadline__isnull=False)),
        n_rationale=Count("pk", filter=~Q(rationale="")),
        n_recurring=Count("pk", filter=Q(status=ActionStatus.OPEN, meeting_count__gte=RECURRING_AFTER_MEETINGS)),
    )
    total = count(figures["n_total"])
    rows = [
        ratio_row("eigenaar", "Met eigenaar (wie)", count(figures["n_owner"]), total),
        ratio_row("deadline", "Met deadline (wanneer)", count(figures["n_deadline"]), total),
        ratio_row("onderbouwing", "Met onderbouwing (waarom)", count(figures["n_rationale"]), total),
        ratio_row(
            "terugkerend", "Terugkerend (open, op twee of meer overleggen)", count(figures["n_recurring"]), total
        ),
    ]
    return Result(
        columns=list(RATIO_COLUMNS),
        rows=rows,
        total=Row("totaal", "Afspraken", {"aantal": total, "noemer": total, "aandeel": share(total, total)}),
        headline=rows[2].cells["aandeel"],
        headline_label="Afspraken met onderbouwing",
        chart_columns=("aandeel",),
        notes=[
            "Referentie: in het dossieronderzoek had 17,1% van de afspraken een expliciete onderbouwing "
            "(002 Tabel 3.2)."
        ],
    )


def action_quality_cases(params: Params, row: str, column: str):
    qs = _current_actions(params)
    if row == "eigenaar":
        qs = qs.filter(owner__isnull=False)
    elif row == "deadline":
        qs = qs.filter(deadline__isnull=False)
    elif row == "onderbouwing":
        qs = qs.exclude(rationale="")
    elif row == "terugkerend":
        from tafel.meetings.models import RECURRING_AFTER_MEETINGS, ActionStatus

        qs = qs.filter(status=ActionStatus.OPEN, meeting_count__gte=RECURRING_AFTER_MEETINGS)
    return Case.objects.filter(pk__in=qs.values("case_id"))


register(
    Indicator(
        code="acties_kwaliteit",
        name="Afspraken: eigenaar, deadline, onderbouwing, terugkerend",
        group="kwaliteit",
        definition=Definition(
            numerator="Afspraken (acties) met een eigenaar, met een deadline, met een onderbouwing, en afspraken die "
            "open op twee of meer overleggen terugkomen (002:L2034).",
            denominator="Alle afspraken op het laatste plan van aanpak dat per casus in de periode is gepubliceerd.",
            window="Publicatiedatum van het plan binnen de periode.",
            exclusions="Concept-plannen en eerdere versies van een plan in dezelfde periode tellen niet (een "
            "ongewijzigde afspraak telt dus één keer).",
        ),
        compute=action_quality,
        cases=action_quality_cases,
        headline="% afspraken met onderbouwing",
        unit=SHARE,
    )
)


# --- meetings ---------------------------------------------------------------------------------------------


def _agenda_items(params: Params):
    from tafel.meetings.models import AgendaItem, MeetingStatus

    qs = AgendaItem.objects.filter(
        in_period("meeting__starts_at", params.period),
        *case_conditions(params.replace(overleg_type=""), path="case__", case_ref="case_id"),
        meeting__status__in=(MeetingStatus.OPEN, MeetingStatus.HELD, MeetingStatus.CLOSED),
    )
    if params.overleg_type:
        qs = qs.filter(meeting__overleg_type__code=params.overleg_type)
    return qs


def meeting_quality(params: Params) -> Result:
    from tafel.meetings.models import Attendance, Invitation

    items = _agenda_items(params)
    item_figures = items.aggregate(
        n_total=Count("pk"),
        n_deferred=Count("pk", filter=Q(deferred=True)),
        n_discussed=Count("pk", filter=Q(deferred=False)),
    )
    # Driven from the (few) client invitations, not a sub-query per agenda item.
    item_figures["n_client_present"] = (
        Invitation.objects.filter(
            agenda_item_id__in=items.filter(deferred=False).values("pk"),
            is_client=True,
            attendance=Attendance.PRESENT,
        )
        .values("agenda_item_id")
        .distinct()
        .count()
    )
    recorded = Invitation.objects.filter(
        meeting_id__in=items.values("meeting_id"), is_client=False, invited=True
    ).exclude(attendance=Attendance.UNKNOWN)
    if any(case_conditions(params.replace(overleg_type=""))):
        # With a case filter only the invitations for those cases (and the meeting-wide ones) count.
        recorded = recorded.filter(Q(agenda_item__isnull=True) | Q(agenda_item_id__in=items.values("pk")))
    invitation_figures = recorded.aggregate(
        n_total=Count("pk"), n_present=Count("pk", filter=Q(attendance=Attendance.PRESENT))
    )
    total = count(item_figures["n_total"])
    discussed = count(item_figures["n_discussed"])
    invited = count(invitation_figures["n_total"])
    rows = [
        ratio_row("doorgeschoven", "Agendapunten doorgeschoven", count(item_figures["n_deferred"]), total),
        ratio_row(
            "client_aanwezig",
            "Besprekingen met een cliënt aanwezig",
            count(item_figures["n_client_present"]),
            discussed,
        ),
        ratio_row("aanwezig", "Uitgenodigde professionals aanwezig", count(invitation_figures["n_present"]), invited),
    ]
    return Result(
        columns=list(RATIO_COLUMNS),
        rows=rows,
        total=Row(
            "totaal",
            "Agendapunten in gehouden overleggen",
            {"aantal": total, "noemer": total, "aandeel": share(total, total)},
        ),
        headline=rows[2].cells["aandeel"],
        headline_label="Uitgenodigde professionals aanwezig",
        stats=[
            ("Besprekingen (niet doorgeschoven)", discussed),
            ("Uitnodigingen met vastgelegde aanwezigheid", invited),
        ],
        chart_columns=("aandeel",),
    )


def meeting_quality_cases(params: Params, row: str, column: str):
    items = _agenda_items(params)
    if row == "doorgeschoven":
        items = items.filter(deferred=True)
    elif row == "client_aanwezig":
        from tafel.meetings.models import Attendance, Invitation

        items = items.filter(
            Exists(
                Invitation.objects.filter(agenda_item_id=OuterRef("pk"), is_client=True, attendance=Attendance.PRESENT)
            ),
            deferred=False,
        )
    elif row == "aanwezig":
        return None
    return Case.objects.filter(pk__in=items.values("case_id"))


register(
    Indicator(
        code="overleg_kwaliteit",
        name="Overleggen: doorschuiven, cliënt aan tafel, aanwezigheid",
        group="kwaliteit",
        definition=Definition(
            numerator="Agendapunten die zijn doorgeschoven; besprekingen waarbij ten minste één cliënt aanwezig "
            "was (SPEC §4.5, ‘ja, tenzij’); uitgenodigde professionals die aanwezig waren.",
            denominator="Respectievelijk: alle agendapunten van gehouden overleggen in de periode; de besprekingen "
            "daarvan die niet zijn doorgeschoven; de uitnodigingen van professionals waarvan de aanwezigheid is "
            "vastgelegd.",
            window="Datum van het overleg binnen de periode; alleen gehouden of afgeronde overleggen.",
            exclusions="Uitnodigingen met onbekende aanwezigheid tellen niet in de noemer.",
        ),
        compute=meeting_quality,
        cases=meeting_quality_cases,
        headline="% uitgenodigde professionals aanwezig",
        unit=SHARE,
    )
)


# --- agreements done on time -----------------------------------------------------------------------------


def _actions_due(params: Params):
    """Agreements with a deadline in the period, each once: an open action carried into a later published
    plan version is a new row (`carried_from`), so only the latest published version of each counts."""
    from tafel.meetings.models import Action, ActionStatus

    carried_on = Action.objects.filter(carried_from_id=OuterRef("pk"), plan__published_at__isnull=False)
    return Action.objects.filter(
        ~Exists(carried_on),
        *case_conditions(params, path="case__", case_ref="case_id"),
        plan__published_at__isnull=False,
        deadline__gte=params.period.first_day,
        deadline__lte=params.period.last_day,
    ).exclude(status=ActionStatus.VERVALLEN)


def _on_time_conditions() -> dict[str, Q]:
    """The rows of the table, which split the agreements that count. `done_at` is stored in UTC; its date in
    the local time zone (TruncDate uses the current one) is compared with the deadline, a local date."""
    from tafel.meetings.models import ActionStatus

    today = timezone.localdate()
    done = Q(status=ActionStatus.GEDAAN, done_at__isnull=False)
    return {
        "op_tijd": done & Q(done_date__lte=F("deadline")),
        "te_laat": done & Q(done_date__gt=F("deadline")),
        "niet_gedaan": Q(status=ActionStatus.NIET_GEDAAN),
        "open_verlopen": Q(status=ActionStatus.OPEN, deadline__lt=today),
    }


ON_TIME_ROWS = [
    ("op_tijd", "Gedaan, op of vóór de deadline"),
    ("te_laat", "Gedaan, na de deadline"),
    ("niet_gedaan", "Niet gedaan"),
    ("open_verlopen", "Nog open, deadline verstreken"),
]


def actions_on_time(params: Params) -> Result:
    from tafel.meetings.models import ActionStatus

    conditions = _on_time_conditions()
    figures = (
        _actions_due(params)
        .annotate(done_date=TruncDate("done_at"))
        .aggregate(
            **{f"n_{key}": Count("pk", filter=condition) for key, condition in conditions.items()},
            n_undated=Count("pk", filter=Q(status=ActionStatus.GEDAAN, done_at__isnull=True)),
            n_not_due=Count("pk", filter=Q(status=ActionStatus.OPEN, deadline__gte=timezone.localdate())),
        )
    )
    cells = {key: count(figures[f"n_{key}"]) for key, _ in ON_TIME_ROWS}
    total = count(sum(c.value for c in cells.values()))
    rows = [ratio_row(key, label, cells[key], total) for key, label in ON_TIME_ROWS]
    result = Result(
        columns=list(RATIO_COLUMNS),
        rows=rows,
        total=Row(
            "totaal",
            "Afspraken met een deadline in de periode",
            {"aantal": total, "noemer": total, "aandeel": share(total, total)},
        ),
        headline=rows[0].cells["aandeel"],
        headline_label="Afspraken op tijd uitgevoerd",
        stats=[("Nog open, deadline nog niet verstreken (telt nog niet mee)", count(figures["n_not_due"]))],
        partitions=[Partition(cells=list(cells.values()), total=total)],
        chart_columns=("aandeel",),
    )
    if figures["n_undated"]:
        result.notes.append(
            "Een deel van de gedane afspraken heeft geen vastgelegde afronddatum (van vóór Tafel die bijhield); "
            "die tellen niet mee."
        )
    return result


def actions_on_time_cases(params: Params, row: str, column: str):
    qs = _actions_due(params).annotate(done_date=TruncDate("done_at"))
    conditions = _on_time_conditions()
    if row in conditions and column != "noemer":
        qs = qs.filter(conditions[row])
    else:
        qs = qs.filter(functools.reduce(operator.or_, conditions.values()))
    return Case.objects.filter(pk__in=qs.values("case_id"))


register(
    Indicator(
        code="acties_op_tijd",
        name="Afspraken op tijd uitgevoerd",
        group="kwaliteit",
        definition=Definition(
            numerator="Afspraken met status ‘gedaan’ waarvan de eigenaar dat meldde op of vóór de dag van de "
            "deadline (de datum van de melding in Nederlandse tijd ≤ de deadline). Ook getoond: gedaan na de "
            "deadline, niet gedaan, en nog open terwijl de deadline is verstreken.",
            denominator="Afspraken met een deadline in de periode die gedaan zijn, niet gedaan zijn, of nog open "
            "staan terwijl hun deadline is verstreken.",
            window="Deadline binnen de periode. Elke afspraak telt één keer: een afspraak die open werd "
            "meegenomen naar een volgende versie van het plan, telt zoals ze op de laatst gepubliceerde versie "
            "staat (met de deadline en status van nu).",
            exclusions="Vervallen afspraken; afspraken zonder deadline; afspraken die nog open staan en waarvan de "
            "deadline nog niet is verstreken (die tellen mee zodra de deadline voorbij is); afspraken op een "
            "concept-plan; gedane afspraken zonder vastgelegde afronddatum.",
        ),
        compute=actions_on_time,
        cases=actions_on_time_cases,
        headline="% afspraken op tijd uitgevoerd",
        unit=SHARE,
    )
)
