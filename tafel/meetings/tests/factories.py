"""Builders for meeting tests. Meetings, invitations and plans are made through the services, as a user
makes them; only history that is slow to make that way (the query-count pin) is written directly."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tafel.cases.models import Case, CaseStatus, PersonRole, Phase
from tafel.cases.services import PersonInput, case_add_organisation, case_transition
from tafel.meetings import services
from tafel.meetings.models import ActionType, Meeting, OverlegType
from tafel.organisations.models import Organisation, OrganisationType, Role
from tafel.testing import make_case, make_org, make_user


def overleg_type(code: str = "com") -> OverlegType:
    return OverlegType.objects.get(code=code)


def triaged(case: Case, actor) -> Case:
    """A case accepted for the ZVH-aanpak, in phase directe veiligheid (as triage leaves it)."""
    case_transition(actor=actor, case=case, to_status=CaseStatus.ACTIEF, reason="ZVH-aanpak: Casus-op-Maat")
    Case.objects.filter(pk=case.pk).update(phase=Phase.DIRECTE_VEILIGHEID, procesregisseur=actor)
    case.refresh_from_db()
    return case


def family_case(professional, municipality, procesregisseur) -> Case:
    """A case with a perpetrator and a victim (for the stalking rule)."""
    case = make_case(
        professional,
        municipality,
        persons=[
            PersonInput(
                first_names="Karel",
                last_name="Vos",
                date_of_birth=datetime.date(1979, 5, 2),
                gender="m",
                role=PersonRole.PLEGER,
            ),
            PersonInput(
                first_names="Sanne",
                last_name="Vos",
                date_of_birth=datetime.date(1984, 8, 19),
                gender="v",
                role=PersonRole.SLACHTOFFER,
            ),
        ],
    )
    return triaged(case, procesregisseur)


def join_case(case: Case, org: Organisation, procesregisseur) -> None:
    case_add_organisation(actor=procesregisseur, case=case, organisation=org, reason="nodig voor de aanpak")


def om_user(case: Case, procesregisseur):
    om = make_org("Openbaar Ministerie Test", OrganisationType.OM)
    join_case(case, om, procesregisseur)
    return make_user(om, Role.PROFESSIONAL, username="officier")


def plan_meeting(procesregisseur, *, code: str = "com", days: int = 10, cases=()) -> Meeting:
    meeting = services.meeting_plan(
        actor=procesregisseur,
        overleg_type=overleg_type(code),
        starts_at=timezone.now() + datetime.timedelta(days=days),
        place="Zorg- en Veiligheidshuis, zaal 2",
    )
    for case in cases:
        services.agenda_add_case(actor=procesregisseur, meeting=meeting, case=case)
    return meeting


def held_meeting(procesregisseur, case, *, invite=(), days: int = 1) -> tuple[Meeting, object]:
    """A meeting about `case`, opened by the chair, with the discussion started."""
    meeting = plan_meeting(procesregisseur, cases=[case], days=days)
    for user in invite:
        services.invitation_add(actor=procesregisseur, meeting=meeting, user=user)
    services.meeting_open(actor=procesregisseur, meeting=meeting)
    item = meeting.agenda_items.get()
    discussion = services.discussion_start(actor=procesregisseur, agenda_item=item)
    return meeting, discussion


def publish_plan(procesregisseur, case, meeting, *, owner, actions=("Huisbezoek afleggen",), guard=None):
    plan = services.plan_start(actor=procesregisseur, case=case, meeting=meeting)
    services.plan_update(
        actor=procesregisseur,
        plan=plan,
        data={
            "goals": "Moeder en kinderen zijn thuis veilig.",
            "casusregisseur": owner.pk,
            "next_meeting_date": (timezone.localdate() + datetime.timedelta(days=42)).isoformat(),
        },
    )
    existing = {a.what for a in plan.actions.all()}
    for what in actions:
        if what in existing:
            continue
        services.plan_action_add(
            actor=procesregisseur,
            plan=plan,
            data=services.ActionInput(
                what=what,
                type=ActionType.TOWARDS_FAMILY,
                owner=owner.pk,
                deadline=timezone.localdate() + datetime.timedelta(days=14),
                rationale="Zicht op de veiligheid thuis.",
            ),
        )
    if guard is not None and not plan.bodemeisen.exists():
        services.bodemeis_add(
            actor=procesregisseur,
            plan=plan,
            text="Geen geweld in het bijzijn van de kinderen.",
            guard=guard.pk,
            if_broken="Veilig Thuis en politie overleggen dezelfde dag over een huisverbod.",
        )
    plan.refresh_from_db()
    # Plans built for tests may lack a criterion (no actions, say); publishing them then needs a reason.
    return services.plan_publish(actor=procesregisseur, plan=plan, quality_reason="Testplan.")
