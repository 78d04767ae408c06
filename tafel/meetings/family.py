"""Reads for the family's version of the plan (issue 12, item 6; SPEC §4.5 and §6): the reviewed sentences,
the fixed contact person, which organisations take part, and what kind of information was shared with whom
and why — never the content itself (002:L1070: "transparent to clients about which information is shared and
with whom")."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings

from tafel.cases.models import CaseOrganisation, InfoCategory, ParticipationKind
from tafel.core.audit import audit
from tafel.meetings.audit_events import MeetingEvent
from tafel.organisations.models import User

from .access import may_review_family_plan
from .models import Audience, Bodemeis, FamilyPlan, Plan
from .plain import contact_sentence
from .services.family import family_sentences

# The recorded shares come from the privacy app, which sits above meetings and hands its reader over at
# start-up (PrivacyConfig.ready; docs/decisions/0008-dependency-layers.md). Without it no share is shown.
_share_reader = None


def register_share_reader(reader) -> None:
    """`reader(case)` returns the case's Share rows with from_org and to_org, oldest first."""
    global _share_reader  # noqa: PLW0603 - filled once at start-up, read ever after
    _share_reader = reader


def _shares_of(case):
    return _share_reader(case) if _share_reader is not None else []


# What kind of information a shared item is, in words a family understands (the item itself is never shown).
ITEM_KINDS = {
    "cases.aanmelding": "de melding over uw situatie",
    "cases.casenote": "een aantekening over uw situatie",
    "meetings.premeetingupdate": "een korte stand van zaken voor het overleg",
    "privacy.caseattachment": "een document",
}
CATEGORY_WORDS = {
    InfoCategory.MEDISCH: "medische gegevens",
    InfoCategory.POLITIE_ONDERZOEK: "gegevens van politie of OM",
    InfoCategory.JUSTITIEEL: "justitiële gegevens",
    InfoCategory.JEUGD: "gegevens over de kinderen",
}


@dataclass
class SharedKind:
    """One recorded share, as the family reads it: from whom, to whom, what kind, why, when."""

    from_org: str
    to_org: str
    kind: str
    reason: str
    shared_at: object


@dataclass
class FamilyView:
    plan: Plan
    family_plan: FamilyPlan | None
    # The reviewed sentences (empty until reviewed): the only "who does what" the family view shows.
    sentences: list[str]
    bodemeisen: list[Bodemeis]
    contact: User | None
    contact_sentence: str
    house_name: str
    organisations: list[str] = field(default_factory=list)
    shares: list[SharedKind] = field(default_factory=list)
    may_review: bool = False
    # Tafel's own sentences, shown to the procesregisseur on the review page only.
    draft_sentences: list[str] = field(default_factory=list)

    @property
    def is_reviewed(self) -> bool:
        return self.family_plan is not None and self.family_plan.is_reviewed


def _kind(share, categories: dict[tuple[str, int], str]) -> str:
    kind = ITEM_KINDS.get(share.item_type, "informatie over uw situatie")
    category = CATEGORY_WORDS.get(categories.get((share.item_type, share.item_id), ""))
    return f"{kind} ({category})" if category else kind


def shared_kinds(case) -> list[SharedKind]:
    """Every recorded share of the case, without content: the item's kind and category, the organisations, the
    ground from the reglement. Categories are read per item type in one query each."""
    shares = list(_shares_of(case))
    categories: dict[tuple[str, int], str] = {}
    by_type: dict[str, set[int]] = {}
    for s in shares:
        by_type.setdefault(s.item_type, set()).add(s.item_id)
    for label, ids in by_type.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if any(f.name == "category" for f in model._meta.fields):
            for pk, category in model.objects.filter(pk__in=ids).values_list("pk", "category"):
                categories[(label, pk)] = category
    return [
        SharedKind(
            from_org=str(s.from_org),
            to_org=str(s.to_org),
            kind=_kind(s, categories),
            reason=s.reason,
            shared_at=s.shared_at,
        )
        for s in shares
    ]


def taking_part(case) -> list[str]:
    """The partner organisations of the case. A reporter-only organisation is left out: who reported is not the
    family's to learn from this page (SPEC §6.1)."""
    return list(
        CaseOrganisation.objects.filter(case=case, kind=ParticipationKind.PARTNER)
        .order_by("organisation__name")
        .values_list("organisation__name", flat=True)
    )


def family_view(*, viewer, plan: Plan, review: bool = False) -> FamilyView:
    """The plan in plain language for the family (SPEC §4.5, the "praatplaat"). `plan` was fetched and checked
    by the caller. With `review`, Tafel's own sentences are added for the procesregisseur to review."""
    family_plan = FamilyPlan.objects.filter(plan=plan).select_related("reviewed_by", "given_by").first()
    reviewed = family_plan is not None and family_plan.is_reviewed
    # Only what is meant for the family reaches it (issue 10, finding 5): agreements between professionals
    # stay among them.
    bodemeisen = list(plan.bodemeisen.filter(audience=Audience.FAMILY).order_by("order", "id"))
    contact = plan.casusregisseur
    audit(actor=viewer, event=MeetingEvent.PLAN_FAMILY_VIEW, case_id=plan.case_id, details={"plan": plan.pk})
    may_review = may_review_family_plan(viewer)
    return FamilyView(
        plan=plan,
        family_plan=family_plan,
        sentences=list(family_plan.sentences) if reviewed else [],
        bodemeisen=bodemeisen,
        contact=contact,
        contact_sentence=contact_sentence(contact, house_name=settings.TAFEL_HOUSE_NAME),
        house_name=settings.TAFEL_HOUSE_NAME,
        organisations=taking_part(plan.case),
        shares=shared_kinds(plan.case),
        may_review=may_review,
        draft_sentences=family_sentences(plan) if (review and may_review and not plan.is_draft) else [],
    )
