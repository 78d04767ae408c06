"""The privacy rows the case page needs, loaded with the case itself (issue 14: the case page in at most 12
queries): the reglement that governs the case and what the item rules read (shares with the viewer's
organisation, item restrictions, consents), as subquery columns of the one query that fetches and checks the
case. Registered with `tafel.cases.detail` by PrivacyConfig.ready; the same rows the separate queries read,
filtered afterwards by the same rules."""

from __future__ import annotations

from django.db.models import F, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject

from tafel.cases.models import Case
from tafel.core.jsonrows import build, compiled, fields_of, json_rows, loads
from tafel.meetings.models import OverlegType

from .models import Consent, ItemRestriction, Reglement, Share


def case_page_annotations(viewer) -> dict:
    org_id = viewer.organisation_id
    return {
        "_reglement_json": compiled(Case, "reglement", _reglement),
        "_shared_json": compiled(Case, ("shared", org_id), lambda: _shared(org_id)),
        "_restrictions_json": compiled(Case, "restrictions", _restrictions),
        "_consents_json": compiled(Case, "consents", _consents),
    }


def _reglement():
    """The reglement of the overleg type of the case's most recent meeting (policy.case_reglement)."""
    row = (
        Reglement.objects.filter(overleg_type__meeting__agenda_items__case=OuterRef("pk"))
        .order_by("-overleg_type__meeting__starts_at")
        .values(_row=fields_of(Reglement, related={"overleg_type": (OverlegType, None, None)}))[:1]
    )
    return Subquery(row, output_field=JSONField())


def _shared(org_id):
    value = JSONObject(t=F("item_type"), i=F("item_id"))
    return json_rows(Share.objects.filter(to_org_id=org_id), link="case", value=value)


def _restrictions():
    value = JSONObject(t=F("item_type"), i=F("item_id"), s=F("scope"))
    return json_rows(ItemRestriction.objects.all(), link="case", value=value)


def _consents():
    return json_rows(Consent.objects.filter(withdrawn_at__isnull=True), link="case", value=F("purpose"))


def reglement(case):
    value = case._reglement_json
    if isinstance(value, str | bytes):
        value = loads(f"[{value if isinstance(value, str) else value.decode()}]")[0]
    return build(Reglement, value) if value else None


def preload_item_context(context, case) -> None:
    if not hasattr(case, "_shared_json"):  # fetched without case_page_annotations: the rules load on demand
        return
    context.preload(
        shared={(row["t"], int(row["i"])) for row in loads(case._shared_json)},
        restrictions={(row["t"], int(row["i"])): row["s"] for row in loads(case._restrictions_json)},
        consent_purposes=set(loads(case._consents_json)),
        reglement=reglement(case),
    )
