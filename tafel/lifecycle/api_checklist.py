"""The per-case checklist of the procesregisseur and the casusregisseur in the API (issue 12, item 6b): read it
(`cases:read`), tick or untick an item Tafel cannot see for itself (`cases:write`). The same rule and service
as the case page."""

from __future__ import annotations

import datetime

from ninja import Field, Router, Schema

from tafel.api.auth import auth_for
from tafel.api.schemas import In, errors
from tafel.cases import access as case_access
from tafel.cases.audit_events import CaseEvent
from tafel.core.audit import audit

from .checklist import case_checklist, checklist_tick

router = Router(tags=["Na het overleg"])


class ChecklistItemOut(Schema):
    code: str
    role: str = Field(description="`procesregisseur` of `casusregisseur`.")
    label: str
    source: str = Field(description="Nummer van de deeltaak in het advies (001:L3409-3471).")
    auto: bool = Field(description="Waar: Tafel ziet dit in de casus en vinkt het zelf af.")
    done: bool
    overdue: bool
    note: str
    ticked_by: str | None
    ticked_at: datetime.datetime | None


class ChecklistOut(Schema):
    case_id: int
    applies: bool = Field(description="Onwaar zolang de casus niet in de ZVH-aanpak is: dan zijn er geen punten.")
    may_tick: list[str] = Field(description="De rollen waarvan u de punten mag afvinken.")
    items: list[ChecklistItemOut]


class TickIn(In):
    ticked: bool = True
    note: str = Field("", max_length=500)


def _out(case, checklist) -> dict:
    if checklist is None:
        return {"case_id": case.pk, "applies": False, "may_tick": [], "items": []}
    return {
        "case_id": case.pk,
        "applies": True,
        "may_tick": sorted(checklist.may_tick_roles),
        "items": [
            {
                "code": i.code,
                "role": i.role,
                "label": i.label,
                "source": i.source,
                "auto": i.auto,
                "done": i.done,
                "overdue": i.overdue,
                "note": i.note,
                "ticked_by": str(i.ticked_by) if i.ticked_by else None,
                "ticked_at": i.ticked_at,
            }
            for i in checklist.items
        ],
    }


@router.get(
    "/cases/{case_id}/checklist",
    operation_id="case_checklist",
    summary="Checklist regie van een casus",
    description=(
        "De deeltaken van procesregisseur en casusregisseur: wat Tafel in de casus ziet (casusregisseur benoemd, "
        "plan gepubliceerd, evaluatiedatum, bodemeisen met bewaker …) is automatisch afgevinkt, de rest met de "
        "hand (door wie, wanneer). `overdue` voor punten over de termijn. Scope `cases:read`."
    ),
    response={200: ChecklistOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def case_checklist_get(request, case_id: int):
    user = request.auth.user
    case = case_access.case_get_for_user(user=user, case_id=case_id)
    audit(actor=user, event=CaseEvent.CASE_VIEW, case_id=case.pk, reason="checklist")
    return _out(case, case_checklist(viewer=user, case=case))


@router.post(
    "/cases/{case_id}/checklist/{item}",
    operation_id="case_checklist_tick",
    summary="Checklistpunt afvinken (of ongedaan maken)",
    description=(
        "Vinkt een punt af dat Tafel niet zelf kan zien (`ticked: false` maakt het ongedaan). De punten van de "
        "procesregisseur: de procesregisseurs van het huis; die van de casusregisseur: de casusregisseur van de "
        "casus of een procesregisseur. 409 voor een punt dat Tafel zelf afvinkt, 422 voor een onbekend punt. "
        "Scope `cases:write`."
    ),
    response={200: ChecklistOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def case_checklist_tick(request, case_id: int, item: str, payload: TickIn):
    user = request.auth.user
    case = case_access.case_get_for_user(user=user, case_id=case_id)
    checklist_tick(actor=user, case=case, item=item, ticked=payload.ticked, note=payload.note)
    return _out(case, case_checklist(viewer=user, case=case))
