"""The police check before the meeting (SPEC §4.2 "Police DIK check of persons on the agenda"; issue 11 item 7).

Putting a case on an agenda gives the police organisation taking part in it one task per person of the case.
The police answer with dat-informatie (known / not known) and attention points for the table — never the
police file (SPEC §3.2: "whether", not "what"). The answers are for the police organisation itself and for
whoever plans or chairs the meeting; the chair sees per person whether the check is done. The shape follows
the Veilig Thuis enrichment request (`lifecycle.EnrichmentRequest`): a known/not-known answer plus a short
note, one row per question."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tafel.access import policy
from tafel.cases import access as case_access
from tafel.core.audit import audit
from tafel.core.dates import nl_date
from tafel.core.errors import NotFound, TransitionNotAllowed
from tafel.meetings.audit_events import MeetingEvent
from tafel.organisations.models import OrganisationType

from ..access import may_plan_meetings, may_run_meeting
from ..models import AgendaItem, Meeting, MeetingStatus, PoliceCheck
from ._common import clean, fail

ATTENTION_MAX = 500
NOT_FOUND = "Deze DIK-check bestaat niet of is niet voor uw organisatie."


def police_checks_request(*, actor, agenda_item: AgendaItem, now=None) -> list[PoliceCheck]:
    """One open check per person of the case for every police organisation that takes part in it as a
    partner; nothing when none does. Idempotent (a person added later gets a check when this runs again).
    Call inside the transaction that puts the case on the agenda."""
    from tafel.cases.models import CaseOrganisation, CasePerson
    from tafel.core.notifications import NotificationKind, notify

    now = now or timezone.now()
    case = agenda_item.case
    police = list(
        CaseOrganisation.objects.filter(
            case=case, kind=case_access.PARTNER, organisation__type=OrganisationType.POLITIE, organisation__active=True
        ).values_list("organisation_id", flat=True)
    )
    # A person whose processing is restricted (AVG art. 18) is not checked: the police may not see them.
    person_ids = list(
        CasePerson.objects.filter(case=case, person__processing_restricted=False)
        .order_by("id")
        .values_list("person_id", flat=True)
    )
    if not police or not person_ids:
        return []
    existing = set(PoliceCheck.objects.filter(agenda_item=agenda_item).values_list("person_id", "organisation_id"))
    new = [
        PoliceCheck(agenda_item=agenda_item, case=case, person_id=p, organisation_id=o, requested_at=now)
        for o in police
        for p in person_ids
        if (p, o) not in existing
    ]
    PoliceCheck.objects.bulk_create(new)
    if new:
        audit(
            actor=actor,
            event=MeetingEvent.POLICE_CHECK_REQUEST,
            case_id=case.pk,
            details={"meeting": agenda_item.meeting_id, "agenda_item": agenda_item.pk, "n": len(new)},
        )
        meeting = agenda_item.meeting
        when = nl_date(meeting.starts_at)
        for org_id in {c.organisation_id for c in new}:
            notify(
                _police_to_tell(case, meeting, org_id),
                case=case,
                kind=NotificationKind.ENRICHMENT,
                text=f"DIK-check gevraagd: casus {case.reference} staat op het overleg van {when}. Geef per "
                "persoon aan of hij of zij bekend is, met aandachtspunten.",
                url=reverse("meetings:my_work") + "#dik-check",
            )
    return new


def _police_to_tell(case, meeting: Meeting, org_id: int):
    """Who at the police hears of the new checks: the people who know the case — whoever submitted a melding,
    the casusregisseur, owners of its open actions, invitees of the meeting. Only when none of them works at
    that police organisation, everyone there with a case role (the task itself is on the whole
    organisation's "Mijn werk" either way), so a large force is not told of every agenda."""
    from django.db.models import Q

    from ..models import Action, ActionStatus, Invitation

    people = policy.active_users().filter(organisation_id=org_id, roles__role__in=policy.CONTENT_ROLES)
    involved = people.filter(
        Q(pk__in=case.aanmeldingen.values("created_by"))
        | Q(pk=case.casusregisseur_id or 0)
        | Q(pk__in=Action.objects.filter(case=case, status=ActionStatus.OPEN).values("owner"))
        | Q(pk__in=Action.objects.filter(case=case, status=ActionStatus.OPEN).values("co_owner"))
        | Q(pk__in=Invitation.objects.filter(meeting=meeting, user__isnull=False).values("user"))
    ).distinct()
    return list(involved) or list(people.distinct())


# --- reading and answering ------------------------------------------------------------------------------


def is_answerer(user) -> bool:
    """A professional of a police organisation with a case role: who lists and answers DIK-checks."""
    return policy.sees_case_content(user) and user.organisation.type == OrganisationType.POLITIE


def checks_for_police(*, viewer, open_only: bool = False) -> list[PoliceCheck]:
    """The viewer's organisation's checks for coming meetings (open first). Empty for anyone not of a police
    organisation with a case role. Audited as a read of each case listed."""
    from tafel.core.audit import audit_list

    if not is_answerer(viewer):
        return []
    qs = PoliceCheck.objects.filter(
        organisation_id=viewer.organisation_id,
        agenda_item__meeting__status=MeetingStatus.PLANNED,
        case__in=case_access.cases_visible_to(viewer),
    )
    if open_only:
        qs = qs.filter(answered_at__isnull=True)
    checks = list(
        qs.select_related(
            "agenda_item__meeting__overleg_type", "case", "person", "organisation", "answered_by"
        ).order_by("answered_at", "agenda_item__meeting__starts_at", "case_id", "person_id")
    )
    audit_list(actor=viewer, list_code="dik_check", case_ids=[c.case_id for c in checks], shown=len(checks))
    return checks


def police_check_get_for_user(*, user, check_id) -> PoliceCheck:
    """A check the user's police organisation must answer. Anyone else — another organisation, an account
    without a case role, a check of a case the organisation no longer takes part in — gets NotFound (404)."""
    try:
        check_id = int(check_id)
    except (TypeError, ValueError):
        raise NotFound(NOT_FOUND) from None
    check = None
    if is_answerer(user):
        check = (
            PoliceCheck.objects.filter(
                pk=check_id, organisation_id=user.organisation_id, case__in=case_access.cases_visible_to(user)
            )
            .select_related("agenda_item__meeting", "case", "person", "organisation")
            .first()
        )
    if check is None:
        policy.refuse_unseen(user, kind="police_check", object_id=check_id, action="answer", model=PoliceCheck)
        raise NotFound(NOT_FOUND)
    return check


def police_check_answer(*, actor, check: PoliceCheck, known, attention_points: str = "") -> PoliceCheck:
    """Record (or correct, until the meeting opens) the police's answer for one person."""
    if not is_answerer(actor) or actor.organisation_id != check.organisation_id:
        raise NotFound(NOT_FOUND)
    if check.agenda_item.meeting.status != MeetingStatus.PLANNED:
        raise TransitionNotAllowed("Het overleg is al begonnen; de DIK-check ligt vast.")
    if known not in (True, False):
        raise fail("Geef aan of deze persoon bij de politie bekend is.", "known")
    text = clean(attention_points)
    if len(text) > ATTENTION_MAX:
        raise fail(f"Maximaal {ATTENTION_MAX} tekens: aandachtspunten, geen dossierinhoud.", "attention_points")
    with transaction.atomic():
        check.known, check.attention_points = known, text
        check.answered_by, check.answered_at = actor, timezone.now()
        check.save(update_fields=["known", "attention_points", "answered_by", "answered_at"])
        audit(
            actor=actor,
            event=MeetingEvent.POLICE_CHECK_ANSWER,
            case_id=check.case_id,
            details={"check": check.pk, "known": known},
        )
    return check


def checks_for_meeting(*, viewer, meeting: Meeting) -> dict[int, list[PoliceCheck]]:
    """Per agenda item, the checks and whether each is done: for whoever plans or chairs the meeting. The
    caller fetched the meeting through `meeting_get_for_user`; this adds the planning check."""
    from tafel.core.errors import AccessDenied

    if not (may_plan_meetings(viewer) or may_run_meeting(viewer, meeting)):
        raise AccessDenied("Alleen de voorzitter of het huis ziet de DIK-checks van dit overleg.")
    by_item: dict[int, list[PoliceCheck]] = {}
    for check in (
        PoliceCheck.objects.filter(agenda_item__meeting=meeting)
        .select_related("agenda_item__meeting", "case", "person", "organisation", "answered_by")
        .order_by("agenda_item_id", "person_id", "organisation_id")
    ):
        by_item.setdefault(check.agenda_item_id, []).append(check)
    from tafel.core.audit import audit_list

    # The overview names the persons of each case: a read, audited per case shown.
    case_ids = [c.case_id for checks in by_item.values() for c in checks]
    audit_list(actor=viewer, list_code="dik_check", case_ids=case_ids, shown=len(case_ids))
    return by_item
