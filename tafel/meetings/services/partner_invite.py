"""Inviting someone whose organisation does not yet take part in the case (issue 11 item 6): the planner adds
the organisation to the case with a reason (the house's own rule, `case_add_organisation`), then invites, in
one transaction — so either both happen or neither."""

from __future__ import annotations

from django.db import transaction

from tafel.access import policy
from tafel.cases.services import case_add_organisation
from tafel.core.errors import ValidationFailed

from ..models import AgendaItem, Meeting
from .planning import invitation_add


def invitable_outsiders():
    """Active people with a case role outside the house: who the form offers. Names of professionals and their
    organisation, no case content."""
    from tafel.organisations.models import OrganisationType

    return (
        policy.active_users()
        .filter(roles__role__in=policy.CONTENT_ROLES)
        .exclude(organisation__type=OrganisationType.ZVH)
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "first_name", "last_name", "pk")
    )


def invitation_add_with_organisation(*, actor, meeting: Meeting, agenda_item: AgendaItem, user_id, reason: str):
    """Add the user's organisation to the agenda item's case as a partner (when it is not one yet), then invite
    the user for that agenda item. Returns the invitation result of `invitation_add`."""
    if agenda_item is None or agenda_item.meeting_id != meeting.pk:
        raise ValidationFailed("Kies de casus.", field_errors={"agenda_item": ["Kies een casus van deze agenda."]})
    try:
        user = invitable_outsiders().filter(pk=int(user_id)).first()
    except (TypeError, ValueError):
        user = None
    if user is None:
        raise ValidationFailed("Kies wie u uitnodigt.", field_errors={"user": ["Kies een medewerker uit de lijst."]})
    with transaction.atomic():
        case_add_organisation(actor=actor, case=agenda_item.case, organisation=user.organisation, reason=reason)
        return invitation_add(actor=actor, meeting=meeting, user=user.pk, agenda_item=agenda_item)
