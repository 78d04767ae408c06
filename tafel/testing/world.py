"""One small, complete house for the cross-cutting tests (authorization matrix, audit-on-read, hypothesis):
a running case with a meeting, a published plan, a verslag, notes, consent and an attachment, and the actor
kinds of issue 4. Built through the services, as users build it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tafel.cases.services import case_add_note
from tafel.meetings import services as meeting_services
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import make_municipality, make_org, make_user

# The actor kinds of issue 4, plus the FG and the beheerder for the privacy pages; issue 10 adds a reporter-only
# organisation without a convenant (it submitted a melding about the case and takes part as `melder` only) and
# the family: a member of the family whose plan is written in plain language, with an account but no
# organisation and no role (Tafel gives families no login; should one ever exist, it must reach nothing).
ACTORS = (
    "regisseur",
    "member",
    "partner",
    "nonconvenant",
    "analyst",
    "anonymous",
    "fg",
    "beheerder",
    "reporter",
    "family",
)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objs: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objs[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world() -> World:
    from tafel.meetings.tests.factories import held_meeting, join_case, publish_plan, triaged
    from tafel.testing import make_case

    w = World()
    house = make_org("ZVH Matrix", OrganisationType.ZVH)
    police = make_org("Politie Matrix", OrganisationType.POLITIE)
    ggz = make_org("GGZ Matrix", OrganisationType.GGZ)
    shelter = make_org("Opvang zonder convenant", OrganisationType.ZORG, convenant=False)
    gemeente = make_org("Gemeente Matrix", OrganisationType.GEMEENTE)
    school = make_org("School zonder convenant", OrganisationType.ZORG, convenant=False)
    municipality = make_municipality("Matrixdorp")
    w.users = {
        "regisseur": make_user(house, Role.PROCESREGISSEUR, username="m_regisseur"),
        "member": make_user(police, Role.PROFESSIONAL, Role.AANMELDER, username="m_member"),
        "partner": make_user(ggz, Role.PROFESSIONAL, Role.AANMELDER, username="m_partner"),
        "nonconvenant": make_user(shelter, Role.PROFESSIONAL, Role.AANMELDER, username="m_nonconv"),
        "analyst": make_user(gemeente, Role.ANALIST, username="m_analyst"),
        "anonymous": None,
        "fg": make_user(house, Role.FG, username="m_fg"),
        "beheerder": make_user(house, Role.BEHEERDER, username="m_beheer", is_staff=True),
        "reporter": make_user(school, Role.PROFESSIONAL, Role.AANMELDER, username="m_reporter"),
        "family": _family_member(),
    }
    reg, member = w.users["regisseur"], w.users["member"]
    case = triaged(make_case(member, municipality), reg)
    join_case(case, shelter, reg)
    meeting, discussion = held_meeting(reg, case, invite=[member])
    item = meeting.agenda_items.get()
    update = meeting_services.pre_meeting_update_submit(
        actor=member, agenda_item=item, current_situation="Situatie volgens de politie."
    )
    plan = publish_plan(reg, case, meeting, owner=member, guard=member).plan
    action = plan.actions.first()
    verslag = meeting_services.verslag_generate(actor=reg, meeting=meeting)
    note = case_add_note(actor=member, case=case, text="Notitie van de politie.")
    aanmelding = case.aanmeldingen.first()
    person = case.case_persons.first().person
    from tafel.privacy import services as privacy_services

    consent = privacy_services.consent_record(
        actor=reg, case=case, person=person, purpose="casusoverleg", given_on=datetime.date(2026, 1, 5), form="written"
    )
    attachment = privacy_services.attachment_add(
        actor=member,
        case=case,
        title="Proces-verbaal",
        uploaded=SimpleUploadedFile("pv.txt", b"Tekst van het proces-verbaal.\n", content_type="text/plain"),
        category="algemeen",
    )
    invitation = meeting.invitations.filter(user=member).first()
    # The school reported the family too: a reporter-only participation, as a melding from outside the
    # convenant leaves it (issue 10, finding 4).
    from tafel.cases.models import CaseOrganisation, ParticipationKind
    from tafel.cases.partners import partner_count_refresh

    CaseOrganisation.objects.create(
        case=case, organisation=school, kind=ParticipationKind.REPORTER, reason="aanmelder", added_at=case.created_at
    )
    partner_count_refresh(case.pk)  # written behind the services' back: the stored count follows
    w.objs = dict(
        house=house,
        police=police,
        ggz=ggz,
        shelter=shelter,
        school=school,
        municipality=municipality,
        case=case,
        meeting=meeting,
        item=item,
        discussion=discussion,
        update=update,
        plan=plan,
        action=action,
        verslag=verslag,
        section=verslag.sections.first(),
        note=note,
        aanmelding=aanmelding,
        person=person,
        consent=consent,
        attachment=attachment,
        invitation=invitation,
        overleg_type=meeting.overleg_type,
    )
    return w


def _family_member():
    from tafel.organisations.models import User

    return User.objects.create_user(username="m_family", password="testpass-Tafel-2026", first_name="Gezin")


def client_for(w: World, actor: str) -> Client:
    client = Client()
    user = w.users[actor]
    if user is not None:
        client.force_login(user)
    return client


def token_for(w: World, actor: str) -> str | None:
    from tafel.api.models import SCOPES
    from tafel.api.services import api_token_create
    from tafel.core.errors import ValidationFailed

    user = w.users[actor]
    if user is None:
        return None
    try:
        return api_token_create(actor=None, user=user, name="matrix", scopes=list(SCOPES), days=30).key
    except ValidationFailed:
        # No token for an account without an organisation (the family member): it calls the API without one.
        return None
