"""The number of partner organisations of a case, stored on the case (`Case.partner_count`; issue 14, the
monitor's current quarter).

The rule: the case's participations (CaseOrganisation, partner or reporter alike) of organisations that are not
a Zorg- en Veiligheidshuis. The house runs the process in every case, so counting it would add one to every
case (SPEC §7, the network indicators).

Why stored: the monitor's network figures grouped the participations of every case in the period by case on
each request; at 1,000,000 cases that was over a quarter of the current quarter's dashboard. Stored, the
histogram of partners per case is read in the same pass over the population as its other figures
(tafel/reports/indicators/populations.py).

Writers: a participation is created or deleted only by `services._add_participant` (intake, Veilig Thuis),
`services.case_participation_join` (the house adds an organisation, an accepted proposal, a Veilig Thuis
handover) and `participants.case_participation_remove`; each calls `partner_count_refresh` for its case in the
same transaction. Making a reporter a partner changes no count. A case's participations leave it otherwise only
with the case itself (retention deletes the case). An organisation's type, which the rule reads, cannot be
changed once it takes part in a case (organisations/admin.py). The demo generators, the migration that added
the column and anything that writes participations behind the services' back (tests, repairs) call
`refresh_partner_counts`, the set-based version of the same rule. `tafel/cases/tests/test_stored_counts.py`
compares the stored counts with a count from scratch after each writer.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

# The organisation type the rule leaves out (organisations.models.OrganisationType.ZVH), named here as a value
# so that a migration can use the rule with its historical models.
HOUSE_TYPE = "zvh"


def partner_count_expression(participation_model):
    """The rule in SQL, on a Case queryset: its participations of organisations other than the house."""
    partners = (
        participation_model.objects.filter(case_id=OuterRef("pk"))
        .exclude(organisation__type=HOUSE_TYPE)
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(partners, output_field=IntegerField()), Value(0))


def refresh_partner_counts(case_model, participation_model, *, case_ids=None) -> int:
    """Recompute the stored partner counts of `case_ids` (all cases when None) in one set-based UPDATE. Takes
    the models so that a migration can pass its historical ones. Returns the number of cases updated."""
    cases = case_model.objects.all()
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    return cases.update(partner_count=partner_count_expression(participation_model))


def partner_count_refresh(case_id: int) -> None:
    """After a writer created or deleted a participation of the case (inside its transaction)."""
    from tafel.cases.models import Case, CaseOrganisation

    refresh_partner_counts(Case, CaseOrganisation, case_ids=[case_id])
