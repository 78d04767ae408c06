"""Telling a user something in the app, for every app.

The inbox itself (the Notification rows and the e-mail digest that `tick` sends) belongs to the lifecycle app,
which sits above cases and meetings; those apps notify through this door, which the lifecycle app opens at
start-up (LifecycleConfig.ready). So core imports no app and no app imports one above it
(docs/decisions/0008-dependency-layers.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import models

_sender: Callable[..., int] | None = None


class NotificationKind(models.TextChoices):
    BREACH = "breach", "Bodemeis niet nagekomen"
    RAPPEL = "rappel", "Rappeldatum"
    ACTION_DUE = "action_due", "Actie over de termijn"
    PROGRESS = "progress", "Voortgang casusregisseur"
    ESCALATION = "escalation", "Escalatie"
    ESCALATION_CLOCK = "escalation_clock", "Termijn escalatie"
    CLOSURE = "closure", "Afsluiting"
    FOLLOW_UP = "follow_up", "Volgen op afstand"
    AGENDA = "agenda", "Geagendeerd"
    ENRICHMENT = "enrichment", "Verzoek dat-informatie"
    VT = "vt", "Veilig Thuis"
    # Issue 11: partners are told.
    PROPOSAL = "proposal", "Voorstel om te beslissen"
    INVITATION = "invitation", "Uitnodiging overleg"
    INVITATION_REPLY = "invitation_reply", "Antwoord op uitnodiging"
    ACTION_ASSIGNED = "action_assigned", "Actie toegewezen"
    CASUSREGISSEUR = "casusregisseur", "Benoemd tot casusregisseur"
    PLAN_PUBLISHED = "plan_published", "Plan van aanpak gepubliceerd"
    VERSLAG = "verslag", "Verslag verstuurd"


def register_sender(sender: Callable[..., int]) -> None:
    """The inbox app hands over the function that stores notifications (one app does, once)."""
    global _sender  # noqa: PLW0603 - filled once at start-up, read ever after
    _sender = sender


def notify(users: Iterable, *, case, kind: str, text: str, url: str = "") -> int:
    """One in-app notification per distinct active user; returns how many were stored."""
    if _sender is None:
        raise ImproperlyConfigured("No app stores notifications: is tafel.lifecycle in INSTALLED_APPS?")
    return _sender(users, case=case, kind=kind, text=text, url=url)
