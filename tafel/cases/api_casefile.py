"""Cases: the list, one case, the triage decision and status changes."""

from __future__ import annotations

import re

from ninja import Query, Router, Status

from tafel.api.auth import auth_for
from tafel.api.errors import renamed_fields
from tafel.api.schemas import errors
from tafel.cases import access as case_access
from tafel.cases import output, selectors, services
from tafel.cases.schemas import (
    CaseDetailOut,
    CaseListIn,
    CaseListOut,
    CaseOrganisationOut,
    CaseSummaryOut,
    MakePartnerIn,
    TransitionIn,
    TriageCreatedOut,
    TriageIn,
)

router = Router(tags=["Casussen"])


@router.get(
    "",
    operation_id="case_list",
    summary="Casussen",
    description=(
        "De casussen die u mag inzien (need-to-know: de organisaties in de casus; het huis ziet alles), "
        "nieuwste eerst, gepagineerd met `limit` (max. 100) en `offset`. Elke getoonde casus wordt vastgelegd "
        "in het auditlog. Scope `cases:read`."
    ),
    response={200: CaseListOut, **errors(401, 403, 422)},
    auth=auth_for("cases:read"),
)
def case_list(request, filters: Query[CaseListIn]):
    user = request.auth.user
    qs = selectors.case_list(
        viewer=user,
        status=filters.status,
        municipality_id=filters.municipality_id,
        theme=filters.theme,
        route=filters.route,
        mine=filters.mine,
        q=filters.q.strip(),
        person=filters.person.strip(),
        bsn=filters.bsn,
    )
    count = qs.count()
    page = list(qs[filters.offset : filters.offset + filters.limit])
    selectors.audit_case_list(viewer=user, cases=page)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [output.case_summary(c) for c in page],
    }


@router.get(
    "/{case_id}",
    operation_id="case_get",
    summary="Eén casus",
    description=(
        "De casus met personen (rollen, gemaskeerd BSN), organisaties, statusgeschiedenis, aanmeldingen en "
        "triagebesluiten met criteria. 404 als de casus niet bestaat of u haar niet mag inzien. Het inzien wordt "
        "vastgelegd in het auditlog. Scope `cases:read`."
    ),
    response={200: CaseDetailOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def case_get(request, case_id: int):
    # Only what output.case_detail writes (no notes, changes, proposals or checklist): issue 14 item 3.
    detail = selectors.case_detail(viewer=request.auth.user, case_id=case_id, page=False)
    return output.case_detail(detail)


_CRITERION_FIELD = re.compile(r"^criterion_([a-z])(_argument)?$")


def _triage_field(payload: TriageIn):
    """Service field names → paths in TriageIn: `criterion_b_argument` → `criteria.1.argument`."""
    index = {c.criterion: i for i, c in enumerate(payload.criteria)}

    def rename(field: str) -> str:
        m = _CRITERION_FIELD.match(field)
        if m:
            code, argument = m.groups()
            if code not in index:
                return "criteria"
            return f"criteria.{index[code]}.{'argument' if argument else 'met'}"
        return {"team_members": "team_member_ids", "procesregisseur": "procesregisseur_id"}.get(field, field)

    return rename


@router.post(
    "/{case_id}/triage",
    operation_id="case_triage",
    summary="Triagebesluit vastleggen",
    description=(
        "Legt het triagebesluit vast (criteria a–e elk met argument, uitkomst, bij `lokaal` de reden a–g) en "
        "zet de casus in de bijbehorende status; de aanmelder krijgt het besluit te zien. Alleen een "
        "procesregisseur van het huis. 409 `caseload_full` als de gemeente haar maximale caseload bereikt heeft "
        "(vul dan `caseload_override_reason` in of kies lokaal, reden g); 409 `concurrent_edit` als "
        "`expected_version` niet meer klopt; 409 `transition_not_allowed` als de casus niet op triage wacht. "
        "Scope `triage:write`."
    ),
    response={201: TriageCreatedOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("triage:write"),
)
def case_triage(request, case_id: int, payload: TriageIn):
    user = request.auth.user
    case = case_access.case_get_for_user(user=user, case_id=case_id, action="triage")
    data = services.TriageInput(
        criteria=[services.CriterionInput(**c.model_dump()) for c in payload.criteria],
        outcome=payload.outcome,
        mode=payload.mode,
        team_member_ids=payload.team_member_ids,
        team_others=payload.team_others,
        lokaal_reason=payload.lokaal_reason or "",
        override_reason=payload.override_reason,
        caseload_override_reason=payload.caseload_override_reason,
        missing_info=payload.missing_info,
        feedback=payload.feedback,
        procesregisseur_id=payload.procesregisseur_id,
        expected_version=payload.expected_version,
    )
    with renamed_fields(_triage_field(payload)):
        triage = services.triage_decide(actor=user, case=case, data=data)
    return Status(201, {**output.triage(triage), "case": output.case_summary(triage.case)})


@router.post(
    "/{case_id}/transitions",
    operation_id="case_transition",
    summary="Status wijzigen",
    description=(
        "Wijzigt de status buiten de triage (bijvoorbeeld volgen op afstand, afsluiten, heropenen), met een "
        "reden. Alleen het huis. Een casus die op triage wacht verlaat die status alleen met een triagebesluit. "
        "409 `transition_not_allowed` voor een overgang die de statustabel niet kent; 409 `concurrent_edit` als "
        "`expected_version` niet meer klopt. Scope `cases:write`."
    ),
    response={200: CaseSummaryOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def case_transition(request, case_id: int, payload: TransitionIn):
    user = request.auth.user
    case = case_access.case_get_for_user(user=user, case_id=case_id, action="manage")
    services.case_change_status(
        actor=user,
        case=case,
        to_status=payload.to_status,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )
    return output.case_summary(case)


@router.post(
    "/{case_id}/organisations/{organisation_id}/partner",
    operation_id="case_participation_partner",
    summary="Melder partner maken",
    description=(
        "Maakt een organisatie die alleen meldde (deelname `melder`: ziet de eigen melding en de terugkoppeling) "
        "partner in de casus: zij leest dan de inhoud volgens de regels per informatiecategorie. Alleen het huis; "
        "de reden is verplicht en wordt bij de deelname bewaard. 404 als de organisatie niet aan de casus "
        "deelneemt; 409 `transition_not_allowed` als zij al partner is. Scope `cases:write`."
    ),
    response={200: CaseOrganisationOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def case_participation_partner(request, case_id: int, organisation_id: int, payload: MakePartnerIn):
    user = request.auth.user
    case = case_access.case_get_for_user(user=user, case_id=case_id, action="manage")
    link = services.case_participation_make_partner(
        actor=user, case=case, organisation_id=organisation_id, reason=payload.reason
    )
    return output.case_organisation(link)
