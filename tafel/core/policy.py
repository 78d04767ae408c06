"""The one policy module: every "may user U see/do X on case C" answer comes from here.

Views, the API and reports call it; nothing else decides access. Need-to-know (SPEC §6): a user sees a case
only when their organisation participates in it; the house's procesregisseurs and information officers see
every case of the house; analysts, stuurgroep and beheerders see no case content at all.
"""

from __future__ import annotations

from django.db.models import QuerySet

from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, NotFound
from tafel.core.models import AuditEventType
from tafel.organisations.models import Role

# Roles that work with case content. Someone with only other roles (analist, ketenmanager, beheerder) sees
# aggregates and configuration, never a case.
CONTENT_ROLES = frozenset(
    {Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.PROFESSIONAL, Role.AANMELDER, Role.INFORMATIEMEDEWERKER}
)
HOUSE_WIDE_ROLES = frozenset({Role.PROCESREGISSEUR, Role.INFORMATIEMEDEWERKER})
SUBMIT_ROLES = frozenset({Role.AANMELDER, Role.PROFESSIONAL, Role.CASUSREGISSEUR, *HOUSE_WIDE_ROLES})


def _active(user) -> bool:
    # A deactivated organisation (left the convenant, merged) takes its users' access with it, even when
    # an individual account was not switched off.
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.organisation.active
    )


def sees_case_content(user) -> bool:
    return _active(user) and user.has_role(*CONTENT_ROLES)


def sees_all_cases(user) -> bool:
    return _active(user) and user.in_house and user.has_role(*HOUSE_WIDE_ROLES)


def may_submit_aanmelding(user) -> bool:
    return _active(user) and user.has_role(*SUBMIT_ROLES)


def may_triage(user) -> bool:
    return _active(user) and user.in_house and user.has_role(Role.PROCESREGISSEUR)


def may_manage_case(user) -> bool:
    """Add participants, change status outside triage: the house's process roles."""
    return sees_all_cases(user)


def may_read_audit(user) -> bool:
    return _active(user) and user.has_role(Role.BEHEERDER)


def may_use_admin(user) -> bool:
    return _active(user) and user.has_role(Role.BEHEERDER)


def cases_visible_to(user) -> QuerySet:
    from tafel.cases.models import Case

    if not sees_case_content(user):
        return Case.objects.none()
    if sees_all_cases(user):
        return Case.objects.all()
    return Case.objects.filter(participations__organisation_id=user.organisation_id)


def can_view_case(user, case) -> bool:
    if not sees_case_content(user):
        return False
    if sees_all_cases(user):
        return True
    return case.participations.filter(organisation_id=user.organisation_id).exists()


ACTION_CHECKS = {
    "view": lambda user: True,
    "triage": may_triage,
    "manage": may_manage_case,
}


def case_get_for_user(*, user, case_id, action: str = "view", for_update: bool = False):
    """Fetch a case and check access in one step. Not visible → NotFound (404); visible but the action is
    not allowed → AccessDenied (403). Every refusal is audited."""
    from tafel.cases.models import Case

    if action not in ACTION_CHECKS:
        # A typo in a view must fail loudly in tests, not fall through to a KeyError after the fetch.
        raise ValueError(f"case_get_for_user: onbekende actie {action!r}")
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise NotFound("Deze casus bestaat niet of u heeft er geen toegang toe.") from None
    qs = cases_visible_to(user)
    if for_update:
        # Lock only the case row: PostgreSQL refuses FOR UPDATE on the nullable side of the outer joins that
        # select_related adds for procesregisseur and casusregisseur.
        qs = qs.select_for_update(of=("self",))
    case = qs.select_related("municipality", "procesregisseur", "casusregisseur").filter(pk=case_id).first()
    if case is None:
        if _active(user) and Case.objects.filter(pk=case_id).exists():
            audit(actor=user, event=AuditEventType.ACCESS_DENIED, case_id=case_id, reason=f"casus: {action}")
        raise NotFound("Deze casus bestaat niet of u heeft er geen toegang toe.")
    if not ACTION_CHECKS[action](user):
        audit(actor=user, event=AuditEventType.ACCESS_DENIED, case_id=case.pk, reason=f"casus: {action}")
        raise AccessDenied("U mag deze handeling op deze casus niet uitvoeren.")
    return case


def aanmeldingen_visible_to(user) -> QuerySet:
    """An aanmelder always sees what their organisation submitted (status and decision), even when it
    joined a case their organisation does not participate in; otherwise the case decides."""
    from django.db.models import Q

    from tafel.cases.models import Aanmelding

    if not sees_case_content(user):
        return Aanmelding.objects.none()
    if sees_all_cases(user):
        return Aanmelding.objects.all()
    return Aanmelding.objects.filter(
        Q(supplied_by_org_id=user.organisation_id) | Q(case__participations__organisation_id=user.organisation_id)
    ).distinct()


def aanmelding_get_for_user(*, user, aanmelding_id):
    from tafel.cases.models import Aanmelding

    try:
        aanmelding_id = int(aanmelding_id)
    except (TypeError, ValueError):
        raise NotFound("Deze aanmelding bestaat niet of u heeft er geen toegang toe.") from None
    obj = (
        aanmeldingen_visible_to(user)
        .select_related("case", "supplied_by_org", "created_by")
        .filter(pk=aanmelding_id)
        .first()
    )
    if obj is None:
        if _active(user) and Aanmelding.objects.filter(pk=aanmelding_id).exists():
            audit(actor=user, event=AuditEventType.ACCESS_DENIED, reason=f"aanmelding {aanmelding_id}")
        raise NotFound("Deze aanmelding bestaat niet of u heeft er geen toegang toe.")
    return obj


# --- the effectiveness monitor (reports) ------------------------------------------------------------------

# SPEC §1 and §7: the ketenmanager reads management reports, the analist/stuurgroep sees aggregated figures
# only, the procesregisseur follows the house's process and the beheerder configures. Case content behind a
# figure is never reached through this role: see `may_drill_down`.
REPORT_ROLES = frozenset({Role.KETENMANAGER, Role.ANALIST, Role.PROCESREGISSEUR, Role.BEHEERDER})


def may_view_reports(user) -> bool:
    return _active(user) and user.has_role(*REPORT_ROLES)


def may_drill_down(user) -> bool:
    """Open the list of cases behind a figure. Only a report reader who may see case content at all; the
    list itself is then still limited to `cases_visible_to(user)`. Analysts and the stuurgroep get
    aggregates only (SPEC §6: aggregated reports are pseudonymised)."""
    return may_view_reports(user) and sees_case_content(user)


def may_manage_goals(user) -> bool:
    """The effectiviteitsmatrix (SPEC §7, 000:L4407-4428) is set by the ketenmanager, who runs the house."""
    return _active(user) and user.has_role(Role.KETENMANAGER)
