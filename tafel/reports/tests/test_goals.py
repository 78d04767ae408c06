"""The effectiviteitsmatrix: goals per overleg type, set by the ketenmanager, measured per quarter (PDCA)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tafel.core.errors import AccessDenied, ConcurrentEdit, ValidationFailed
from tafel.reports.indicators import Params
from tafel.reports.models import Direction, Goal
from tafel.reports.periods import parse_period
from tafel.reports.selectors import goal_views
from tafel.reports.services import GoalInput, goal_create, goal_update

pytestmark = pytest.mark.django_db


def goal_input(**overrides) -> GoalInput:
    data = GoalInput(
        title="Snel besluiten over nieuwe aanmeldingen",
        selection_criteria="Alle nieuwe aanmeldingen.",
        input_criteria="Aanmeldformulier volledig.",
        follow_up_criteria="Aanmelder binnen een week geïnformeerd.",
        indicator_code="doorlooptijd_triage",
        target_value="7",
        direction=Direction.AT_MOST,
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def test_ketenmanager_adds_a_goal_through_the_page(client, ketenmanager):
    from tafel.meetings.models import OverlegType

    client.force_login(ketenmanager)
    com = OverlegType.objects.get(code="com")
    response = client.post(
        reverse("reports:goal_new"),
        {
            "title": "Casus-op-Maat bereikt de juiste casussen",
            "overleg_type": str(com.pk),
            "selection_criteria": "Multiprobleem, zorg en straf.",
            "input_criteria": "Cliënt uitgenodigd.",
            "follow_up_criteria": "Plan binnen twee weken.",
            "indicator_code": "casusregie",
            "target_value": "80",
            "direction": "at_least",
            "active": "on",
        },
    )

    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.overleg_type == com and goal.target_value == 80 and goal.created_by == ketenmanager


def test_the_goal_form_reports_missing_fields(client, ketenmanager):
    client.force_login(ketenmanager)

    response = client.post(reverse("reports:goal_new"), {"title": "", "indicator_code": "politiemeldingen"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Beschrijf het doel." in html
    # politiemeldingen cannot be measured yet, so it is no choice.
    assert response.context["form"].errors["indicator_code"]
    assert not Goal.objects.exists()


@pytest.mark.parametrize("who", ["analyst", "procesregisseur", "beheerder"])
def test_only_the_ketenmanager_changes_goals(client, request, ketenmanager, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    assert client.get(reverse("reports:goal_new")).status_code == 403
    with pytest.raises(AccessDenied):
        goal_create(actor=user, data=goal_input())
    goal = goal_create(actor=ketenmanager, data=goal_input())
    assert client.post(reverse("reports:goal_delete", args=[goal.pk])).status_code == 403
    # Reading is for every monitor reader.
    assert client.get(reverse("reports:goals")).status_code == 200


def test_a_stale_edit_is_refused(ketenmanager):
    goal = goal_create(actor=ketenmanager, data=goal_input())
    goal_update(actor=ketenmanager, goal=goal, data=goal_input(target_value="5"), expected_version=1)

    with pytest.raises(ConcurrentEdit):
        goal_update(actor=ketenmanager, goal=Goal.objects.get(), data=goal_input(), expected_version=1)


def test_target_must_be_a_number(ketenmanager):
    with pytest.raises(ValidationFailed) as exc:
        goal_create(actor=ketenmanager, data=goal_input(target_value="snel"))

    assert "target_value" in exc.value.field_errors


def test_measured_value_per_quarter_against_the_target(history, ketenmanager):
    goal_create(actor=ketenmanager, data=goal_input())

    (view,) = goal_views(Params(period=parse_period("2025Q2")), suppressed=False)

    # The four quarters up to 2025Q2. Median days aanmelding → routing decision:
    # 2024Q3 and 2024Q4: no decisions; 2025Q1: E alone, 01-02 → 10-02 = 9 days (> 7: missed);
    # 2025Q2: 1, 3, 10, 19 → 6.5 (≤ 7: met).
    assert [q.period.code for q in view.quarters] == ["2024Q3", "2024Q4", "2025Q1", "2025Q2"]
    assert [q.value for q in view.quarters] == [None, None, 9.0, 6.5]
    assert [q.reached for q in view.quarters] == [None, None, False, True]
    assert view.target_text == "maximaal 7,0"
    assert "<svg" in view.chart


def test_a_goal_is_measured_for_its_own_overleg_type(history, ketenmanager):
    from tafel.meetings.models import OverlegType

    goal_create(
        actor=ketenmanager,
        data=goal_input(
            title="Meer casussen in Casus-op-Maat",
            indicator_code="casussen_thema",
            target_value="2",
            direction=Direction.AT_LEAST,
            overleg_type_id=OverlegType.objects.get(code="com").pk,
        ),
    )

    (view,) = goal_views(Params(period=parse_period("2025Q2")), suppressed=False, per_quarter=False)

    # New cases of Q2 discussed in a Casus-op-Maat overleg: A and D → 2, target at least 2: met.
    assert view.quarters[0].value == 2.0 and view.quarters[0].reached is True


def test_the_goals_page_shows_target_and_measured_value_per_quarter(client, history, ketenmanager):
    goal_create(actor=ketenmanager, data=goal_input())
    client.force_login(ketenmanager)

    html = client.get(reverse("reports:goals"), {"period": "2025Q2"}).content.decode()

    assert "Snel besluiten over nieuwe aanmeldingen" in html
    assert "Aanmeldformulier volledig." in html
    # For the ketenmanager the Q1 median rests on one decision: hidden ("×"); Q2 rests on 4: hidden too.
    assert "2025Q1" in html and "geen waarde" in html


def test_goals_of_inactive_rows_are_not_measured(ketenmanager):
    goal = goal_create(actor=ketenmanager, data=goal_input(active=False))

    assert goal_views(Params(period=parse_period("2025Q2")), suppressed=True) == []
    assert goal.created_at <= timezone.now()


def test_a_goal_for_one_theme_shows_the_themes_name(client, history, ketenmanager):
    goal_create(actor=ketenmanager, data=goal_input(title="Minder herhaling", theme="huiselijk_geweld"))
    client.force_login(ketenmanager)

    html = client.get(reverse("reports:goals"), {"period": "2025Q2"}).content.decode()

    assert "Hele huis · Huiselijk geweld / kindermishandeling" in html
    dashboard = client.get(reverse("reports:dashboard"), {"period": "2025Q2"}).content.decode()
    assert "Hele huis · Huiselijk geweld / kindermishandeling" in dashboard
