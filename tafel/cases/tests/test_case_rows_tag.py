"""`{% case_rows %}` writes exactly what the loop in `cases/_case_rows.html` writes (issue 14: list pages' CPU)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils.translation import override

from tafel.cases.models import Case
from tafel.testing import make_case

pytestmark = pytest.mark.django_db

TAG = Template(
    "{% load case_rows %}    {% case_rows cases hide_regisseur=hide_regisseur date_label=date_label "
    "show_deadline=show_deadline show_triage=show_triage %}\n"
)
DEFINITION = get_template("cases/_case_rows.html")


@pytest.fixture
def cases(professional, procesregisseur, municipality):
    make_case(professional, municipality)
    odd = make_case(professional, municipality, title='Gezin "A" & <b>B</b>', urgency="acuut")
    Case.objects.filter(pk=odd.pk).update(procesregisseur=procesregisseur, status="verrijken")
    untitled = make_case(professional, municipality)
    Case.objects.filter(pk=untitled.pk).update(title="")
    rows = list(Case.objects.select_related("municipality", "procesregisseur").order_by("id"))
    rows[0].response_deadline = datetime.date(2026, 12, 24)
    rows[1].response_deadline = None
    rows[2].response_deadline = None
    return rows


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_case_rows_tag_writes_what_the_rows_template_writes(cases, language):
    assert cases[2].title == "" and cases[1].procesregisseur is not None and cases[0].procesregisseur is None
    for hide, since, deadline, triage in itertools.product(["", True], ["", "Sinds"], ["", True], ["", True]):
        values = {
            "cases": cases,
            "hide_regisseur": hide,
            "date_label": since,
            "show_deadline": deadline,
            "show_triage": triage,
        }
        with override(language):
            expected = DEFINITION.render(values)
            written = TAG.render(Context(values))
        assert written == expected, values
    assert "&quot;A&quot; &amp; &lt;b&gt;" in written and "—" in written


def test_no_rows_for_no_cases():
    assert TAG.render(Context({"cases": []})) == "    \n"
