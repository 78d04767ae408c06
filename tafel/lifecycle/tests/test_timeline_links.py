"""Issue 12, item 7: every timeline entry links to its record; rappels and scale scores are in it; an event
known only by its date is shown as a date and ordered after the timed events of its day (never at a made-up
12:00 before the melding it followed)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tafel.api.tests.conftest import ApiClient, make_key
from tafel.cases.models import Aanmelding
from tafel.lifecycle.models import CaseIntervention, InterventionType
from tafel.lifecycle.selectors import TimelineEntry, case_timeline
from tafel.lifecycle.services.followup import rappel_set
from tafel.lifecycle.timeline import date_only_at, order_key
from tafel.meetings import services as meeting_services
from tafel.meetings.models import CaseDiscussion

from .factories import running_case

pytestmark = pytest.mark.django_db


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_order_within_a_day_puts_timed_events_first_then_date_only_ones():
    day = datetime.date(2026, 10, 17)
    early = TimelineEntry(_at(day, 0, 5), "notitie", "na middernacht")
    melding = TimelineEntry(_at(day, 14), "melding", "melding om 14:00")
    intervention = TimelineEntry(date_only_at(day), "interventie", "alleen een datum", date_only=True)
    previous_evening = TimelineEntry(_at(day - datetime.timedelta(days=1), 23, 30), "notitie", "gisteravond")
    next_morning = TimelineEntry(_at(day + datetime.timedelta(days=1), 8), "notitie", "morgenochtend")
    ordered = sorted([intervention, next_morning, melding, early, previous_evening], key=order_key)
    assert [e.title for e in ordered] == [
        "gisteravond",
        "na middernacht",
        "melding om 14:00",
        "alleen een datum",
        "morgenochtend",
    ]


def _intervention_on(case, user, day):
    return CaseIntervention.objects.create(
        case=case,
        type=InterventionType.objects.get(code="mst"),
        organisation_id=user.organisation_id,
        started_on=day,
        supplied_by_org_id=user.organisation_id,
        created_by=user,
        created_at=timezone.now(),
    )


def test_a_date_only_intervention_on_the_day_of_the_melding_follows_it_and_shows_no_time(
    case, procesregisseur, professional
):
    case, _ = running_case(case, procesregisseur, professional)
    melding = Aanmelding.objects.filter(case=case).first()
    day = timezone.localtime(melding.created_at).date()
    _intervention_on(case, professional, day)
    entries = case_timeline(viewer=procesregisseur, case_id=case.pk).entries
    kinds = [e.kind for e in entries if timezone.localtime(e.at).date() == day]
    assert kinds.index("melding") < kinds.index("interventie")
    assert kinds[-1] == "interventie"  # after every timed event of that day
    client = Client()
    client.force_login(procesregisseur)
    html = client.get(reverse("lifecycle:timeline", args=[case.pk])).content.decode()
    item = html[html.index("tafel-timeline__item--interventie") :]
    item = item[: item.index("</li>")]
    assert f'datetime="{day:%Y-%m-%d}"' in item and "12:00" not in item and "00:00" not in item


def test_rappels_and_scale_scores_are_in_the_timeline_and_every_entry_links(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    discussion = CaseDiscussion.objects.get(case=case)
    meeting_services.scale_score_add(
        actor=procesregisseur,
        discussion=discussion,
        score=6,
        rationale="Het gaat iets beter.",
        participant=procesregisseur,
    )
    rappel_set(
        actor=procesregisseur, case=case, due_on=timezone.localdate() + datetime.timedelta(days=30), note="Na MST"
    )
    _intervention_on(case, professional, timezone.localdate())
    entries = case_timeline(viewer=procesregisseur, case_id=case.pk).entries
    by_kind = {e.kind: e for e in entries}
    assert "Na MST" in by_kind["rappel"].detail and by_kind["rappel"].url.endswith("#rappel")
    assert "6/10" in by_kind["schaal"].title
    meeting_id = discussion.agenda_item.meeting_id
    assert by_kind["schaal"].url == reverse("meetings:detail", args=[meeting_id])
    assert by_kind["plan"].url.startswith("/overleggen/plan/") or "plan" in by_kind["plan"].url
    assert all(e.url for e in entries), [e.kind for e in entries if not e.url]
    client = Client()
    client.force_login(procesregisseur)
    html = client.get(reverse("lifecycle:timeline", args=[case.pk])).content.decode()
    for e in entries:
        assert f'href="{e.url}"' in html


def test_a_meeting_the_viewer_may_not_open_links_to_the_follow_up_page(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    entries = case_timeline(viewer=professional, case_id=case.pk).entries  # not invited to the meeting
    overleg = next(e for e in entries if e.kind == "overleg")
    assert overleg.url == reverse("lifecycle:case", args=[case.pk])


def test_api_timeline_gives_links_and_date_only(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    _intervention_on(case, professional, timezone.localdate())
    api = ApiClient(Client(), {"Authorization": f"Bearer {make_key(procesregisseur)}"})
    items = api.get(f"/lifecycle/cases/{case.pk}/timeline").json()["items"]
    intervention = next(i for i in items if i["kind"] == "interventie")
    assert intervention["date_only"] is True and intervention["url"].endswith("#interventie")
    assert all(i["url"] for i in items)
