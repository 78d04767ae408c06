"""A case's classification over time (issue 11): what a joining melding changes at once, what it proposes, and
what the procesregisseur edits by hand. Every change leaves a `CaseChange` row (the case's history, with the
reason) and an audit event (codes and ids only).

The joining rules (SPEC §3.2: a new melding about a person in an open case joins that case):
- urgency rises to the highest urgency of the meldingen that joined; it never drops by itself;
- a person takes the role the new melding gives, unless that role is the generic "betrokkene", which never
  overwrites a more specific role; the case shows the current role and when it changed;
- another theme, new predictive factors and a sending organisation that does not yet take part arrive as
  proposals: the procesregisseur accepts or declines them, and is told by a notification.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import override

from tafel.access.policy import may_triage, sees_all_cases
from tafel.cases.audit_events import CaseEvent
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, ConcurrentEdit, NotFound, TransitionNotAllowed, ValidationFailed
from tafel.core.notifications import NotificationKind, notify

from .models import (
    Aanmelding,
    Case,
    CaseChange,
    CaseChangeField,
    CaseOrganisation,
    CasePerson,
    CaseProposal,
    CaseProposalStatus,
    ParticipationKind,
    PersonRole,
    ProposalKind,
    Theme,
    Urgency,
)
from .selectors import case_regisseurs

# Urgency only rises when meldingen join: this is its order.
URGENCY_RANK = {Urgency.NORMAAL: 0, Urgency.HOOG: 1, Urgency.ACUUT: 2}


def _label(choices, value: str) -> str:
    with override(settings.LANGUAGE_CODE):
        try:
            return str(choices(value).label)
        except ValueError:
            return value


def may_classify(user) -> bool:
    """Roles, theme and urgency are the procesregisseur's to change (issue 11); the house's procesregisseur is
    the one who triages."""
    return may_triage(user)


def _require_classifier(user) -> None:
    if not may_classify(user):
        raise AccessDenied("Alleen een procesregisseur van het huis wijzigt rollen, thema en urgentie.")


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Geef een reden voor de wijziging.", field_errors={field: ["Vul een reden in."]})
    return reason


def _bump(case: Case, expected_version: int | None = None) -> None:
    """Optimistic concurrency: every write bumps the version; a write naming an older one is refused."""
    updated = Case.objects.filter(
        pk=case.pk, **({"version": expected_version} if expected_version is not None else {})
    ).update(version=F("version") + 1)
    if updated != 1:
        raise ConcurrentEdit(
            "Iemand anders heeft deze casus intussen gewijzigd. Laad de pagina opnieuw; uw invoer is bewaard."
        )
    case.version = Case.objects.filter(pk=case.pk).values_list("version", flat=True).get()


# --- a melding joins -------------------------------------------------------------------------------------


def apply_joining_melding(
    *, actor, case: Case, aanmelding: Aanmelding, theme: str, roles: dict[int, str], now
) -> list[CaseProposal]:
    """Called by `aanmelding_create` inside its transaction when a melding joins a running case. `theme` is the
    theme the melding gives, `roles` maps its person ids to the role it gives them. Returns the proposals."""
    changes: list[CaseChange] = []
    if URGENCY_RANK.get(aanmelding.urgency, 0) > URGENCY_RANK.get(case.urgency, 0):
        changes.append(
            CaseChange(
                case=case,
                field=CaseChangeField.URGENCY,
                old_value=case.urgency,
                new_value=aanmelding.urgency,
                actor=actor,
                at=now,
                aanmelding=aanmelding,
            )
        )
        Case.objects.filter(pk=case.pk).update(urgency=aanmelding.urgency)
        case.urgency = aanmelding.urgency
    for link in CasePerson.objects.filter(case=case, person_id__in=list(roles)):
        new_role = roles[link.person_id]
        if new_role == link.role or new_role == PersonRole.BETROKKENE:
            continue
        changes.append(
            CaseChange(
                case=case,
                field=CaseChangeField.ROLE,
                person_id=link.person_id,
                old_value=link.role,
                new_value=new_role,
                actor=actor,
                at=now,
                aanmelding=aanmelding,
            )
        )
        link.role, link.role_changed_at = new_role, now
        link.save(update_fields=["role", "role_changed_at"])
    CaseChange.objects.bulk_create(changes)

    open_proposals = list(CaseProposal.objects.filter(case=case, status=CaseProposalStatus.OPEN))
    proposals: list[CaseProposal] = []
    if (
        theme
        and theme != case.theme
        and not any(p.kind == ProposalKind.THEME and p.theme == theme for p in open_proposals)
    ):
        proposals.append(
            CaseProposal(case=case, aanmelding=aanmelding, kind=ProposalKind.THEME, theme=theme, created_at=now)
        )
    pending = {f for p in open_proposals if p.kind == ProposalKind.PREDICTIVE_FACTORS for f in p.predictive_factors}
    new_factors = sorted(set(aanmelding.predictive_factors or []) - set(case.predictive_factors or []) - pending)
    if new_factors:
        proposals.append(
            CaseProposal(
                case=case,
                aanmelding=aanmelding,
                kind=ProposalKind.PREDICTIVE_FACTORS,
                predictive_factors=new_factors,
                created_at=now,
            )
        )
    org_id = aanmelding.supplied_by_org_id
    if (
        not sees_all_cases(actor)
        # No participation yet, or a reporter-only one of an organisation that has since signed the convenant.
        and not CaseOrganisation.objects.filter(case=case, organisation_id=org_id)
        .exclude(kind=ParticipationKind.REPORTER, organisation__convenant_signed=True)
        .exists()
        and not any(p.kind == ProposalKind.ORGANISATION and p.organisation_id == org_id for p in open_proposals)
    ):
        proposals.append(
            CaseProposal(
                case=case, aanmelding=aanmelding, kind=ProposalKind.ORGANISATION, organisation_id=org_id, created_at=now
            )
        )
    CaseProposal.objects.bulk_create(proposals)
    for change in changes:
        audit(
            actor=actor,
            event=CaseEvent.CASE_PERSON_ROLE if change.field == CaseChangeField.ROLE else CaseEvent.CASE_CLASSIFY,
            case_id=case.pk,
            person_id=change.person_id,
            reason="join",
            details={
                "field": change.field,
                "from": change.old_value,
                "to": change.new_value,
                "aanmelding": aanmelding.pk,
            },
        )
    if proposals:
        _notify_proposals(case, len(proposals))
    return proposals


def _notify_proposals(case: Case, count: int) -> None:
    from django.urls import reverse

    text = (
        f"Een nieuwe melding is gekoppeld aan casus {case.reference}: "
        + ("er ligt een voorstel" if count == 1 else f"er liggen {count} voorstellen")
        + " om te beoordelen (thema, voorspellende factoren of een nieuwe deelnemende organisatie)."
    )
    notify(
        case_regisseurs(case),
        case=case,
        kind=NotificationKind.PROPOSAL,
        text=text,
        url=reverse("cases:detail", args=[case.pk]) + "#voorstellen",
    )


# --- the procesregisseur edits ---------------------------------------------------------------------------


def case_classification_update(
    *,
    actor,
    case: Case,
    reason: str,
    urgency: str | None = None,
    theme: str | None = None,
    expected_version: int | None = None,
) -> list[CaseChange]:
    """Change the urgency and/or the theme of a case, with a reason (issue 11). Unchanged values are ignored;
    a request that changes nothing is refused so the history holds no empty entries."""
    _require_classifier(actor)
    errors: dict[str, list[str]] = {}
    if urgency is not None and urgency not in Urgency.values:
        errors["urgency"] = ["Kies een urgentie."]
    if theme is not None and theme not in Theme.values:
        errors["theme"] = ["Kies een thema."]
    if not (reason or "").strip():
        errors["reason"] = ["Vul een reden in."]
    if errors:
        raise ValidationFailed("De wijziging is niet volledig.", field_errors=errors)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if expected_version is not None and expected_version != case.version:
            raise ConcurrentEdit(
                "Iemand anders heeft deze casus intussen gewijzigd. Laad de pagina opnieuw; uw invoer is bewaard."
            )
        now = timezone.now()
        changes = []
        fields = []
        for field, value in ((CaseChangeField.URGENCY, urgency), (CaseChangeField.THEME, theme)):
            if value is None or value == getattr(case, field):
                continue
            changes.append(
                CaseChange(
                    case=case,
                    field=field,
                    old_value=getattr(case, field),
                    new_value=value,
                    actor=actor,
                    at=now,
                    reason=reason.strip(),
                )
            )
            setattr(case, field, value)
            fields.append(str(field))
        if not changes:
            raise ValidationFailed(
                "Er verandert niets: kies een andere urgentie of een ander thema.",
                field_errors={"urgency": ["Gelijk aan de huidige waarde."]},
            )
        case.version += 1
        case.save(update_fields=[*fields, "version"])
        CaseChange.objects.bulk_create(changes)
        for change in changes:
            audit(
                actor=actor,
                event=CaseEvent.CASE_CLASSIFY,
                case_id=case.pk,
                details={"field": change.field, "from": change.old_value, "to": change.new_value},
            )
    return changes


def case_person_role_set(*, actor, case: Case, person_id, role: str, reason: str) -> CaseChange:
    """The procesregisseur gives a person in the case another role, with a reason."""
    _require_classifier(actor)
    if role not in PersonRole.values:
        raise ValidationFailed("Kies een rol.", field_errors={"role": ["Kies een rol."]})
    reason = _reason(reason)
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise NotFound("Deze persoon hoort niet bij deze casus.") from None
    with transaction.atomic():
        link = CasePerson.objects.select_for_update().filter(case=case, person_id=person_id).first()
        if link is None:
            raise NotFound("Deze persoon hoort niet bij deze casus.")
        if link.role == role:
            raise ValidationFailed(
                "Deze persoon heeft die rol al.", field_errors={"role": ["Gelijk aan de huidige rol."]}
            )
        now = timezone.now()
        change = CaseChange.objects.create(
            case=case,
            field=CaseChangeField.ROLE,
            person_id=person_id,
            old_value=link.role,
            new_value=role,
            actor=actor,
            at=now,
            reason=reason,
        )
        link.role, link.role_changed_at = role, now
        link.save(update_fields=["role", "role_changed_at"])
        _bump(case)
        audit(
            actor=actor,
            event=CaseEvent.CASE_PERSON_ROLE,
            case_id=case.pk,
            person_id=person_id,
            details={"from": change.old_value, "to": role},
        )
    return change


def proposal_get(*, case: Case, proposal_id) -> CaseProposal:
    """A proposal of this case (the case itself has passed the policy already); another case's reads as absent."""
    try:
        proposal_id = int(proposal_id)
    except (TypeError, ValueError):
        raise NotFound("Dit voorstel bestaat niet.") from None
    proposal = (
        CaseProposal.objects.filter(case=case, pk=proposal_id).select_related("aanmelding", "organisation").first()
    )
    if proposal is None:
        raise NotFound("Dit voorstel bestaat niet.")
    return proposal


def case_proposal_decide(*, actor, case: Case, proposal_id, accept: bool, reason: str = "") -> CaseProposal:
    """Accept or decline what a joining melding proposed. Accepting applies it (theme, factors, participant)
    and records the change; declining needs a reason, which the aanmelder's organisation can read back."""
    from tafel.organisations.models import Organisation

    _require_classifier(actor)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationFailed(
            "Geef een reden om het voorstel af te wijzen.", field_errors={"reason": ["Vul een reden in."]}
        )
    with transaction.atomic():
        proposal = proposal_get(case=case, proposal_id=proposal_id)
        proposal = CaseProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != CaseProposalStatus.OPEN:
            raise TransitionNotAllowed("Over dit voorstel is al besloten.")
        case = Case.objects.select_for_update().get(pk=case.pk)
        now = timezone.now()
        if accept:
            note = reason or f"Voorstel uit aanmelding {proposal.aanmelding_id} overgenomen."
            if proposal.kind == ProposalKind.THEME:
                if proposal.theme != case.theme:
                    CaseChange.objects.create(
                        case=case,
                        field=CaseChangeField.THEME,
                        old_value=case.theme,
                        new_value=proposal.theme,
                        actor=actor,
                        at=now,
                        reason=note,
                        aanmelding_id=proposal.aanmelding_id,
                    )
                    Case.objects.filter(pk=case.pk).update(theme=proposal.theme)
            elif proposal.kind == ProposalKind.PREDICTIVE_FACTORS:
                merged = sorted(set(case.predictive_factors or []) | set(proposal.predictive_factors))
                CaseChange.objects.create(
                    case=case,
                    field=CaseChangeField.PREDICTIVE_FACTORS,
                    old_value=",".join(case.predictive_factors or []),
                    new_value=",".join(merged),
                    actor=actor,
                    at=now,
                    reason=note,
                    aanmelding_id=proposal.aanmelding_id,
                )
                Case.objects.filter(pk=case.pk).update(predictive_factors=merged)
            else:
                organisation = Organisation.objects.get(pk=proposal.organisation_id)
                if not organisation.active:
                    raise ValidationFailed(
                        f"{organisation} is niet (meer) actief en kan niet aan een casus deelnemen.",
                        field_errors={"reason": ["Deze organisatie is niet actief."]},
                    )
                from .services import case_participation_join

                # The sender of a joining melding takes part as it would have at intake: a partner under the
                # convenant, else a reporter only (issue 10, finding 4) — accepting the proposal never grants
                # partner rights by itself; the procesregisseur can make it a partner with a reason.
                outcome = case_participation_join(
                    actor=actor,
                    case=case,
                    organisation=organisation,
                    reason="aanmelder (gekoppelde melding)",
                    now=now,
                    kind=ParticipationKind.PARTNER if organisation.convenant_signed else ParticipationKind.REPORTER,
                    proposal=proposal.pk,
                )
                if outcome:
                    CaseChange.objects.create(
                        case=case,
                        field=CaseChangeField.ORGANISATION,
                        old_value="",
                        new_value=str(organisation)[:300],
                        actor=actor,
                        at=now,
                        reason=note,
                        aanmelding_id=proposal.aanmelding_id,
                    )
        proposal.status = CaseProposalStatus.ACCEPTED if accept else CaseProposalStatus.DECLINED
        proposal.decided_by, proposal.decided_at, proposal.decision_reason = actor, now, reason
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        _bump(case)
        audit(
            actor=actor,
            event=CaseEvent.CASE_PROPOSAL_DECIDE,
            case_id=case.pk,
            reason="accept" if accept else "decline",
            details={"proposal": proposal.pk, "kind": proposal.kind},
        )
    return proposal


def change_label(change: CaseChange) -> tuple[str, str]:
    """The old and new value of a change as a person reads them (labels, not codes)."""
    from .services import PREDICTIVE_FACTORS

    if change.field == CaseChangeField.URGENCY:
        return _label(Urgency, change.old_value), _label(Urgency, change.new_value)
    if change.field == CaseChangeField.THEME:
        return _label(Theme, change.old_value), _label(Theme, change.new_value)
    if change.field == CaseChangeField.ROLE:
        return _label(PersonRole, change.old_value), _label(PersonRole, change.new_value)
    if change.field == CaseChangeField.PREDICTIVE_FACTORS:

        def factors(value: str) -> str:
            return ", ".join(str(PREDICTIVE_FACTORS.get(f, f)) for f in value.split(",") if f) or "—"

        return factors(change.old_value), factors(change.new_value)
    return change.old_value, change.new_value
