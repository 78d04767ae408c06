"""What apps above core hand to core, so that core imports no app (docs/decisions/0008-dependency-layers.md).

An app fills these in its `AppConfig.ready()`; core only reads them. Each hook is a plain list or table, filled
once at start-up, in INSTALLED_APPS order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.exceptions import ImproperlyConfigured

# Extra context for the login page: the identity providers (integrations) and, in the demo, the demo
# accounts (tafel.demo). Each provider is called per request and returns a dict merged into the context.
_login_context: list[Callable[[], dict]] = []


def register_login_context(provider: Callable[[], dict]) -> None:
    if provider not in _login_context:
        _login_context.append(provider)


def login_context() -> dict:
    context: dict = {}
    for provider in _login_context:
        context.update(provider())
    return context


# Extra context for the screening answer at intake (the candidates for one typed person): the federation
# app adds whether the other houses will be asked. Each provider gets the typed name parts and whether a
# search ran, and returns a dict merged into the fragment's context.
_screening_context: list[Callable[..., dict]] = []


def register_screening_context(provider: Callable[..., dict]) -> None:
    if provider not in _screening_context:
        _screening_context.append(provider)


def screening_context(*, query, searched: bool) -> dict:
    context: dict = {}
    for provider in _screening_context:
        context.update(provider(query=query, searched=searched))
    return context


# The audit event types. Each app declares its own in `<app>/audit_events.py` (an IntegerChoices class) and
# registers it here, with the NEN 7513 action code (C, R, U, D or E; U when not given) and the purpose of use
# (`core.models.AuditPurpose`; casusregie when not given) of its types. `AuditEvent.event_type` takes its
# choices from `audit_event_choices`, so a new type needs no migration of core. A number or a name that
# another class registered is refused: the numbers are stored in the audit rows and their hash chain.
ACTION_CODES = frozenset("CRUDE")
_audit_types: dict[int, object] = {}
_audit_names: dict[str, object] = {}
_audit_actions: dict[int, str] = {}
_audit_purposes: dict[int, str] = {}


def register_audit_event_types(
    choices_cls,
    *,
    purpose: str | None = None,
    purposes: Mapping[int, str] | None = None,
    actions: Mapping[int, str] | None = None,
) -> None:
    """Register an app's audit event types. `purpose` is the default purpose of use of all of them,
    `purposes` the exceptions; `actions` gives each type's NEN 7513 action code where it is not U (update).
    Registering the same class again changes nothing."""
    purposes = dict(purposes or {})
    actions = dict(actions or {})
    members = list(choices_cls)
    for member in members:
        for table, key in ((_audit_types, int(member)), (_audit_names, member.name)):
            other = table.get(key)
            if other is not None and type(other) is not choices_cls:
                raise ImproperlyConfigured(
                    f"Audit event type {choices_cls.__qualname__}.{member.name} ({int(member)}): "
                    f"{key!r} is already registered by {type(other).__module__}.{type(other).__qualname__}."
                )
    for key in (*purposes, *actions):
        if key not in members:
            raise ImproperlyConfigured(f"{key!r} is not a member of {choices_cls.__qualname__}.")
    bad = {code for code in actions.values() if code not in ACTION_CODES}
    if bad:
        raise ImproperlyConfigured(f"Unknown NEN 7513 action code(s) {sorted(bad)} for {choices_cls.__qualname__}.")
    for member in members:
        _audit_types[int(member)] = member
        _audit_names[member.name] = member
        _audit_actions[int(member)] = actions.get(member, "U")
        member_purpose = purposes.get(member, purpose)
        if member_purpose:
            _audit_purposes[int(member)] = str(member_purpose)


def audit_event_choices() -> list[tuple[int, object]]:
    """All registered audit event types as choices, by number (`AuditEvent.event_type`, filters)."""
    return [(number, _audit_types[number]._label_) for number in sorted(_audit_types)]


def audit_event_type(number: int):
    """The registered member for a number (its `.name` and `.label`), or None."""
    return _audit_types.get(int(number))


def audit_event_label(number: int) -> str:
    """The label of a type in the active language; the number itself for a type no app registers (any more)."""
    member = _audit_types.get(int(number))
    return str(member.label) if member is not None else str(number)


def audit_event_action(number: int) -> str:
    """The NEN 7513 EventActionCode of a type: C create, R read, U update, D delete, E execute."""
    return _audit_actions.get(int(number), "U")


def audit_event_purpose(number: int) -> str | None:
    """The purpose of use an app registered for a type, or None (core's `default_purpose` decides)."""
    return _audit_purposes.get(int(number))


# Listeners told of every audit event written, as (event type, case ids, person ids), inside the writing
# transaction: the monitor marks its stored figures of the quarters a changed case lived in as stale
# (tafel.reports.stored). Every write goes through a service that audits it (STYLE.md, Audit), so the audit
# log is the one place that sees them all. A listener must be cheap and must not write in the transaction.
_audit_listeners: list[Callable[[int, tuple, tuple], None]] = []


def register_audit_listener(listener: Callable[[int, tuple, tuple], None]) -> None:
    if listener not in _audit_listeners:
        _audit_listeners.append(listener)


def audit_written(event: int, case_ids: tuple, person_ids: tuple) -> None:
    for listener in _audit_listeners:
        listener(event, case_ids, person_ids)
