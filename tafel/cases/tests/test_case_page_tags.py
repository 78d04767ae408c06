"""The case page's parts written in Python (`tafel/cases/templatetags/case_page.py`) write exactly what their
definition templates write (issue 14 item 3: the case page's CPU), for every branch, in Dutch and English, with
names and texts that must be escaped."""

from __future__ import annotations

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import override

from tafel.cases.models import Aanmelding, AanmeldingPerson, CaseOrganisation
from tafel.core import crypto
from tafel.organisations.models import Organisation, User
from tafel.persons.models import Person

NASTY = "<script>alert(1)</script> \"'&"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&#x27;&amp;"
AT = timezone.make_aware(datetime.datetime(2026, 12, 5, 14, 30))


def _org(pk: int, kind: str) -> Organisation:
    return Organisation(pk=pk, name=f"Organisatie {pk} {NASTY}", type=kind)


# --- organisations -----------------------------------------------------------------------------------------

ORG_TAG = Template(
    "{% load case_page %}    {% organisation_rows detail.organisations case may_manage partner_error %}\n"
)
ORG_DEFINITION = get_template("cases/_organisation_rows.html")


def _participations() -> list[CaseOrganisation]:
    rows = []
    for n, (kind, org_type, reason) in enumerate(
        itertools.product(["partner", "melder"], ["zvh", "politie"], ["", f"Omdat {NASTY}\nregel twee"])
    ):
        org = _org(100 + n, org_type)
        link = CaseOrganisation(pk=n + 1, organisation=org, kind=kind, reason=reason, added_at=AT)
        rows.append(link)
    return rows


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("may_manage", [False, True])
@pytest.mark.parametrize("partner_error", [None, (101, f"Geef een reden {NASTY}"), (103, "Fout")])
def test_the_organisation_rows_tag_writes_what_the_rows_template_writes(language, may_manage, partner_error):
    values = {
        "detail": SimpleNamespace(organisations=_participations()),
        "case": SimpleNamespace(pk=4711),
        "may_manage": may_manage,
        "partner_error": partner_error,
        "csrf_token": "tok<en>",
    }
    with override(language):
        expected = ORG_DEFINITION.render(values)
        written = ORG_TAG.render(Context(values))
    assert written == expected
    assert "<script>" not in written and ESCAPED in written
    assert ("/casussen/4711/" in written) == may_manage


def test_no_organisations_write_no_rows():
    values = {"detail": SimpleNamespace(organisations=[]), "case": SimpleNamespace(pk=1), "may_manage": True}
    assert ORG_TAG.render(Context(values)) == "    \n"


# --- an aanmelding's content -------------------------------------------------------------------------------

CONTENT_TAG = Template("{% load case_page %}{% aanmelding_content a persons %}")
CONTENT_DEFINITION = get_template("cases/_aanmelding_content.html")


def _aanmelding(rich: bool, days, knows: bool) -> Aanmelding:
    text = f"Eerste regel {NASTY}\nTweede regel\n\nNieuwe alinea & meer" if rich else ""
    a = Aanmelding(
        pk=9,
        route="veld",
        origin=f"School {NASTY}" if rich else "",
        reason=f"Reden {NASTY}\nnog een regel",
        summary="",
        household=text,
        antecedents=text,
        predictive_notes=text,
        help_tried=text,
        client_knows=knows,
        client_knows_reason=f"Gevaar {NASTY}" if rich else "",
        urgency="hoog",
        desired_response_days=days,
        info_requested=text,
        info_supplied=text,
        supplied_by_org=_org(7, "politie"),
        created_by=User(pk=3, username="u", first_name=NASTY, last_name="de Vries"),
        created_at=AT,
    )
    # What the case page's view adds (views._present_aanmelding).
    a.life_domain_items = [("Wonen", text), (f"Schulden {NASTY}", "geen")] if rich else []
    a.predictive_labels = [f"Factor {NASTY}", "Tweede factor"] if rich else []
    return a


def _persons(rich: bool) -> list[AanmeldingPerson]:
    if not rich:
        return []
    full = Person(
        pk=1,
        first_names=NASTY,
        prefix="van",
        last_name="Dam",
        date_of_birth=datetime.date(1990, 2, 3),
        bsn_encrypted=crypto.encrypt("111222333"),
    )
    bare = Person(pk=2, first_names="", last_name=f"Zonder {NASTY}")
    return [
        AanmeldingPerson(pk=1, person=full, role="pleger", own_view=f"Wil {NASTY}\nrust"),
        AanmeldingPerson(pk=2, person=bare, role="kind", own_view=""),
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("rich", [False, True])
@pytest.mark.parametrize("hide_request", [False, True])
def test_the_aanmelding_content_tag_writes_what_its_template_writes(language, rich, hide_request):
    for days, knows in itertools.product([None, 1, 3], [False, True]):
        values = {"a": _aanmelding(rich, days, knows), "persons": _persons(rich), "hide_request": hide_request}
        with override(language):
            expected = CONTENT_DEFINITION.render(values)
            written = CONTENT_TAG.render(Context(values))
        assert written == expected, (days, knows)
        assert "<script>" not in written and ESCAPED in written
