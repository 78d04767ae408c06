"""Session ratings linked to a meeting (SPEC §5.5, issue 6 item 5): after a meeting took place each
participant rates it once from the meeting page, and the client's rating is filled in together with the client
for a case discussed. The monitor shows the averages per overleg type and period, small cells suppressed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tafel.meetings.tests.factories import held_meeting, plan_meeting, triaged
from tafel.organisations.models import Role
from tafel.reports.models import Questionnaire, Response
from tafel.testing import make_case, make_user

pytestmark = pytest.mark.django_db


def scores(code: str, score: int) -> dict[str, str]:
    questionnaire = Questionnaire.objects.get(code=code)
    return {f"q{q.pk}": str(score) for q in questionnaire.questions.all()}


@pytest.fixture
def meeting(procesregisseur, professional, municipality):
    case = triaged(make_case(professional, municipality), procesregisseur)
    meeting, _ = held_meeting(procesregisseur, case, invite=[professional])
    return meeting


def rate_url(meeting) -> str:
    return reverse("reports:session_rating", args=[meeting.pk])


def client_url(meeting) -> str:
    return reverse("reports:session_rating_client", args=[meeting.agenda_items.get().pk])


def test_the_meeting_page_offers_both_ratings_once_the_meeting_took_place(client, meeting, professional):
    client.force_login(professional)

    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    assert "Beoordeel dit overleg" in page and rate_url(meeting) in page
    assert "Beoordeling door cliënt" in page and client_url(meeting) in page


def test_a_planned_meeting_offers_no_rating_and_refuses_one(client, procesregisseur, professional, municipality):
    case = triaged(make_case(professional, municipality), procesregisseur)
    planned = plan_meeting(procesregisseur, cases=[case])
    client.force_login(procesregisseur)

    assert "Beoordeel dit overleg" not in client.get(reverse("meetings:detail", args=[planned.pk])).content.decode()
    assert client.get(rate_url(planned)).status_code == 403


def test_a_professional_rates_a_meeting_once(client, meeting, professional):
    client.force_login(professional)

    first = client.post(rate_url(meeting), scores("sessie-professional", 8))
    second = client.post(rate_url(meeting), scores("sessie-professional", 3), follow=True)

    assert first.status_code == 302
    saved = Response.objects.get(respondent=professional)
    assert (saved.meeting_id, saved.overleg_type_id, saved.case_id, saved.with_client) == (
        meeting.pk,
        meeting.overleg_type_id,
        None,
        False,
    )
    assert "U hebt dit overleg al beoordeeld. Uw beoordeling telt één keer per overleg." in second.content.decode()
    assert Response.objects.filter(questionnaire__code="sessie-professional").count() == 1
    assert "data-already-rated" in client.get(rate_url(meeting)).content.decode()


def test_the_clients_rating_is_linked_to_the_case_and_may_be_given_per_client(client, meeting, professional):
    client.force_login(professional)

    assert client.post(client_url(meeting), scores("sessie-client", 7)).status_code == 302
    assert client.post(client_url(meeting), scores("sessie-client", 9)).status_code == 302

    ratings = Response.objects.filter(questionnaire__code="sessie-client")
    case_id = meeting.agenda_items.get().case_id
    assert sorted(ratings.values_list("case_id", "with_client")) == [(case_id, True), (case_id, True)]


def test_session_ratings_are_not_offered_on_the_generic_fill_in_page(client, professional):
    client.force_login(professional)

    assert client.get(reverse("reports:questionnaire_fill", args=["sessie-professional"])).status_code == 404
    assert client.get(reverse("reports:questionnaire_fill", args=["sessie-client"])).status_code == 404


def test_someone_who_does_not_see_the_meeting_gets_404(client, meeting, ggz):
    outsider = make_user(ggz, Role.PROFESSIONAL, username="buitenstaander")
    client.force_login(outsider)

    assert client.get(rate_url(meeting)).status_code == 404
    assert client.get(client_url(meeting)).status_code == 404


@pytest.fixture
def rated(meeting, house):
    """Five procesregisseurs of the house rate the com meeting 6, 7, 8, 9 and 10; two clients rate it 5 and 7."""
    for i, score in enumerate((6, 7, 8, 9, 10)):
        c = Client()
        c.force_login(make_user(house, Role.PROCESREGISSEUR, username=f"beoordelaar{i}"))
        assert c.post(rate_url(meeting), scores("sessie-professional", score)).status_code == 302
    for score in (5, 7):
        assert c.post(client_url(meeting), scores("sessie-client", score)).status_code == 302
    return meeting


def card(client, **query) -> str:
    page = client.get(reverse("reports:dashboard"), query).content.decode()
    return page[page.index('id="sessiebeoordelingen"') :]


def test_the_dashboard_card_suppresses_small_cells_for_the_ketenmanager(client, rated, ketenmanager):
    client.force_login(ketenmanager)

    section = card(client)

    com = section[section.index('data-rating-row="' + str(rated.overleg_type_id)) :]
    # Professionals: 5 ratings, (6 + 7 + 8 + 9 + 10) / 5 = 8,0 — shown. Clients: 2 ratings — hidden.
    assert '<td class="utrecht-table__cell" data-cell="professional-count">5</td>' in com
    assert '<td class="utrecht-table__cell" data-cell="professional-mean">8,0</td>' in com
    assert '<td class="utrecht-table__cell" data-cell="client-count">&lt;5</td>' in com
    assert '<td class="utrecht-table__cell" data-cell="client-mean">×</td>' in com
    # The clients' total would repeat the hidden 2: hidden as well.
    total = section[section.index('data-rating-row="totaal"') :]
    assert '<td class="utrecht-table__cell" data-cell="client-count">&lt;5</td>' in total
    assert "6,0" not in section


def test_the_procesregisseur_sees_every_figure(client, rated, procesregisseur):
    client.force_login(procesregisseur)

    total = card(client)[card(client).index('data-rating-row="totaal"') :]

    # Clients: (5 + 7) / 2 = 6,0 over 2 ratings.
    assert '<td class="utrecht-table__cell" data-cell="client-count">2</td>' in total
    assert '<td class="utrecht-table__cell" data-cell="client-mean">6,0</td>' in total


def test_the_card_follows_the_period_and_overleg_type_filters(client, rated, procesregisseur):
    client.force_login(procesregisseur)

    other_type = card(client, period="", overleg_type="mda")
    last_year = card(client, period="2025")

    for section in (other_type, last_year):
        assert f'data-rating-row="{rated.overleg_type_id}"' not in section
        assert '<td class="utrecht-table__cell" data-cell="professional-count">0</td>' in section


def test_the_results_page_shows_session_ratings_per_overleg_type(client, rated, ketenmanager):
    client.force_login(ketenmanager)

    page = client.get(reverse("reports:questionnaire_results", args=["sessie-professional"])).content.decode()

    assert "<strong data-total>5</strong>" in page
    # Each of the four items: (6 + 7 + 8 + 9 + 10) / 5 = 8,0.
    assert page.count('<td class="utrecht-table__cell" data-mean>8,0</td>') == 4
    assert "data-session-ratings" in page
