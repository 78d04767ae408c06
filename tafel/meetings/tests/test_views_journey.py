"""The journey of the issue's browser test, driven through the real pages with Django's test client.

Note: the Chromium (Playwright) browser test of issue 3 is NOT written yet. It belongs in tests/e2e/ beside
the foundation's browser tests and should follow exactly the steps below through the same URLs (forms work
without JavaScript; only the print button of the family view uses tafel/meetings/static/meetings/meetings.js).
This server-side test covers the same steps: plan a COM for a triaged case, invite three named people, a
pre-meeting update, the guide in phase directe veiligheid with two scale scores with rationale, one bodemeis
with a guard, three actions of different types, publish, the verslag PDF and the family view in plain
language."""

import datetime
import re

from django.core import mail
from django.test import Client
from django.utils import timezone

from tafel.meetings import services
from tafel.meetings.models import (
    Action,
    ActionType,
    CaseDiscussion,
    Invitation,
    Meeting,
    Plan,
    PreMeetingUpdate,
    ScaleScore,
)
from tafel.organisations.models import Role
from tafel.testing import make_user

from .factories import join_case, overleg_type, plan_meeting, triaged


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ok(response, status=302):
    assert response.status_code == status, (response.status_code, response.content[:2000])
    return response


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)


def _csp_clean(response) -> None:
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), "inline script breaks the strict CSP"
    assert not INLINE_STYLE.search(html), "inline style breaks the strict CSP"


def test_procesregisseur_plans_and_holds_a_com_through_the_pages(
    procesregisseur, professional, police, ggz, case, django_capture_on_commit_callbacks
):
    case = triaged(case, procesregisseur)
    join_case(case, ggz, procesregisseur)
    behandelaar = make_user(ggz, Role.PROFESSIONAL, username="behandelaar", first_name="Bea")
    wijkagent = make_user(police, Role.PROFESSIONAL, username="wijkagent", first_name="Wim")
    regie = _client(procesregisseur)

    # Plan a COM.
    day = timezone.localdate() + datetime.timedelta(days=10)
    _csp_clean(_ok(regie.get("/overleggen/nieuw/"), 200))
    response = _ok(
        regie.post(
            "/overleggen/nieuw/",
            {
                "overleg_type": overleg_type("com").pk,
                "date": day.isoformat(),
                "time": "10:00",
                "place": "ZVH zaal 1",
                "chair": "",
            },
        )
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/overleggen/{meeting.pk}/"
    _ok(regie.post(f"/overleggen/{meeting.pk}/agenda/", {"case": case.pk}))
    item = meeting.agenda_items.get()

    # Invite three named people; the proposal lists who knows the client first.
    page = _ok(regie.get(f"/overleggen/{meeting.pk}/"), 200)
    _csp_clean(page)
    assert "meldde de casus aan" in page.content.decode()
    for user in (professional, behandelaar, wijkagent):
        _ok(regie.post(f"/overleggen/{meeting.pk}/uitnodigen/", {"user": user.pk, "agenda_item": ""}))
    assert Invitation.objects.filter(meeting=meeting, is_client=False).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        _ok(regie.post(f"/overleggen/{meeting.pk}/versturen/", {"text": "Beste {naam},\n{agenda}"}))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in (professional, behandelaar, wijkagent))

    # One professional submits a pre-meeting update.
    agent = _client(professional)
    _csp_clean(_ok(agent.get(f"/overleggen/agendapunt/{item.pk}/update/"), 200))
    _ok(agent.post(f"/overleggen/agendapunt/{item.pk}/update/", {"current_situation": "Vader is weer thuis."}))
    assert PreMeetingUpdate.objects.get().created_by == professional

    # The meeting is held with the guide in phase directe veiligheid.
    _ok(regie.post(f"/overleggen/{meeting.pk}/openen/", {"privacy_text": "Wat hier gezegd wordt, blijft hier."}))
    _ok(
        regie.post(
            f"/overleggen/agendapunt/{item.pk}/leidraad/",
            {
                "step": "start",
                "parts": ["vooraf", "beeldvorming", "schaalvraag", "oordeelsvorming", "besluitvorming", "samenwerking"],
            },
        )
    )
    discussion = CaseDiscussion.objects.get()
    assert discussion.phase == "directe_veiligheid"
    guide = _ok(regie.get(f"/overleggen/agendapunt/{item.pk}/leidraad/"), 200)
    _csp_clean(guide)
    html = guide.content.decode()
    assert "Vader is weer thuis." in html  # the update, merged at the start of beeldvorming
    assert "Top 3 geweldsincidenten: eerste, ergste en laatste" in html
    # Each part of the guide saves on its own, with its own version.
    for part, fields in (
        ("beeldvorming", {"worries": "Moeder is bang.", "incident_worst": "Wurging in maart."}),
        (
            "besluitvorming",
            {"short_0_option": "Huisverbod", "short_0_term": "short", "risk_0_text": "Alcohol", "risk_0_top": "on"},
        ),
    ):
        _ok(
            regie.post(
                f"/overleggen/agendapunt/{item.pk}/leidraad/",
                {"step": "part", "part": part, "version": 0, **fields},
            )
        )
    discussion.refresh_from_db()
    assert discussion.incident_worst == "Wurging in maart."
    assert discussion.shortlist == [
        {"option": "Huisverbod", "client_priority": None, "expert_view": "", "belastbaarheid": "", "term": "short"}
    ]
    # Risk tags belong to risicogestuurde zorg: not on this phase's page, so nothing is written.
    assert discussion.risks == []
    for user, score in ((professional, 3), (behandelaar, 4)):
        _ok(
            regie.post(
                f"/overleggen/agendapunt/{item.pk}/schaal/",
                {"who": f"u{user.pk}", "score": score, "rationale": f"Onderbouwing {score}"},
            )
        )
    assert sorted(ScaleScore.objects.values_list("score", flat=True)) == [3, 4]

    # The plan: one bodemeis with a guard, three actions of different types, published.
    response = _ok(regie.post(f"/overleggen/agendapunt/{item.pk}/plan/"))
    plan = Plan.objects.get()
    assert response["Location"] == f"/overleggen/plan/{plan.pk}/"
    _csp_clean(_ok(regie.get(f"/overleggen/plan/{plan.pk}/"), 200))
    edit = f"/overleggen/plan/{plan.pk}/bewerken/"
    _ok(
        regie.post(
            edit,
            {
                "step": "plan",
                "version": plan.version,
                "goals": "Moeder en kinderen veilig thuis.",
                "casusregisseur": behandelaar.pk,
                "next_meeting_date": (day + datetime.timedelta(days=42)).isoformat(),
                "family_worries": "We maken ons zorgen over de ruzies thuis.",
            },
        )
    )
    _ok(
        regie.post(
            edit,
            {
                "step": "bodemeis",
                "text": "Geen geweld.",
                "guard": wijkagent.pk,
                "if_broken": "Direct huisverbod overwegen.",
                "audience": "family",
            },
        )
    )
    actions = [
        ("Schoolgesprek plannen", ActionType.INFO_PROFESSIONALS, professional, "met de school praten"),
        ("Huisbezoek", ActionType.TOWARDS_FAMILY, wijkagent, "bij u thuis langskomen"),
        ("Gezinsgesprek", ActionType.MEETING_FAMILY, behandelaar, "een gesprek met het hele gezin houden"),
    ]
    for what, kind, owner, plain in actions:
        _ok(
            regie.post(
                edit,
                {
                    "step": "action",
                    "what": what,
                    "type": kind,
                    "owner": owner.pk,
                    "term": "short",
                    "deadline": (day + datetime.timedelta(days=14)).isoformat(),
                    "rationale": "Veiligheid",
                    "plain_text": plain,
                },
            )
        )
    assert Action.objects.filter(plan=plan).values("type").distinct().count() == 3
    _ok(regie.post(edit, {"step": "publish"}))
    plan.refresh_from_db()
    assert not plan.is_draft

    # The verslag, and its PDF.
    for inv in Invitation.objects.filter(meeting=meeting, is_client=False):
        _ok(regie.post(f"/overleggen/uitnodiging/{inv.pk}/aanwezigheid/", {"attendance": "present"}))
    _ok(regie.post(f"/overleggen/{meeting.pk}/verslag/", {"step": "generate"}))
    verslag_page = _ok(regie.get(f"/overleggen/{meeting.pk}/verslag/"), 200)
    _csp_clean(verslag_page)
    for what, *_ in actions:
        assert what in verslag_page.content.decode()
    pdf = _ok(regie.get(f"/overleggen/{meeting.pk}/verslag/pdf/"), 200)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert len(pdf.content) > 2000

    # The family view shows the family-facing actions in plain language; the exchange between professionals
    # stays among them (issue 10, finding 5).
    # The family's version is shown once the procesregisseur reviewed it (issue 12, item 6).
    _ok(regie.post(f"/overleggen/plan/{plan.pk}/gezin/beoordelen/", {"step": "review", "version": 0}))
    family = _ok(regie.get(f"/overleggen/plan/{plan.pk}/gezin/"), 200)
    _csp_clean(family)
    html = family.content.decode()
    for _, kind, owner, plain in actions:
        assert (plain in html) == (kind != ActionType.INFO_PROFESSIONALS)
    assert "We maken ons zorgen over de ruzies thuis." in html
    assert behandelaar.get_full_name() in html  # the fixed contact person

    # The chair approves; the meeting is closed.
    _ok(regie.post(f"/overleggen/{meeting.pk}/verslag/", {"step": "approve"}))
    meeting.refresh_from_db()
    assert meeting.status == "closed"


def test_refused_form_keeps_what_was_typed(procesregisseur, professional, outsider, case):
    case = triaged(case, procesregisseur)
    meeting = plan_meeting(procesregisseur, cases=[case])
    regie = _client(procesregisseur)
    response = regie.post(f"/overleggen/{meeting.pk}/uitnodigen/", {"user": outsider.pk})
    # The outsider is not offered in the list, so the form refuses the choice without a service call.
    assert response.status_code == 422
    assert not Invitation.objects.filter(user=outsider).exists()


def test_update_form_shows_the_service_message(procesregisseur, professional, case):
    case = triaged(case, procesregisseur)
    meeting = plan_meeting(procesregisseur, cases=[case])
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional)
    item = meeting.agenda_items.get()
    response = _client(professional).post(
        f"/overleggen/agendapunt/{item.pk}/update/", {"current_situation": "", "worries": "Veel zorgen"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Beschrijf kort de huidige situatie." in html and "Veel zorgen" in html


def test_house_marks_a_case_as_stalking_on_the_meeting_page(procesregisseur, professional, municipality):
    from tafel.meetings.models import CaseMeetingFlags

    from .factories import family_case

    case = family_case(professional, municipality, procesregisseur)
    meeting = plan_meeting(procesregisseur, code="mda", cases=[case])
    item = meeting.agenda_items.get()
    # Without the marker, both clients share the client part; marking is refused until they are apart.
    regie = _client(procesregisseur)
    victim = case.case_persons.get(role="slachtoffer").person_id
    perpetrator = case.case_persons.get(role="pleger").person_id
    marker = {
        f"marker{item.pk}-marker": "stalking",
        f"marker{item.pk}-reason": "Stalking na scheiding.",
        f"marker{item.pk}-persons": [perpetrator, victim],
    }
    refused = regie.post(f"/overleggen/agendapunt/{item.pk}/markering/", marker)
    assert refused.status_code == 422 and "dezelfde sessie" in refused.content.decode()
    assert not CaseMeetingFlags.objects.filter(case=case, safety_marker="stalking").exists()
    # Naming only one person is refused at the field.
    one = regie.post(f"/overleggen/agendapunt/{item.pk}/markering/", {**marker, f"marker{item.pk}-persons": [victim]})
    assert one.status_code == 422 and "ten minste twee personen" in one.content.decode()
    services.client_invite(actor=procesregisseur, agenda_item=item, person_id=victim, session_part="clients_separate")
    _ok(regie.post(f"/overleggen/agendapunt/{item.pk}/markering/", marker))
    assert CaseMeetingFlags.objects.get(case=case).safety_marker == "stalking"
    page = _ok(regie.get(f"/overleggen/{meeting.pk}/"), 200).content.decode()
    assert "nooit samen in een sessie" in page
    # An invited professional of the case cannot set the marker.
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional)
    assert _client(professional).post(f"/overleggen/agendapunt/{item.pk}/markering/", {}).status_code == 403
