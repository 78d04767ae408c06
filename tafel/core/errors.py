"""The one small hierarchy of domain errors. Views turn them into a message, the API into a 4xx body."""

from __future__ import annotations


class TafelError(Exception):
    """Base of every domain error; `code` is the machine-readable name the API returns."""

    code = "tafel_error"
    status = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}

    def as_dict(self) -> dict:
        body: dict = {"code": self.code, "detail": self.message}
        if self.field_errors:
            body["errors"] = [
                {"field": field, "message": msg} for field, msgs in self.field_errors.items() for msg in msgs
            ]
        return body


class ValidationFailed(TafelError):
    code = "validation_failed"
    status = 422


class TransitionNotAllowed(TafelError):
    code = "transition_not_allowed"
    status = 409


class ConcurrentEdit(TafelError):
    code = "concurrent_edit"
    status = 409


class CaseloadFull(TafelError):
    code = "caseload_full"
    status = 409


class AccessDenied(TafelError):
    """Visible, but this action is not allowed (403)."""

    code = "access_denied"
    status = 403


class NotFound(TafelError):
    """Not there, or not visible to this user: the two are indistinguishable on purpose (404)."""

    code = "not_found"
    status = 404
