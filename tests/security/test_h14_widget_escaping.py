"""Issue 14 attack: the form widgets and `{% field %}` are written in Python now (tafel.core.formrenderer,
tafel.core.templatetags.tafel_fields). An outsider who can put text into a name — a person's name on an
aanmelding, an organisation's or a user's name, a case title — must never get markup into another
professional's page: every payload is on the page only escaped, in option labels, option values, input values,
textareas and radio/checkbox labels alike."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from tafel.testing.world import build_world, client_for

pytestmark = pytest.mark.django_db

SCRIPT = '"><script>alert(1)</script>'
ATTR = "' onmouseover=alert(2) x='"
AMP = "Jansen &amp; Zn"
RAW = ("<script>alert(1)</script>", "' onmouseover=alert(2)", '"><script', "Jansen &amp; Zn<")


def assert_only_escaped(html: str) -> None:
    for raw in RAW:
        assert raw not in html, f"unescaped payload {raw!r} on the page"


@pytest.fixture
def poisoned():
    w = build_world()
    person = w.person
    person.first_names, person.last_name = SCRIPT, ATTR
    person.save()
    w.case.title = SCRIPT + ATTR
    w.case.save()
    for org, payload in ((w.ggz, SCRIPT), (w.police, ATTR), (w.shelter, AMP), (w.school, SCRIPT + AMP)):
        org.name = payload
        org.save()
    for name in ("member", "partner", "regisseur"):
        user = w.users[name]
        user.first_name, user.last_name = SCRIPT, ATTR + AMP
        user.save()
    return w


@pytest.mark.parametrize("actor", ["regisseur", "member", "partner"])
def test_the_case_page_shows_poisoned_names_only_escaped(poisoned, actor):
    response = client_for(poisoned, actor).get(reverse("cases:detail", args=[poisoned.case.pk]))
    assert response.status_code in (200, 403, 404)
    html = response.content.decode()
    assert_only_escaped(html)
    if actor == "regisseur":
        assert response.status_code == 200
        # The payload did reach the page's selects, escaped: the attack was real.
        assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&#x27; onmouseover=alert(2) x=&#x27;" in html


def test_the_plan_page_shows_poisoned_names_only_escaped(poisoned):
    plan = poisoned.plan
    client = client_for(poisoned, "regisseur")
    response = client.get(reverse("meetings:plan", args=[plan.pk]))
    assert response.status_code == 200
    assert_only_escaped(response.content.decode())


def test_the_meeting_page_shows_poisoned_names_only_escaped(poisoned):
    response = client_for(poisoned, "regisseur").get(reverse("meetings:detail", args=[poisoned.meeting.pk]))
    assert response.status_code == 200
    assert_only_escaped(response.content.decode())


class Poisoned(forms.Form):
    CHOICES = [(1, SCRIPT), ("2", ATTR), (SCRIPT, AMP)]
    select = forms.ChoiceField(choices=CHOICES, label=SCRIPT, help_text=ATTR)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, label=ATTR)
    boxes = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple, label=AMP)
    text = forms.CharField(label=AMP)
    area = forms.CharField(widget=forms.Textarea, label=SCRIPT)
    lone = forms.BooleanField(label=SCRIPT, required=False)


def render(form) -> str:
    from django.template import Context, Template

    template = Template("{% load tafel_fields %}{% for f in form %}{% field f show_when=when %}{% endfor %}")
    return template.render(Context({"form": form, "when": SCRIPT}))


def test_field_tag_and_widgets_escape_labels_values_and_errors():
    form = Poisoned(
        data={
            "select": SCRIPT,
            "radio": "2",
            "boxes": ["1", SCRIPT],
            "text": SCRIPT + ATTR,
            "area": "</textarea>" + SCRIPT,
        }
    )
    form.is_valid()
    form.add_error("text", SCRIPT)
    html = render(form)
    assert_only_escaped(html)
    assert "</textarea><script" not in html and "&lt;/textarea&gt;" in html


@pytest.mark.parametrize(
    ("initial", "selected"),
    [(1, "1"), ("1", "1"), (2, "2"), ("2", "2"), (None, None), ("", None), (SCRIPT, "esc")],
)
def test_selected_and_checked_compare_ints_and_strings_alike(initial, selected):
    form = Poisoned(initial={"select": initial, "radio": initial, "boxes": [initial] if initial is not None else []})
    select, radio, boxes = str(form["select"]), str(form["radio"]), str(form["boxes"])
    chosen = {"1": 'value="1"', "2": 'value="2"', "esc": 'value="&quot;&gt;&lt;script&gt;'}.get(selected)
    for html, mark in ((select, " selected"), (radio, " checked"), (boxes, " checked")):
        assert_only_escaped(html)
        marked = [part for part in html.split("<option" if "<option" in html else "<input") if mark in part]
        if chosen is None:
            assert marked == [], html
        else:
            assert len(marked) == 1 and chosen in marked[0], html


def test_the_draft_plans_guard_and_owner_selects_show_poisoned_names_only_escaped(poisoned):
    from tafel.meetings import services

    draft = services.plan_start(actor=poisoned.users["regisseur"], case=poisoned.case)
    response = client_for(poisoned, "regisseur").get(reverse("meetings:plan", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert_only_escaped(html)
    assert "<select" in html and "&#x27; onmouseover=alert(2) x=&#x27;Jansen &amp;amp; Zn" in html
