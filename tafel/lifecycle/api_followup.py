"""The follow-up overview in the API (issue 11 item 5): the same items, filters and defaults as the
"Opvolging" page, with page size, total and links to the next and previous page."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import QueryDict
from ninja import Field, Query, Router, Schema

from tafel.access import policy
from tafel.api.auth import auth_for
from tafel.api.schemas import Id, PageIn, errors
from tafel.core.errors import AccessDenied

from . import followup

router = Router(tags=["Na het overleg"])

Kind = Literal["actie", "stil", "wacht", "rappel", "escalatie", "bodemeis", "voorstel"]


class FollowUpIn(PageIn):
    kind: Kind | None = Field(None, description="Eén soort punt; leeg voor alle soorten.")
    owner: str = Field(
        followup.MINE,
        pattern=r"^(mij|organisatie|alle|\d{1,12})$",
        description="`mij` (standaard): wat van u is; `organisatie`: van uw organisatie; `alle`; of het id van "
        "een gebruiker.",
    )
    organisation_id: Id | None = Field(None, alias="organisationId", description="Alleen punten van deze organisatie.")


class FollowUpItemOut(Schema):
    kind: Kind
    kind_label: str
    case_id: int
    case_reference: str
    text: str
    date: datetime.date | None
    owner: str
    organisation: str


class FollowUpOut(Schema):
    count: int = Field(description="Totaal aantal punten met deze filters.")
    limit: int
    offset: int
    counts: dict[str, int] = Field(description="Aantal punten per soort met deze filters.")
    next: str | None = Field(description="Pad van de volgende pagina, of leeg op de laatste.")
    previous: str | None = Field(description="Pad van de vorige pagina, of leeg op de eerste.")
    items: list[FollowUpItemOut]


def _link(request, filters: FollowUpIn, offset: int) -> str:
    query = QueryDict(mutable=True)
    for key, value in filters.model_dump().items():
        if value is not None:
            query[key] = str(value)
    query["offset"] = str(offset)
    return f"{request.path}?{query.urlencode()}"


@router.get(
    "",
    operation_id="follow_up_list",
    summary="Opvolging: wat ligt stil of is over de termijn",
    description=(
        "Acties over de termijn, stilliggende casussen, casussen die op informatie wachten, rappeldata, "
        "lopende escalaties, niet nagekomen bodemeisen en voorstellen tot afsluiting, van de casussen die u mag "
        "inzien; standaard alleen wat van u is (`owner=mij`). Gepagineerd met `limit`/`offset`; `next` en "
        "`previous` geven de andere pagina's. Elke getoonde casus wordt vastgelegd in het auditlog. Scope "
        "`cases:read`."
    ),
    response={200: FollowUpOut, **errors(401, 403, 422)},
    auth=auth_for("cases:read"),
)
def follow_up_list(request, filters: Query[FollowUpIn]):
    user = request.auth.user
    if not policy.sees_case_content(user):
        raise AccessDenied("Het opvolgingsoverzicht is voor wie met casussen werkt.")
    page = followup.follow_up_list(
        viewer=user,
        kind=filters.kind or "",
        owner=filters.owner,
        organisation_id=filters.organisation_id,
        limit=filters.limit,
        offset=filters.offset,
    )
    return {
        "count": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "counts": page.counts,
        "next": _link(request, filters, page.offset + page.limit) if page.has_next else None,
        "previous": _link(request, filters, max(0, page.offset - page.limit)) if page.has_previous else None,
        "items": [
            {
                "kind": i.kind,
                "kind_label": i.kind_label,
                "case_id": i.case_id,
                "case_reference": i.case_reference,
                "text": i.text,
                "date": i.date,
                "owner": i.owner,
                "organisation": i.organisation,
            }
            for i in page.items
        ],
    }
