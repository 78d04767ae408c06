"""The one policy module, case half: which cases, aanmeldingen, information items and persons a user sees,
and the fetch-and-check of each.

These are the rules that read the case records. The role rules they build on (who works with case content,
who sees every case of the house, who may triage) are `tafel.access.policy`; this module sits above it, in the
cases app, so the access app reads no case model (docs/decisions/0008-dependency-layers.md). Views, the API
and reports call the two; nothing else decides access.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tafel.access.choices import ConsentPurpose, RestrictionScope
from tafel.access.policy import (
    CONTENT_ROLES,
    active_users,
    may_act_as_fg,
    may_manage_case,
    may_submit_aanmelding,
    may_triage,
    refuse_unseen,
    sees_all_cases,
    sees_case_content,
    sees_restricted_persons,
)
from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.errors import AccessDenied, NotFound
from tafel.core.models import AuditEvent
from tafel.organisations.models import JUSTICE_TYPES, OrganisationType, User
from tafel.persons.audit_events import PersonEvent
from tafel.persons.models import Person

from .models import Aanmelding, Case, CaseOrganisation, CasePerson, InfoCategory, ParticipationKind

# The kind of participation that opens a case's content: a reporter-only organisation sees its own melding and
# the feedback it is owed, nothing else (issue 10, finding 4).
PARTNER = ParticipationKind.PARTNER


def cases_visible_to(user) -> QuerySet:
    if not sees_case_content(user):
        return Case.objects.none()
    if sees_all_cases(user):
        return Case.objects.all()
    return Case.objects.filter(participations__organisation_id=user.organisation_id, participations__kind=PARTNER)


def case_visible_q(user, *, case_field: str = "case") -> Q:
    """The rule of `cases_visible_to` as a filter on the case of another kind of row (`case_field`, a foreign key
    to Case), for fetching one row by its key: each row's case is checked with EXISTS. `case__in=cases_visible_to(
    user)` means the same, but SQLite first builds the list of every case the user's organisation takes part in
    (tens of thousands at 100,000 cases: ~30 ms of CPU for one action update, issue 14 item 3)."""
    if not sees_case_content(user):
        return Q(pk__in=[])
    if sees_all_cases(user):
        return Q()
    return Q(
        Exists(
            CaseOrganisation.objects.filter(
                case_id=OuterRef(f"{case_field}_id"), organisation_id=user.organisation_id, kind=PARTNER
            )
        )
    )


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
    if not sees_case_content(user):
        return Aanmelding.objects.none()
    if sees_all_cases(user):
        return Aanmelding.objects.all()
    return Aanmelding.objects.filter(
        Q(supplied_by_org_id=user.organisation_id)
        | Q(case__participations__organisation_id=user.organisation_id, case__participations__kind=PARTNER)
    ).distinct()


def aanmeldingen_of_own_organisation(user) -> QuerySet:
    """What the user's organisation submitted: the first path of `aanmeldingen_visible_to`, so always within what
    that rule gives, read without its second path's join and DISTINCT (the aanmelder's overview and "my
    aanmeldingen" on the werkvoorraad: a partner's count went through every aanmelding of its cases, 121 ms at
    100,000 cases). Nothing for a user without case content or without an organisation (when unsure, deny)."""
    if not sees_case_content(user) or user.organisation_id is None:
        return Aanmelding.objects.none()
    return Aanmelding.objects.filter(supplied_by_org_id=user.organisation_id)


def aanmelding_get_for_user(*, user, aanmelding_id):
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
    return AuditEvent.objects.filter(
        actor_id=user.pk,
        event_type=PersonEvent.PERSON_MATCH,
        person_id__isnull=False,
        at__gte=timezone.now() - SCREENING_LINK_WINDOW,
    ).values("person_id")


def person_get_for_user(*, user, person_id, action: str = "view"):
    """Fetch a person and check access in one step: not visible (or not existing) → NotFound."""
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
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        raise NotFound("Onbekende gebruiker.") from None
    found = users_eligible_for_cases(case_ids).select_related("organisation").filter(pk=pk).first()
    if found is None:
        refuse_unseen(actor, kind="user", object_id=pk, action=action, model=User, case_field=None)
        raise NotFound("Onbekende gebruiker.")
    return found
