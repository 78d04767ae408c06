import datetime

import pytest
from django.utils import timezone

from tafel.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.evaluations import services
from tafel.evaluations.audit_events import EvaluationEvent
from tafel.evaluations.models import EvaluationStatus, ImprovementStatus, Moment

from .factories import BSN_VADER

pytestmark = pytest.mark.django_db


def named(label: str) -> list[str]:
    return [f"Noem personen bij hun rol: gebruik ‘{label}’ in plaats van de naam."]


def _moment(evaluation) -> Moment:
    return evaluation.moments.select_related("evaluation__case").first()


def _fill(actor, moment, **texts):
    values = {"went_well": "", "went_wrong": "", "risky_decisions": "", **texts}
    return services.moment_update(actor=actor, moment=moment, expected_version=moment.version, **values)


def test_new_evaluation_takes_the_key_events_of_the_timeline(evaluation):
    kinds = set(evaluation.moments.values_list("kind", flat=True))
    assert {"melding", "overleg", "plan", "afsluiting"} <= kinds
    # Status changes and actions can be picked, but are not pre-selected.
    assert not kinds & {"status", "actie"}
    assert evaluation.status == EvaluationStatus.CONCEPT
    assert AuditEvent.objects.filter(event_type=EvaluationEvent.EVALUATION_CREATE, case_id=evaluation.case_id).exists()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Lotte werd niet gehoord door de school.", "kind 1"),
        ("Het gesprek met SEM was te laat.", "kind 2"),
        ("Janssen kwam niet opdagen.", "vader"),
        ("Pieter Jan belde de politie.", "vader"),
        ("Mevrouw Bakker wilde geen hulp.", "moeder"),
        ("Dossier onder 111 222 333 was onvolledig.", "vader"),
        (f"BSN {BSN_VADER} stond verkeerd in het systeem.", "vader"),
    ],
)
def test_a_text_naming_a_person_or_bsn_is_refused_with_the_role_to_use(evaluation, procesregisseur, text, label):
    moment = _moment(evaluation)
    with pytest.raises(ValidationFailed) as exc:
        _fill(procesregisseur, moment, went_wrong=text)
    assert exc.value.field_errors == {
        "went_wrong": [f"Noem personen bij hun rol: gebruik ‘{label}’ in plaats van de naam."]
    }
    moment.refresh_from_db()
    assert moment.went_wrong == ""


def test_role_labels_and_words_inside_other_words_are_accepted(evaluation, procesregisseur):
    moment = _moment(evaluation)
    saved = _fill(
        procesregisseur,
        moment,
        went_well="Kind 1 en kind 2 werden snel gezien; vader en moeder kregen elk een hulpverlener.",
        went_wrong="De semafoor van de agenda (Semester-planning) liep uit.",
        risky_decisions="Vader bleef thuis wonen terwijl het onveilig was.",
    )
    assert saved.version == moment.version + 1
    assert saved.went_well.startswith("Kind 1")


def test_finalising_needs_a_moment_and_a_lesson(evaluation, procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        services.evaluation_finalise(actor=procesregisseur, evaluation=evaluation, expected_version=evaluation.version)
    assert exc.value.field_errors == {"lessons": ["Schrijf ten minste één les op."]}
    evaluation.moments.all().delete()
    with pytest.raises(ValidationFailed) as exc:
        services.evaluation_finalise(actor=procesregisseur, evaluation=evaluation, expected_version=evaluation.version)
    assert set(exc.value.field_errors) == {"moments", "lessons"}


def test_finalised_evaluation_is_read_only_and_reopening_needs_a_reason(evaluation, procesregisseur):
    services.lesson_add(actor=procesregisseur, evaluation=evaluation, text="Vroeg een actieoverleg plannen.")
    final = services.evaluation_finalise(
        actor=procesregisseur, evaluation=evaluation, expected_version=evaluation.version
    )
    assert final.status == EvaluationStatus.AFGEROND and final.finalised_by == procesregisseur
    with pytest.raises(TransitionNotAllowed, match="afgerond"):
        services.lesson_add(actor=procesregisseur, evaluation=final, text="Nog een les")
    with pytest.raises(TransitionNotAllowed):
        _fill(procesregisseur, _moment(final), went_well="Goed")
    with pytest.raises(ValidationFailed) as exc:
        services.evaluation_reopen(actor=procesregisseur, evaluation=final, reason=" ", expected_version=final.version)
    assert exc.value.field_errors == {"reason": ["Geef de reden om de afgeronde evaluatie te heropenen."]}
    reopened = services.evaluation_reopen(
        actor=procesregisseur,
        evaluation=final,
        reason="Interview politie nog toevoegen",
        expected_version=final.version,
    )
    assert reopened.status == EvaluationStatus.CONCEPT
    change = reopened.status_changes.last()
    assert change.reason == "Interview politie nog toevoegen" and change.actor == procesregisseur
    assert AuditEvent.objects.filter(event_type=EvaluationEvent.EVALUATION_REOPEN, case_id=final.case_id).exists()


def test_a_stale_version_is_refused_as_a_concurrent_edit(evaluation, procesregisseur):
    moment = _moment(evaluation)
    _fill(procesregisseur, moment, went_well="Eerste versie")
    with pytest.raises(ConcurrentEdit) as exc:
        _fill(procesregisseur, moment, went_well="Tweede versie op een oude pagina")
    assert exc.value.status == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in exc.value.message
    moment.refresh_from_db()
    assert moment.went_well == "Eerste versie"
    with pytest.raises(ConcurrentEdit):
        services.evaluation_update(actor=procesregisseur, evaluation=evaluation, title="Nieuw", expected_version=99)


def test_only_the_house_regisseur_writes_and_the_owner_marks_the_action_done(evaluation, procesregisseur, professional):
    with pytest.raises(AccessDenied):
        services.lesson_add(actor=professional, evaluation=evaluation, text="Les van buiten")
    lesson = services.lesson_add(actor=procesregisseur, evaluation=evaluation, text="Samen ‘veiligheid’ duiden.")
    due = timezone.localdate() + datetime.timedelta(days=30)
    action = services.improvement_action_add(
        actor=procesregisseur, lesson=lesson, text="Actieoverleg organiseren", owner_id=professional.pk, due_date=due
    )
    assert action.owner_organisation == professional.organisation
    with pytest.raises(ValidationFailed) as exc:
        services.improvement_action_set_status(
            actor=professional, action=action, status=ImprovementStatus.DONE, result="", expected_version=1
        )
    assert exc.value.field_errors == {"result": ["Beschrijf het resultaat van de verbeteractie."]}
    done = services.improvement_action_set_status(
        actor=professional, action=action, status=ImprovementStatus.DONE, result="Gehouden", expected_version=1
    )
    assert done.status == ImprovementStatus.DONE and done.done_on == timezone.localdate()


def test_improvement_action_needs_an_owner_and_a_due_date(evaluation, procesregisseur):
    lesson = services.lesson_add(actor=procesregisseur, evaluation=evaluation, text="Les")
    with pytest.raises(ValidationFailed) as exc:
        services.improvement_action_add(actor=procesregisseur, lesson=lesson, text="Iets", owner_id=None, due_date=None)
    assert set(exc.value.field_errors) == {"owner", "due_date"}


def test_manual_moment_and_interview_refuse_names_too(evaluation, procesregisseur, police):
    with pytest.raises(ValidationFailed) as exc:
        services.moment_add(
            actor=procesregisseur, evaluation=evaluation, on=timezone.localdate(), description="Maria belt Veilig Thuis"
        )
    assert exc.value.field_errors["description"] == [
        "Noem personen bij hun rol: gebruik ‘moeder’ in plaats van de naam."
    ]
    moment = services.moment_add(
        actor=procesregisseur, evaluation=evaluation, on=timezone.localdate(), description="Moeder belt Veilig Thuis"
    )
    assert moment.kind == Moment.MANUAL
    from tafel.evaluations.review import questionnaire

    first = questionnaire().questions.first()
    with pytest.raises(ValidationFailed) as exc:
        services.review_interview_add(
            actor=procesregisseur,
            evaluation=evaluation,
            organisation_id=police.pk,
            function="wijkagent",
            answers={f"q{first.pk}": "Met Sem is niet gesproken."},
        )
    assert exc.value.field_errors == {f"q{first.pk}": named("kind 2")}
    interview = services.review_interview_add(
        actor=procesregisseur,
        evaluation=evaluation,
        organisation_id=police.pk,
        function="wijkagent",
        answers={f"q{first.pk}": "Met kind 2 is niet gesproken."},
    )
    assert interview.response.answers.get().text == "Met kind 2 is niet gesproken."


def test_a_surname_that_is_also_a_word_is_only_a_name_with_a_capital(evaluation, procesregisseur):
    """Moeder is Maria Bakker: "de bakker" in lower case is an ordinary word, "Bakker" is her name."""
    from tafel.evaluations.roles import case_role_labels, pseudonymise

    moment = _moment(evaluation)
    saved = _fill(procesregisseur, moment, went_well="Het gezin kreeg hulp van de bakker op de hoek.")
    assert saved.went_well == "Het gezin kreeg hulp van de bakker op de hoek."
    with pytest.raises(ValidationFailed) as exc:
        _fill(procesregisseur, saved, went_well="De bakker en mevrouw Bakker spraken elkaar.")
    assert exc.value.field_errors == {"went_well": named("moeder")}

    labels = case_role_labels(evaluation.case)
    assert pseudonymise("Bakker belde de bakker.", labels) == "moeder belde de bakker."
