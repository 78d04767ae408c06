"""The per-case checklist of the procesregisseur and the casusregisseur (issue 12, item 6b; SPEC §1; the
deeltaken of 001:L3409-3471).

One rule, in Python, for the case page, the API and the follow-up overview: `checklist_from_facts` turns the
facts Tafel can see about a case (one annotated query, `_with_facts`) and the ticks made by hand into the list
of items. An item Tafel can see is ticked by Tafel and cannot be ticked by hand; the others are ticked by hand,
with who and when, and each tick and untick is audited. Only items Tafel sees can be overdue: a deadline on a
fact ("casusregisseur named within 14 days") can be checked, a judgement ("bevraagt de casusregisseur") cannot.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tafel.access import policy
from tafel.cases import access as case_access
from tafel.cases.models import Case, CaseStatus, CaseStatusChange
from tafel.core.audit import audit
from tafel.core.dates import format_date
from tafel.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from tafel.core.jsonrows import build, compiled, compiled_columns, fields_of, json_rows, loads
from tafel.lifecycle.audit_events import LifecycleEvent

from .conf import checklist_casusregie_days, checklist_plan_days
from .models import ChecklistTick

PROCESREGISSEUR, CASUSREGISSEUR = "procesregisseur", "casusregisseur"


@dataclass(frozen=True)
class ItemDef:
    code: str
    role: str
    label: str
    source: str
    auto: bool = False


# The deeltaken, in the report's order and groups (001:L3409-3471). `auto` items are judged by Tafel below.
ITEMS = (
    ItemDef("pr_casusregisseur", PROCESREGISSEUR, _("Casusregie belegd: een casusregisseur is benoemd"), "8.3", True),
    ItemDef("pr_goal", PROCESREGISSEUR, _("Een helder doel van de aanpak is geformuleerd"), "1", True),
    ItemDef(
        "pr_plan", PROCESREGISSEUR, _("Een gezamenlijke aanpak is tijdig afgesproken (plan gepubliceerd)"), "2", True
    ),
    ItemDef("pr_escalation", PROCESREGISSEUR, _("Er is tijdig geëscaleerd waar dat nodig was"), "3"),
    ItemDef("pr_team", PROCESREGISSEUR, _("De juiste partners komen op het juiste moment aan tafel"), "4"),
    ItemDef(
        "pr_information", PROCESREGISSEUR, _("Partners hebben de casusinformatie die ze voor hun rol nodig hebben"), "5"
    ),
    ItemDef("pr_question", PROCESREGISSEUR, _("De casusregisseur is bevraagd op zijn afwegingen"), "6"),
    ItemDef(
        "pr_progress", PROCESREGISSEUR, _("De casusregisseur is aangesproken op de voortgang van interventies"), "7"
    ),
    ItemDef("pr_meeting", PROCESREGISSEUR, _("Het casusoverleg is georganiseerd en voorgezeten"), "8", True),
    ItemDef(
        "pr_evaluation", PROCESREGISSEUR, _("Het plan is actueel: de volgende evaluatiedatum staat vast"), "9", True
    ),
    ItemDef(
        "pr_bodemeisen", PROCESREGISSEUR, _("Het dossier is volledig: elke bodemeis heeft een bewaker"), "10", True
    ),
    ItemDef("cr_clients", CASUSREGISSEUR, _("Kent de cliënten en bepaalt of en wanneer een cliënt aanschuift"), "1"),
    ItemDef("cr_goal", CASUSREGISSEUR, _("Neemt het voortouw op de inhoud van het centrale doel"), "2"),
    ItemDef("cr_plan", CASUSREGISSEUR, _("Neemt het voortouw op de inhoud van de aanpak"), "3"),
    ItemDef("cr_fit", CASUSREGISSEUR, _("De gekozen interventies passen inhoudelijk bij elkaar"), "4"),
    ItemDef(
        "cr_inform", CASUSREGISSEUR, _("Informeert de uitvoerende professionals rechtstreeks (cc procesregisseur)"), "5"
    ),
    ItemDef("cr_table", CASUSREGISSEUR, _("Adviseert de procesregisseur over de benodigde mensen aan tafel"), "6"),
    ItemDef(
        "cr_update", CASUSREGISSEUR, _("Levert een update bij een aangepaste probleembeschrijving, doel of plan"), "7"
    ),
)
BY_CODE = {item.code: item for item in ITEMS}
MANUAL_CODES = frozenset(item.code for item in ITEMS if not item.auto)
# The checklist belongs to cases in the ZVH-aanpak: accepted, followed at a distance, or closed after it.
CHECKLIST_STATUSES = (CaseStatus.ACTIEF, CaseStatus.VOLGEN, CaseStatus.AFGESLOTEN)


@dataclass
class Item:
    code: str
    role: str
    label: str
    source: str
    auto: bool
    done: bool
    overdue: bool = False
    note: str = ""  # what Tafel saw, or the note of a tick by hand
    ticked_by: object = None
    ticked_at: datetime.datetime | None = None


@dataclass
class Checklist:
    case: Case
    items: list[Item]
    may_tick_roles: frozenset[str]

    @property
    def overdue(self) -> list[Item]:
        return [i for i in self.items if i.overdue]

    def for_role(self, role: str) -> list[Item]:
        return [i for i in self.items if i.role == role]

    @property
    def groups(self) -> list[tuple[str, list[Item], str]]:
        """(heading, items, role) per role, for the page."""
        return [
            (str(_("Procesregisseur")), self.for_role(PROCESREGISSEUR), PROCESREGISSEUR),
            (str(_("Casusregisseur")), self.for_role(CASUSREGISSEUR), CASUSREGISSEUR),
        ]


def _facts() -> dict:
    """The facts the rule needs, as annotations of a case query (in this order: the bodemeisen read the current
    plan's id)."""
    from tafel.meetings.models import STARTED_STATUSES, AgendaItem, Bodemeis, Plan

    current = Plan.objects.filter(case=OuterRef("pk"), published_at__isnull=False).order_by("-number")
    current_bodemeisen = Bodemeis.objects.filter(plan_id=OuterRef("current_plan_id"))
    accepted = (
        CaseStatusChange.objects.filter(case=OuterRef("pk"), to_status=CaseStatus.ACTIEF).order_by("at").values("at")
    )
    return {
        "current_plan_id": Subquery(current.values("pk")[:1]),
        "plan_goals": Subquery(current.values("goals")[:1]),
        "plan_next": Subquery(current.values("next_meeting_date")[:1]),
        "plan_casusregisseur_id": Subquery(current.values("casusregisseur_id")[:1]),
        "accepted_at": Coalesce(Subquery(accepted[:1]), "created_at"),
        "discussed": Exists(
            AgendaItem.objects.filter(case=OuterRef("pk"), deferred=False, meeting__status__in=STARTED_STATUSES)
        ),
        "has_bodemeis": Exists(current_bodemeisen),
        "unguarded": Exists(current_bodemeisen.filter(guard__isnull=True)),
    }


def _with_facts(qs: QuerySet) -> QuerySet:
    """The facts the rule needs, as annotations: one query however many cases."""
    return qs.annotate(**_facts())


def _ticks_json():
    from tafel.cases.detail import USER_FIELDS
    from tafel.organisations.models import User

    related = {"ticked_by": (User, USER_FIELDS, None)}
    return json_rows(ChecklistTick.objects.all(), link="case", value=fields_of(ChecklistTick, related=related))


def case_page_annotations(viewer) -> dict:
    """The checklist's facts and ticks as columns of the query that fetches the case for its page (issue 14: the
    case page stays within 12 queries); registered with tafel.cases.detail by LifecycleConfig.ready."""
    return compiled_columns(Case, "checklist_facts", _facts) | {
        "_checklist_ticks_json": compiled(Case, "checklist_ticks", _ticks_json)
    }


def _auto(case, code: str, today: datetime.date) -> tuple[bool, bool, str]:
    """(done, overdue, what Tafel saw) for an item Tafel judges. `case` carries the `_with_facts` annotations."""
    running = case.status == CaseStatus.ACTIEF
    accepted = timezone.localtime(case.accepted_at).date()
    plan_late = running and today > accepted + datetime.timedelta(days=checklist_plan_days())
    has_plan = case.current_plan_id is not None
    if code == "pr_casusregisseur":
        done = bool(case.casusregisseur_id or case.plan_casusregisseur_id)
        late = running and today > accepted + datetime.timedelta(days=checklist_casusregie_days())
        return done, not done and late, ""
    if code == "pr_goal":
        done = bool((case.plan_goals or "").strip())
        return done, not done and (has_plan or plan_late), ""
    if code == "pr_plan":
        return has_plan, not has_plan and plan_late, ""
    if code == "pr_meeting":
        return case.discussed, not case.discussed and plan_late, ""
    if code == "pr_evaluation":
        if not has_plan:
            return False, False, str(_("nog geen plan"))
        if case.plan_next is None:
            return False, running, str(_("geen datum in het plan"))
        done = case.plan_next >= today
        return done, running and not done, format_date(case.plan_next)
    if code == "pr_bodemeisen":
        if not has_plan:
            return False, False, str(_("nog geen plan"))
        if case.unguarded:
            return False, running, str(_("een bodemeis zonder bewaker"))
        return True, False, "" if case.has_bodemeis else str(_("het plan heeft geen bodemeisen"))
    raise ValueError(code)


def checklist_from_facts(case, ticks: list[ChecklistTick], today: datetime.date) -> list[Item]:
    """The one rule: every item, done or not, overdue or not."""
    by_code = {t.item: t for t in ticks}
    items = []
    for d in ITEMS:
        item = Item(code=d.code, role=d.role, label=str(d.label), source=d.source, auto=d.auto, done=False)
        if d.auto:
            item.done, item.overdue, item.note = _auto(case, d.code, today)
        elif d.code in by_code:
            tick = by_code[d.code]
            item.done, item.note, item.ticked_by, item.ticked_at = True, tick.note, tick.ticked_by, tick.ticked_at
        items.append(item)
    return items


def _may_tick(user, case) -> frozenset[str]:
    """The procesregisseur's items: the house's procesregisseurs. The casusregisseur's items: the case's
    casusregisseur, or the house's procesregisseur who guards the process."""
    roles = set()
    if policy.is_house_procesregisseur(user):
        roles |= {PROCESREGISSEUR, CASUSREGISSEUR}
    if case.casusregisseur_id and case.casusregisseur_id == getattr(user, "pk", None):
        roles.add(CASUSREGISSEUR)
    return frozenset(roles)


def case_checklist(*, viewer, case: Case, today: datetime.date | None = None) -> Checklist | None:
    """The checklist of a case the viewer already fetched through the policy (the case page, the API). None
    before the case is in the ZVH-aanpak. Two queries (the facts and the ticks), none when the case came with
    `case_page_annotations`."""
    if case.status not in CHECKLIST_STATUSES:
        return None
    today = today or timezone.localdate()
    if hasattr(case, "_checklist_ticks_json"):
        # The case page fetched the facts and ticks with the case (case_page_annotations): no query here.
        facts = case
        ticks = [build(ChecklistTick, row) for row in loads(case._checklist_ticks_json)]
    else:
        facts = _with_facts(Case.objects.filter(pk=case.pk)).first()
        ticks = list(ChecklistTick.objects.filter(case=case).select_related("ticked_by"))
    return Checklist(case=case, items=checklist_from_facts(facts, ticks, today), may_tick_roles=_may_tick(viewer, case))


@dataclass
class OverdueCase:
    case: Case
    items: list[Item]


def cases_with_overdue_items(*, viewer, today: datetime.date | None = None, limit: int = 100) -> list[OverdueCase]:
    """For the follow-up overview: running cases the viewer sees with an overdue checklist item. One query
    (only items Tafel judges can be overdue, so ticks by hand are not needed)."""
    today = today or timezone.localdate()
    running = _with_facts(case_access.cases_visible_to(viewer).filter(status=CaseStatus.ACTIEF)).order_by("accepted_at")
    found = []
    for case in running:
        overdue = [i for i in checklist_from_facts(case, [], today) if i.overdue]
        if overdue:
            found.append(OverdueCase(case=case, items=overdue))
            if len(found) >= limit:
                break
    return found


# --- ticking by hand --------------------------------------------------------------------------------------


def checklist_tick(*, actor, case: Case, item: str, ticked: bool, note: str = "") -> ChecklistTick | None:
    """Tick (or untick) an item Tafel cannot see for itself. Who may: see `_may_tick`. Audited either way."""
    definition = BY_CODE.get(item)
    if definition is None:
        raise ValidationFailed("Onbekend checklistpunt.", field_errors={"item": ["Onbekend checklistpunt."]})
    if definition.auto:
        raise TransitionNotAllowed("Dit punt vinkt Tafel zelf af zodra het in de casus te zien is.")
    if definition.role not in _may_tick(actor, case):
        raise AccessDenied("Dit punt vinkt de procesregisseur of de casusregisseur van de casus af.")
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationFailed("De toelichting is te lang.", field_errors={"note": ["Maximaal 500 tekens."]})
    with transaction.atomic():
        existing = ChecklistTick.objects.select_for_update().filter(case=case, item=item).first()
        if ticked and existing is None:
            tick = ChecklistTick.objects.create(
                case=case, item=item, note=note, ticked_by=actor, ticked_at=timezone.now()
            )
        elif not ticked and existing is not None:
            existing.delete()
            tick = None
        else:
            return existing  # nothing changes: ticking a ticked item (or unticking an open one) is no event
        audit(
            actor=actor,
            event=LifecycleEvent.CHECKLIST_TICK,
            case_id=case.pk,
            details={"item": item, "ticked": ticked},
        )
    return tick
