"""The questionnaire editor (issue 6 item 5): the ketenmanager and the beheerder keep the learning instruments.

Rules that keep results honest:
- a question that already has answers cannot change kind and cannot be deleted; it can be retired
  ("vervallen"): new fill-ins no longer ask it, its past answers stay in the results;
- the wording of an answered question may change, but the previous wording is kept (QuestionnaireChange)
  and the results page shows "tekst gewijzigd op …";
- a questionnaire is deleted only while nobody has filled it in (and never a built-in one); otherwise it is
  switched off.
Every change is one transaction that raises the questionnaire's version (a stale page is told, not
overwritten) and writes a QuestionnaireChange row: who, when, what.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, ProtectedError, Q
from django.utils import timezone
from django.utils.text import slugify

from tafel.access.policy import may_edit_questionnaires
from tafel.core.errors import AccessDenied, ConcurrentEdit, NotFound, ValidationFailed
from tafel.reports.learning import CASE_REVIEW, SESSION_RATINGS, SURVEY_CODE
from tafel.reports.models import ChangeKind, Question, QuestionKind, Questionnaire, QuestionnaireChange

# Code refers to these by their code: they may be switched off and edited, never deleted.
BUILT_IN = frozenset({SURVEY_CODE, *SESSION_RATINGS, CASE_REVIEW})
STALE = (
    "Iemand anders heeft deze vragenlijst intussen gewijzigd. Uw invoer is niet opgeslagen maar staat hieronder "
    "nog; bekijk de vragenlijst zoals hij nu is en sla opnieuw op."
)
LABELLED_KINDS = (QuestionKind.LIKERT, QuestionKind.SCALE10)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _require_editor(user) -> None:
    if not may_edit_questionnaires(user):
        raise AccessDenied("Alleen de ketenmanager of de beheerder wijzigt vragenlijsten.")


# --- fetch and check ---------------------------------------------------------------------------------------


def questionnaire_get_for_editor(*, user, questionnaire_id) -> Questionnaire:
    """Not an editor → AccessDenied (403); no such questionnaire → NotFound."""
    _require_editor(user)
    pk = _int(questionnaire_id)
    questionnaire = Questionnaire.objects.filter(pk=pk).first() if pk is not None else None
    if questionnaire is None:
        raise NotFound("Deze vragenlijst bestaat niet.")
    return questionnaire


def question_get_for_editor(*, user, question_id) -> Question:
    _require_editor(user)
    pk = _int(question_id)
    question = (
        Question.objects.select_related("questionnaire").annotate(answer_count=Count("answers")).filter(pk=pk).first()
        if pk is not None
        else None
    )
    if question is None:
        raise NotFound("Deze vraag bestaat niet.")
    return question


# --- reads for the editor pages ------------------------------------------------------------------------------


def questionnaire_editor_list(*, viewer) -> list[Questionnaire]:
    _require_editor(viewer)
    return list(
        Questionnaire.objects.annotate(
            response_count=Count("responses", distinct=True),
            question_count=Count("questions", filter=Q(questions__retired_at__isnull=True), distinct=True),
        ).order_by("title", "pk")
    )


def questionnaire_editor_detail(*, viewer, questionnaire: Questionnaire) -> tuple[list[Question], int]:
    """The questions with their number of answers (one query) and the number of responses."""
    _require_editor(viewer)
    questions = list(questionnaire.questions.annotate(answer_count=Count("answers")).order_by("order"))
    return questions, questionnaire.responses.count()


# --- validation ----------------------------------------------------------------------------------------------


@dataclass
class QuestionnaireInput:
    title: str = ""
    introduction: str = ""
    active: bool = True


@dataclass
class QuestionInput:
    kind: str = ""
    text: str = ""
    low_label: str = ""
    high_label: str = ""


def _questionnaire_fields(data: QuestionnaireInput) -> dict:
    errors: dict[str, list[str]] = {}
    title = (data.title or "").strip()
    introduction = (data.introduction or "").strip()
    if not title:
        errors["title"] = ["Geef de vragenlijst een titel."]
    elif len(title) > 200:
        errors["title"] = ["Gebruik voor de titel ten hoogste 200 tekens."]
    if len(introduction) > 4000:
        errors["introduction"] = ["Gebruik voor de toelichting ten hoogste 4000 tekens."]
    if errors:
        raise ValidationFailed("De vragenlijst is niet opgeslagen: controleer de velden.", field_errors=errors)
    return {"title": title, "introduction": introduction, "active": bool(data.active)}


def _question_fields(data: QuestionInput) -> dict:
    errors: dict[str, list[str]] = {}
    text = (data.text or "").strip()
    low, high = (data.low_label or "").strip(), (data.high_label or "").strip()
    if data.kind not in QuestionKind.values:
        errors["kind"] = ["Kies de soort vraag."]
    if not text:
        errors["text"] = ["Vul de vraag of stelling in."]
    elif len(text) > 300:
        errors["text"] = ["Gebruik voor de vraag ten hoogste 300 tekens."]
    for key, value in (("low_label", low), ("high_label", high)):
        if len(value) > 60:
            errors[key] = ["Gebruik ten hoogste 60 tekens."]
    if errors:
        raise ValidationFailed("De vraag is niet opgeslagen: controleer de velden.", field_errors=errors)
    if data.kind not in LABELLED_KINDS:
        # Only a scale has ends to name; an estimate or an open question has none.
        low = high = ""
    return {"kind": data.kind, "text": text, "low_label": low, "high_label": high}


# --- writes ----------------------------------------------------------------------------------------------


def _claim(*, actor, questionnaire: Questionnaire, expected_version) -> None:
    """Inside the transaction, after every rule has passed: raise the version when it is still the one the
    editor's page showed (else ConcurrentEdit: nothing is written)."""
    expected = _int(expected_version)
    now = timezone.now()
    updated = (
        Questionnaire.objects.filter(pk=questionnaire.pk, version=expected).update(
            version=F("version") + 1, updated_by=actor, updated_at=now
        )
        if expected is not None
        else 0
    )
    if updated != 1:
        raise ConcurrentEdit(STALE)
    questionnaire.version, questionnaire.updated_by, questionnaire.updated_at = expected + 1, actor, now


def _record(*, actor, kind: str, questionnaire=None, question=None, previous_text: str = "", details=None):
    QuestionnaireChange.objects.create(
        questionnaire=questionnaire,
        question=question,
        kind=kind,
        actor=actor,
        at=timezone.now(),
        previous_text=previous_text,
        details=details or {},
    )


def _unique_code(title: str) -> str:
    base = (slugify(title) or "vragenlijst")[:32].strip("-") or "vragenlijst"
    taken = set(Questionnaire.objects.filter(code__startswith=base).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def questionnaire_create(*, actor, data: QuestionnaireInput) -> Questionnaire:
    _require_editor(actor)
    fields = _questionnaire_fields(data)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            code=_unique_code(fields["title"]), updated_by=actor, updated_at=timezone.now(), **fields
        )
        _record(
            actor=actor, kind=ChangeKind.CREATED, questionnaire=questionnaire, details={"title": questionnaire.title}
        )
    return questionnaire


def questionnaire_update(*, actor, questionnaire: Questionnaire, data: QuestionnaireInput, expected_version):
    _require_editor(actor)
    fields = _questionnaire_fields(data)
    with transaction.atomic():
        _claim(actor=actor, questionnaire=questionnaire, expected_version=expected_version)
        changed = {k: v for k, v in fields.items() if getattr(questionnaire, k) != v}
        Questionnaire.objects.filter(pk=questionnaire.pk).update(**fields)
        for key, value in fields.items():
            setattr(questionnaire, key, value)
        _record(actor=actor, kind=ChangeKind.UPDATED, questionnaire=questionnaire, details={"fields": sorted(changed)})
    return questionnaire


def questionnaire_delete(*, actor, questionnaire: Questionnaire, expected_version) -> None:
    """Only a questionnaire nobody filled in; a built-in one never (switch it off instead)."""
    _require_editor(actor)
    if questionnaire.code in BUILT_IN:
        raise ValidationFailed(
            "Deze vragenlijst is ingebouwd en kan niet worden verwijderd. Zet hem op niet actief als hij niet "
            "meer gebruikt wordt."
        )
    with transaction.atomic():
        # The row is locked first, so a fill-in arriving meanwhile is either counted here or refused after.
        Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
        if questionnaire.responses.exists():
            raise ValidationFailed(
                "Deze vragenlijst is al ingevuld en kan daarom niet worden verwijderd: de resultaten blijven "
                "bewaard. Zet hem op niet actief, dan wordt hij niet meer aangeboden."
            )
        _claim(actor=actor, questionnaire=questionnaire, expected_version=expected_version)
        _record(
            actor=actor,
            kind=ChangeKind.DELETED,
            questionnaire=questionnaire,
            details={"code": questionnaire.code, "title": questionnaire.title},
        )
        questionnaire.delete()


def question_add(*, actor, questionnaire: Questionnaire, data: QuestionInput, expected_version) -> Question:
    _require_editor(actor)
    fields = _question_fields(data)
    with transaction.atomic():
        _claim(actor=actor, questionnaire=questionnaire, expected_version=expected_version)
        last = questionnaire.questions.aggregate(m=Max("order"))["m"] or 0
        question = Question.objects.create(questionnaire=questionnaire, order=last + 1, **fields)
        _record(
            actor=actor, kind=ChangeKind.QUESTION_ADDED, questionnaire=questionnaire, question=question, details=fields
        )
    return question


def _has_answers(question: Question) -> bool:
    count = getattr(question, "answer_count", None)
    return question.answers.exists() if count is None else count > 0


def question_update(*, actor, question: Question, data: QuestionInput, expected_version) -> Question:
    """An answered question keeps its kind (its answers would no longer fit the scale); its wording may
    change, and the previous wording is kept and shown with the results."""
    _require_editor(actor)
    fields = _question_fields(data)
    questionnaire = question.questionnaire
    with transaction.atomic():
        # Rules first, the version claim last: nothing may fail after it (it also updates the page's object).
        answered = question.answers.exists()
        if answered and fields["kind"] != question.kind:
            raise ValidationFailed(
                "De vraag is niet opgeslagen: controleer de velden.",
                field_errors={
                    "kind": [
                        "Deze vraag is al beantwoord: de soort kan niet meer veranderen. Laat de vraag vervallen "
                        "en voeg een nieuwe vraag toe."
                    ]
                },
            )
        _claim(actor=actor, questionnaire=questionnaire, expected_version=expected_version)
        previous = question.text
        Question.objects.filter(pk=question.pk).update(**fields)
        for key, value in fields.items():
            setattr(question, key, value)
        if answered and previous != fields["text"]:
            _record(
                actor=actor,
                kind=ChangeKind.QUESTION_TEXT,
                questionnaire=questionnaire,
                question=question,
                previous_text=previous,
                details={"text": fields["text"]},
            )
        else:
            _record(
                actor=actor,
                kind=ChangeKind.QUESTION_UPDATED,
                questionnaire=questionnaire,
                question=question,
                details=fields,
            )
    return question


def question_move(*, actor, question: Question, direction: str, expected_version) -> None:
    """Swap with the neighbour above ("up") or below ("down"); at the top or bottom nothing changes."""
    _require_editor(actor)
    if direction not in ("up", "down"):
        raise ValidationFailed("Kies omhoog of omlaag.")
    questionnaire = question.questionnaire
    with transaction.atomic():
        _claim(actor=actor, questionnaire=questionnaire, expected_version=expected_version)
        siblings = questionnaire.questions.order_by("order")
        neighbour = (
            siblings.filter(order__lt=question.order).order_by("-order").first()
            if direction == "up"
            else siblings.filter(order__gt=question.order).first()
        )
        if neighbour is None:
            return
        mine, theirs = question.order, neighbour.order
        # (questionnaire, order) is unique: park one row on a free number while the other moves.
        parked = (questionnaire.questions.aggregate(m=Max("order"))["m"] or 0) + 1
        Question.objects.filter(pk=question.pk).update(order=parked)
        Question.objects.filter(pk=neighbour.pk).update(order=mine)
        Question.objects.filter(pk=question.pk).update(order=theirs)
        question.order = theirs
        _record(
            actor=actor,
            kind=ChangeKind.QUESTION_MOVED,
            questionnaire=questionnaire,
            question=question,
            details={"direction": direction, "order": theirs},
        )


def question_retire(*, actor, question: Question, retire: bool, expected_version) -> None:
    """Retire ("vervallen") or bring back a question. Retired: not asked in new fill-ins; its answers stay."""
    _require_editor(actor)
    questionnaire = question.questionnaire
    with transaction.atomic():
        _claim(actor=actor, questionnaire=questionnaire, expected_version=expected_version)
        question.retired_at = timezone.now() if retire else None
        Question.objects.filter(pk=question.pk).update(retired_at=question.retired_at)
        _record(
            actor=actor,
            kind=ChangeKind.QUESTION_RETIRED if retire else ChangeKind.QUESTION_RESTORED,
            questionnaire=questionnaire,
            question=question,
        )


def question_delete(*, actor, question: Question, expected_version) -> None:
    """Only a question nobody answered; an answered one is retired instead, so its results stay."""
    _require_editor(actor)
    questionnaire = question.questionnaire
    with transaction.atomic():
        if question.answers.exists():
            raise ValidationFailed(
                "Deze vraag is al beantwoord en kan daarom niet worden verwijderd. Laat de vraag vervallen: dan "
                "wordt hij niet meer gesteld en blijven de antwoorden in de resultaten."
            )
        _claim(actor=actor, questionnaire=questionnaire, expected_version=expected_version)
        _record(
            actor=actor,
            kind=ChangeKind.QUESTION_DELETED,
            questionnaire=questionnaire,
            details={"text": question.text, "kind": question.kind},
        )
        try:
            # An answer saved between the check above and this delete: the PROTECT foreign key refuses it.
            with transaction.atomic():
                question.delete()
        except (ProtectedError, IntegrityError) as exc:
            raise ValidationFailed(
                "Deze vraag is net beantwoord en kan daarom niet meer worden verwijderd. Laat de vraag vervallen."
            ) from exc
