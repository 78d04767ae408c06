"""Authorization matrix entries for casusevaluaties and verbeteracties (see tafel.testing.matrix for the format).
The World has no evaluation: the `kwargs` callables make one through the services (inside the savepoint the
matrix rolls back after every request), with a lesson and an improvement action owned by the police member."""

from __future__ import annotations

import datetime

ACTORS = ("regisseur", "member", "partner", "nonconvenant", "analyst", "anonymous", "fg", "beheerder")


def _world(w) -> dict:
    from django.utils import timezone

    from tafel.evaluations import services

    reg = w.users["regisseur"]
    evaluation = services.evaluation_create(actor=reg, case=w.case)
    lesson = services.lesson_add(actor=reg, evaluation=evaluation, text="Eerder samen de veiligheid duiden.")
    action = services.improvement_action_add(
        actor=reg,
        lesson=lesson,
        text="Actieoverleg organiseren",
        owner_id=w.users["member"].pk,
        due_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    return {
        "evaluation_id": evaluation.pk,
        "moment_id": evaluation.moments.first().pk,
        "lesson_id": lesson.pk,
        "improvement_id": action.pk,
    }


def _kw(*names):
    def build(w):
        ids = _world(w)
        return {name: ids[name] for name in names}

    return build


def _expect(regisseur, member, partner, nonconvenant, analyst, anonymous, fg, beheerder) -> dict:
    return dict(zip(ACTORS, (regisseur, member, partner, nonconvenant, analyst, anonymous, fg, beheerder), strict=True))


# Pages: GET → the case's participants read (200), outsiders 404, roles without case content 404.
READ_PAGE = _expect(200, 200, 404, 200, 404, 302, 404, 404)
EDIT_PAGE = _expect(200, 403, 404, 403, 404, 302, 404, 404)
API_READ = _expect(200, 200, 404, 200, 404, 401, 404, 404)

ENTRIES = {
    "evaluations:list": {"expect": READ_PAGE},
    "evaluations:new": {"expect": EDIT_PAGE},
    "evaluations:detail": {"kwargs": _kw("evaluation_id"), "expect": READ_PAGE},
    "evaluations:pdf": {"kwargs": _kw("evaluation_id"), "expect": READ_PAGE},
    "evaluations:interview": {"kwargs": _kw("evaluation_id"), "expect": EDIT_PAGE},
    # An empty title: the regisseur gets the page back with the message at the field.
    "evaluations:action": {
        "method": "post",
        "kwargs": lambda w: {"evaluation_id": _world(w)["evaluation_id"], "action": "titel"},
        "expect": EDIT_PAGE,
    },
    "evaluations:overview": {
        "kwargs": lambda w: (_world(w), {})[1],
        "expect": _expect(200, 200, 200, 200, 403, 302, 403, 403),
    },
    "evaluations:overview_csv": {
        "kwargs": lambda w: (_world(w), {})[1],
        "expect": _expect(200, 200, 200, 200, 403, 302, 403, 403),
    },
    "evaluations:improvement": {"kwargs": _kw("improvement_id"), "expect": READ_PAGE},
    "api:evaluation_list": {"expect": API_READ},
    "api:evaluation_candidates": {"expect": _expect(200, 403, 404, 403, 404, 401, 404, 404)},
    "api:evaluation_create": {"body": "{}", "expect": _expect(201, 403, 404, 403, 404, 401, 404, 404)},
    "api:evaluation_get": {"kwargs": _kw("evaluation_id"), "expect": API_READ},
    "api:evaluation_update": {
        "kwargs": _kw("evaluation_id"),
        "body": '{"title": "Nieuwe titel", "version": 1}',
        "expect": _expect(200, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:evaluation_finalise": {
        "kwargs": _kw("evaluation_id"),
        "body": '{"version": 1}',
        "expect": _expect(200, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:evaluation_reopen": {
        "kwargs": _kw("evaluation_id"),
        "body": '{"version": 1, "reason": "Nog een interview"}',
        "expect": _expect(409, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:evaluation_moment_add": {
        "kwargs": _kw("evaluation_id"),
        "body": '{"date": "2026-01-05", "description": "Vader belt de politie"}',
        "expect": _expect(201, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:evaluation_moment_update": {
        "kwargs": _kw("evaluation_id", "moment_id"),
        "body": '{"version": 1, "went_well": "Snel overleg"}',
        "expect": _expect(200, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:evaluation_lesson_add": {
        "kwargs": _kw("evaluation_id"),
        "body": '{"text": "Vroeg een actieoverleg"}',
        "expect": _expect(201, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:evaluation_lesson_update": {
        "kwargs": _kw("evaluation_id", "lesson_id"),
        "body": '{"text": "Vroeg een actieoverleg", "version": 1}',
        "expect": _expect(200, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:evaluation_improvement_action_add": {
        "kwargs": _kw("evaluation_id", "lesson_id"),
        "body": '{"text": "Overleg", "owner_id": 999999, "due_date": "2099-01-01"}',
        "expect": _expect(400, 403, 404, 403, 404, 401, 404, 404),
    },
    "api:improvement_action_list": {
        "kwargs": lambda w: (_world(w), {})[1],
        "expect": _expect(200, 200, 200, 200, 403, 401, 403, 403),
    },
    # The owner (police member) and the regisseur report on the action; other readers of the case get 403.
    "api:improvement_action_update": {
        "kwargs": _kw("improvement_id"),
        "body": '{"version": 1, "status": "done", "result": "Gehouden"}',
        "expect": _expect(200, 200, 404, 403, 404, 401, 404, 404),
    },
}
