"""Indicators for a municipality's BI tool (issue 6, item 7) and questionnaire results: aggregates only,
never a case, never an answer of one person.

Mounted by tafel/api/api.py under /api/v1/indicators (scope indicators:read) and /api/v1/questionnaires
(scope questionnaires:read). For everyone but a reader who may open every case
behind the figures (the house's procesregisseur), small cells are suppressed exactly as on the page and in
the reports: a hidden figure has `value: null`, `suppressed: true` and the display text ("<5" or "×").
"""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema
from pydantic import Field

from tafel.api.auth import auth_for
from tafel.api.schemas import errors
from tafel.core.errors import ValidationFailed
from tafel.reports import learning, selectors
from tafel.reports.indicators import GROUPS
from tafel.reports.indicators.base import Cell, Row
from tafel.reports.params import parse_params
from tafel.reports.suppression import display, threshold

INDICATORS_SCOPE = "indicators:read"
QUESTIONNAIRES_SCOPE = "questionnaires:read"

# A token needs the scope; the policy (may_view_reports) then decides per user, as on the pages.
AUTH = auth_for(INDICATORS_SCOPE)
QUESTIONNAIRE_AUTH = auth_for(QUESTIONNAIRES_SCOPE)

router = Router(tags=["Indicatoren"])


class DefinitionOut(Schema):
    numerator: str = Field(description="Teller.")
    denominator: str = Field(description="Noemer.")
    window: str = Field(description="Tijdvenster.")
    exclusions: str = Field(description="Uitsluitingen.")


class IndicatorOut(Schema):
    code: str
    name: str
    group: str
    group_name: str
    headline: str = Field(description="Wat het kopcijfer meet.")
    unit: str = Field(description="count, share (procent), days, mean of number.")
    available: bool = Field(description="False: Tafel heeft hiervoor nog geen gegevens.")
    unavailable_reason: str
    definition: DefinitionOut


class ValueOut(Schema):
    value: float | None = Field(description="Het getal; null als het is verborgen of er geen waarde is.")
    display: str = Field(description="Zoals op de pagina: Nederlandse notatie, ‘<5’, ‘×’ of ‘–’.")
    suppressed: bool


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class RowOut(Schema):
    key: str
    label: str
    values: dict[str, ValueOut]


class StatOut(Schema):
    label: str
    value: ValueOut


class PeriodOut(Schema):
    code: str
    label: str
    first_day: datetime.date
    last_day: datetime.date


class IndicatorResultOut(Schema):
    code: str
    name: str
    period: PeriodOut
    filters: dict[str, str]
    suppressed: bool = Field(description="True: kleine aantallen zijn verborgen.")
    threshold: int = Field(description="Aantallen onder deze grens worden verborgen.")
    available: bool
    headline_label: str
    headline: ValueOut | None
    stats: list[StatOut]
    columns: list[ColumnOut]
    rows: list[RowOut]
    total: RowOut | None
    notes: list[str]


class IndicatorQuery(Schema):
    period: str = Field("", max_length=30, description="2026Q3, 2026 of 2026-01-01..2026-03-31; leeg: dit kwartaal.")
    municipality: int | None = Field(None, ge=1, description="Id van de gemeente.")
    theme: str = Field("", max_length=20)
    route: str = Field("", max_length=20)
    organisation: int | None = Field(None, ge=1, description="Id van een deelnemende organisatie.")
    overleg_type: str = Field("", max_length=40, alias="overlegType", description="Code van de soort overleg.")


def _value(cell: Cell | None) -> ValueOut | None:
    if cell is None:
        return None
    hidden = cell.suppressed
    return ValueOut(
        value=None if hidden or cell.value is None else float(cell.value), display=display(cell), suppressed=hidden
    )


def _row(row: Row, columns) -> RowOut:
    return RowOut(key=row.key, label=str(row.label), values={c.key: _value(row.cells.get(c.key)) for c in columns})


def _indicator(indicator) -> IndicatorOut:
    d = indicator.definition
    return IndicatorOut(
        code=indicator.code,
        name=indicator.name,
        group=indicator.group,
        group_name=GROUPS[indicator.group],
        headline=indicator.headline,
        unit=indicator.unit,
        available=indicator.available,
        unavailable_reason=indicator.unavailable_reason,
        definition=DefinitionOut(
            numerator=d.numerator, denominator=d.denominator, window=d.window, exclusions=d.exclusions
        ),
    )


@router.get(
    "",
    operation_id="indicator_list",
    summary="Indicatoren en hun definities",
    description="Alle indicatoren van de monitor met teller, noemer, tijdvenster en uitsluitingen.",
    response={200: list[IndicatorOut], **errors(401, 403, 422)},
    auth=AUTH,
)
def indicator_list(request):
    return [_indicator(i) for i in selectors.indicator_list(viewer=request.auth.user)]


@router.get(
    "/{code}",
    operation_id="indicator_get",
    summary="Eén indicator voor een periode en filters",
    description=(
        "De tabel van één indicator (geaggregeerd). Kleine aantallen zijn verborgen (‘<5’) voor iedereen die "
        "de casussen zelf niet mag inzien; een verborgen waarde heeft `value: null`."
    ),
    response={200: IndicatorResultOut, **errors(401, 403, 404, 422)},
    auth=AUTH,
)
def indicator_get(request, code: str, filters: Query[IndicatorQuery]):
    params = parse_params(
        {
            "period": filters.period,
            "municipality": filters.municipality,
            "theme": filters.theme,
            "route": filters.route,
            "organisation": filters.organisation,
            "overleg_type": filters.overleg_type,
        }
    )
    indicator, result, suppressed = selectors.indicator_result(viewer=request.auth.user, code=code, params=params)
    period = params.period
    return IndicatorResultOut(
        code=indicator.code,
        name=indicator.name,
        period=PeriodOut(code=period.code, label=period.label, first_day=period.first_day, last_day=period.last_day),
        filters={k: v for k, v in params.as_query().items() if k != "period"},
        suppressed=suppressed,
        threshold=threshold(),
        available=result.available,
        headline_label=result.headline_label or indicator.headline,
        headline=_value(result.headline),
        stats=[StatOut(label=str(label), value=_value(cell)) for label, cell in result.stats],
        columns=[ColumnOut(key=c.key, label=str(c.label), kind=c.kind) for c in result.columns],
        rows=[_row(r, result.columns) for r in result.rows],
        total=_row(result.total, result.columns) if result.total else None,
        notes=list(result.notes),
    )


# --- questionnaire results (issue 6 item 5): averages per item, never an answer of one person -------------

questionnaires_router = Router(tags=["Vragenlijsten"])


class QuestionnaireOut(Schema):
    code: str
    title: str
    active: bool


class TextChangeOut(Schema):
    changed_at: datetime.datetime = Field(description="Wanneer de tekst van de (al beantwoorde) vraag wijzigde.")
    previous_text: str = Field(description="De tekst daarvoor.")


class ItemOut(Schema):
    order: int
    text: str
    kind: str = Field(description="likert (1–5), scale10 (1–10) of number (schatting).")
    retired: bool = Field(description="Vervallen: wordt niet meer gesteld; eerdere antwoorden tellen mee.")
    count: int | None = Field(description="Aantal antwoorden; null als het is verborgen.")
    mean: float | None = Field(description="Gemiddelde; null als het is verborgen of er geen antwoorden zijn.")
    suppressed: bool
    text_changes: list[TextChangeOut]


class QuestionnaireResultOut(Schema):
    code: str
    title: str
    period: str = Field(description="De gevraagde periode; leeg: alle antwoorden.")
    overleg_type: str
    total: int | None = Field(description="Aantal ingevulde vragenlijsten; null als het is verborgen.")
    total_display: str = Field(description="Zoals op de pagina, bijvoorbeeld ‘<5’.")
    threshold: int
    items: list[ItemOut]


class ResultQuery(Schema):
    period: str = Field("", max_length=30, description="2026Q3, 2026 of een datumbereik; leeg: alle antwoorden.")
    overleg_type: str = Field(
        "", max_length=40, alias="overlegType", description="Code van de soort overleg (sessiebeoordelingen)."
    )


@questionnaires_router.get(
    "",
    operation_id="questionnaire_list",
    summary="Vragenlijsten met resultaten",
    description="De vragenlijsten waarvan de resultaten (gemiddelden) via de API te lezen zijn.",
    response={200: list[QuestionnaireOut], **errors(401, 403, 422)},
    auth=QUESTIONNAIRE_AUTH,
)
def questionnaire_list(request):
    items = learning.questionnaires_with_results(viewer=request.auth.user)
    return [QuestionnaireOut(code=q.code, title=q.title, active=q.active) for q in items]


@questionnaires_router.get(
    "/{code}/results",
    operation_id="questionnaire_results",
    summary="Resultaten van één vragenlijst",
    description=(
        "Aantal ingevulde lijsten en het gemiddelde per vraag. Open antwoorden worden nooit gegeven. Kleine "
        "aantallen zijn verborgen (`null`, ‘<5’) voor iedereen die de casussen zelf niet mag inzien."
    ),
    response={200: QuestionnaireResultOut, **errors(401, 403, 404, 422)},
    auth=QUESTIONNAIRE_AUTH,
)
def questionnaire_results(request, code: str, filters: Query[ResultQuery]):
    user = request.auth.user
    questionnaire = learning.questionnaire_get_for_user(user=user, code=code, action="results")
    params = None
    if filters.period or filters.overleg_type:
        if not filters.period:
            raise ValidationFailed("Kies een periode.", field_errors={"period": ["Kies een periode."]})
        params = parse_params({"period": filters.period, "overleg_type": filters.overleg_type})
    total, items = learning.questionnaire_results(viewer=user, questionnaire=questionnaire, params=params)
    return QuestionnaireResultOut(
        code=questionnaire.code,
        title=questionnaire.title,
        period=params.period.code if params else "",
        overleg_type=params.overleg_type if params else "",
        total=None if total.startswith("<") else int(total),
        total_display=total,
        threshold=threshold(),
        items=[
            ItemOut(
                order=i.question.order,
                text=i.question.text,
                kind=i.question.kind,
                retired=i.question.retired_at is not None,
                count=None if i.suppressed else i.count,
                mean=i.mean,
                suppressed=i.suppressed,
                text_changes=[TextChangeOut(changed_at=c.at, previous_text=c.previous_text) for c in i.text_changes],
            )
            for i in items
        ],
    )
