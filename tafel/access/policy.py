"""The one policy module: every "may user U see/do X on case C" answer comes from here.

Views, the API and reports call it; nothing else decides access. Need-to-know (SPEC §6): a user sees a case
only when their organisation participates in it; the house's procesregisseurs and information officers see
every case of the house; analysts, stuurgroep and beheerders see no case content at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from tafel.access.choices import ConsentPurpose, RestrictionScope
from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.errors import AccessDenied, NotFound
from tafel.organisations.models import Role
from tafel.persons.audit_events import PersonEvent

# Roles that work with case content. Someone with only other roles (analist, ketenmanager, beheerder) sees
# aggregates and configuration, never a case.
CONTENT_ROLES = frozenset(
    {Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.PROFESSIONAL, Role.AANMELDER, Role.INFORMATIEMEDEWERKER}
)
# The kind of participation that opens a case's content (`cases.models.ParticipationKind`): a reporter-only
# organisation sees its own melding and the feedback it is owed, nothing else (issue 10, finding 4).
PARTNER = "partner"
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


def refuse_unseen(user, *, kind: str, object_id, action: str, model, case_field: str | None = "case_id") -> None:
    """The one place where a fetch by id that found nothing visible is recorded. It does the same work
    whether the object exists in another organisation or does not exist at all (one look-up of its case,
    one audit row), so neither the answer nor its timing tells an outsider which ids exist (issue 10,
    finding 12). A denial names the object's case, so the FG finds it under that case (finding 11)."""
    if not _active(user):
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
    of "active" as `_active` for the one who is logged in."""
    from tafel.organisations.models import User

    return User.objects.filter(is_active=True, organisation__isnull=False, organisation__active=True)


def sees_case_content(user) -> bool:
    return _active(user) and user.has_role(*CONTENT_ROLES)


def sees_all_cases(user) -> bool:
    return _active(user) and user.in_house and user.has_role(*HOUSE_WIDE_ROLES)


def sees_house_reasoning(user) -> bool:
    """The house's own reasoning (triage arguments, override reasons, the reasons given for status changes) is
    content of the house: for the house and the organisations bound by the convenant, not for an organisation
    outside it, even when it takes part in a case (issue 10, finding 15). The aanmelder's feedback is not
    reasoning: every aanmelder gets it."""
    if not sees_case_content(user):
        return False
    return sees_all_cases(user) or bool(user.organisation.convenant_signed)


def may_submit_aanmelding(user) -> bool:
    return _active(user) and user.has_role(*SUBMIT_ROLES)


def may_search_by_bsn(user) -> bool:
    """Finding cases by BSN is for the house's own staff (who register and check BSNs at intake); partners
    find their cases by name or kenmerk."""
    return sees_all_cases(user)


def may_triage(user) -> bool:
    return _active(user) and user.in_house and user.has_role(Role.PROCESREGISSEUR)


def may_manage_case(user) -> bool:
    """Add participants, change status outside triage: the house's process roles."""
    return sees_all_cases(user)


def may_read_audit(user) -> bool:
    return _active(user) and user.has_role(Role.BEHEERDER, Role.FG)


def may_act_as_fg(user) -> bool:
    """The privacy officer (FG): audit search and alerts, retention report, data-subject rights."""
    return _active(user) and user.has_role(Role.FG)


def may_edit_reglement(user) -> bool:
    """SPEC §1: the functioneel beheerder configures overleg types and retention."""
    return _active(user) and user.has_role(Role.BEHEERDER)


def sees_restricted_persons(user) -> bool:
    """AVG art. 18: a person whose processing is restricted is shown only to the FG and the procesregisseur."""
    return _active(user) and (user.has_role(Role.FG) or (user.in_house and user.has_role(Role.PROCESREGISSEUR)))


def may_use_admin(user) -> bool:
    return _active(user) and user.has_role(Role.BEHEERDER)


def cases_visible_to(user) -> QuerySet:
    from tafel.cases.models import Case

    if not sees_case_content(user):
        return Case.objects.none()
    if sees_all_cases(user):
        return Case.objects.all()
    return Case.objects.filter(participations__organisation_id=user.organisation_id, participations__kind=PARTNER)


def can_view_case(user, case) -> bool:
    if not sees_case_content(user):
        return False
    if sees_all_cases(user):
        return True
    return case.participations.filter(organisation_id=user.organisation_id, kind=PARTNER).exists()


ACTION_CHECKS = {
    "view": lambda user: True,
    "triage": may_triage,
    "manage": may_manage_case,
}


def case_get_for_user(*, user, case_id, action: str = "view", for_update: bool = False, annotate=None):
    """Fetch a case and check access in one step. Not visible → NotFound (404); visible but the action is
    not allowed → AccessDenied (403). Every refusal is audited. `annotate` (name → expression) loads more with
    the case in the same query (the case page's lists, tafel.cases.detail); it never widens what is visible."""
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
    qs = qs.select_related("municipality", "procesregisseur", "casusregisseur").filter(pk=case_id)
    if annotate:
        qs = qs.annotate(**annotate)
    # One row at most (the primary key), so no ORDER BY: `first()` would add the model's ordering, and compiling
    # it costs the ORM a hash of every selected column (issue 14 item 3: the case page's CPU).
    case = next(iter(qs.order_by()[:1]), None)
    if case is None:
        refuse_unseen(user, kind="case", object_id=case_id, action=action, model=Case, case_field="pk")
        raise NotFound("Deze casus bestaat niet of u heeft er geen toegang toe.")
    if not ACTION_CHECKS[action](user):
        audit(actor=user, event=CoreEvent.ACCESS_DENIED, case_id=case.pk, reason=f"case.{action}")
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
        Q(supplied_by_org_id=user.organisation_id)
        | Q(case__participations__organisation_id=user.organisation_id, case__participations__kind=PARTNER)
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
    # The item rules (SPEC §6) apply to the aanmelding as content: its own organisation always sees it.
    if obj is not None and obj.supplied_by_org_id != user.organisation_id:
        if not item_visible(
            user, case=obj.case, supplied_by_org_id=obj.supplied_by_org_id, category=obj.category, item=obj
        ):
            obj = None
    if obj is None:
        refuse_unseen(user, kind="aanmelding", object_id=aanmelding_id, action="view", model=Aanmelding)
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


def may_export_research(user) -> bool:
    """The pseudonymised research export (issue 6 item 6) is handed out by the ketenmanager, who answers for
    the house's data towards approved researchers, or by the beheerder; never by someone who reads aggregates
    only (analyst) or works with case content (professionals, procesregisseur)."""
    return _active(user) and user.has_role(Role.KETENMANAGER, Role.BEHEERDER)


# --- questionnaire editor (reports, issue 6 item 5) ------------------------------------------------------


def may_edit_questionnaires(user) -> bool:
    """The learning instruments (partner survey, session ratings, the house's own questionnaires) are kept by
    the ketenmanager, who runs the house and reads their results, and by the functioneel beheerder, who
    configures (SPEC §1). Neither reaches case content through it: the editor holds questions, not answers."""
    return _active(user) and user.has_role(Role.KETENMANAGER, Role.BEHEERDER)


# --- information items (SPEC §6, issue 4) ------------------------------------------------------------------
#
# Every piece of case content records the organisation that supplied it and its information category
# (`tafel.cases.models.SuppliedContent`). Seeing the case is necessary, never sufficient: the category rules
# below decide item by item. Pages, the API, exports and documents pass their items through `filter_items`.

# Without a reglement the stricter categories fall back to these organisation types (besides the supplier
# and organisations an item was explicitly shared with).
DEFAULT_JUSTITIEEL_TYPES = frozenset({"politie", "om", "reclassering", "raad", "zvh"})


def item_type_label(item) -> str:
    """The stable name of a content model for shares and restrictions, e.g. "cases.casenote"."""
    return f"{item._meta.app_label}.{item._meta.model_name}"


@dataclass(frozen=True)
class ItemFacts:
    """The records behind the item rules for one case and one viewing organisation: the items explicitly
    shared with it, the suppliers' restrictions, the consents in force, and the reglement of the case."""

    shared: set[tuple[str, int]]
    restrictions: dict[tuple[str, int], str]
    consent_purposes: set[str]
    reglement: object | None


# Those records are the privacy app's (Share, ItemRestriction, Consent, Reglement). It sits above this module
# and hands it their loader at start-up (PrivacyConfig.ready), so the rules stay here and the policy imports
# no app above it (docs/decisions/0008-dependency-layers.md).
_item_facts_loader: Callable[..., ItemFacts] | None = None


def register_item_facts(loader: Callable[..., ItemFacts]) -> None:
    global _item_facts_loader  # noqa: PLW0603 - filled once at start-up, read ever after
    _item_facts_loader = loader


def _load_item_facts(case, org_id) -> ItemFacts:
    if _item_facts_loader is None:
        raise RuntimeError("No app loads the item facts: is tafel.privacy in INSTALLED_APPS?")
    return _item_facts_loader(case=case, org_id=org_id)


class ItemContext:
    """Everything the item rules need for one viewer and one case, fetched once (a page shows many items)."""

    def __init__(self, user, case, *, case_visible: bool | None = None):
        from tafel.organisations.models import JUSTICE_TYPES

        self.user = user
        self.case = case
        # Callers that fetched the case through `case_get_for_user` already know; saves a query per page.
        self.case_visible = can_view_case(user, case) if case_visible is None else case_visible
        self.org_id = getattr(user, "organisation_id", None)
        org = user.organisation if self.case_visible else None
        self.org_type = org.type if org else ""
        self.convenant = bool(org and org.convenant_signed)
        self.is_justice = self.org_type in JUSTICE_TYPES
        self._loaded = False

    def preload(self, *, shared, restrictions, consent_purposes, reglement) -> None:
        """What `_load` would fetch, loaded with the case (tafel.cases.detail): the case page's item rules then
        need no query of their own."""
        self.shared = set(shared)
        self.restrictions = dict(restrictions)
        self.consent_purposes = set(consent_purposes)
        self.reglement = reglement
        self._loaded = True

    def _load(self):
        if self._loaded:
            return
        facts = _load_item_facts(self.case, self.org_id)
        self.shared = facts.shared
        self.restrictions = facts.restrictions
        self.consent_purposes = facts.consent_purposes
        self.reglement = facts.reglement
        self._loaded = True

    def visible(self, *, supplied_by_org_id: int, category: str, key: tuple[str, int] | None) -> bool:
        from tafel.cases.models import InfoCategory

        if not self.case_visible:
            return False
        # "Eigen informatie" (000:L3219): the supplier always sees what it supplied.
        if supplied_by_org_id == self.org_id:
            return True
        if category == InfoCategory.ALGEMEEN and self.convenant:
            # The common case needs no further rows: general information is shared within the case.
            return True
        self._load()
        if key is not None and key in self.shared:
            return True
        # An organisation that has not signed the convenant sees only what was explicitly shared with it.
        if not self.convenant:
            return False
        reglement = self.reglement
        if reglement is not None and reglement.categories and category not in reglement.categories:
            # The reglement does not allow this category to be exchanged at all: only by explicit share.
            return False
        if category == InfoCategory.MEDISCH:
            # Medical secrecy (WGBO): consent of the person for this purpose, or a recorded justification of
            # a serious threat, which is a Share (checked above).
            return ConsentPurpose.MEDISCH in self.consent_purposes
        if category == InfoCategory.POLITIE_ONDERZOEK:
            scope = self.restrictions.get(key, RestrictionScope.JUSTICE) if key else RestrictionScope.JUSTICE
            if scope == RestrictionScope.OWN:
                return False
            if scope == RestrictionScope.JUSTICE:
                return self.is_justice
            return True
        if category == InfoCategory.JUSTITIEEL:
            allowed = set(reglement.justitieel_org_types) if reglement and reglement.justitieel_org_types else None
            return self.org_type in (allowed if allowed is not None else DEFAULT_JUSTITIEEL_TYPES)
        if category == InfoCategory.JEUGD:
            if reglement is not None and reglement.jeugd_org_types:
                return self.org_type in reglement.jeugd_org_types
            return True
        return True


def item_visible(user, *, case, supplied_by_org_id: int, category: str, item=None, context=None) -> bool:
    """May `user` read this one item of `case`? Seeing the case first; then the category rules (SPEC §6)."""
    ctx = context or ItemContext(user, case)
    key = (item_type_label(item), item.pk) if item is not None and item.pk else None
    return ctx.visible(supplied_by_org_id=supplied_by_org_id, category=category, key=key)


def filter_items(user, *, case, items, case_visible: bool | None = None, context: ItemContext | None = None) -> list:
    """The items of `case` that `user` may read, in their order. Items are content model instances with
    `supplied_by_org_id` and `category`. Pass `case_visible=True` when the case came from
    `case_get_for_user` for this user, or one `context` shared by every list on the same page (the shares and
    consents are then fetched once, not once per list)."""
    items = list(items)
    if not items:
        return []
    ctx = context or ItemContext(user, case, case_visible=case_visible)
    if not ctx.case_visible:
        return []
    return [
        item
        for item in items
        if ctx.visible(
            supplied_by_org_id=item.supplied_by_org_id,
            category=item.category,
            key=(item_type_label(item), item.pk),
        )
    ]


# --- casusevaluatie and verbeteracties (SPEC §5.5, issue 6 item 5) ----------------------------------------
#
# An evaluation is case content: whoever may see the case may read it. It is drawn up by the house's process
# roles (the case's procesregisseur and the house's other procesregisseurs). Its improvement actions are also
# seen by their owner and by the ketenmanager, who watches that agreed improvements are carried out
# (003:L959-961: "het regionaal netwerk bewaakt de voortgang van de afgesproken verbeteracties").


def may_edit_evaluation(user, case) -> bool:
    if not _active(user) or not user.has_role(Role.PROCESREGISSEUR):
        return False
    return case.procesregisseur_id == user.pk or user.in_house


def sees_all_improvement_actions(user) -> bool:
    return _active(user) and (user.has_role(Role.KETENMANAGER) or sees_all_cases(user))


def may_view_improvement_actions(user) -> bool:
    """The overview "Verbeteracties": the ketenmanager, and everyone who works with case content (they see the
    actions of evaluations they may read and the actions they own)."""
    return _active(user) and (user.has_role(Role.KETENMANAGER) or sees_case_content(user))


# --- persons and users named by id in a request (issue 10, finding 2) ---------------------------------------
#
# An id in a request body is request input like an id in the URL: a person id at intake, a user id in an
# invitation, the owner or guard of an action, a responsible worker. Each goes through the fetch-and-check
# below, and an id that does not exist gets the same answer as one the user may not see.

PERSON_NOT_FOUND = "Deze persoon bestaat niet of u heeft er geen toegang toe."


def persons_visible_to(user) -> QuerySet:
    """The persons a user may see or name: the house sees everyone; others see the persons of the cases they
    take part in as a partner and the persons their organisation registered. Persons under restriction of
    processing (AVG art. 18) only for the FG and the procesregisseur."""
    from django.db.models import Q

    from tafel.cases.models import CasePerson
    from tafel.persons.models import Person

    if may_act_as_fg(user):
        # The FG answers data-subject requests (AVG art. 15-18) about anyone the house holds.
        return Person.objects.all()
    if not sees_case_content(user):
        return Person.objects.none()
    qs = Person.objects.all()
    if not sees_restricted_persons(user):
        qs = qs.filter(processing_restricted=False)
    if sees_all_cases(user):
        return qs
    in_case = CasePerson.objects.filter(case__in=cases_visible_to(user)).values("person_id")
    return qs.filter(Q(pk__in=in_case) | Q(created_by_org_id=user.organisation_id))


# How long a screening result may be linked to an aanmelding: the time to fill in the form, with a margin.
SCREENING_LINK_WINDOW = datetime.timedelta(hours=24)


def persons_screened_by(user):
    """Ids of persons that screening showed this user recently (the audit log records every candidate shown,
    SPEC §3.2). Linking such a person lets a melding join the case it is known in, without the submitter
    seeing more of that person than screening showed (see `cases.selectors.aanmelding_persons`)."""
    from django.utils import timezone

    from tafel.core.models import AuditEvent

    return AuditEvent.objects.filter(
        actor_id=user.pk,
        event_type=PersonEvent.PERSON_MATCH,
        person_id__isnull=False,
        at__gte=timezone.now() - SCREENING_LINK_WINDOW,
    ).values("person_id")


def person_get_for_user(*, user, person_id, action: str = "view"):
    """Fetch a person and check access in one step: not visible (or not existing) → NotFound."""
    from tafel.persons.models import Person

    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise NotFound(PERSON_NOT_FOUND) from None
    person = persons_visible_to(user).filter(pk=pk).first()
    if person is None:
        refuse_unseen(user, kind="person", object_id=pk, action=action, model=Person, case_field=None)
        raise NotFound(PERSON_NOT_FOUND)
    return person


def persons_get_for_user(*, user, person_ids, action: str = "link") -> dict:
    """Several persons at once (the persons of one aanmelding): id → Person for the visible ones; every id
    that is not visible is refused and audited exactly like a single fetch."""
    from django.db.models import Q

    from tafel.persons.models import Person

    wanted = set()
    for value in person_ids:
        try:
            wanted.add(int(value))
        except (TypeError, ValueError):
            continue
    if not wanted:
        return {}
    candidates = persons_visible_to(user)
    if action == "link" and may_submit_aanmelding(user):
        # An aanmelder links the person their screening showed them (SPEC §3.2: a melding about a person in
        # an open case joins that case); any other id is refused like an unknown one.
        pool = Person.objects.all()
        if not sees_restricted_persons(user):
            pool = pool.filter(processing_restricted=False)
        candidates = pool.filter(Q(pk__in=candidates.values("pk")) | Q(pk__in=persons_screened_by(user)))
    found = {p.pk: p for p in candidates.filter(pk__in=wanted)}
    for pk in sorted(wanted - set(found)):
        refuse_unseen(user, kind="person", object_id=pk, action=action, model=Person, case_field=None)
    return found


def users_eligible_for_cases(case_ids) -> QuerySet:
    """Who may be named in a case's work (invitee, owner, guard, casusregisseur): active accounts of the
    house with a content role, or of an organisation taking part in one of the cases as a partner."""
    from django.db.models import Q

    from tafel.cases.models import CaseOrganisation
    from tafel.organisations.models import OrganisationType

    partners = CaseOrganisation.objects.filter(case_id__in=list(case_ids), kind=PARTNER).values("organisation_id")
    return (
        active_users()
        .filter(roles__role__in=CONTENT_ROLES)
        .filter(Q(organisation__type=OrganisationType.ZVH) | Q(organisation_id__in=partners))
        .distinct()
    )


def user_get_for_cases(*, actor, user_id, case_ids, action: str = "assign"):
    """A user named by id in a request about `case_ids`. Unknown, inactive and not-taking-part ids all give
    the same NotFound (the caller turns it into a field error), so the answer names nobody."""
    from tafel.organisations.models import User

    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        raise NotFound("Onbekende gebruiker.") from None
    found = users_eligible_for_cases(case_ids).select_related("organisation").filter(pk=pk).first()
    if found is None:
        refuse_unseen(actor, kind="user", object_id=pk, action=action, model=User, case_field=None)
        raise NotFound("Onbekende gebruiker.")
    return found


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
