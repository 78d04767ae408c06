"""The one policy module, role half: who may do what by role and organisation.

Every "may user U see/do X" answer that needs no case record comes from here: roles, an active organisation,
the house's roles, the report and configuration roles. The case half, every rule that reads the case records
(which cases, aanmeldingen, items and persons a user sees, the fetch-and-check of each), lives in
`tafel.cases.access`, which builds on these rules; this module imports no app above it
(docs/decisions/0008-dependency-layers.md). Views, the API and reports call the two; nothing else decides
access. Need-to-know (SPEC §6): a user sees a case only when their organisation participates in it; the
house's procesregisseurs and information officers see every case of the house; analysts, stuurgroep and
beheerders see no case content at all.
"""

from __future__ import annotations

from django.db.models import QuerySet

from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.organisations.models import Role

# Roles that work with case content. Someone with only other roles (analist, ketenmanager, beheerder) sees
# aggregates and configuration, never a case.
CONTENT_ROLES = frozenset(
    {Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.PROFESSIONAL, Role.AANMELDER, Role.INFORMATIEMEDEWERKER}
)
HOUSE_WIDE_ROLES = frozenset({Role.PROCESREGISSEUR, Role.INFORMATIEMEDEWERKER})
SUBMIT_ROLES = frozenset({Role.AANMELDER, Role.PROFESSIONAL, Role.CASUSREGISSEUR, *HOUSE_WIDE_ROLES})


def is_active_account(user) -> bool:
    """A logged-in, active account of an active organisation: the start of every answer. A deactivated
    organisation (left the convenant, merged) takes its users' access with it, even when an individual account
    was not switched off."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.organisation.active
    )


def refuse_unseen(user, *, kind: str, object_id, action: str, model, case_field: str | None = "case_id") -> None:
    """The one place where a fetch by id that found nothing visible is recorded. It does the same work
    whether the object exists in another organisation or does not exist at all (one look-up of its case,
    one audit row), so neither the answer nor its timing tells an outsider which ids exist (issue 10,
    finding 12). A denial names the object's case, so the FG finds it under that case (finding 11)."""
    if not is_active_account(user):
        return
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        object_id = None
    found = (
        list(model._default_manager.filter(pk=object_id).values_list(case_field or "pk", flat=True)[:1])
        if object_id is not None
        else []
    )
    audit(
        actor=user,
        event=CoreEvent.ACCESS_DENIED,
        case_id=found[0] if found and case_field else None,
        reason=f"{kind}.{action}",
        details={kind: object_id, "exists": bool(found)},
    )


def active_users() -> QuerySet:
    """Accounts that may act and may be named in a request (invitee, owner, guard, worker): the same notion
    of "active" as `is_active_account` for the one who is logged in."""
    from tafel.organisations.models import User

    return User.objects.filter(is_active=True, organisation__isnull=False, organisation__active=True)


def sees_case_content(user) -> bool:
    return is_active_account(user) and user.has_role(*CONTENT_ROLES)


def sees_all_cases(user) -> bool:
    return is_active_account(user) and user.in_house and user.has_role(*HOUSE_WIDE_ROLES)


def sees_house_reasoning(user) -> bool:
    """The house's own reasoning (triage arguments, override reasons, the reasons given for status changes) is
    content of the house: for the house and the organisations bound by the convenant, not for an organisation
    outside it, even when it takes part in a case (issue 10, finding 15). The aanmelder's feedback is not
    reasoning: every aanmelder gets it."""
    if not sees_case_content(user):
        return False
    return sees_all_cases(user) or bool(user.organisation.convenant_signed)


def may_submit_aanmelding(user) -> bool:
    return is_active_account(user) and user.has_role(*SUBMIT_ROLES)


def may_search_by_bsn(user) -> bool:
    """Finding cases by BSN is for the house's own staff (who register and check BSNs at intake); partners
    find their cases by name or kenmerk."""
    return sees_all_cases(user)


def is_house_procesregisseur(user) -> bool:
    """A procesregisseur of the house: guards the process of every case (starts plan versions, ticks the
    checklist, runs any meeting, closes, handles escalations). An information officer sees every case too, but is
    not this."""
    return is_active_account(user) and user.in_house and user.has_role(Role.PROCESREGISSEUR)


def may_triage(user) -> bool:
    return is_house_procesregisseur(user)


def may_manage_case(user) -> bool:
    """Add participants, change status outside triage: the house's process roles."""
    return sees_all_cases(user)


def may_read_audit(user) -> bool:
    return is_active_account(user) and user.has_role(Role.BEHEERDER, Role.FG)


def may_act_as_fg(user) -> bool:
    """The privacy officer (FG): audit search and alerts, retention report, data-subject rights."""
    return is_active_account(user) and user.has_role(Role.FG)


def may_edit_reglement(user) -> bool:
    """SPEC §1: the functioneel beheerder configures overleg types and retention."""
    return is_active_account(user) and user.has_role(Role.BEHEERDER)


def sees_restricted_persons(user) -> bool:
    """AVG art. 18: a person whose processing is restricted is shown only to the FG and the procesregisseur."""
    return (is_active_account(user) and user.has_role(Role.FG)) or is_house_procesregisseur(user)


def may_use_admin(user) -> bool:
    return is_active_account(user) and user.has_role(Role.BEHEERDER)


# --- the effectiveness monitor (reports) ------------------------------------------------------------------

# SPEC §1 and §7: the ketenmanager reads management reports, the analist/stuurgroep sees aggregated figures
# only, the procesregisseur follows the house's process and the beheerder configures. Case content behind a
# figure is never reached through this role: see `may_drill_down`.
REPORT_ROLES = frozenset({Role.KETENMANAGER, Role.ANALIST, Role.PROCESREGISSEUR, Role.BEHEERDER})


def may_view_reports(user) -> bool:
    return is_active_account(user) and user.has_role(*REPORT_ROLES)


def may_drill_down(user) -> bool:
    """Open the list of cases behind a figure. Only a report reader who may see case content at all; the
    list itself is then still limited to `tafel.cases.access.cases_visible_to(user)`. Analysts and the stuurgroep get
    aggregates only (SPEC §6: aggregated reports are pseudonymised)."""
    return may_view_reports(user) and sees_case_content(user)


def may_manage_goals(user) -> bool:
    """The effectiviteitsmatrix (SPEC §7, 000:L4407-4428) is set by the ketenmanager, who runs the house."""
    return is_active_account(user) and user.has_role(Role.KETENMANAGER)


def may_export_research(user) -> bool:
    """The pseudonymised research export (issue 6 item 6) is handed out by the ketenmanager, who answers for
    the house's data towards approved researchers, or by the beheerder; never by someone who reads aggregates
    only (analyst) or works with case content (professionals, procesregisseur)."""
    return is_active_account(user) and user.has_role(Role.KETENMANAGER, Role.BEHEERDER)


# --- questionnaire editor (reports, issue 6 item 5) ------------------------------------------------------


def may_edit_questionnaires(user) -> bool:
    """The learning instruments (partner survey, session ratings, the house's own questionnaires) are kept by
    the ketenmanager, who runs the house and reads their results, and by the functioneel beheerder, who
    configures (SPEC §1). Neither reaches case content through it: the editor holds questions, not answers."""
    return is_active_account(user) and user.has_role(Role.KETENMANAGER, Role.BEHEERDER)


# --- casusevaluatie and verbeteracties (SPEC §5.5, issue 6 item 5) ----------------------------------------
#
# An evaluation is case content: whoever may see the case may read it. It is drawn up by the house's process
# roles (the case's procesregisseur and the house's other procesregisseurs). Its improvement actions are also
# seen by their owner and by the ketenmanager, who watches that agreed improvements are carried out
# (003:L959-961: "het regionaal netwerk bewaakt de voortgang van de afgesproken verbeteracties").


def may_edit_evaluation(user, case) -> bool:
    if not is_active_account(user) or not user.has_role(Role.PROCESREGISSEUR):
        return False
    return case.procesregisseur_id == user.pk or user.in_house


def sees_all_improvement_actions(user) -> bool:
    return is_active_account(user) and (user.has_role(Role.KETENMANAGER) or sees_all_cases(user))


def may_view_improvement_actions(user) -> bool:
    """The overview "Verbeteracties": the ketenmanager, and everyone who works with case content (they see the
    actions of evaluations they may read and the actions they own)."""
    return is_active_account(user) and (user.has_role(Role.KETENMANAGER) or sees_case_content(user))


def may_lookup_brp(user) -> bool:
    """BRP lookup at intake (issue 15 item 5): switched on (TAFEL_BRP_URL), for someone who submits aanmeldingen
    and works at an organisation type with a legal basis for BRP access (TAFEL_BRP_ORGANISATION_TYPES)."""
    from django.conf import settings

    return bool(
        settings.TAFEL_BRP_URL
        and may_submit_aanmelding(user)
        and user.organisation_id is not None
        and user.organisation.type in settings.TAFEL_BRP_ORGANISATION_TYPES
    )
