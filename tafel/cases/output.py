"""Turning domain objects into the API's output shapes. Plain functions over objects the selectors loaded:
they never query (the query-count tests hold them to that), except where a docstring says so."""

from __future__ import annotations

from tafel.cases.models import Aanmelding, AanmeldingPerson, Case, CasePerson, Triage
from tafel.cases.screening import Candidate
from tafel.cases.selectors import CaseDetail


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


def _name(user) -> str:
    return str(user) if user is not None else ""


def case_summary(case: Case) -> dict:
    """Needs `municipality` and `procesregisseur` loaded (selectors.case_list and the policy do)."""
    return {
        "id": case.pk,
        "reference": case.reference,
        "title": case.title,
        "theme": case.theme,
        "theme_label": case.get_theme_display(),
        "entry_route": case.entry_route,
        "status": case.status,
        "status_label": case.get_status_display(),
        "phase": case.phase,
        "urgency": case.urgency,
        "municipality": _ref(case.municipality),
        "procesregisseur": _ref(case.procesregisseur),
        "created_at": case.created_at,
        "status_changed_at": case.status_changed_at,
        "closed_at": case.closed_at,
        "version": case.version,
    }


def aanmelding_person(link: AanmeldingPerson) -> dict:
    return {
        "person_id": link.person_id,
        "name": link.person.full_name,
        "date_of_birth": link.person.date_of_birth,
        "role": link.role,
        "own_view": link.own_view,
        "match_score": link.match_score,
    }


def aanmelding(obj: Aanmelding, *, joined_existing: bool, case_visible: bool) -> dict:
    """Needs `case`, `supplied_by_org` and `created_by` loaded (or accepts a query each)."""
    return {
        "id": obj.pk,
        "case_id": obj.case_id if case_visible else None,
        "case_reference": obj.case.reference if case_visible else "",
        "joined_existing": joined_existing,
        "status": obj.status,
        "status_label": obj.get_status_display(),
        "route": obj.route,
        "urgency": obj.urgency,
        "supplied_by_organisation": str(obj.supplied_by_org),
        "created_by": _name(obj.created_by),
        "created_at": obj.created_at,
        "info_requested": obj.info_requested,
        "decision_text": obj.decision_text,
        "decided_at": obj.decided_at,
    }


def aanmelding_detail(obj: Aanmelding, persons: list[AanmeldingPerson], **facts) -> dict:
    return {
        **aanmelding(obj, **facts),
        "origin": obj.origin,
        "reason": obj.reason,
        "summary": obj.summary,
        "household": obj.household,
        "life_domains": obj.life_domains,
        "antecedents": obj.antecedents,
        "predictive_factors": obj.predictive_factors,
        "predictive_notes": obj.predictive_notes,
        "help_tried": obj.help_tried,
        "client_knows": obj.client_knows,
        "client_knows_reason": obj.client_knows_reason,
        "desired_response_days": obj.desired_response_days,
        "info_supplied": obj.info_supplied,
        "persons": [aanmelding_person(p) for p in persons],
    }


def case_person(link: CasePerson) -> dict:
    person = link.person
    return {
        "person_id": person.pk,
        "role": link.role,
        "role_label": link.get_role_display(),
        "name": person.full_name,
        "first_names": person.first_names,
        "prefix": person.prefix,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
        "gender": person.gender,
        "bsn_masked": person.bsn_masked,
        "added_at": link.added_at,
        "role_changed_at": link.role_changed_at,
    }


def triage(obj: Triage) -> dict:
    """Uses prefetched `criteria` and `team_members` when there (case_detail), else one query each."""
    return {
        "id": obj.pk,
        "case_id": obj.case_id,
        "outcome": obj.outcome,
        "outcome_label": obj.get_outcome_display(),
        "mode": obj.mode,
        "lokaal_reason": obj.lokaal_reason,
        "decided_at": obj.decided_at,
        "decided_by": _name(obj.decided_by),
        "team_members": [_name(u) for u in obj.team_members.all()],
        "team_others": obj.team_others,
        "override_reason": obj.override_reason,
        "caseload_override_reason": obj.caseload_override_reason,
        "missing_info": obj.missing_info,
        "feedback": obj.feedback,
        "criteria": [
            {"criterion": c.criterion, "label": c.get_criterion_display(), "met": c.met, "argument": c.argument}
            for c in obj.criteria.all()
        ],
    }


def case_organisation(link) -> dict:
    return {
        "organisation_id": link.organisation_id,
        "name": link.organisation.name,
        "type": link.organisation.type,
        "added_at": link.added_at,
        "reason": link.reason,
        "kind": link.kind,
    }


def case_detail(detail: CaseDetail) -> dict:
    case = detail.case
    return {
        **case_summary(case),
        "casusregisseur": _ref(case.casusregisseur),
        "persons": [case_person(p) for p in detail.persons],
        "organisations": [case_organisation(link) for link in detail.organisations],
        "status_history": [
            {
                "from_status": change.from_status,
                "to_status": change.to_status,
                "to_status_label": change.get_to_status_display(),
                "at": change.at,
                "actor": _name(change.actor),
                "actor_organisation": str(change.actor.organisation) if change.actor.organisation_id else "",
                "reason": change.reason,
            }
            for change in detail.history
        ],
        "aanmeldingen": [
            {
                "id": a.pk,
                "route": a.route,
                "status": a.status,
                "status_label": a.get_status_display(),
                "urgency": a.urgency,
                "supplied_by_organisation": str(a.supplied_by_org),
                "created_by": _name(a.created_by),
                "created_at": a.created_at,
                "reason": a.reason,
                "summary": a.summary,
                "persons": [aanmelding_person(p) for p in a.persons.all()],
            }
            for a in detail.aanmeldingen
        ],
        "triages": [triage(t) for t in detail.triages],
    }


def candidate(c: Candidate) -> dict:
    person = c.person
    return {
        "person_id": person.pk,
        "name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "bsn_masked": person.bsn_masked,
        "score": c.score,
        "level": c.level,
        "reasons": list(c.reasons),
        "disclosed": c.disclosed,
        "known": [
            {
                "status_label": k.status_label,
                "contact_name": k.contact_name,
                "contact_organisation": k.contact_organisation,
                "contact_email": k.contact_email,
                "contact_phone": k.contact_phone,
                "case_id": k.case_id,
                "case_reference": k.case_reference,
                "case_kind": k.case_kind,
            }
            for k in c.known
        ],
    }
