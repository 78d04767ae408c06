"""The follow-up overview ("Opvolging", SPEC §5.1; issue 11 item 5): what lies still or is over its term, as
one list of items of seven kinds, filtered by kind, owner and organisation, "mine" by default, and paginated.
Page and API read it through `follow_up_list` alone.

Every kind is one queryset of the cases the viewer may see (`tafel.cases.access.cases_visible_to`); a page costs one
count and at most one slice per kind, however many items there are. A partner organisation sees only its own
actions, rappels, escalations, breaches and proposals, and the case-level items (stalled, waiting) of its
cases without the waiting note: the house's own follow-up is for the house."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tafel.access import policy
from tafel.cases import access as case_access
from tafel.cases.models import CaseStatus
from tafel.core.audit import audit_list

from .conf import stalled_days
from .models import (
    BodemeisBreach,
    CaseRappel,
    ClosureProposal,
    EnrichmentRequest,
    Escalation,
    EscalationStatus,
    ProgressUpdate,
    ProposalStatus,
)

# The keys travel in URLs and the API and stay Dutch; the labels are shown in the page language.
KINDS = {
    "actie": _("Actie over de termijn"),
    "stil": _("Stilliggende casus"),
    "wacht": _("Wacht op informatie"),
    "rappel": _("Rappeldatum (komende week)"),
    "escalatie": _("Lopende escalatie"),
    "bodemeis": _("Bodemeis niet nagekomen (30 dagen)"),
    "voorstel": _("Voorstel tot afsluiting"),
}
# Owner filter: the viewer (default), the viewer's organisation, everyone, or one user's id.
MINE, MY_ORGANISATION, EVERYONE = "mij", "organisatie", "alle"
PAGE_SIZE = 25


@dataclass
class FollowUpItem:
    kind: str
    kind_label: str
    case_id: int
    case_reference: str
    text: str
    date: datetime.date | None
    owner: str
    organisation: str
    url_name: str
    url_arg: int


@dataclass
class FollowUpPage:
    items: list[FollowUpItem]
    total: int
    counts: dict[str, int]
    limit: int
    offset: int

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


@dataclass
class _Kind:
    queryset: Callable[..., QuerySet]
    # Q for "owned by user id u" and "belonging to organisation id o", on the kind's own rows.
    owner_q: Callable[[int], Q]
    org_q: Callable[[int], Q]
    item: Callable[[object], dict]


def _name(user) -> str:
    return str(user) if user is not None else ""


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def _actions(viewer, visible, today, house):
    from tafel.meetings.models import Action, ActionStatus, Plan

    current = Plan.objects.filter(case=OuterRef("case_id"), published_at__isnull=False).order_by("-number")
    qs = (
        Action.objects.filter(case__in=visible.filter(status=CaseStatus.ACTIEF))
        .filter(status=ActionStatus.OPEN, deadline__lt=today)
        .annotate(current_plan=Subquery(current.values("pk")[:1]))
        .filter(plan_id=F("current_plan"))
    )
    if not house:
        org = viewer.organisation_id
        qs = qs.filter(Q(organisation_id=org) | Q(owner__organisation_id=org) | Q(co_owner__organisation_id=org))
    return qs.select_related("case", "owner__organisation", "co_owner", "organisation").order_by("deadline", "pk")


def _action_item(a) -> dict:
    owner = _name(a.owner) + (f" + {a.co_owner}" if a.co_owner_id else "")
    org = a.organisation or (a.owner.organisation if a.owner_id else None)
    return {"text": a.what, "date": a.deadline, "owner": owner, "organisation": str(org or "")}


def _stalled(viewer, visible, today, house):
    cutoff = timezone.now() - datetime.timedelta(days=stalled_days())
    return (
        visible.filter(status=CaseStatus.ACTIEF)
        .annotate(
            last_progress=Greatest(
                Coalesce(Max("progress_updates__created_at"), "status_changed_at"), "status_changed_at"
            )
        )
        .filter(last_progress__lt=cutoff)
        .select_related("procesregisseur__organisation", "casusregisseur__organisation")
        .order_by("last_progress", "pk")
    )


def _waiting(viewer, visible, today, house):
    latest = ProgressUpdate.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        visible.filter(status__in=[CaseStatus.ACTIEF, CaseStatus.VERRIJKEN, CaseStatus.AANGEMELD])
        .annotate(
            waiting_flag=Subquery(latest.values("waiting_for_information")[:1]),
            waiting_note=Subquery(latest.values("waiting_note")[:1]),
            open_requests=Exists(EnrichmentRequest.objects.filter(case=OuterRef("pk"), answer__isnull=True)),
        )
        .filter(Q(waiting_flag=True) | Q(status=CaseStatus.VERRIJKEN) | Q(open_requests=True))
        .select_related("procesregisseur__organisation", "casusregisseur__organisation")
        .order_by("status_changed_at", "pk")
    )


def _case_owner_q(prefix: str = "") -> tuple[Callable[[int], Q], Callable[[int], Q]]:
    """A case's follow-up belongs to its casusregisseur, or to its procesregisseur while there is none; the
    procesregisseur counts it as theirs either way."""

    def owner(u: int) -> Q:
        return Q(**{f"{prefix}casusregisseur_id": u}) | Q(**{f"{prefix}procesregisseur_id": u})

    def org(o: int) -> Q:
        return Q(**{f"{prefix}casusregisseur__organisation_id": o}) | Q(
            **{f"{prefix}casusregisseur__isnull": True, f"{prefix}procesregisseur__organisation_id": o}
        )

    return owner, org


def _case_owner(case):
    return case.casusregisseur or case.procesregisseur


def _case_item(case, *, text: str, date) -> dict:
    owner = _case_owner(case)
    return {
        "text": text,
        "date": _date(date),
        "owner": _name(owner),
        "organisation": str(owner.organisation) if owner is not None else "",
    }


def _rappels(viewer, visible, today, house):
    qs = CaseRappel.objects.filter(case__in=visible, done_at__isnull=True, due_on__lte=today + datetime.timedelta(7))
    if not house:
        qs = qs.filter(set_by__organisation_id=viewer.organisation_id)
    return qs.select_related("case", "set_by__organisation").order_by("due_on", "pk")


def _escalations(viewer, visible, today, house):
    qs = Escalation.objects.filter(case__in=visible, status=EscalationStatus.OPEN)
    if not house:
        qs = qs.filter(started_by_org_id=viewer.organisation_id)
    return qs.select_related("case", "started_by", "started_by_org").order_by("started_at", "pk")


def _breaches(viewer, visible, today, house):
    qs = BodemeisBreach.objects.filter(case__in=visible, created_at__gte=timezone.now() - datetime.timedelta(30))
    if not house:
        qs = qs.filter(supplied_by_org_id=viewer.organisation_id)
    return qs.select_related("case", "bodemeis", "created_by", "supplied_by_org").order_by("-created_at", "-pk")


def _proposals(viewer, visible, today, house):
    qs = ClosureProposal.objects.filter(case__in=visible, status=ProposalStatus.OPEN)
    if not house:
        qs = qs.filter(organisation_id=viewer.organisation_id)
    return qs.select_related("case", "proposed_by", "organisation").order_by("at", "pk")


_case_owner_filter, _case_org_filter = _case_owner_q()

SPECS: dict[str, _Kind] = {
    "actie": _Kind(
        _actions,
        lambda u: Q(owner_id=u) | Q(co_owner_id=u),
        lambda o: Q(organisation_id=o) | Q(organisation__isnull=True, owner__organisation_id=o),
        _action_item,
    ),
    "stil": _Kind(
        _stalled,
        _case_owner_filter,
        _case_org_filter,
        lambda c: _case_item(c, text=str(_("geen voortgang sinds deze datum")), date=c.last_progress),
    ),
    "wacht": _Kind(
        _waiting,
        _case_owner_filter,
        _case_org_filter,
        lambda c: _case_item(
            c,
            text=" ".join(
                part
                for part in (
                    c.get_status_display(),
                    getattr(c, "shown_note", ""),
                    str(_("(verzoek om dat-informatie loopt)")) if c.open_requests else "",
                )
                if part
            ),
            date=c.status_changed_at,
        ),
    ),
    "rappel": _Kind(
        _rappels,
        lambda u: Q(set_by_id=u),
        lambda o: Q(set_by__organisation_id=o),
        lambda r: {
            "text": r.note,
            "date": r.due_on,
            "owner": _name(r.set_by),
            "organisation": str(r.set_by.organisation),
        },
    ),
    "escalatie": _Kind(
        _escalations,
        lambda u: Q(started_by_id=u),
        lambda o: Q(started_by_org_id=o),
        lambda e: {
            "text": e.get_step_display(),
            "date": _date(e.clock_deadline or e.started_at),
            "owner": _name(e.started_by),
            "organisation": str(e.started_by_org),
        },
    ),
    "bodemeis": _Kind(
        _breaches,
        lambda u: Q(created_by_id=u),
        lambda o: Q(supplied_by_org_id=o),
        lambda b: {
            "text": b.bodemeis.text,
            "date": _date(b.created_at),
            "owner": _name(b.created_by),
            "organisation": str(b.supplied_by_org),
        },
    ),
    "voorstel": _Kind(
        _proposals,
        lambda u: Q(proposed_by_id=u),
        lambda o: Q(organisation_id=o),
        lambda p: {
            "text": p.reason,
            "date": _date(p.at),
            "owner": _name(p.proposed_by),
            "organisation": str(p.organisation),
        },
    ),
}


def _link(kind: str, row) -> tuple[str, int]:
    if kind == "escalatie":
        return "lifecycle:escalation", row.pk
    return "lifecycle:case", (row.pk if kind in ("stil", "wacht") else row.case_id)


def follow_up_list(
    *,
    viewer,
    kind: str = "",
    owner: str = MINE,
    organisation_id: int | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    today: datetime.date | None = None,
) -> FollowUpPage:
    """One page of follow-up items the viewer may see, kinds in the order of `KINDS`, oldest first within a
    kind (breaches newest first). `owner` is `mij`, `organisatie`, `alle` or a user's id; an id or
    organisation the viewer cannot see items of simply finds nothing. Every case shown is audited as a list
    read."""
    if not policy.sees_case_content(viewer):
        return FollowUpPage(items=[], total=0, counts={k: 0 for k in KINDS}, limit=limit, offset=offset)
    today = today or timezone.localdate()
    house = policy.sees_all_cases(viewer)
    visible = case_access.cases_visible_to(viewer)
    querysets: dict[str, QuerySet] = {}
    for key, spec in SPECS.items():
        if kind and key != kind:
            continue
        qs = spec.queryset(viewer, visible, today, house)
        if owner == MINE:
            qs = qs.filter(spec.owner_q(viewer.pk))
        elif owner == MY_ORGANISATION:
            qs = qs.filter(spec.org_q(viewer.organisation_id))
        elif owner != EVERYONE and str(owner).isdigit():
            qs = qs.filter(spec.owner_q(int(owner)))
        if organisation_id:
            qs = qs.filter(spec.org_q(organisation_id))
        querysets[key] = qs
    counts = {key: (querysets[key].count() if key in querysets else 0) for key in KINDS}
    total = sum(counts.values())
    items: list[FollowUpItem] = []
    skip, wanted = offset, limit
    for key, qs in querysets.items():
        if wanted <= 0:
            break
        if skip >= counts[key]:
            skip -= counts[key]
            continue
        rows = list(qs[skip : skip + wanted])
        skip = 0
        wanted -= len(rows)
        for row in rows:
            if key == "wacht" and house and row.waiting_note:
                row.shown_note = f"— {row.waiting_note}"
            url_name, url_arg = _link(key, row)
            case = row if key in ("stil", "wacht") else row.case
            items.append(
                FollowUpItem(
                    kind=key,
                    kind_label=str(KINDS[key]),
                    case_id=case.pk,
                    case_reference=case.reference,
                    url_name=url_name,
                    url_arg=url_arg,
                    **SPECS[key].item(row),
                )
            )
    audit_list(actor=viewer, list_code="opvolging", case_ids=[i.case_id for i in items], shown=len(items))
    return FollowUpPage(items=items, total=total, counts=counts, limit=limit, offset=offset)


def filter_choices(*, viewer) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The owner and organisation options of the filter form: "me", "my organisation", "everyone", then the
    people one may name (the house: everyone with a content role; a partner: their colleagues); and the
    active organisations. Two queries."""
    from tafel.organisations.models import Organisation

    people = policy.active_users().filter(roles__role__in=policy.CONTENT_ROLES)
    if not policy.sees_all_cases(viewer):
        people = people.filter(organisation_id=viewer.organisation_id)
    owners = [(MINE, str(_("Mijzelf"))), (MY_ORGANISATION, str(_("Mijn organisatie"))), (EVERYONE, str(_("Iedereen")))]
    owners += [
        (str(u.pk), f"{u} ({u.organisation})")
        for u in people.select_related("organisation").distinct().order_by("first_name", "last_name", "pk")
    ]
    organisations = [("", str(_("Alle organisaties")))] + [
        (str(pk), name)
        for pk, name in Organisation.objects.filter(active=True).order_by("name").values_list("pk", "name")
    ]
    return owners, organisations
