"""`{% checklist_items %}` writes exactly what the loop in `lifecycle/_checklist_items.html` writes (issue 14 item 3:
the case page's CPU), for every kind of item, in Dutch and English, with values that must be escaped."""

from __future__ import annotations

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import override

from tafel.lifecycle.checklist import CASUSREGISSEUR, PROCESREGISSEUR, Item
from tafel.organisations.models import User

TAG = Template("{% load lifecycle %}    {% checklist_items items role may_tick_roles case %}\n")
DEFINITION = get_template("lifecycle/_checklist_items.html")
NASTY = "<script>alert(1)</script> \"'&"


def _items() -> list[Item]:
    ticker = User(pk=5, username="t", first_name=NASTY, last_name="Jansen")
    at = timezone.make_aware(datetime.datetime(2026, 12, 5, 14, 30))
    items = []
    kinds = itertools.product([True, False], [True, False], [True, False], ["", NASTY])
    for n, (auto, done, overdue, note) in enumerate(kinds):
        items.append(
            Item(
                code=f"pr_{n}<&>",
                role=PROCESREGISSEUR,
                label=f"Punt {n} {NASTY}",
                source="",
                auto=auto,
                done=done,
                overdue=overdue,
                note=note,
                ticked_by=ticker if done and not auto else None,
                ticked_at=at if done and not auto else None,
            )
        )
    return items


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "roles", [frozenset(), frozenset({PROCESREGISSEUR}), frozenset({PROCESREGISSEUR, CASUSREGISSEUR})]
)
def test_the_checklist_items_tag_writes_what_the_items_template_writes(language, roles):
    values = {
        "items": _items(),
        "role": PROCESREGISSEUR,
        "may_tick_roles": roles,
        "case": SimpleNamespace(pk=4711),
        "csrf_token": "tok<en>",
        # What the include in lifecycle/_checklist.html reads instead: the same set.
        "checklist": SimpleNamespace(may_tick_roles=roles),
    }
    with override(language):
        expected = DEFINITION.render(values)
        written = TAG.render(Context(values))
    assert written == expected
    assert "<script>" not in written and "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&#x27;&amp;" in written
    if roles:
        assert 'action="/' in written and "csrfmiddlewaretoken" in written


def test_no_items_write_nothing():
    assert TAG.render(Context({"items": [], "role": PROCESREGISSEUR, "may_tick_roles": frozenset()})) == "    \n"
