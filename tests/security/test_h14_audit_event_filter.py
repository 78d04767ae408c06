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
def test_a_garbage_or_unknown_event_type_is_refused_not_dropped(client, fg, url, value):
    """The page answers 422 with the error and no events; the export refuses with a 400."""
    client.force_login(fg)
    response = client.get(reverse(url), {"type": value})
    assert response.status_code == (422 if url == "privacy:fg" else 400), (value, response.status_code)
    if url == "privacy:fg":
        assert "Onbekend soort gebeurtenis." in body(response)


@pytest.mark.parametrize("url", ["privacy:fg", "privacy:audit_export"])
@pytest.mark.parametrize("name", ["person", "case", "organisation"])
def test_a_unicode_digit_in_a_number_filter_is_no_500(client, fg, url, name):
    client.force_login(fg)
    response = client.get(reverse(url), {name: "²"})
    assert response.status_code == (422 if url == "privacy:fg" else 400), response.status_code


@pytest.mark.parametrize(
    "name,value",
    [("person", "12a"), ("case", "zvh"), ("organisation", "-3"), ("from", "31-12-2026"), ("to", "gisteren")],
)
def test_a_filter_that_cannot_be_read_never_widens_the_search_or_the_export(client, fg, procesregisseur, name, value):
    """Before, a filter that was not a number or a date was silently dropped: the FG who typed a case number
    wrong saw, and exported, the whole log instead of that case's events."""
    audit(actor=procesregisseur, event=audit_event_choices()[0][0], reason="h14-widen")
    client.force_login(fg)
    page = client.get(reverse("privacy:fg"), {name: value})
    assert page.status_code == 422
    html = body(page)
    assert 'aria-invalid="true"' in html and "error-summary" in html
    rows = '<tr class="utrecht-table__row"><td class="utrecht-table__cell">'
    assert rows not in html.split('id="search-title"', 1)[1]
    export = client.get(reverse("privacy:audit_export"), {name: value})
    assert export.status_code == 400
    control = client.get(reverse("privacy:fg"), {name: ""})
    assert control.status_code == 200
    assert rows in body(control).split('id="search-title"', 1)[1]  # the same search without the bad filter shows events


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
