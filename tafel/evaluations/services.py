"""Every write of the evaluations app. Keyword-only, explicit actor, one transaction each, the audit event in the
same transaction; rows that exist are locked and checked against the version the user saw (a concurrent edit
is refused with 409 rather than silently overwritten). Texts are checked for names of the case's persons."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tafel.access import policy
from tafel.cases.models import Case
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from tafel.evaluations.audit_events import EvaluationEvent
from tafel.organisations.models import Organisation, User

# The case review is filled in only inside an evaluation (reports.learning.FILLED_IN_CONTEXT), so the generic
# `response_submit` refuses it; the answers are parsed and saved with the same functions it uses.
from tafel.reports.learning import case_review_response_save, current_questions

from . import selectors
from .models import (
    Evaluation,
    EvaluationStatus,
    EvaluationStatusChange,
    ImprovementAction,
    ImprovementStatus,
    Lesson,
    Moment,
    Participant,
    ReviewInterview,
)
from .review import questionnaire
from .roles import case_role_labels, check_texts

TEXT_LIMIT = 5000
LESSON_LIMIT = 2000
ACTION_LIMIT = 1000
CONCURRENT = (
    "Iemand anders heeft dit intussen gewijzigd. Uw invoer is niet opgeslagen maar staat hieronder nog; bekijk de "
    "nieuwe versie en sla opnieuw op."
)
FINAL = "Deze casusevaluatie is afgerond en kan niet meer worden gewijzigd. Heropen haar eerst (met een reden)."


def _clean(text) -> str:
    return (text or "").strip()


def _require_editor(actor, case: Case) -> None:
    if not policy.may_edit_evaluation(actor, case):
        raise AccessDenied("Alleen de procesregisseur van het huis stelt de casusevaluatie op.")


def _require_concept(evaluation: Evaluation) -> None:
    if evaluation.status != EvaluationStatus.CONCEPT:
        raise TransitionNotAllowed(FINAL)


def _lock(obj, expected_version):
    """The row again, locked for this transaction; refused when someone saved a newer version meanwhile."""
    fresh = type(obj).objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None:
        try:
            expected = int(expected_version)
        except (TypeError, ValueError):
            expected = -1
        if expected != fresh.version:
            raise ConcurrentEdit(CONCURRENT)
    return fresh


def _lengths(errors: dict, limits: dict[str, tuple[str, int]]) -> None:
    for field, (text, limit) in limits.items():
        if len(text) > limit:
            errors.setdefault(field, []).append(f"Gebruik ten hoogste {limit} tekens.")


def _names(case: Case, fields: dict[str, str]) -> None:
    check_texts(fields, case_role_labels(case))


def _touch(evaluation: Evaluation) -> None:
    Evaluation.objects.filter(pk=evaluation.pk).update(updated_at=timezone.now())


def _audit(actor, evaluation: Evaluation, what: str, event=EvaluationEvent.EVALUATION_UPDATE, **details) -> None:
    audit(
        actor=actor,
        event=event,
        case_id=evaluation.case_id,
        details={"evaluation": evaluation.pk, "what": what, **details},
    )


# --- the evaluation ---------------------------------------------------------------------------------------


def evaluation_create(*, actor, case: Case, title: str = "", moment_keys: list[str] | None = None) -> Evaluation:
    """Start a casusevaluatie on the case's timeline. `moment_keys` are the timeline moments picked; None takes
    the pre-selected key events. Usually after closure, but allowed at any time (SPEC §5.5)."""
    _require_editor(actor, case)
    title = _clean(title) or f"Casusevaluatie {case.reference}"
    errors: dict[str, list[str]] = {}
    _lengths(errors, {"title": (title, 200)})
    labels = case_role_labels(case)
    candidates = selectors.timeline_candidates(viewer=actor, case=case, labels=labels)
    by_key = {c.key: c for c in candidates}
    if moment_keys is None:
        picked = [c for c in candidates if c.preselected]
    else:
        unknown = [k for k in moment_keys if k not in by_key]
        if unknown:
            errors["moments"] = ["Een gekozen moment staat niet (meer) op de tijdlijn van deze casus."]
        picked = [by_key[k] for k in dict.fromkeys(moment_keys) if k in by_key]
    if errors:
        raise ValidationFailed("De casusevaluatie is niet gestart.", field_errors=errors)
    check_texts({"title": title}, labels)
    now = timezone.now()
    with transaction.atomic():
        evaluation = Evaluation.objects.create(case=case, title=title, created_by=actor, created_at=now, updated_at=now)
        Moment.objects.bulk_create(_moment_from(evaluation, c) for c in picked)
        _audit(actor, evaluation, "create", event=EvaluationEvent.EVALUATION_CREATE, moments=len(picked))
    return evaluation


def _moment_from(evaluation: Evaluation, c) -> Moment:
    return Moment(
        evaluation=evaluation,
        at=c.at,
        kind=c.kind,
        description=c.description,
        source_key=c.key,
        source_type=c.source_type,
        source_id=c.source_id,
        supplied_by_org_id=c.supplied_by_org_id,
        category=c.category,
    )


def evaluation_update(*, actor, evaluation: Evaluation, title: str, expected_version) -> Evaluation:
    _require_editor(actor, evaluation.case)
    title = _clean(title)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Geef de evaluatie een titel."]
    _lengths(errors, {"title": (title, 200)})
    if errors:
        raise ValidationFailed("De casusevaluatie is niet opgeslagen.", field_errors=errors)
    _names(evaluation.case, {"title": title})
    with transaction.atomic():
        fresh = _lock(evaluation, expected_version)
        _require_concept(fresh)
        fresh.title, fresh.updated_at, fresh.version = title, timezone.now(), fresh.version + 1
        fresh.save(update_fields=["title", "updated_at", "version"])
        _audit(actor, fresh, "title")
    return fresh


def evaluation_add_moments(*, actor, evaluation: Evaluation, keys: list[str]) -> list[Moment]:
    """Take more moments from the timeline into the evaluation (ones already in are skipped)."""
    _require_editor(actor, evaluation.case)
    _require_concept(evaluation)
    if not keys:
        raise ValidationFailed("Kies ten minste één moment.", field_errors={"keys": ["Kies ten minste één moment."]})
    by_key = {c.key: c for c in selectors.timeline_candidates(viewer=actor, case=evaluation.case)}
    if any(k not in by_key for k in keys):
        raise ValidationFailed(
            "Een gekozen moment staat niet op de tijdlijn.",
            field_errors={"keys": ["Een gekozen moment staat niet (meer) op de tijdlijn van deze casus."]},
        )
    with transaction.atomic():
        locked = _lock(evaluation, None)
        _require_concept(locked)
        taken = set(locked.moments.exclude(source_key="").values_list("source_key", flat=True))
        new = Moment.objects.bulk_create(_moment_from(locked, by_key[k]) for k in dict.fromkeys(keys) if k not in taken)
        _touch(locked)
        _audit(actor, locked, "moments_add", count=len(new))
    return new


def moment_add(*, actor, evaluation: Evaluation, on: datetime.date | None, description: str, **texts) -> Moment:
    """A moment added by hand: date and a short description (persons by role)."""
    _require_editor(actor, evaluation.case)
    description = _clean(description)
    errors: dict[str, list[str]] = {}
    if on is None:
        errors["date"] = ["Vul de datum van het moment in."]
    elif on > timezone.localdate():
        errors["date"] = ["Een moment in de evaluatie ligt niet in de toekomst."]
    if not description:
        errors["description"] = ["Beschrijf het moment kort."]
    _lengths(errors, {"description": (description, 300)})
    values = {k: _clean(texts.get(k)) for k in ("went_well", "went_wrong", "risky_decisions")}
    _lengths(errors, {k: (v, TEXT_LIMIT) for k, v in values.items()})
    if errors:
        raise ValidationFailed("Het moment is niet toegevoegd.", field_errors=errors)
    _names(evaluation.case, {"description": description, **values})
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    with transaction.atomic():
        locked = _lock(evaluation, None)
        _require_concept(locked)
        moment = Moment.objects.create(
            evaluation=locked,
            at=at,
            kind=Moment.MANUAL,
            description=description,
            supplied_by_org_id=None,
            **values,
        )
        _touch(locked)
        _audit(actor, locked, "moment_add", moment=moment.pk)
    return moment


def moment_update(*, actor, moment: Moment, went_well: str, went_wrong: str, risky_decisions: str, expected_version):
    """The three texts of a moment: what went well, what did not, which decisions were risky (003:L929-933)."""
    evaluation = moment.evaluation
    _require_editor(actor, evaluation.case)
    values = {
        "went_well": _clean(went_well),
        "went_wrong": _clean(went_wrong),
        "risky_decisions": _clean(risky_decisions),
    }
    errors: dict[str, list[str]] = {}
    _lengths(errors, {k: (v, TEXT_LIMIT) for k, v in values.items()})
    if errors:
        raise ValidationFailed("Het moment is niet opgeslagen.", field_errors=errors)
    _names(evaluation.case, values)
    with transaction.atomic():
        _require_concept(_lock(evaluation, None))
        fresh = _lock(moment, expected_version)
        for key, value in values.items():
            setattr(fresh, key, value)
        fresh.version += 1
        fresh.save(update_fields=[*values, "version"])
        _touch(evaluation)
        _audit(actor, evaluation, "moment_update", moment=fresh.pk)
    return fresh


def moment_delete(*, actor, moment: Moment) -> None:
    evaluation = moment.evaluation
    _require_editor(actor, evaluation.case)
    with transaction.atomic():
        _require_concept(_lock(evaluation, None))
        Moment.objects.filter(pk=moment.pk).delete()
        _touch(evaluation)
        _audit(actor, evaluation, "moment_delete", moment=moment.pk)


# --- lessons and improvement actions -------------------------------------------------------------------------


def _lesson_text(evaluation: Evaluation, text: str) -> str:
    text = _clean(text)
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = ["Schrijf de les op."]
    _lengths(errors, {"text": (text, LESSON_LIMIT)})
    if errors:
        raise ValidationFailed("De les is niet opgeslagen.", field_errors=errors)
    _names(evaluation.case, {"text": text})
    return text


def lesson_add(*, actor, evaluation: Evaluation, text: str) -> Lesson:
    _require_editor(actor, evaluation.case)
    text = _lesson_text(evaluation, text)
    with transaction.atomic():
        locked = _lock(evaluation, None)
        _require_concept(locked)
        lesson = Lesson.objects.create(evaluation=locked, text=text, created_at=timezone.now())
        _touch(locked)
        _audit(actor, locked, "lesson_add", lesson=lesson.pk)
    return lesson


def lesson_update(*, actor, lesson: Lesson, text: str, expected_version) -> Lesson:
    evaluation = lesson.evaluation
    _require_editor(actor, evaluation.case)
    text = _lesson_text(evaluation, text)
    with transaction.atomic():
        _require_concept(_lock(evaluation, None))
        fresh = _lock(lesson, expected_version)
        fresh.text, fresh.version = text, fresh.version + 1
        fresh.save(update_fields=["text", "version"])
        _touch(evaluation)
        _audit(actor, evaluation, "lesson_update", lesson=fresh.pk)
    return fresh


def lesson_delete(*, actor, lesson: Lesson) -> None:
    """A lesson goes with its improvement actions; the page asks for confirmation first."""
    evaluation = lesson.evaluation
    _require_editor(actor, evaluation.case)
    with transaction.atomic():
        _require_concept(_lock(evaluation, None))
        Lesson.objects.filter(pk=lesson.pk).delete()
        _touch(evaluation)
        _audit(actor, evaluation, "lesson_delete", lesson=lesson.pk)


def _owner(owner_id) -> User | None:
    try:
        pk = int(owner_id)
    except (TypeError, ValueError):
        return None
    # The one notion of an active account (policy.active_users), as for every id named in a request.
    return policy.active_users().select_related("organisation").filter(pk=pk).first()


def _action_fields(evaluation: Evaluation, text: str, owner_id, due_date, *, new: bool):
    text = _clean(text)
    owner = _owner(owner_id)
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = ["Beschrijf de verbeteractie."]
    _lengths(errors, {"text": (text, ACTION_LIMIT)})
    if owner is None:
        errors["owner"] = ["Kies een eigenaar: een actieve gebruiker van een organisatie."]
    if due_date is None:
        errors["due_date"] = ["Vul de uiterste datum in."]
    elif new and due_date < timezone.localdate():
        errors["due_date"] = ["De uiterste datum ligt in het verleden."]
    if errors:
        raise ValidationFailed("De verbeteractie is niet opgeslagen.", field_errors=errors)
    _names(evaluation.case, {"text": text})
    return text, owner


def improvement_action_add(*, actor, lesson: Lesson, text: str, owner_id, due_date) -> ImprovementAction:
    evaluation = lesson.evaluation
    _require_editor(actor, evaluation.case)
    text, owner = _action_fields(evaluation, text, owner_id, due_date, new=True)
    with transaction.atomic():
        _require_concept(_lock(evaluation, None))
        action = ImprovementAction.objects.create(
            evaluation=evaluation,
            lesson=lesson,
            text=text,
            owner=owner,
            owner_organisation=owner.organisation,
            due_date=due_date,
            created_at=timezone.now(),
        )
        _touch(evaluation)
        _audit(actor, evaluation, "action_add", action=action.pk)
    return action


def improvement_action_edit(*, actor, action: ImprovementAction, text: str, owner_id, due_date, expected_version):
    evaluation = action.evaluation
    _require_editor(actor, evaluation.case)
    text, owner = _action_fields(evaluation, text, owner_id, due_date, new=False)
    with transaction.atomic():
        _require_concept(_lock(evaluation, None))
        fresh = _lock(action, expected_version)
        fresh.text, fresh.owner, fresh.owner_organisation, fresh.due_date = text, owner, owner.organisation, due_date
        fresh.version += 1
        fresh.save(update_fields=["text", "owner", "owner_organisation", "due_date", "version"])
        _audit(actor, evaluation, "action_edit", action=fresh.pk, event=EvaluationEvent.IMPROVEMENT_ACTION_UPDATE)
    return fresh


def improvement_action_set_status(
    *, actor, action: ImprovementAction, status: str, result: str = "", done_on=None, expected_version
) -> ImprovementAction:
    """The owner (or the regisseur) reports an action done, with its result, or opens it again. Allowed after
    the evaluation is finalised: that is when the improvement work happens."""
    evaluation = action.evaluation
    if not (action.owner_id == actor.pk or policy.may_edit_evaluation(actor, evaluation.case)):
        raise AccessDenied("Alleen de eigenaar of de procesregisseur werkt deze verbeteractie bij.")
    result = _clean(result)
    errors: dict[str, list[str]] = {}
    if status not in ImprovementStatus.values:
        errors["status"] = ["Kies open of gedaan."]
    today = timezone.localdate()
    if status == ImprovementStatus.DONE:
        done_on = done_on or today
        if done_on > today:
            errors["done_on"] = ["De datum gedaan ligt niet in de toekomst."]
        if not result:
            errors["result"] = ["Beschrijf het resultaat van de verbeteractie."]
    _lengths(errors, {"result": (result, LESSON_LIMIT)})
    if errors:
        raise ValidationFailed("De verbeteractie is niet bijgewerkt.", field_errors=errors)
    _names(evaluation.case, {"result": result})
    with transaction.atomic():
        fresh = _lock(action, expected_version)
        fresh.status = status
        fresh.result = result
        fresh.done_on = done_on if status == ImprovementStatus.DONE else None
        fresh.version += 1
        fresh.save(update_fields=["status", "result", "done_on", "version"])
        _audit(
            actor,
            evaluation,
            "action_status",
            action=fresh.pk,
            status=status,
            event=EvaluationEvent.IMPROVEMENT_ACTION_UPDATE,
        )
    return fresh


def improvement_action_delete(*, actor, action: ImprovementAction) -> None:
    evaluation = action.evaluation
    _require_editor(actor, evaluation.case)
    with transaction.atomic():
        _require_concept(_lock(evaluation, None))
        ImprovementAction.objects.filter(pk=action.pk).delete()
        _audit(actor, evaluation, "action_delete", action=action.pk)


# --- participants and review interviews ---------------------------------------------------------------------


def _org_and_function(organisation_id, function: str) -> tuple[Organisation | None, str, dict]:
    function = _clean(function)
    errors: dict[str, list[str]] = {}
    try:
        org = Organisation.objects.filter(pk=int(organisation_id)).first()
    except (TypeError, ValueError):
        org = None
    if org is None:
        errors["organisation"] = ["Kies een organisatie."]
    if not function:
        errors["function"] = ["Vul de functie in."]
    _lengths(errors, {"function": (function, 100)})
    return org, function, errors


def participant_add(*, actor, evaluation: Evaluation, organisation_id, function: str) -> Participant:
    _require_editor(actor, evaluation.case)
    org, function, errors = _org_and_function(organisation_id, function)
    if errors:
        raise ValidationFailed("De deelnemer is niet toegevoegd.", field_errors=errors)
    _names(evaluation.case, {"function": function})
    with transaction.atomic():
        _require_concept(_lock(evaluation, None))
        participant = Participant.objects.create(evaluation=evaluation, organisation=org, function=function)
        _touch(evaluation)
        _audit(actor, evaluation, "participant_add", participant=participant.pk)
    return participant


def participant_remove(*, actor, participant: Participant) -> None:
    evaluation = participant.evaluation
    _require_editor(actor, evaluation.case)
    with transaction.atomic():
        _require_concept(_lock(evaluation, None))
        Participant.objects.filter(pk=participant.pk).delete()
        _audit(actor, evaluation, "participant_remove", participant=participant.pk)


def review_interview_add(
    *, actor, evaluation: Evaluation, organisation_id, function: str, respondent_id=None, answers: dict[str, str]
) -> ReviewInterview:
    """A case-review interview (001 Bijlage 3) recorded by the regisseur: the respondent by organisation and
    function (optionally the user), the answers as a response to the built-in "casusreview" questionnaire."""
    _require_editor(actor, evaluation.case)
    org, function, errors = _org_and_function(organisation_id, function)
    respondent = None
    if respondent_id not in (None, ""):
        respondent = _owner(respondent_id)
        if respondent is None:
            errors["respondent"] = ["Deze gebruiker bestaat niet of is niet actief."]
    if errors:
        raise ValidationFailed("Het interview is niet opgeslagen.", field_errors=errors)
    form = questionnaire()
    texts = {f"q{q.pk}": _clean(answers.get(f"q{q.pk}")) for q in current_questions(form)}
    if not any(texts.values()):
        raise ValidationFailed(
            "Beantwoord ten minste één vraag.", field_errors={"__all__": ["Beantwoord ten minste één vraag."]}
        )
    _names(evaluation.case, {"function": function, **texts})
    with transaction.atomic():
        _require_concept(_lock(evaluation, None))
        response = case_review_response_save(actor=actor, questionnaire=form, raw=texts, case=evaluation.case)
        interview = ReviewInterview.objects.create(
            evaluation=evaluation,
            response=response,
            organisation=org,
            function=function,
            respondent=respondent,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        _touch(evaluation)
        _audit(actor, evaluation, "interview", event=EvaluationEvent.REVIEW_INTERVIEW_ADD, interview=interview.pk)
    return interview


# --- finalising and reopening ----------------------------------------------------------------------------


def evaluation_finalise(*, actor, evaluation: Evaluation, expected_version) -> Evaluation:
    """Concept → afgerond: read-only from then on. Needs at least one moment and at least one lesson."""
    _require_editor(actor, evaluation.case)
    with transaction.atomic():
        fresh = _lock(evaluation, expected_version)
        if fresh.status != EvaluationStatus.CONCEPT:
            raise TransitionNotAllowed("Deze casusevaluatie is al afgerond.")
        errors: dict[str, list[str]] = {}
        if not fresh.moments.exists():
            errors["moments"] = ["Neem ten minste één moment uit het verloop van de casus op."]
        if not fresh.lessons.exists():
            errors["lessons"] = ["Schrijf ten minste één les op."]
        if errors:
            raise ValidationFailed("De casusevaluatie kan nog niet worden afgerond.", field_errors=errors)
        now = timezone.now()
        fresh.status, fresh.finalised_at, fresh.finalised_by = EvaluationStatus.AFGEROND, now, actor
        fresh.updated_at, fresh.version = now, fresh.version + 1
        fresh.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at", "version"])
        EvaluationStatusChange.objects.create(evaluation=fresh, to_status=fresh.status, actor=actor, at=now)
        _audit(actor, fresh, "finalise", event=EvaluationEvent.EVALUATION_FINALISE)
    return fresh


def evaluation_reopen(*, actor, evaluation: Evaluation, reason: str, expected_version) -> Evaluation:
    _require_editor(actor, evaluation.case)
    reason = _clean(reason)
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Geef de reden om de afgeronde evaluatie te heropenen."]
    _lengths(errors, {"reason": (reason, LESSON_LIMIT)})
    if errors:
        raise ValidationFailed("De casusevaluatie is niet heropend.", field_errors=errors)
    _names(evaluation.case, {"reason": reason})
    with transaction.atomic():
        fresh = _lock(evaluation, expected_version)
        if fresh.status != EvaluationStatus.AFGEROND:
            raise TransitionNotAllowed("Alleen een afgeronde casusevaluatie wordt heropend.")
        now = timezone.now()
        fresh.status, fresh.finalised_at, fresh.finalised_by = EvaluationStatus.CONCEPT, None, None
        fresh.updated_at, fresh.version = now, fresh.version + 1
        fresh.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at", "version"])
        EvaluationStatusChange.objects.create(
            evaluation=fresh, to_status=fresh.status, actor=actor, at=now, reason=reason
        )
        _audit(actor, fresh, "reopen", event=EvaluationEvent.EVALUATION_REOPEN)
    return fresh
