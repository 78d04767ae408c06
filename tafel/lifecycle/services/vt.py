"""The Veilig Thuis route (SPEC §3.1 item 4, §3.3 last paragraph; 004:L1172-1291): meldingen by origin,
enrichment with dat-informatie, the VT triage decision with its safety-risk level and route, feedback on a
need-to-know basis, monitoring after handover, and escalation to the ZVH."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tafel.access.policy import active_users, refuse_unseen, sees_case_content
from tafel.cases.access import can_view_case
from tafel.cases.models import Aanmelding, Case, CaseStatus, EntryRoute
from tafel.cases.selectors import house_procesregisseurs
from tafel.cases.services import (
    AanmeldingInput,
    AanmeldingResult,
    aanmelding_create,
    case_participation_join,
    case_transition,
)
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, TransitionNotAllowed
from tafel.lifecycle.audit_events import LifecycleEvent
from tafel.organisations.models import Organisation, OrganisationType, User

from ..conf import vt_monitor_days
from ..models import (
    HANDOVER_ROUTES,
    CaseIntervention,
    EnrichmentAnswer,
    EnrichmentRequest,
    NotificationKind,
    RiskLevel,
    Track,
    VtDecision,
    VtOrigin,
    VtRoute,
)
from ._common import clean, fail, is_house_procesregisseur, notify, require_in_case


def is_vt_worker(user) -> bool:
    return bool(sees_case_content(user) and user.organisation.type == OrganisationType.VEILIG_THUIS)


def require_vt(user, case: Case) -> None:
    if not ((is_vt_worker(user) or is_house_procesregisseur(user)) and can_view_case(user, case)):
        raise AccessDenied("Alleen Veilig Thuis (of het huis) beslist over deze melding.")


def vt_melding_create(*, actor, origin: str, data: AanmeldingInput) -> AanmeldingResult:
    """A melding to Veilig Thuis by origin: the police (HG-melding, zorgmelding jeugd), a professional after
    the Meldcode, or a citizen. It uses the ordinary intake (route `politie_vt`), so a melding about a person
    in an open case or one under follow-up joins that case."""
    if origin not in VtOrigin.values:
        raise fail("Kies de herkomst van de melding.", "origin")
    data.route = EntryRoute.POLITIE_VT
    data.origin = origin
    # The receiving Veilig Thuis organisation takes part in the melding it has to weigh (need-to-know): the
    # intake adds it for every melding on this route.
    return aanmelding_create(actor=actor, data=data)


def enrichment_request(
    *, actor, case: Case, organisation_ids: list[int], question: str = ""
) -> list[EnrichmentRequest]:
    """Verrijking: ask partners whether the household is known to them (dat-informatie only)."""
    require_vt(actor, case)
    orgs = list(Organisation.objects.filter(pk__in=organisation_ids, active=True).exclude(pk=actor.organisation_id))
    if not orgs:
        raise fail("Kies een of meer organisaties.", "organisations")
    created = []
    with transaction.atomic():
        now = timezone.now()
        for org in orgs:
            try:
                with transaction.atomic():
                    request = EnrichmentRequest.objects.create(
                        case=case,
                        organisation=org,
                        question=clean(question)[:300] or "Is dit huishouden bij u bekend?",
                        requested_by=actor,
                        requested_at=now,
                    )
            except IntegrityError:
                continue
            created.append(request)
            notify(
                User.objects.filter(
                    organisation=org, is_active=True, roles__role__in=["professional", "informatiemedewerker"]
                ),
                case=None,
                kind=NotificationKind.ENRICHMENT,
                text=f"{actor.organisation}: {request.question} (verzoek {request.pk})",
                url=reverse("lifecycle:enrichment_inbox"),
            )
        audit(
            actor=actor,
            event=LifecycleEvent.ENRICHMENT_REQUEST,
            case_id=case.pk,
            details={"organisations": [r.organisation_id for r in created]},
        )
    return created


def enrichment_answer(
    *, actor, request: EnrichmentRequest, known: bool, contact: str = "", note: str = ""
) -> EnrichmentAnswer:
    """The asked organisation answers with dat-informatie: known or not, and whom to contact (SPEC §3.2)."""
    if not (sees_case_content(actor) and actor.organisation_id == request.organisation_id):
        raise AccessDenied("Dit verzoek is aan een andere organisatie gericht.")
    if known is None:
        raise fail("Is het huishouden bij u bekend?", "known")
    if known and not clean(contact):
        raise fail("Noem een contactpersoon.", "contact")
    with transaction.atomic():
        try:
            with transaction.atomic():
                answer = EnrichmentAnswer.objects.create(
                    request=request,
                    known=known,
                    contact=clean(contact)[:200],
                    note=clean(note)[:500],
                    supplied_by_org_id=actor.organisation_id,
                    created_by=actor,
                    created_at=timezone.now(),
                )
        except IntegrityError:
            raise TransitionNotAllowed("Dit verzoek is al beantwoord.") from None
        audit(
            actor=actor,
            event=LifecycleEvent.ENRICHMENT_ANSWER,
            case_id=request.case_id,
            details={"request": request.pk, "known": known},
        )
        notify(
            [request.requested_by],
            case=request.case,
            kind=NotificationKind.ENRICHMENT,
            text=f"{actor.organisation}: huishouden {'bekend' if known else 'niet bekend'}.",
            url=reverse("lifecycle:case", args=[request.case_id]),
        )
    return answer


def vt_decide(
    *,
    actor,
    case: Case,
    risk_level: str,
    route: str,
    reason: str,
    responsible_worker_id: int | None = None,
    waiting_list: bool = False,
    handover_to: str = "",
    feedback_police: str = "",
    feedback_reporter: str = "",
    handover_organisation_id: int | None = None,
    handover_on: datetime.date | None = None,
    handover_present: str = "",
) -> VtDecision:
    """The VT triage decision. A high-risk case is never put on a waiting list and always gets a named
    responsible worker (004:L1261-1291). Handover routes go to local handling (status lokaal) with monitoring
    after the handover; VT onderzoek and crisis keep the case running."""
    require_vt(actor, case)
    errors: dict[str, list[str]] = {}
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = ["Kies het veiligheidsrisico."]
    if route not in VtRoute.values:
        errors["route"] = ["Kies de route."]
    if not clean(reason):
        errors["reason"] = ["Onderbouw het besluit."]
    worker = None
    if responsible_worker_id:
        # One fetch-and-check for a user named by id: unknown, inactive and outside the case answer alike.
        worker = (
            active_users()
            .filter(pk=responsible_worker_id if str(responsible_worker_id).isdigit() else 0)
            .select_related("organisation")
            .first()
        )
        if worker is None or not can_view_case(worker, case) and worker.organisation_id != actor.organisation_id:
            worker = None
            errors["responsible_worker"] = ["Kies een medewerker van Veilig Thuis of van een partner in de casus."]
    high = risk_level == RiskLevel.HOOG or route == VtRoute.CRISIS
    if high and waiting_list:
        errors["waiting_list"] = ["Een casus met hoog risico komt nooit op de wachtlijst."]
    if high and worker is None and "responsible_worker" not in errors:
        errors["responsible_worker"] = ["Bij hoog risico is een verantwoordelijk medewerker verplicht."]
    # Issue 11: a handover goes to an organisation (which then takes part in the case), in a warm handover
    # with its date and who was present; `handover_to` names the contact there.
    handover_org = None
    if route in HANDOVER_ROUTES:
        handover_org = (
            Organisation.objects.filter(pk=handover_organisation_id, active=True).first()
            if handover_organisation_id
            else None
        )
        if handover_org is None and handover_organisation_id:
            refuse_unseen(
                actor,
                kind="organisation",
                object_id=handover_organisation_id,
                action="handover",
                model=Organisation,
                case_field=None,
            )
        if handover_org is None:
            errors["handover_organisation"] = ["Aan welke organisatie wordt de melding overgedragen?"]
        if handover_on is None:
            errors["handover_on"] = ["Wanneer was de warme overdracht?"]
        if not clean(handover_present):
            errors["handover_present"] = ["Wie waren bij de warme overdracht aanwezig?"]
    if errors:
        from tafel.core.errors import ValidationFailed

        raise ValidationFailed("Het besluit is niet volledig.", field_errors=errors)
    if case.status not in (CaseStatus.AANGEMELD, CaseStatus.VERRIJKEN, CaseStatus.ACTIEF):
        raise TransitionNotAllowed("Over deze melding is al besloten.")
    with transaction.atomic():
        now = timezone.now()
        decision = VtDecision.objects.create(
            case=case,
            decided_by=actor,
            decided_at=now,
            risk_level=risk_level,
            route=route,
            responsible_worker=worker,
            waiting_list=waiting_list,
            reason=clean(reason),
            handover_to=clean(handover_to)[:200],
            handover_organisation=handover_org,
            handover_on=handover_on if handover_org else None,
            handover_present=clean(handover_present) if handover_org else "",
            feedback_police=clean(feedback_police),
            feedback_reporter=clean(feedback_reporter),
            monitor_on=timezone.localdate() + datetime.timedelta(days=vt_monitor_days())
            if route in HANDOVER_ROUTES
            else None,
        )
        target = CaseStatus.LOKAAL if route in HANDOVER_ROUTES else CaseStatus.ACTIEF
        if case.status != target:
            case_transition(
                actor=actor,
                case=case,
                to_status=target,
                reason=f"Veilig Thuis: {VtRoute(route).label} (risico {RiskLevel(risk_level).label.lower()})",
            )
        audit(
            actor=actor,
            event=LifecycleEvent.VT_DECISION,
            case_id=case.pk,
            details={"decision": decision.pk, "risk": risk_level, "route": route},
        )
        _feedback(case, decision)
        if handover_org is not None:
            _hand_over(actor=actor, case=case, organisation=handover_org, now=now)
        if worker is not None:
            notify(
                [worker],
                case=case,
                kind=NotificationKind.VT,
                text=f"Melding {case.reference}: u bent de verantwoordelijk medewerker.",
                url=reverse("lifecycle:case", args=[case.pk]),
            )
    return decision


def _hand_over(*, actor, case: Case, organisation: Organisation, now) -> None:
    """The receiving organisation takes part in the case and its professionals are told (issue 11)."""
    # The receiver does the work from here: it takes part as a partner, also when it was a reporter only
    # (that promotion is audited with `from: melder`, like the procesregisseur's "Partner maken").
    case_participation_join(
        actor=actor, case=case, organisation=organisation, reason="warme overdracht door Veilig Thuis", now=now
    )
    notify(
        User.objects.filter(organisation=organisation, is_active=True, roles__role="professional"),
        case=case,
        kind=NotificationKind.VT,
        text=f"Veilig Thuis heeft melding {case.reference} aan {organisation} overgedragen (warme overdracht).",
        url=reverse("cases:detail", args=[case.pk]),
    )


def _feedback(case: Case, decision: VtDecision) -> None:
    """Feedback to the police and to the reporter on a need-to-know basis: they hear what was decided
    (the route) and the text written for them, not the content of the case."""
    meldingen = Aanmelding.objects.filter(case=case, route=EntryRoute.POLITIE_VT).select_related(
        "created_by__organisation"
    )
    for melding in meldingen:
        reporter = melding.created_by
        is_police = melding.origin == VtOrigin.POLITIE or reporter.organisation.type == OrganisationType.POLITIE
        text = decision.feedback_police if is_police else decision.feedback_reporter
        notify(
            [reporter],
            case=None,
            kind=NotificationKind.VT,
            text=f"Uw melding ({case.reference}): {VtRoute(decision.route).label}. {text}"[:500],
        )


def vt_escalate_to_zvh(*, actor, case: Case, reason: str) -> VtDecision:
    """When care and criminal justice both run, Veilig Thuis brings the case to the ZVH (SPEC §3.1 item 2)."""
    require_in_case(actor, case)
    require_vt(actor, case)
    decision = VtDecision.objects.filter(case=case).order_by("-decided_at", "-id").first()
    if decision is None:
        raise TransitionNotAllowed("Neem eerst een triagebesluit.")
    if decision.escalated_to_zvh_at:
        raise TransitionNotAllowed("Deze casus is al bij het huis aangemeld.")
    tracks = set(
        CaseIntervention.objects.filter(case=case, ended_on__isnull=True).values_list("type__track", flat=True)
    )
    if not ({Track.CARE, Track.CRIMINAL} <= tracks):
        raise fail(
            "Opschalen naar het huis kan als zorg én strafrecht lopen: leg de lopende interventies vast.", "reason"
        )
    if not clean(reason):
        raise fail("Waarom is de aanpak van het huis nodig?", "reason")
    with transaction.atomic():
        decision.escalated_to_zvh_at = timezone.now()
        decision.escalated_to_zvh_reason = clean(reason)
        decision.save(update_fields=["escalated_to_zvh_at", "escalated_to_zvh_reason"])
        audit(actor=actor, event=LifecycleEvent.VT_ESCALATE, case_id=case.pk, details={"decision": decision.pk})
        notify(
            house_procesregisseurs(),
            case=case,
            kind=NotificationKind.VT,
            text=f"Veilig Thuis meldt casus {case.reference} aan bij het huis: zorg en strafrecht lopen beide.",
            url=reverse("lifecycle:case", args=[case.pk]),
        )
    return decision


def vt_monitoring_close(*, actor, case: Case, reason: str) -> VtDecision:
    """Veilig Thuis ends the monitoring after a handover (issue 11): until then, `tick` reminds the responsible
    worker periodically."""
    require_vt(actor, case)
    if not clean(reason):
        raise fail("Waarom is monitoring niet meer nodig?", "reason")
    with transaction.atomic():
        decision = (
            VtDecision.objects.select_for_update()
            .filter(case=case, monitor_on__isnull=False, monitoring_closed_at__isnull=True)
            .order_by("-decided_at", "-id")
            .first()
        )
        if decision is None:
            raise TransitionNotAllowed("Er loopt geen monitoring na overdracht voor deze melding.")
        decision.monitoring_closed_at, decision.monitoring_closed_by = timezone.now(), actor
        decision.monitoring_close_reason = clean(reason)
        decision.save(update_fields=["monitoring_closed_at", "monitoring_closed_by", "monitoring_close_reason"])
        audit(actor=actor, event=LifecycleEvent.VT_MONITORING_CLOSE, case_id=case.pk, details={"decision": decision.pk})
    return decision
