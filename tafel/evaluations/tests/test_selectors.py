import datetime

import pytest

from tafel.cases.models import CasePerson, InfoCategory
from tafel.cases.services import case_add_note
from tafel.evaluations import selectors, services
from tafel.evaluations.roles import case_role_labels, role_labels
from tafel.meetings.tests.factories import join_case
from tafel.organisations.models import Role
from tafel.persons.models import Person
from tafel.testing import make_user

pytestmark = pytest.mark.django_db


def test_children_are_numbered_by_birth_date_and_parents_by_sex(family):
    labels = {r.label: Person.objects.get(pk=r.person_id).first_names for r in case_role_labels(family)}
    assert labels == {"vader": "Pieter Jan", "moeder": "Maria", "kind 1": "Lotte", "kind 2": "Sem"}


def test_more_persons_in_one_role_are_numbered_and_a_single_one_is_not():
    def cp(pk, role, born, gender="x"):
        person = Person(pk=pk, first_names=f"P{pk}", last_name="X", date_of_birth=born, gender=gender)
        return CasePerson(person=person, person_id=pk, role=role)

    labels = role_labels(
        [
            cp(1, "slachtoffer", datetime.date(1990, 1, 1)),
            cp(2, "slachtoffer", datetime.date(1985, 1, 1)),
            cp(3, "pleger", datetime.date(1980, 1, 1)),
            cp(4, "ouder", None),
            cp(5, "kind", None),
        ]
    )
    by_person = {r.person_id: r.label for r in labels}
    assert by_person == {1: "slachtoffer 2", 2: "slachtoffer 1", 3: "pleger", 4: "ouder", 5: "kind 1"}


def test_candidates_and_moments_follow_what_the_viewer_may_see(family, procesregisseur, professional, ggz):
    """A note with justice data from the police: the house sees it (a justice partner by default), a GGZ
    professional in the same case does not, in the candidates nor as a moment of the evaluation."""
    join_case(family, ggz, procesregisseur)
    nurse = make_user(ggz, Role.PROFESSIONAL, username="ggz_verpleegkundige")
    case_add_note(
        actor=professional, case=family, text="Vader heeft een lopende zaak.", category=InfoCategory.JUSTITIEEL
    )
    mine = selectors.timeline_candidates(viewer=procesregisseur, case=family)
    note = next(c for c in mine if c.kind == "notitie")
    theirs = selectors.timeline_candidates(viewer=nurse, case=family)
    assert note.key not in {c.key for c in theirs}
    assert not note.preselected

    evaluation = services.evaluation_create(
        actor=procesregisseur, case=family, moment_keys=[c.key for c in mine if c.preselected] + [note.key]
    )
    as_house = selectors.evaluation_detail(viewer=procesregisseur, evaluation_id=evaluation.pk)
    as_nurse = selectors.evaluation_detail(viewer=nurse, evaluation_id=evaluation.pk)
    as_police = selectors.evaluation_detail(viewer=professional, evaluation_id=evaluation.pk)
    assert "notitie" in {m.kind for m in as_house.moments}
    assert "notitie" in {m.kind for m in as_police.moments}
    assert "notitie" not in {m.kind for m in as_nurse.moments}
    assert as_nurse.hidden_moments == 1 and len(as_nurse.moments) == len(as_house.moments) - 1


def test_descriptions_taken_from_the_timeline_carry_roles_not_names(family, procesregisseur, professional):
    from tafel.meetings.models import Action

    Action.objects.filter(case=family).update(what="Gesprek met Lotte en Maria Bakker op school")
    candidates = selectors.timeline_candidates(viewer=procesregisseur, case=family)
    action = next(c for c in candidates if c.kind == "actie")
    assert "kind 1" in action.description and "moeder" in action.description
    assert "Lotte" not in action.description and "Bakker" not in action.description


def test_demo_evaluations_name_roles_only_and_write_no_audit(family, procesregisseur):
    from tafel.core.models import AuditEvent
    from tafel.demo.evaluations import add_demo_evaluations
    from tafel.evaluations.roles import case_role_labels, named_person

    before = AuditEvent.objects.count()
    assert add_demo_evaluations(count=1) == 1
    assert AuditEvent.objects.count() == before
    evaluation = family.evaluations.get()
    labels = case_role_labels(family)
    texts = [m.went_wrong for m in evaluation.moments.all()] + [le.text for le in evaluation.lessons.all()]
    assert any(texts) and not any(named_person(t, labels) for t in texts)
    assert evaluation.improvement_actions.count() == 1
