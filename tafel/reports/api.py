"""Indicators for a municipality's BI tool (issue 6, item 7): aggregates only, never a case.

Mounted by tafel/api/api.py under /api/v1/indicators. For everyone but a reader who may open every case
behind the figures (the house's procesregisseur), small cells are suppressed exactly as on the page and in
the reports: a hidden figure has `value: null`, `suppressed: true` and the display text ("<5" or "×").
"""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema
from ninja.security import HttpBearer
from pydantic import Field

from tafel.api.auth import InvalidToken, Principal, SessionAuth
from tafel.api.auth import TokenAuth as ScopedTokenAuth
from tafel.api.models import SCOPES
from tafel.api.schemas import errors
from tafel.api.services import TokenRejected, api_token_authenticate
from tafel.reports import selectors
from tafel.reports.indicators import GROUPS
from tafel.reports.indicators.base import Cell, Row
from tafel.reports.params import parse_params
from tafel.reports.suppression import display, threshold

INDICATORS_SCOPE = "indicators:read"


class TokenAuth(ScopedTokenAuth):
    """`Authorization: Bearer <key>`. Once the API knows an `indicators:read` scope, a token needs it; until
    then any valid token may be used here, and the policy (may_view_reports) decides per user, as always.
    Named TokenAuth like its parent: the OpenAPI document then keeps one bearer scheme."""

    def __init__(self) -> None:
        HttpBearer.__init__(self)
        self.scope = INDICATORS_SCOPE if INDICATORS_SCOPE in SCOPES else ""

    def authenticate(self, request, token: str) -> Principal:
        if self.scope:
            return super().authenticate(request, token)
        try:
            api_token = api_token_authenticate(token)
        except TokenRejected as exc:
            raise InvalidToken(str(exc)) from None
        return Principal(user=api_token.user, scopes=frozenset(api_token.scopes), token=api_token)


AUTH = [TokenAuth(), SessionAuth()]

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
    overleg_type: str = Field("", max_length=40, description="Code van de soort overleg.")


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
