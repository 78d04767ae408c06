"""Reading monitor parameters from a query string (pages, API, report jobs, the management command)."""

from __future__ import annotations

from collections.abc import Mapping

from tafel.cases.models import EntryRoute, Theme
from tafel.core.errors import ValidationFailed
from tafel.organisations.models import Municipality, Organisation
from tafel.reports.indicators import Params
from tafel.reports.periods import parse_period


def _int(value, field: str, message: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(message, field_errors={field: [message]}) from None


def parse_params(query: Mapping) -> Params:
    """Params from {"period", "municipality", "theme", "route", "organisation", "overleg_type"}; unknown
    values are refused with a Dutch message per field (never silently ignored: a figure for the wrong
    municipality is worse than an error)."""
    errors: dict[str, list[str]] = {}
    try:
        period = parse_period(query.get("period"))
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
        period = None
    municipality_id = organisation_id = None
    try:
        municipality_id = _int(query.get("municipality"), "municipality", "Onbekende gemeente.")
        if municipality_id and not Municipality.objects.filter(pk=municipality_id).exists():
            errors["municipality"] = ["Onbekende gemeente."]
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    try:
        organisation_id = _int(query.get("organisation"), "organisation", "Onbekende organisatie.")
        if organisation_id and not Organisation.objects.filter(pk=organisation_id).exists():
            errors["organisation"] = ["Onbekende organisatie."]
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    theme = (query.get("theme") or "").strip()
    if theme and theme not in Theme.values:
        errors["theme"] = ["Onbekend thema."]
    route = (query.get("route") or "").strip()
    if route and route not in EntryRoute.values:
        errors["route"] = ["Onbekende instroomroute."]
    overleg_type = (query.get("overleg_type") or "").strip()
    if overleg_type:
        from tafel.meetings.models import OverlegType

        if not OverlegType.objects.filter(code=overleg_type).exists():
            errors["overleg_type"] = ["Onbekende soort overleg."]
    if errors:
        raise ValidationFailed("De filters van de monitor kloppen niet.", field_errors=errors)
    return Params(
        period=period,
        municipality_id=municipality_id,
        theme=theme,
        route=route,
        organisation_id=organisation_id,
        overleg_type=overleg_type,
    )
