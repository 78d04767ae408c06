"""Reads the API needs beyond tafel.cases.selectors: an aanmelding as its submitter or a case participant
sees it. Scoped by the viewer through the policy module, like every selector."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from tafel.cases.access import aanmelding_get_for_user, cases_visible_to
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import Aanmelding, AanmeldingPerson
from tafel.cases.selectors import aanmelding_list_for_submitter, aanmelding_persons
from tafel.core.audit import audit


def with_aanmelding_facts(qs: QuerySet, *, viewer) -> QuerySet:
    """Annotate `joined_existing` (an earlier aanmelding of the same case exists: this one joined a running
    case) and `case_visible` (the viewer may open the case; otherwise the API leaves out its id and
    reference, because an aanmelder always sees their own aanmelding but not every case it joined)."""
    earlier = Aanmelding.objects.filter(case_id=OuterRef("case_id")).filter(
        Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )
    visible = cases_visible_to(viewer).filter(pk=OuterRef("case_id"))
    return qs.annotate(joined_existing=Exists(earlier), case_visible=Exists(visible))


def aanmelding_list(*, viewer, status: str | None = None) -> QuerySet:
    """The viewer's organisation's aanmeldingen, newest first (the aanmelder's status overview)."""
    qs = aanmelding_list_for_submitter(viewer=viewer).select_related("supplied_by_org")
    if status:
        qs = qs.filter(status=status)
    return with_aanmelding_facts(qs, viewer=viewer)


def aanmelding_facts(*, viewer, aanmelding: Aanmelding) -> tuple[bool, bool]:
    """(joined_existing, case_visible) for one aanmelding."""
    row = with_aanmelding_facts(Aanmelding.objects.filter(pk=aanmelding.pk), viewer=viewer).values(
        "joined_existing", "case_visible"
    )[0]
    return row["joined_existing"], row["case_visible"]


@dataclass
class AanmeldingDetail:
    aanmelding: Aanmelding
    persons: list[AanmeldingPerson]
    joined_existing: bool
    case_visible: bool


def aanmelding_detail(*, viewer, aanmelding_id) -> AanmeldingDetail:
    """One aanmelding with its persons. Not visible → NotFound. Reading it is audited (it names persons)."""
    aanmelding = aanmelding_get_for_user(user=viewer, aanmelding_id=aanmelding_id)
    # The same persons as the page: restricted persons drop out (AVG art. 18, issue 10 finding 6) and a
    # linked screening match the viewer may not see is masked.
    persons = aanmelding_persons(viewer=viewer, aanmelding=aanmelding)
    joined, visible = aanmelding_facts(viewer=viewer, aanmelding=aanmelding)
    audit(
        actor=viewer,
        event=CaseEvent.AANMELDING_VIEW,
        case_id=aanmelding.case_id,
        details={"aanmelding": aanmelding.pk},
    )
    return AanmeldingDetail(aanmelding=aanmelding, persons=persons, joined_existing=joined, case_visible=visible)
