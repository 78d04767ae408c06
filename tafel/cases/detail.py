"""The case page's small lists loaded with the case itself (issue 14: at most 12 queries whatever the case holds).

The status history, the classification history, the reglement that governs the case and what the item rules need
(shares with the viewer's organisation, item restrictions, consents) each cost a query of their own. Here they are
subquery columns of the one query that fetches and checks the case (`case_get_for_user(annotate=...)`), as JSON
arrays that `tafel.core.jsonrows` turns back into model instances. The triage's criteria and team come with the
triages the same way. What is visible is decided exactly as before: these are the same rows the separate queries
read, filtered afterwards by the same rules.
"""

from __future__ import annotations

from tafel.core.jsonrows import build, compiled, fields_of, json_rows, loads, set_prefetched
from tafel.core.prepared import prepared_list

from .models import Case, CaseChange, CaseStatusChange, Triage, TriageCriterion

# Enough of a user to show who did something (`str(user)`) and of which organisation.
USER_FIELDS = ("id", "username", "first_name", "last_name", "organisation_id")
PERSON_FIELDS = ("id", "first_names", "prefix", "last_name", "processing_restricted")


# Apps above cases add what they show on the case page to the same query: the privacy app the reglement and the
# item rules' rows (with a preloader that hands them to the rules), the lifecycle app the regie checklist's facts
# and ticks. Each registers at start-up (docs/decisions/0008-dependency-layers.md).
_registered: list = []
_preloaders: list = []
# Columns only the case page shows (the checklist): the API's case leaves them out (issue 14 item 3).
_page_only: list = []


def register_case_annotations(columns, *, preload=None, page_only: bool = False) -> None:
    """`columns(viewer) -> dict` of name → expression; `preload(item_context, case)` reads them back. `page_only`:
    what only the case page shows, not the API's case (`case_annotations(page=False)`)."""
    if columns not in _registered:
        _registered.append(columns)
    if page_only and columns not in _page_only:
        _page_only.append(columns)
    if preload is not None and preload not in _preloaders:
        _preloaders.append(preload)


def case_annotations(viewer, *, page: bool = True) -> dict:
    """The case query's extra columns, each compiled once per process (jsonrows.compiled). `page=False`: what the
    API's case needs (the history and the item rules' rows; not the classification history or the checklist)."""
    extra = {}
    for columns in _registered:
        if page or columns not in _page_only:
            extra.update(columns(viewer))
    extra["_history_json"] = compiled(Case, "history", _history)
    if page:
        extra["_changes_json"] = compiled(Case, "changes", _changes)
    return extra


def _history():
    from tafel.organisations.models import Organisation, User

    actor = {"actor": (User, USER_FIELDS, {"organisation": (Organisation, None, None)})}
    return json_rows(CaseStatusChange.objects.all(), link="case", value=fields_of(CaseStatusChange, related=actor))


def _changes():
    from tafel.organisations.models import User
    from tafel.persons.models import Person

    related = {"actor": (User, USER_FIELDS, None), "person": (Person, PERSON_FIELDS, None)}
    return json_rows(CaseChange.objects.all(), link="case", value=fields_of(CaseChange, related=related))


def _by_time(rows: list) -> list:
    return sorted(rows, key=lambda row: (row.at, row.pk))


def history(case) -> list[CaseStatusChange]:
    return _by_time([build(CaseStatusChange, row) for row in loads(case._history_json)])


def changes(case) -> list[CaseChange]:
    return _by_time([build(CaseChange, row) for row in loads(case._changes_json)])


def preload_item_context(context, case) -> None:
    """Hand the item rules what came with the case (the privacy app's preloader), so they need no query."""
    for preload in _preloaders:
        preload(context, case)


def triages(case) -> list[Triage]:
    """The case's triages, newest first, each with its criteria and team members (one query, its SQL compiled once
    per process: tafel.core.prepared)."""
    from tafel.organisations.models import User

    rows = prepared_list("case_detail.triages", _triages_query, case_id=case.pk)
    for triage in rows:
        criteria = sorted((build(TriageCriterion, row) for row in loads(triage._criteria_json)), key=_criterion_key)
        for criterion in criteria:
            criterion.triage = triage
        members = sorted((build(User, row) for row in loads(triage._team_json)), key=lambda u: u.pk)
        set_prefetched(triage, "criteria", criteria)
        set_prefetched(triage, "team_members", members)
    return rows


def _triages_query(*, case_id: int):
    from tafel.organisations.models import User

    team = Triage.team_members.through
    return (
        Triage.objects.filter(case_id=case_id)
        .select_related("decided_by")
        .annotate(
            _criteria_json=compiled(
                Triage,
                "criteria",
                lambda: json_rows(TriageCriterion.objects.all(), link="triage", value=fields_of(TriageCriterion)),
            ),
            _team_json=compiled(
                Triage,
                "team",
                lambda: json_rows(
                    team.objects.all(), link="triage", value=fields_of(User, only=USER_FIELDS, prefix="user__")
                ),
            ),
        )
        .order_by("-decided_at", "-id")
    )


def _criterion_key(criterion):
    return (criterion.criterion, criterion.pk)
