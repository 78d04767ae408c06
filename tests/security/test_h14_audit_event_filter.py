"""Issue 14 attack on the audit event types registered per app (tafel.core.registry): the FG's audit search
and NEN 7513 export take a `type` filter. A garbage or unknown type is a clean 400 (never a 500, and never a
silently dropped filter that exports the whole log instead of what was asked); every registered type is named
in the export with its label and action code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tafel.core.audit import audit
from tafel.core.models import AuditEvent
from tafel.core.registry import audit_event_action, audit_event_choices
from tafel.organisations.models import Role
from tafel.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def fg(house):
    return make_user(house, Role.FG, username="h14_fg")


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.mark.parametrize("url", ["privacy:fg", "privacy:audit_export"])
@pytest.mark.parametrize("value", ["abc", "²", "99999", "0", "-1", "1.5", "1e3", "9" * 40, " 1"])
def test_a_garbage_or_unknown_event_type_is_a_clean_400(client, fg, url, value):
    client.force_login(fg)
    response = client.get(reverse(url), {"type": value})
    assert response.status_code == 400, (value, response.status_code)


@pytest.mark.parametrize("url", ["privacy:fg", "privacy:audit_export"])
@pytest.mark.parametrize("name", ["person", "case", "organisation"])
def test_a_unicode_digit_in_a_number_filter_is_no_500(client, fg, url, name):
    client.force_login(fg)
    response = client.get(reverse(url), {name: "²"})
    assert response.status_code in (200, 400), response.status_code


def test_a_known_type_filters_and_every_registered_type_is_named_in_the_export(client, fg, procesregisseur):
    choices = audit_event_choices()
    assert len(choices) > 30
    for number, _label in choices:
        audit(actor=procesregisseur, event=number)
    client.force_login(fg)
    csv = body(client.get(reverse("privacy:audit_export"), {"user": procesregisseur.username}))
    header = csv.splitlines()[0].split(";")
    rows = [dict(zip(header, line.split(";"), strict=False)) for line in csv.splitlines()[1:]]
    named = {int(r["EventTypeCode"]): (r["EventTypeName"], r["EventActionCode"]) for r in rows}
    for number, label in choices:
        assert named[number] == (str(label), audit_event_action(number)), number
        assert named[number][0] != str(number)

    number = choices[0][0]
    only = body(client.get(reverse("privacy:audit_export"), {"type": str(number)}))
    codes = {line.split(";")[header.index("EventTypeCode")] for line in only.splitlines()[1:]}
    assert codes == {str(number)}
    assert client.get(reverse("privacy:fg"), {"type": str(number)}).status_code == 200


def test_an_outsider_gets_no_audit_search_whatever_the_type(client, professional):
    client.force_login(professional)
    for value in ("abc", "1", "99999"):
        for url in ("privacy:fg", "privacy:audit_export"):
            assert client.get(reverse(url), {"type": value}).status_code in (403, 404)
    assert not AuditEvent.objects.filter(actor=professional, event_type__in=[]).exists()
