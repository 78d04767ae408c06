"""What apps above core hand to core, so that core imports no app (docs/decisions/0008-dependency-layers.md).

An app fills these in its `AppConfig.ready()`; core only reads them. Each hook is a plain list, filled once at
start-up, in INSTALLED_APPS order.
"""

from __future__ import annotations

from collections.abc import Callable

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
