"""Issue 14, the monitor's current quarter: the counts stored for the monitor stay equal to a count from scratch
after every writer.

- The partner count of a case (Case.partner_count, tafel/cases/partners.py): intake (a partner or a reporter-only
  submitter, a Veilig Thuis melding), the house adding an organisation (itself included), a reporter made
  partner, a removal, the demo generators and the migration's backfill.
- The argued criteria of a triage decision (Triage.criteria_argued, tafel/cases/argued.py): the decision, the
  demo generators and the migration's backfill."""

from __future__ import annotations

import importlib
import io
import random

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.test import RequestFactory

from tafel.cases import participants
from tafel.cases.models import Case, CaseOrganisation, EntryRoute, Triage, TriageCriterion
from tafel.cases.services import (
    CriterionInput,
    TriageInput,
    aanmelding_create,
    case_add_organisation,
    case_participation_make_partner,
    triage_decide,
)
from tafel.core.errors import TransitionNotAllowed
from tafel.organisations.models import Organisation, OrganisationType, Role
from tafel.testing import aanmelding_input, make_case, make_org, make_user

pytestmark = pytest.mark.django_db


def from_scratch() -> dict[int, int]:
    """Case id → its participations of organisations other than the house, counted in Python."""
    house = set(Organisation.objects.filter(type=OrganisationType.ZVH).values_list("pk", flat=True))
    counts = dict.fromkeys(Case.objects.values_list("pk", flat=True), 0)
    for case_id, org_id in CaseOrganisation.objects.values_list("case_id", "organisation_id"):
        counts[case_id] += org_id not in house
    return counts


def stored() -> dict[int, int]:
    return dict(Case.objects.values_list("pk", "partner_count"))


def assert_stored_equals_from_scratch() -> dict[int, int]:
    expected = from_scratch()
    assert stored() == expected
    argued = dict.fromkeys(Triage.objects.values_list("pk", flat=True), 0)
    for triage_id, argument in TriageCriterion.objects.values_list("triage_id", "argument"):
        argued[triage_id] += argument != ""
    assert dict(Triage.objects.values_list("pk", "criteria_argued")) == argued
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_every_writer_keeps_the_stored_partner_count_equal_to_a_count_from_scratch(
    seed, municipality, house, police, ggz, procesregisseur, professional
):
    rng = random.Random(seed)
    veilig_thuis = make_org("Veilig Thuis Test", OrganisationType.VEILIG_THUIS)
    school = make_org("Basisschool Test", OrganisationType.ZORG, convenant=False)
    teacher = make_user(school, Role.PROFESSIONAL, Role.AANMELDER, username=f"leraar{seed}")
    organisations = [house, police, ggz, veilig_thuis, school, make_org("Gemeente Test", OrganisationType.GEMEENTE)]
    cases = [make_case(professional, municipality)]
    for step in range(25):
        operation = rng.choice(["intake", "reporter intake", "vt intake", "add", "add", "remove", "make partner"])
        case = rng.choice(cases)
        if operation == "intake":
            cases.append(make_case(professional, municipality, title=f"Casus {seed}-{step}"))
        elif operation == "reporter intake":
            cases.append(make_case(teacher, municipality, title=f"Casus {seed}-{step}"))
        elif operation == "vt intake":
            data = aanmelding_input(municipality, route=EntryRoute.POLITIE_VT, title=f"Casus {seed}-{step}")
            cases.append(aanmelding_create(actor=professional, data=data).case)
        elif operation == "add":
            case_add_organisation(actor=procesregisseur, case=case, organisation=rng.choice(organisations), reason="x")
        elif operation == "remove":
            org_ids = list(CaseOrganisation.objects.filter(case=case).values_list("organisation_id", flat=True))
            try:
                participants.case_participation_remove(
                    actor=procesregisseur, case=case, organisation_id=rng.choice(org_ids), reason="niet meer nodig"
                )
            except TransitionNotAllowed:
                pass  # the house itself, the last partner: refused, nothing changed
        else:
            reporter = CaseOrganisation.objects.filter(case=case, kind=CaseOrganisation.Kind.REPORTER).first()
            if reporter is not None:
                case_participation_make_partner(
                    actor=procesregisseur, case=case, organisation_id=reporter.organisation_id, reason="werkt mee"
                )
        assert_stored_equals_from_scratch()
    assert max(stored().values()) >= 2


def test_a_triage_decision_stores_how_many_criteria_were_argued(case, procesregisseur):
    criteria = [CriterionInput(criterion=c, met=True, argument=f"  Argument {c}. ") for c in "abcde"]
    triage = triage_decide(actor=procesregisseur, case=case, data=TriageInput(criteria=criteria, outcome="zvh_com"))
    assert Triage.objects.get(pk=triage.pk).criteria_argued == 5
    assert_stored_equals_from_scratch()


def test_the_house_is_not_counted(case, house, ggz, procesregisseur):
    # The police submitted the case: one partner. The house and GGZ join: two.
    assert Case.objects.get(pk=case.pk).partner_count == 1
    case_add_organisation(actor=procesregisseur, case=case, organisation=house, reason="procesregie")
    assert Case.objects.get(pk=case.pk).partner_count == 1
    case_add_organisation(actor=procesregisseur, case=case, organisation=ggz, reason="behandeling")
    assert Case.objects.get(pk=case.pk).partner_count == 2
    participants.case_participation_remove(actor=procesregisseur, case=case, organisation_id=ggz.pk, reason="klaar")
    assert Case.objects.get(pk=case.pk).partner_count == 1


def test_demo_generators_write_the_stored_partner_counts():
    call_command("demo", seed=3, cases=60, verbosity=0, stdout=io.StringIO())
    counts = assert_stored_equals_from_scratch()
    assert sum(n > 1 for n in counts.values()) > 10

    from tafel.demo.benchdata import generate

    generate(200, seed=5, verbose=False)
    counts = assert_stored_equals_from_scratch()
    assert len(counts) > 250


def test_the_backfill_computes_what_the_writers_store(case, house, ggz, procesregisseur):
    case_add_organisation(actor=procesregisseur, case=case, organisation=ggz, reason="behandeling")
    case_add_organisation(actor=procesregisseur, case=case, organisation=house, reason="procesregie")
    written = assert_stored_equals_from_scratch()
    Case.objects.update(partner_count=0)
    migration = importlib.import_module("tafel.cases.migrations.0009_stored_partner_counts")
    migration.backfill(apps, None)
    assert stored() == written == {case.pk: 2}


def test_the_criteria_backfill_counts_the_arguments_written(case, procesregisseur):
    criteria = [CriterionInput(criterion=c, met=True, argument=f"Argument {c}.") for c in "abcde"]
    triage = triage_decide(actor=procesregisseur, case=case, data=TriageInput(criteria=criteria, outcome="zvh_com"))
    TriageCriterion.objects.filter(triage=triage, criterion__in="ab").update(argument="")  # behind the service
    Triage.objects.update(criteria_argued=0)
    migration = importlib.import_module("tafel.cases.migrations.0010_triage_criteria_argued")
    migration.backfill(apps, None)
    assert Triage.objects.get(pk=triage.pk).criteria_argued == 3
    assert_stored_equals_from_scratch()


def test_an_organisation_in_a_case_keeps_its_type_in_the_admin(case, police, ggz):
    # The stored counts read whether an organisation is the house: the type of one in a case cannot change.
    admin = site._registry[Organisation]
    request = RequestFactory().get("/")
    assert "type" in admin.get_readonly_fields(request, police)
    assert "type" not in admin.get_readonly_fields(request, ggz)
    assert "type" not in admin.get_readonly_fields(request, None)
