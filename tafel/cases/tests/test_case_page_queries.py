"""Issue 14 item 3: the case page and the API case read take at most 12 queries, whatever the case holds.

A sparse case (one melding, one person) and a rich one (many persons and organisations, joining meldingen with
proposals, a team triage, a meeting with a published plan and actions, notes, consent, an attachment, an
escalation, a restricted person, classification and role changes, a long status history) are read by the
house's procesregisseur and by a professional of a partner organisation, through a browser session verified
with the second factor (as production runs) and through the API with a token and with a session.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tafel.cases import changes
from tafel.cases.models import Case, CaseStatus, PersonRole, Theme, TriageMode, Urgency
from tafel.cases.services import (
    CriterionInput,
    PersonInput,
    TriageInput,
    aanmelding_create,
    case_add_note,
    case_transition,
    triage_decide,
)
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import aanmelding_input, make_case, make_org, make_user, screen

pytestmark = pytest.mark.django_db

# The whole request: session, the user (with organisation, roles, second factor and unread notifications), the
# case, its content, the audit record and the page's reference data. Designed constant; a change fails here.
CASE_PAGE_QUERIES = 12
API_CASE_QUERIES = 12


def _triage(case: Case, procesregisseur, team) -> Case:
    triage_decide(
        actor=procesregisseur,
        case=case,
        data=TriageInput(
            criteria=[CriterionInput(c, True, f"argument {c}") for c in "abcde"],
            outcome="zvh_com",
            mode=TriageMode.TEAM,
            team_member_ids=[u.pk for u in team],
        ),
    )
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def world(procesregisseur, professional, outsider, municipality):
    """The sparse case and the rich case, side by side in one house."""
    from tafel.lifecycle.services.escalation import escalation_start
    from tafel.meetings.tests.factories import held_meeting, join_case, publish_plan
    from tafel.privacy import services as privacy_services

    sparse = make_case(professional, municipality)

    persons = [
        PersonInput(
            first_names=f"Persoon{i}",
            last_name="Rijk",
            date_of_birth=datetime.date(1970 + i, 1 + i, 1 + i),
            gender="v" if i % 2 else "m",
            role=PersonRole.KIND if i > 1 else PersonRole.PLEGER,
        )
        for i in range(6)
    ]
    rich = make_case(professional, municipality, persons=persons)
    second = make_user(procesregisseur.organisation, Role.PROCESREGISSEUR, username="tweede")
    rich = _triage(rich, procesregisseur, [procesregisseur, second])
    Case.objects.filter(pk=rich.pk).update(procesregisseur=procesregisseur)
    rich.refresh_from_db()
    for i in range(4):
        join_case(rich, make_org(f"Partner {i}", OrganisationType.ZORG), procesregisseur)
    join_case(rich, outsider.organisation, procesregisseur)
    meeting, _discussion = held_meeting(procesregisseur, rich, invite=[professional])
    publish_plan(procesregisseur, rich, meeting, owner=professional, actions=("Huisbezoek", "Gesprek", "Schuldhulp"))
    # Joining meldingen from the partner: more aanmeldingen, persons and proposals.
    first = rich.case_persons.order_by("id").first().person
    screen(outsider, first)
    for i in range(3):
        aanmelding_create(
            actor=outsider,
            data=aanmelding_input(
                municipality,
                persons=[
                    PersonInput(existing_person_id=first.pk, role=PersonRole.PLEGER),
                    PersonInput(first_names=f"Kind{i}", last_name="Rijk", role=PersonRole.KIND),
                ],
                theme=Theme.OVERLAST,
                urgency=Urgency.HOOG,
                predictive_factors=["middelen"],
            ),
        )
    rich.refresh_from_db()
    for i in range(12):
        case_add_note(actor=procesregisseur if i % 2 else professional, case=rich, text=f"Notitie {i}.")
    # Notes the item rules judge one by one (shares, restrictions, consent and the reglement).
    for category in ("medisch", "politie_onderzoek", "justitieel", "jeugd"):
        case_add_note(actor=professional, case=rich, text=f"Notitie {category}.", category=category)
    shared = case_add_note(actor=professional, case=rich, text="Gedeeld onderzoek.", category="politie_onderzoek")
    from django.utils import timezone

    from tafel.privacy.models import ItemRestriction, Share

    Share.objects.create(
        case=rich,
        item_type="cases.casenote",
        item_id=shared.pk,
        from_org=professional.organisation,
        to_org=procesregisseur.organisation,
        reason="dreiging",
        explanation="Ernstige dreiging.",
        shared_by=professional,
        shared_at=timezone.now(),
    )
    own = case_add_note(actor=outsider, case=rich, text="Alleen voor de GGZ.", category="politie_onderzoek")
    ItemRestriction.objects.create(
        case=rich, item_type="cases.casenote", item_id=own.pk, scope="own", set_by=outsider, set_at=timezone.now()
    )
    for i in range(4):
        case_transition(actor=procesregisseur, case=rich, to_status=CaseStatus.VOLGEN, reason=f"Rustig {i}.")
        case_transition(actor=procesregisseur, case=rich, to_status=CaseStatus.ACTIEF, reason=f"Zorgen {i}.")
    rich.refresh_from_db()
    changes.case_classification_update(
        actor=procesregisseur, case=rich, urgency=Urgency.ACUUT, theme=None, reason="Escalatie thuis."
    )
    links = list(rich.case_persons.order_by("id"))
    changes.case_person_role_set(
        actor=procesregisseur, case=rich, person_id=links[2].person_id, role=PersonRole.SLACHTOFFER, reason="Gezien."
    )
    rich.refresh_from_db()
    privacy_services.consent_record(
        actor=procesregisseur,
        case=rich,
        person=first,
        purpose="casusoverleg",
        given_on=datetime.date(2026, 1, 5),
        form="written",
    )
    privacy_services.attachment_add(
        actor=professional,
        case=rich,
        title="Proces-verbaal",
        uploaded=SimpleUploadedFile("pv.txt", b"Tekst.\n", content_type="text/plain"),
        category="algemeen",
    )
    escalation_start(actor=professional, case=rich, reason="Hulp komt niet van de grond.")
    from tafel.privacy.models import Reglement

    Reglement.objects.update_or_create(
        overleg_type=meeting.overleg_type,
        defaults={"purpose": "Doel van het overleg", "legal_basis": "Convenant", "jeugd_org_types": ["zorg"]},
    )
    fg = make_user(procesregisseur.organisation, Role.FG, username="fg_rijk")
    privacy_services.person_restrict(actor=fg, person=links[3].person, restricted=True, reason="Bezwaar (AVG).")
    assert rich.case_persons.count() >= 9 and rich.aanmeldingen.count() == 4 and rich.notes.count() == 18
    assert rich.proposals.exists() and rich.status_changes.count() >= 9
    return {"sparse": sparse, "rich": rich}


def _verified_client(user, settings) -> Client:
    """A browser session that passed the second factor, as every production session has."""
    settings.TAFEL_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _count(client, url, **headers) -> tuple[int, list[str], object]:
    client.get(url, **headers)  # the first read of a session may refresh its idle clock
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], response


@pytest.mark.parametrize("kind", ["sparse", "rich"])
@pytest.mark.parametrize("actor", ["procesregisseur", "professional"])
def test_case_page_takes_at_most_12_queries_whatever_the_case_holds(request, world, settings, kind, actor):
    user = request.getfixturevalue(actor)
    case = world[kind]
    client = _verified_client(user, settings)
    count, queries, response = _count(client, reverse("cases:detail", args=[case.pk]))
    html = response.content.decode()
    assert case.reference in html
    assert count <= CASE_PAGE_QUERIES, "\n".join(q[:200] for q in queries)
    if kind == "rich":
        # What came with the case as JSON is on the page as before: triage criteria and team, the status
        # history with its actors, the classification history, the reglement and the notes the rules allow.
        for text in ("argument c", "Tweede Test", "Zorgen 3.", "Escalatie thuis.", "Gezien.", "Doel van het overleg"):
            assert text in html, text
        # The police supplied them: it sees its own; the house needs consent (medical) or a share (investigation).
        for text in ("Notitie medisch.", "Notitie politie_onderzoek."):
            assert (text in html) is (actor == "professional"), text
        assert "Gedeeld onderzoek." in html  # shared with the house; the police supplied it
        assert "Alleen voor de GGZ." not in html  # restricted to its own organisation


@pytest.mark.parametrize("kind", ["sparse", "rich"])
@pytest.mark.parametrize("actor", ["procesregisseur", "professional"])
def test_api_case_read_takes_at_most_12_queries_with_a_token(request, world, kind, actor):
    from tafel.api.tests.conftest import make_key

    user = request.getfixturevalue(actor)
    case = world[kind]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_key(user, None)}"}
    count, queries, response = _count(Client(), f"/api/v1/cases/{case.pk}", **headers)
    assert response.json()["reference"] == case.reference
    assert count <= API_CASE_QUERIES, "\n".join(q[:200] for q in queries)


@pytest.mark.parametrize("kind", ["sparse", "rich"])
def test_api_case_read_takes_at_most_12_queries_in_a_verified_session(world, settings, procesregisseur, kind):
    case = world[kind]
    client = _verified_client(procesregisseur, settings)
    count, queries, response = _count(client, f"/api/v1/cases/{case.pk}")
    assert response.json()["reference"] == case.reference
    assert count <= API_CASE_QUERIES, "\n".join(q[:200] for q in queries)


def test_rich_and_sparse_case_pages_take_the_same_number_of_queries(world, settings, procesregisseur):
    client = _verified_client(procesregisseur, settings)
    sparse, _, _ = _count(client, reverse("cases:detail", args=[world["sparse"].pk]))
    rich, _, _ = _count(client, reverse("cases:detail", args=[world["rich"].pk]))
    assert rich == sparse


# Issue 14 item 3: the page's CPU is pinned by its work, not its time. Every template Django renders for the page is
# counted: the page, base.html and four small includes; none per aanmelding shown (`{% aanmelding_content %}` writes
# what cases/_aanmelding_content.html writes, tafel/cases/templatetags/case_page.py), and none per form field, widget
# or <option> (the form renderer and `{% field %}` write those in Python). Before: about 125.
CASE_PAGE_TEMPLATES = 6
PER_AANMELDING = "cases/_aanmelding_content.html"


@pytest.mark.parametrize("actor", ["procesregisseur", "professional"])
def test_case_page_renders_a_fixed_handful_of_templates_whatever_the_case_holds(request, world, settings, actor):
    from django.test.signals import template_rendered

    client = _verified_client(request.getfixturevalue(actor), settings)
    rendered: list[str] = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        counts, pages = {}, {}
        for kind in ("sparse", "rich"):
            rendered.clear()
            _count(client, reverse("cases:detail", args=[world[kind].pk]))
            rendered.clear()  # _count reads the page twice; count the second read alone
            response = client.get(reverse("cases:detail", args=[world[kind].pk]))
            assert response.status_code == 200
            counts[kind] = list(rendered)
            pages[kind] = response.content.decode()
    finally:
        template_rendered.disconnect(record)
    for kind, names in counts.items():
        assert not [n for n in names if n.startswith("django/forms/")], (kind, names)
        assert "tafel/_field.html" not in names, (kind, names)
        assert len(names) <= CASE_PAGE_TEMPLATES, (kind, sorted(names))
        assert PER_AANMELDING not in names, (kind, sorted(names))
    # The rich case's aanmeldingen are shown all the same, content and all (reason and summary at least).
    shown = pages["rich"].count("tafel-details--card")
    assert 1 <= shown <= world["rich"].aanmeldingen.count()
    assert pages["rich"].count('<div class="tafel-text">') >= 2 * shown
