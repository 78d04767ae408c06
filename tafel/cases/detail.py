"""The case page's small lists loaded with the case itself (issue 14: at most 12 queries whatever the case holds).

The status history, the classification history, the reglement that governs the case and what the item rules need
(shares with the viewer's organisation, item restrictions, consents) each cost a query of their own. Here they are
subquery columns of the one query that fetches and checks the case (`case_get_for_user(annotate=...)`), as JSON
arrays that `tafel.core.jsonrows` turns back into model instances. The triage's criteria and team come with the
triages the same way. What is visible is decided exactly as before: these are the same rows the separate queries
read, filtered afterwards by the same rules.
"""

from __future__ import annotations

from django.db.models import F, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject

from tafel.core.jsonrows import build, compiled, fields_of, json_rows, loads, set_prefetched

from .models import Case, CaseChange, CaseStatusChange, Triage, TriageCriterion

# Enough of a user to show who did something (`str(user)`) and of which organisation.
USER_FIELDS = ("id", "username", "first_name", "last_name", "organisation_id")
PERSON_FIELDS = ("id", "first_names", "prefix", "last_name", "processing_restricted")


# Apps above cases add what they show on the case page to the same query (the lifecycle app: the regie
# checklist's facts and ticks). Each registers `annotations(viewer) -> dict` at start-up.
_registered: list = []


def register_case_annotations(columns) -> None:
    if columns not in _registered:
        _registered.append(columns)


def case_annotations(viewer) -> dict:
    """The case query's extra columns, each compiled once per process (jsonrows.compiled)."""
    org_id = viewer.organisation_id
    extra = {}
    for columns in _registered:
        extra.update(columns(viewer))
    return extra | {
        "_history_json": compiled(Case, "history", _history),
        "_changes_json": compiled(Case, "changes", _changes),
        "_reglement_json": compiled(Case, "reglement", _reglement),
        "_shared_json": compiled(Case, ("shared", org_id), lambda: _shared(org_id)),
        "_restrictions_json": compiled(Case, "restrictions", _restrictions),
        "_consents_json": compiled(Case, "consents", _consents),
    }


def _history():
    from tafel.organisations.models import Organisation, User

    actor = {"actor": (User, USER_FIELDS, {"organisation": (Organisation, None, None)})}
    return json_rows(CaseStatusChange.objects.all(), link="case", value=fields_of(CaseStatusChange, related=actor))


def _changes():
    from tafel.organisations.models import User
    from tafel.persons.models import Person

    related = {"actor": (User, USER_FIELDS, None), "person": (Person, PERSON_FIELDS, None)}
    return json_rows(CaseChange.objects.all(), link="case", value=fields_of(CaseChange, related=related))


def _reglement():
    """The reglement of the overleg type of the case's most recent meeting (policy.case_reglement)."""
    from tafel.meetings.models import OverlegType
    from tafel.privacy.models import Reglement

    row = (
        Reglement.objects.filter(overleg_type__meeting__agenda_items__case=OuterRef("pk"))
        .order_by("-overleg_type__meeting__starts_at")
        .values(_row=fields_of(Reglement, related={"overleg_type": (OverlegType, None, None)}))[:1]
    )
    return Subquery(row, output_field=JSONField())


def _shared(org_id):
    from tafel.privacy.models import Share

    value = JSONObject(t=F("item_type"), i=F("item_id"))
    return json_rows(Share.objects.filter(to_org_id=org_id), link="case", value=value)


def _restrictions():
    from tafel.privacy.models import ItemRestriction

    value = JSONObject(t=F("item_type"), i=F("item_id"), s=F("scope"))
    return json_rows(ItemRestriction.objects.all(), link="case", value=value)


def _consents():
    from tafel.privacy.models import Consent

    return json_rows(Consent.objects.filter(withdrawn_at__isnull=True), link="case", value=F("purpose"))


def _by_time(rows: list) -> list:
    return sorted(rows, key=lambda row: (row.at, row.pk))


def history(case) -> list[CaseStatusChange]:
    return _by_time([build(CaseStatusChange, row) for row in loads(case._history_json)])


def changes(case) -> list[CaseChange]:
    return _by_time([build(CaseChange, row) for row in loads(case._changes_json)])


def reglement(case):
    from tafel.privacy.models import Reglement

    value = case._reglement_json
    if isinstance(value, str | bytes):
        value = loads(f"[{value if isinstance(value, str) else value.decode()}]")[0]
    return build(Reglement, value) if value else None


def preload_item_context(context, case) -> None:
    context.preload(
        shared={(row["t"], int(row["i"])) for row in loads(case._shared_json)},
        restrictions={(row["t"], int(row["i"])): row["s"] for row in loads(case._restrictions_json)},
        consent_purposes=set(loads(case._consents_json)),
        reglement=reglement(case),
    )


def triages(case) -> list[Triage]:
    """The case's triages, newest first, each with its criteria and team members (one query)."""
    from tafel.organisations.models import User

    team = Triage.team_members.through
    rows = list(
        Triage.objects.filter(case=case)
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
    for triage in rows:
        criteria = sorted((build(TriageCriterion, row) for row in loads(triage._criteria_json)), key=_criterion_key)
        for criterion in criteria:
            criterion.triage = triage
        members = sorted((build(User, row) for row in loads(triage._team_json)), key=lambda u: u.pk)
        set_prefetched(triage, "criteria", criteria)
        set_prefetched(triage, "team_members", members)
    return rows


def _criterion_key(criterion):
    return (criterion.criterion, criterion.pk)
