"""How many criteria of a triage decision were argued, stored on the decision (`Triage.criteria_argued`; issue 14,
the monitor's current quarter).

The rule: the decision's criteria (a–e, TriageCriterion) with a non-empty argument. The monitor's triage quality
counts the decisions with every criterion argued (SPEC §7); it counted them per request by reading the five
criteria rows of every decision of the period, at 1,000,000 cases about a tenth of the current quarter's
dashboard. Stored, it is a column of the decisions' own pass.

Writers: criteria are written only with their decision, by `services.triage_decide`, and never edited; it stores
the count from the same (stripped) arguments it writes. The demo generators count what they write;
the migration that added the column, and anything that writes criteria behind the service's back (tests,
repairs), call `refresh_criteria_argued`, the set-based version of the rule.
`tafel/cases/tests/test_stored_counts.py` compares the stored counts with a count from scratch.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def criteria_argued(arguments: Iterable[str]) -> int:
    """The rule for the arguments of one decision as they are stored (`triage_decide` strips them)."""
    return sum(1 for argument in arguments if argument != "")


def refresh_criteria_argued(triage_model, criterion_model, *, triage_ids=None) -> int:
    """Recompute the stored counts of `triage_ids` (all decisions when None) in one set-based UPDATE. Takes the
    models so that a migration can pass its historical ones."""
    argued = (
        criterion_model.objects.filter(triage_id=OuterRef("pk"))
        .exclude(argument="")
        .order_by()
        .values("triage_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    triages = triage_model.objects.all()
    if triage_ids is not None:
        triages = triages.filter(pk__in=triage_ids)
    return triages.update(criteria_argued=Coalesce(Subquery(argued, output_field=IntegerField()), Value(0)))
