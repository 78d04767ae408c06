"""Partner organisations of a case in the API (issue 11 item 6): add one with a reason, see what stands in
the way of removing one, and remove it with a reason. For the house's process roles, like "Partner maken"."""

from __future__ import annotations

from ninja import Router, Schema, Status
from pydantic import Field

from tafel.api.auth import auth_for
from tafel.api.schemas import Id, In, errors
from tafel.cases import access as case_access
from tafel.cases import output
from tafel.cases.schemas import CaseOrganisationOut
from tafel.core.errors import ValidationFailed

from . import participants, selectors, services

router = Router(tags=["Casussen"])


class OrganisationAddIn(In):
    organisation_id: Id
    reason: str = Field(min_length=1, max_length=300, description="Waarom deze organisatie deelneemt.")


class OrganisationRemoveIn(In):
    reason: str = Field(min_length=1, max_length=300, description="Waarom deze organisatie niet meer deelneemt.")


class RemovalCheckOut(Schema):
    organisation_id: int
    name: str
    allowed: bool
    blockers: list[str] = Field(description="Wat eerst geregeld moet zijn (open acties, uitnodigingen, ...).")


@router.post(
    "/{case_id}/organisations",
    operation_id="case_organisation_add",
    summary="Organisatie aan een casus toevoegen",
    description=(
        "Het huis voegt een actieve organisatie als partner toe, met een reden (bewaard bij de deelname, "
        "vastgelegd in het auditlog). Een organisatie die al deelneemt of niet actief is: 422. Scope "
        "`cases:write`."
    ),
    response={201: CaseOrganisationOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:write"),
)
def case_organisation_add(request, case_id: int, payload: OrganisationAddIn):
    user = request.auth.user
    case = case_access.case_get_for_user(user=user, case_id=case_id, action="manage")
    organisation = selectors.organisations_to_add(case=case).filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise ValidationFailed(
            "Deze organisatie kan niet worden toegevoegd.",
            field_errors={"organisation_id": ["Deze organisatie neemt al deel of is niet actief."]},
        )
    services.case_add_organisation(actor=user, case=case, organisation=organisation, reason=payload.reason)
    link = participants.participation_get(case=case, organisation_id=organisation.pk)
    return Status(201, output.case_organisation(link))


@router.get(
    "/{case_id}/organisations/{organisation_id}/removal",
    operation_id="case_participation_removal_check",
    summary="Kan deze organisatie uit de casus?",
    description=(
        "Wat het verwijderen van een organisatie tegenhoudt: het huis zelf, de laatste partner, de "
        "casusregisseur, open acties en uitnodigingen voor komende overleggen van haar medewerkers. Scope "
        "`cases:read`; alleen het huis (anders 403)."
    ),
    response={200: RemovalCheckOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def case_participation_removal_check(request, case_id: int, organisation_id: int):
    case = case_access.case_get_for_user(user=request.auth.user, case_id=case_id, action="manage")
    participation = participants.participation_get(case=case, organisation_id=organisation_id)
    check = participants.removal_check_read(viewer=request.auth.user, case=case, participation=participation)
    return {
        "organisation_id": participation.organisation_id,
        "name": participation.organisation.name,
        "allowed": check.allowed,
        "blockers": check.blockers,
    }


@router.post(
    "/{case_id}/organisations/{organisation_id}/remove",
    operation_id="case_participation_remove",
    summary="Organisatie uit een casus halen",
    description=(
        "Het huis haalt een organisatie uit de casus, met een reden (in de geschiedenis van de casus; het "
        "auditlog krijgt alleen ids). Haar medewerkers zien de casus daarna niet meer (404). Geweigerd met 409 "
        "`transition_not_allowed` en alles wat in de weg staat: het huis zelf, de laatste partner, de "
        "casusregisseur, open acties of uitnodigingen voor komende overleggen (eerst toewijzen of intrekken). "
        "Scope `cases:write`."
    ),
    response={200: CaseOrganisationOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def case_participation_remove(request, case_id: int, organisation_id: int, payload: OrganisationRemoveIn):
    user = request.auth.user
    case = case_access.case_get_for_user(user=user, case_id=case_id, action="manage")
    removed = participants.case_participation_remove(
        actor=user, case=case, organisation_id=organisation_id, reason=payload.reason
    )
    return output.case_organisation(removed)
