"""Every read of cases used by pages, API and reports, always scoped by the viewer through the policy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
)

from tafel.access.policy import (
    active_users,
    may_search_by_bsn,
    sees_all_cases,
    sees_house_reasoning,
    sees_restricted_persons,
)
from tafel.cases.access import (
    ItemContext,
    aanmelding_get_for_user,
    aanmeldingen_of_own_organisation,
    aanmeldingen_visible_to,
    can_view_case,
    case_get_for_user,
    cases_visible_to,
    filter_items,
    persons_visible_to,
)
from tafel.cases.audit_events import CaseEvent
from tafel.core.audit import audit, audit_many
from tafel.core.audit_events import CoreEvent
from tafel.core.crypto import keyed_hash
from tafel.core.errors import AccessDenied
from tafel.core.jsonrows import set_prefetched
from tafel.core.prepared import prepared_count, prepared_ids, prepared_list, prepared_page

from . import detail as detail_rows
from .models import (
    CASELOAD_STATUSES,
    TRIAGE_URGENCY_RANK,
    Aanmelding,
    AanmeldingPerson,
    AanmeldingStatus,
    Case,
    CaseNote,
    CaseOrganisation,
    CasePerson,
    CaseProposal,
    CaseStatus,
    CaseStatusChange,
    Triage,
)


def case_list(
    *,
    viewer,
    status: str | None = None,
    municipality_id: int | None = None,
    theme: str | None = None,
    route: str | None = None,
    mine: bool = False,
    q: str = "",
    person: str = "",
    bsn: str = "",
) -> QuerySet:
    """The viewer's visible cases, filtered. Callers paginate and then call `audit_case_list`.

    `person` finds cases by a person's name, tolerant of spelling (via the matcher); `bsn` by BSN, only for
    those who may (`may_search_by_bsn`). Both search only persons the viewer may see in cases the viewer may
    see, and are audited (the shape of the query, never the query itself)."""
    qs = cases_visible_to(viewer).select_related("municipality", "procesregisseur")
    if status:
        qs = qs.filter(status=status)
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    if theme:
        qs = qs.filter(theme=theme)
    if route:
        qs = qs.filter(entry_route=route)
    if mine:
        qs = qs.filter(Q(procesregisseur=viewer) | Q(casusregisseur=viewer))
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(title__icontains=q))
    if person or bsn:
        qs = qs.filter(pk__in=_cases_by_person(viewer, qs, person=person, bsn=bsn))
    return qs.order_by("-created_at", "-id")


def _cases_by_person(viewer, cases: QuerySet, *, person: str, bsn: str) -> set[int]:
    from tafel.cases.screening import _normalise_bsn
    from tafel.persons import matching

    if bsn and not may_search_by_bsn(viewer):
        raise AccessDenied("U mag niet op BSN zoeken.")
    links = CasePerson.objects.filter(case__in=cases.values("pk"), person__in=persons_visible_to(viewer))
    if not sees_restricted_persons(viewer):
        links = links.filter(person__processing_restricted=False)
    shape = []
    if bsn:
        shape.append("bsn")
        links = links.filter(person__bsn_hash=keyed_hash(_normalise_bsn(bsn)))
    if person:
        shape.append("naam")
        words = person.split()
        # The last word is the surname, what comes before it first names and tussenvoegsels ("Jan de Vries");
        # a single word is tried as surname and as first name.
        query = matching.NameParts(first_names=" ".join(words[:-1]), last_name=words[-1] if words else "")
        keys = {k for k in matching.query_phonetic_keys(query) if k}
        keys |= {matching.phonetic(w) for w in words if matching.phonetic(w)}
        rows = links.filter(
            Q(person__phon_last__in=keys) | Q(person__phon_birth_last__in=keys) | Q(person__phon_first__in=keys)
        ).select_related("person")[:MAX_SEARCHED]
        found = set()
        for link in rows:
            p = link.person
            cand = matching.NameParts(
                first_names=p.first_names, prefix=p.prefix, last_name=p.last_name, birth_last_name=p.birth_last_name
            )
            alone = matching.NameParts(last_name=words[0]) if len(words) == 1 else None
            if matching.score(query, cand).score >= NAME_THRESHOLD or (
                alone
                and max(
                    matching.score(alone, cand).score,
                    matching.score(alone, matching.NameParts(last_name=p.first_names)).score,
                )
                >= NAME_THRESHOLD
            ):
                found.add(link.case_id)
    else:
        found = set(links.values_list("case_id", flat=True))
    audit(
        actor=viewer,
        event=CaseEvent.CASE_SEARCH,
        details={"query": "+".join(shape), "cases": len(found)},
    )
    return found


# A name search compares names only (no birth date), so it asks less than screening's threshold.
NAME_THRESHOLD = 35
MAX_SEARCHED = 2000


def audit_case_list(*, viewer, cases) -> None:
    """A list shows case references and titles: each shown case is a read (one insert for the page)."""
    audit_many(actor=viewer, event=CoreEvent.CASE_LIST, case_ids=[c.pk for c in cases])


def _without_restricted_persons(viewer, qs: QuerySet) -> QuerySet:
    """Rows linking a person (case or aanmelding persons) without those under restriction of processing,
    unless the viewer is the FG or the procesregisseur (AVG art. 18). Every page that lists persons uses it."""
    return _restricted_persons_shown(qs, shown=sees_restricted_persons(viewer))


def _restricted_persons_shown(qs: QuerySet, *, shown: bool) -> QuerySet:
    return qs if shown else qs.filter(person__processing_restricted=False)


@dataclass
class CaseDetail:
    case: Case
    persons: list[CasePerson]
    organisations: list[CaseOrganisation]
    history: list[CaseStatusChange]
    aanmeldingen: list[Aanmelding]
    triages: list[Triage]
    notes: list
    # Issue 11: the classification history (urgency, theme, roles, factors, participants) and the open and
    # decided proposals of joining meldingen (the latter for the house only).
    changes: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    # The privacy reglement that governs the case (policy.case_reglement), or None.
    reglement: object = None


# Shown instead of the house's reasoning to an organisation outside the convenant (issue 10, finding 15).
WITHHELD = "(toelichting alleen voor convenantpartners)"


def _withhold_house_reasoning(history, triages) -> None:
    """Blank the reasons and arguments on the loaded rows (never saved): the page and the API show what is left."""
    for change in history:
        if change.reason:
            change.reason = WITHHELD
    for triage in triages:
        for name in ("override_reason", "caseload_override_reason", "team_others"):
            if getattr(triage, name):
                setattr(triage, name, WITHHELD)
        for criterion in triage.criteria.all():
            if criterion.argument:
                criterion.argument = WITHHELD


def case_detail(*, viewer, case_id, page: bool = True) -> CaseDetail:
    """Everything the case page shows, in a fixed number of queries whatever the case holds (issue 14: the
    history, the changes, the reglement and the item rules' rows come with the case, tafel.cases.detail).
    `page=False`: what the API's case outputs (tafel.cases.output.case_detail), the rest left empty: no notes, no
    classification history, no proposals, no checklist columns (issue 14 item 3). The same check and audit."""
    case = case_get_for_user(user=viewer, case_id=case_id, annotate=detail_rows.case_annotations(viewer, page=page))
    # The lists below are read only once the case passed the fetch-and-check above, by its id alone: their SQL is
    # compiled once per process (tafel.core.prepared), with the case id a parameter of every run. What the viewer
    # may see of them is decided per request: restricted persons by the key's flag, items by `filter_items`.
    restricted_shown = sees_restricted_persons(viewer)
    persons = prepared_list(
        ("case_detail.persons", restricted_shown),
        partial(_persons_query, restricted_shown=restricted_shown),
        case_id=case.pk,
    )
    organisations = prepared_list("case_detail.organisations", _organisations_query, case_id=case.pk)
    history = detail_rows.history(case)
    # Item rules (SPEC §6): each aanmelding and note is shown only when the policy allows this viewer.
    items_context = ItemContext(viewer, case, case_visible=True)
    detail_rows.preload_item_context(items_context, case)
    aanmeldingen = prepared_list("case_detail.aanmeldingen", _aanmeldingen_query, case_id=case.pk)
    if aanmeldingen:
        # Each aanmelding's persons, read by the case's id (one prepared query, as a prefetch of them would be;
        # none when the case has no aanmelding, as the prefetch ran none), restricted persons as above.
        linked = prepared_list(
            ("case_detail.aanmelding_persons", restricted_shown),
            partial(_aanmelding_persons_query, restricted_shown=restricted_shown),
            case_id=case.pk,
        )
        by_aanmelding: dict[int, list] = {a.pk: [] for a in aanmeldingen}
        for link in linked:
            by_aanmelding[link.aanmelding_id].append(link)
        for aanmelding in aanmeldingen:
            for link in by_aanmelding[aanmelding.pk]:
                AanmeldingPerson.aanmelding.field.set_cached_value(link, aanmelding)
            set_prefetched(aanmelding, "persons", by_aanmelding[aanmelding.pk])
    aanmeldingen = filter_items(viewer, case=case, context=items_context, items=aanmeldingen)
    triages = detail_rows.triages(case)
    notes, changes, proposals = [], [], []
    if page:
        notes = prepared_list("case_detail.notes", _notes_query, case_id=case.pk)
        for note in notes:
            CaseNote.case.field.set_cached_value(note, case)  # as `case.notes` would
        notes = filter_items(viewer, case=case, context=items_context, items=notes)
        visible_person_ids = {link.person_id for link in persons}
        changes = [
            change
            for change in detail_rows.changes(case)
            if change.person_id is None or change.person_id in visible_person_ids
        ]
        if sees_all_cases(viewer):
            proposals = prepared_list("case_detail.proposals", _proposals_query, case_id=case.pk)
    if not sees_house_reasoning(viewer):
        _withhold_house_reasoning(history, triages)
        for change in changes:
            if change.reason:
                change.reason = WITHHELD
    audit(actor=viewer, event=CaseEvent.CASE_VIEW, case_id=case.pk)
    return CaseDetail(
        case=case,
        persons=persons,
        organisations=organisations,
        history=history,
        aanmeldingen=aanmeldingen,
        triages=triages,
        notes=notes,
        changes=changes,
        proposals=proposals,
        reglement=items_context.reglement,
    )


# The case page's lists by case id (prepared_list's builders: stand-in ids in, nothing of the request).


def _persons_query(*, case_id: int, restricted_shown: bool = False) -> QuerySet:
    qs = CasePerson.objects.filter(case_id=case_id).select_related("person", "person__municipality").order_by("id")
    return _restricted_persons_shown(qs, shown=restricted_shown)


def _organisations_query(*, case_id: int) -> QuerySet:
    return CaseOrganisation.objects.filter(case_id=case_id).select_related("organisation").order_by("id")


def _aanmeldingen_query(*, case_id: int) -> QuerySet:
    return (
        Aanmelding.objects.filter(case_id=case_id)
        .select_related("supplied_by_org", "created_by")
        .order_by("created_at", "id")
    )


def _aanmelding_persons_query(*, case_id: int, restricted_shown: bool = False) -> QuerySet:
    qs = AanmeldingPerson.objects.filter(aanmelding__case_id=case_id).select_related("person").order_by("id")
    return _restricted_persons_shown(qs, shown=restricted_shown)


def _notes_query(*, case_id: int) -> QuerySet:
    return (
        CaseNote.objects.filter(case_id=case_id)
        .select_related("supplied_by_org", "created_by")
        .order_by("created_at", "id")
    )


def _proposals_query(*, case_id: int) -> QuerySet:
    return (
        CaseProposal.objects.filter(case_id=case_id)
        .select_related("aanmelding__supplied_by_org", "organisation", "decided_by")
        .order_by("created_at", "id")
    )


def case_person_links(*, viewer, case) -> list[CasePerson]:
    """The persons of a case the viewer may see (restricted persons only for the FG and the procesregisseur)."""
    return list(
        _without_restricted_persons(
            viewer, CasePerson.objects.filter(case=case).select_related("person").order_by("id")
        )
    )


def aanmelding_list_for_submitter(*, viewer) -> QuerySet:
    """What the viewer's organisation submitted, newest first (the aanmelder's status overview)."""
    return aanmeldingen_of_own_organisation(viewer).select_related("case", "created_by").order_by("-created_at", "-id")


# "My cases" on the werkvoorraad: every status but the ends (afgesloten, lokaal, riec, niet geaccepteerd). Named
# as a list rather than as an exclusion so that the database reads the user's cases in these statuses from the
# indexes case_procesregisseur_status and case_casusregisseur_status instead of every case they ever had.
MY_CASES_STATUSES = [
    s
    for s in CaseStatus.values
    if s not in (CaseStatus.AFGESLOTEN, CaseStatus.LOKAAL, CaseStatus.RIEC, CaseStatus.NIET_GEACCEPTEERD)
]


def _case_rows_query(**ids) -> QuerySet:
    """Cases by id with what a case table shows (municipality, procesregisseur): a page's rows by its ids."""
    return Case.objects.filter(pk__in=list(ids.values())).select_related("municipality", "procesregisseur")


def _gives_all(rule: QuerySet) -> bool:
    """Whether an access rule's answer for this viewer (`cases_visible_to(viewer)`, `aanmeldingen_visible_to(viewer)`)
    is every row: no condition, not distinct, not empty. Only then is a query built on it prepared (the werkvoorraad),
    so nothing of the viewer gets into SQL compiled once per process, whatever the rule reads (decision 0011)."""
    query = rule.query
    return not query.where and not query.distinct and not query.is_sliced and not query.is_empty()


class PreparedSection(Sequence):
    """An ordered list read a page at a time, its SQL compiled once per process (issue 14 item 3: the werkvoorraad's
    sections; building and compiling their queries was a third of the page's CPU).

    `make_queryset(**values)` builds the list on an access rule; with `prepared`, the caller checked (`_gives_all`)
    that the rule gives this viewer every row, so the SQL holds nothing of the viewer and its whole-number `values`
    (the viewer's id, say) are stand-ins when it is compiled; otherwise the ORM compiles it per request as before.
    A page is one query with LIMIT/OFFSET; with `ids_first`, the page's ids first and then those rows (the sort over
    index keys, not whole rows with their joins: "my cases" of a procesregisseur with 5,000 open cases, 9.4 ms in
    one query, 3 ms in two). The length is a COUNT."""

    def __init__(self, key, make_queryset, *, prepared: bool, ids_first: bool = False, **values):
        self._key, self._make, self._ids_first, self._values = key, make_queryset, ids_first, values
        self._prepared = prepared
        self._count: int | None = None

    def queryset(self) -> QuerySet:
        return self._make(**self._values)

    def __len__(self) -> int:
        if self._count is None:
            if self._prepared:
                self._count = prepared_count(self._key, self._make, **self._values)
            else:
                self._count = self.queryset().count()
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("read per page: slice it with a step of 1")
        start, stop = index.start or 0, index.stop
        if start < 0 or stop is None or stop < 0:
            raise TypeError("read per page: slice it with bounds of 0 or more")
        if stop <= start:
            return []
        if not self._prepared:
            ordered = self.queryset()
            if not self._ids_first:
                return list(ordered[start:stop])
            ids = list(ordered.values_list("pk", flat=True)[start:stop])
            rows = ordered.filter(pk__in=ids).order_by().in_bulk() if ids else {}
            return [rows[pk] for pk in ids if pk in rows]
        if not self._ids_first:
            return prepared_page(self._key, self._make, offset=start, limit=stop - start, **self._values)
        ids = prepared_ids(self._key, self._make, offset=start, limit=stop - start, **self._values)
        if not ids:
            return []
        found = prepared_list(
            ("case_rows_by_id", len(ids)), _case_rows_query, **{f"id{n:04d}": pk for n, pk in enumerate(ids)}
        )
        rows = {case.pk: case for case in found}
        return [rows[pk] for pk in ids if pk in rows]

    def __iter__(self):
        return iter(self.queryset())


@dataclass
class Werkvoorraad:
    to_triage: list
    waiting_for_info: Sequence
    my_cases: PreparedSection
    my_aanmeldingen: Sequence
    info_requested: Sequence


def _waiting_for_info_query(viewer) -> QuerySet:
    return (
        cases_visible_to(viewer)
        .select_related("municipality", "procesregisseur")
        .filter(status=CaseStatus.VERRIJKEN)
        .order_by("status_changed_at", "id")
    )


def _my_cases_query(viewer, *, user_id: int) -> QuerySet:
    return (
        cases_visible_to(viewer)
        .select_related("municipality", "procesregisseur")
        .filter(Q(procesregisseur_id=user_id) | Q(casusregisseur_id=user_id), status__in=MY_CASES_STATUSES)
        .order_by("-status_changed_at", "-id")
    )


def werkvoorraad(*, viewer) -> Werkvoorraad:
    house = sees_all_cases(viewer)
    # Prepared only when the rule gives this viewer every case (the house); the viewer's own id goes in as a value.
    every_case = _gives_all(cases_visible_to(viewer))
    return Werkvoorraad(
        to_triage=triage_queue(viewer=viewer) if house else [],
        waiting_for_info=PreparedSection(
            "werkvoorraad.waiting_for_info", partial(_waiting_for_info_query, viewer), prepared=every_case
        )
        if house
        else [],
        my_cases=PreparedSection(
            "werkvoorraad.my_cases",
            partial(_my_cases_query, viewer),
            prepared=every_case,
            ids_first=True,
            user_id=viewer.pk,
        ),
        my_aanmeldingen=_submitted(viewer, info_requested=False),
        info_requested=_submitted(viewer, info_requested=True),
    )


def _submitted_query(viewer, *, org_id: int, info_requested: bool = False) -> QuerySet:
    """`aanmelding_list_for_submitter` for a viewer whom `aanmeldingen_visible_to` gives every aanmelding, with the
    organisation's id a value: the same rows, order and joins."""
    qs = (
        aanmeldingen_visible_to(viewer)
        .filter(supplied_by_org_id=org_id)
        .select_related("case", "created_by")
        .order_by("-created_at", "-id")
    )
    return qs.filter(status=AanmeldingStatus.INFO_GEVRAAGD) if info_requested else qs


def _submitted(viewer, *, info_requested: bool):
    """What the viewer's organisation submitted (or of that, where information was asked): prepared like the
    sections above when `aanmeldingen_visible_to` gives the viewer every aanmelding (the house); for anyone else
    `aanmelding_list_for_submitter` as the ORM builds it per request."""
    org_id = viewer.organisation_id
    if not _gives_all(aanmeldingen_visible_to(viewer)) or type(org_id) is not int:
        qs = aanmelding_list_for_submitter(viewer=viewer)
        return qs.filter(status=AanmeldingStatus.INFO_GEVRAAGD) if info_requested else qs
    return PreparedSection(
        ("werkvoorraad.submitted", info_requested),
        partial(_submitted_query, viewer, info_requested=info_requested),
        prepared=True,
        org_id=org_id,
    )


URGENCY_RANK = TRIAGE_URGENCY_RANK


def _triage_order(cases: QuerySet) -> QuerySet:
    """`cases` annotated with `response_deadline` and ordered for triage: urgency (acuut, hoog, normaal, then
    anything else), the earliest response deadline (cases without one after those with one), the oldest
    case, the lowest id. Both the rank and the deadline are stored on the case (tafel/cases/deadlines.py,
    `Case.triage_rank`), so for the waiting cases the index `case_triage_queue` gives this order as it is."""
    return cases.annotate(response_deadline=F("triage_deadline")).order_by(
        "triage_rank", "triage_deadline", "created_at", "id"
    )


def _triage_queue_query(viewer) -> QuerySet:
    cases = cases_visible_to(viewer).filter(status=CaseStatus.AANGEMELD)
    return _triage_order(cases).select_related("municipality", "procesregisseur")


class TriageQueue(Sequence):
    """The cases waiting for triage in triage order, loaded per slice (issue 14: the werkvoorraad).

    The database orders them (see `_triage_order`) and returns only the slice asked for (a page, with LIMIT and
    OFFSET), with the municipality and procesregisseur; the length is a COUNT. At 100,000 cases some 6,000
    wait; reading them all to show 25 cost most of the page. Slicing gives a list of cases each carrying
    `response_deadline` (a date or None)."""

    def __init__(self, viewer):
        self._viewer = viewer
        # The page and the count, compiled once per process when the rule gives the viewer every case (PreparedSection).
        self._section = PreparedSection(
            "triage_queue",
            partial(_triage_queue_query, viewer),
            prepared=_gives_all(cases_visible_to(viewer)),
        )

    @property
    def _ordered(self) -> QuerySet:
        return _triage_queue_query(self._viewer)

    def __len__(self) -> int:
        return len(self._section)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            if index < 0:
                index += len(self)
            if index < 0:
                raise IndexError("triage queue index out of range")
            found = list(self._ordered[index : index + 1])
            if not found:
                raise IndexError("triage queue index out of range")
            return found[0]
        start, stop, step = index.start, index.stop, index.step
        if (start is not None and start < 0) or (stop is not None and stop < 0) or step not in (None, 1):
            return list(self._ordered)[index]  # unusual slices: read all, slice as a list would
        if stop is None:
            return list(self._ordered[index])
        return self._section[index]

    def __iter__(self):
        return iter(self._ordered)


def triage_queue(*, viewer) -> TriageQueue | list:
    """Cases waiting for triage, most urgent first, then by the earliest desired response deadline (the
    aanmelding's date plus its desired response days; cases without one after those with one), then oldest.
    Each case carries `response_deadline` (a date or None). For the house only (others get an empty list);
    callers slice what they show (a page: only that is loaded) and audit it."""
    if not sees_all_cases(viewer):
        return []
    return TriageQueue(viewer)


def caseload_by_municipality() -> dict[int, int]:
    """Active ZVH cases per municipality (no content: counts only)."""
    rows = (
        Case.objects.filter(status__in=CASELOAD_STATUSES)
        .values("municipality_id")
        .annotate(n=Count("id"))
        .values_list("municipality_id", "n")
    )
    return dict(rows)


# --- pages: aanmelding, triage and form choices ---------------------------------------------------------


@dataclass
class AanmeldingDetail:
    aanmelding: Aanmelding
    persons: list[AanmeldingPerson]
    # Whether the viewer may open the case itself (their organisation takes part, or they are the house).
    case_visible: bool
    # The house asked for information and the viewer's organisation submitted it: they may answer.
    may_supply_info: bool


def aanmelding_persons(*, viewer, aanmelding: Aanmelding) -> list[AanmeldingPerson]:
    """The persons of an aanmelding as this viewer may see them, for the page and the API alike. Persons under
    restriction of processing drop out (AVG art. 18). A person the submitter linked from screening but may not
    otherwise see (the melding joined a case their organisation does not take part in) is shown without name,
    birth date or BSN: the aanmelding must not tell more than screening did (issue 10, finding 2)."""
    from tafel.persons.models import Person

    persons = list(
        _without_restricted_persons(
            viewer, AanmeldingPerson.objects.filter(aanmelding=aanmelding).select_related("person").order_by("id")
        )
    )
    visible = set(persons_visible_to(viewer).filter(pk__in=[p.person_id for p in persons]).values_list("pk", flat=True))
    for link in persons:
        link.masked = link.person_id not in visible
        if link.masked:
            link.person = Person(pk=link.person_id, last_name=MASKED_PERSON_NAME)
    return persons


# What an aanmelding shows for a person its submitter may not see (a linked screening match).
MASKED_PERSON_NAME = "Bekende persoon (gegevens bij het Zorg- en Veiligheidshuis)"


def aanmelding_detail(*, viewer, aanmelding_id) -> AanmeldingDetail:
    """One aanmelding as its aanmelder sees it: content, status and decision. Audited as a read."""
    aanmelding = aanmelding_get_for_user(user=viewer, aanmelding_id=aanmelding_id)
    persons = aanmelding_persons(viewer=viewer, aanmelding=aanmelding)
    audit(
        actor=viewer,
        event=CaseEvent.AANMELDING_VIEW,
        case_id=aanmelding.case_id,
        details={"aanmelding": aanmelding.pk},
    )
    return AanmeldingDetail(
        aanmelding=aanmelding,
        persons=persons,
        case_visible=can_view_case(viewer, aanmelding.case),
        may_supply_info=aanmelding.status == AanmeldingStatus.INFO_GEVRAAGD
        and aanmelding.supplied_by_org_id == viewer.organisation_id,
    )


@dataclass
class TriageContext:
    case: Case
    aanmeldingen: list[Aanmelding]
    caseload: int

    @property
    def max_caseload(self) -> int:
        return self.case.municipality.max_caseload

    @property
    def caseload_reached(self) -> bool:
        return self.caseload >= self.max_caseload


def triage_context(*, viewer, case_id) -> TriageContext:
    """What the procesregisseur sees when triaging: the aanmeldingen (latest first) and the caseload of the
    municipality (routing reason g)."""
    case = case_get_for_user(user=viewer, case_id=case_id, action="triage")
    aanmeldingen = filter_items(
        viewer,
        case=case,
        case_visible=True,
        items=Aanmelding.objects.filter(case=case)
        .select_related("supplied_by_org", "created_by")
        .prefetch_related(
            Prefetch(
                "persons",
                queryset=_without_restricted_persons(viewer, AanmeldingPerson.objects.select_related("person")),
            )
        )
        .order_by("-created_at", "-id"),
    )
    caseload = Case.objects.filter(municipality_id=case.municipality_id, status__in=CASELOAD_STATUSES).count()
    audit(actor=viewer, event=CaseEvent.TRIAGE_VIEW, case_id=case.pk)
    return TriageContext(case=case, aanmeldingen=aanmeldingen, caseload=caseload)


def municipalities() -> QuerySet:
    from tafel.organisations.models import Municipality

    return Municipality.objects.order_by("name")


def house_users() -> QuerySet:
    """Active staff of the house: who can sit in a triage team. Active as the policy means it
    (`active_users`): the account and its organisation."""
    from tafel.organisations.models import OrganisationType

    return (
        active_users()
        .filter(organisation__type=OrganisationType.ZVH)
        .select_related("organisation")
        .order_by("last_name", "first_name", "id")
    )


def house_procesregisseurs() -> QuerySet:
    """The house's procesregisseurs who may act and be named: active accounts of an active house organisation
    with the procesregisseur role. The one definition: the triage form offers them and triage accepts only
    them, they hear of a case that has no procesregisseur (`case_regisseurs`), and Veilig Thuis's escalation to
    the house reaches them."""
    from tafel.organisations.models import Role

    return house_users().filter(roles__role=Role.PROCESREGISSEUR).distinct()


def organisations_to_add(*, case) -> QuerySet:
    """Active organisations not yet taking part in the case."""
    return _organisations_to_add_query(case_id=case.pk)


def organisations_to_add_list(*, case) -> list:
    """`organisations_to_add` as a list, its SQL compiled once per process (the case page's select shows them)."""
    return prepared_list("organisations_to_add", _organisations_to_add_query, case_id=case.pk)


def _organisations_to_add_query(*, case_id: int) -> QuerySet:
    from tafel.organisations.models import Organisation

    return Organisation.objects.filter(active=True).exclude(participations__case_id=case_id).order_by("name")


# --- who is told about a case ---------------------------------------------------------------------------


def case_regisseurs(case: Case) -> list:
    """The procesregisseur of the case, or every procesregisseur of the house (`house_procesregisseurs`) when
    none is named: who hears of what happens to the case."""
    if case.procesregisseur_id:
        return [case.procesregisseur]
    return list(house_procesregisseurs())
