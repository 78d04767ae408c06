"""Screening at intake: is this person already known, and whom do I contact?"""

from __future__ import annotations

from ninja import Router

from tafel.api.auth import auth_for
from tafel.api.schemas import errors
from tafel.cases import output
from tafel.cases import screening as person_selectors
from tafel.cases.schemas import CandidateOut, FederatedCheckOut, PersonMatchIn
from tafel.federation import services as federation_services
from tafel.persons import matching

router = Router(tags=["Personen"])


@router.post(
    "/match",
    operation_id="person_match",
    summary="Persoon zoeken (screening)",
    description=(
        "Kandidaten voor één persoon die u wilt aanmelden, beste eerst, met score, niveau en redenen. "
        "`known` is de dat-informatie: de persoon staat in een lopende casus en wie u kunt bellen; het "
        "kenmerk van die casus alleen als u haar mag inzien. Gegevens die u niet invulde (voornamen, "
        "geboortedatum, BSN) krijgt u alleen over personen wier casus u al ziet (`disclosed`). Organisaties buiten "
        "het huis zoeken op achternaam én geboortedatum, of op BSN (anders 422). Elke zoekvraag wordt vastgelegd "
        "in het auditlog. Scope `persons:match`."
    ),
    response={200: list[CandidateOut], **errors(401, 403, 422)},
    auth=auth_for("persons:match"),
)
def person_match(request, payload: PersonMatchIn):
    query = matching.NameParts(**payload.model_dump())
    candidates = person_selectors.person_match(viewer=request.auth.user, query=query)
    return [output.candidate(c) for c in candidates]


@router.post(
    "/federated-match",
    operation_id="person_federated_match",
    summary="Is deze persoon bekend in een ander huis? (federatie)",
    description=(
        "Vraagt via de federatiehub of andere Zorg- en Veiligheidshuizen deze persoon kennen. Alleen "
        "dat-informatie: welk huis, soort betrokkenheid, sinds wanneer en wie u kunt bellen. Er gaan geen namen "
        "naar de hub, alleen pseudoniemen. Nodig: achternaam + geboortedatum, of BSN. Een huis of hub dat niet "
        "op tijd antwoordt heeft status `niet_bereikbaar`; dat is een gewoon antwoord (200), geen fout. "
        "Vraag en antwoord worden vastgelegd in het auditlog van beide huizen. Scope `persons:match`."
    ),
    response={200: FederatedCheckOut, **errors(401, 403, 422)},
    auth=auth_for("persons:match"),
)
def person_federated_match(request, payload: PersonMatchIn):
    query = matching.NameParts(**payload.model_dump())
    result = federation_services.federated_check(viewer=request.auth.user, query=query)
    return {
        "status": result.status,
        "houses": [
            {
                "house": h.code,
                "house_name": h.name,
                "status": h.status,
                "matches": [
                    {
                        "tier": m.tier,
                        "kind": m.kind,
                        "since": m.since,
                        "contact_name": m.contact_name,
                        "contact_phone": m.contact_phone,
                        "contact_organisation": m.contact_organisation,
                    }
                    for m in h.matches
                ],
            }
            for h in result.houses
        ],
    }
