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

from tafel.cases.models import (
    Aanmelding,
    AanmeldingPerson,
    CaseOrganisation,
    CasePerson,
    CaseStatusChange,
    Triage,
    TriageCriterion,
)
from tafel.core import crypto
from tafel.core.jsonrows import set_prefetched
from tafel.organisations.models import Municipality, Organisation, User
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


# --- persons, status history, triage decisions -------------------------------------------------------------


def _render_both(definition: str, tag: str, values: dict, language: str) -> tuple[str, str]:
    with override(language):
        expected = get_template(definition).render(values)
        written = Template("{% load case_page %}" + tag).render(Context(values))
    return written, expected


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_person_rows_tag_writes_what_the_rows_template_writes(language):
    place = Municipality(pk=3, name=f"Hilversum {NASTY}")
    full = Person(
        pk=1,
        first_names=NASTY,
        last_name="Dam",
        birth_last_name=f"Geboren {NASTY}",
        date_of_birth=datetime.date(1990, 2, 3),
        bsn_encrypted=crypto.encrypt("111222333"),
        address=f"Straat 1 {NASTY}",
        municipality=place,
    )
    bare = Person(pk=2, last_name="Zonder")
    persons = [
        CasePerson(pk=1, person=full, role="pleger", role_changed_at=AT),
        CasePerson(pk=2, person=bare, role="kind"),
    ]
    values = {"detail": SimpleNamespace(persons=persons)}
    tag = "    {% person_rows detail.persons %}\n"
    written, expected = _render_both("cases/_person_rows.html", tag, values, language)
    assert written == expected
    assert "<script>" not in written and ESCAPED in written and "—" in written


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_history_rows_tag_writes_what_the_rows_template_writes(language):
    with_org = User(pk=4, username="a", first_name=NASTY, last_name="B", organisation=_org(8, "zvh"))
    without = User(pk=5, username="b", first_name="C", last_name="D")
    history = [
        CaseStatusChange(pk=1, at=AT, from_status="", to_status="aangemeld", actor=without, reason=""),
        CaseStatusChange(pk=2, at=AT, from_status="aangemeld", to_status="actief", actor=with_org, reason=NASTY),
    ]
    values = {"detail": SimpleNamespace(history=history)}
    written, expected = _render_both(
        "cases/_history_rows.html", "    {% history_rows detail.history %}\n", values, language
    )
    assert written == expected
    assert "<script>" not in written and ESCAPED in written


def _triages() -> list[Triage]:
    decider = User(pk=6, username="d", first_name=NASTY, last_name="E")
    triages = []
    kinds = itertools.product(["desk", "team"], [[], [decider]], ["", NASTY], [False, True])
    for n, (mode, members, others, rich) in enumerate(kinds, start=1):
        text = f"Regel {NASTY}\ntwee" if rich else ""
        t = Triage(
            pk=n,
            decided_by=decider,
            decided_at=AT,
            mode=mode,
            team_others=others,
            outcome="lokaal" if rich else "zvh_com",
            lokaal_reason="a" if rich else "",
            override_reason=text,
            caseload_override_reason=text,
            missing_info=text,
            feedback=text,
        )
        criteria = [
            TriageCriterion(pk=2 * n, triage=t, criterion="a", met=True, argument=f"Omdat {NASTY}\nja"),
            TriageCriterion(pk=2 * n + 1, triage=t, criterion="b", met=False, argument=""),
        ]
        set_prefetched(t, "criteria", criteria if rich else [])
        set_prefetched(t, "team_members", members)
        triages.append(t)
    return triages


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("may_triage", [False, True])
def test_the_triage_panels_tag_writes_what_the_template_writes(language, may_triage):
    tag = "  {% triage_panels detail.triages case may_triage %}\n"
    for triages in (_triages(), []):
        detail = SimpleNamespace(triages=triages)
        values = {"detail": detail, "case": SimpleNamespace(pk=4711), "may_triage": may_triage}
        written, expected = _render_both("cases/_triage_panels.html", tag, values, language)
        assert written == expected
        if triages:
            assert "<script>" not in written and ESCAPED in written
        else:
            assert ("/casussen/4711/" in written) == may_triage


# --- the whole page ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_case_page_escapes_names_and_texts_that_look_like_html(
    client, procesregisseur, professional, municipality, language
):
    """A person, an aanmelding's texts, a note and an organisation named like markup are shown as text on the case
    page (the parts written in Python included), never as markup."""
    from django.urls import reverse

    from tafel.cases.services import PersonInput, case_add_note
    from tafel.testing import make_case

    person = PersonInput(
        first_names=NASTY, last_name=f"Dam {NASTY}", date_of_birth=datetime.date(1980, 3, 14), gender="m", role="pleger"
    )
    case = make_case(
        professional,
        municipality,
        persons=[person],
        reason=f"Reden {NASTY}",
        summary=f"Analyse {NASTY}",
        origin=f"Herkomst {NASTY}",
        life_domains={"huisvesting": f"Wonen {NASTY}"},
    )
    case_add_note(actor=professional, case=case, text=f"Notitie {NASTY}\ntweede regel")
    client.force_login(procesregisseur)
    response = client.get(reverse("cases:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html and "\"'&" not in html
    # Every one of them is on the page, escaped: the person (persons table and aanmelding), the aanmelding's texts,
    # the life domain and the note.
    for shown in ("Dam ", "Reden ", "Analyse ", "Herkomst ", "Wonen ", "Notitie "):
        assert f"{shown}{ESCAPED}" in html, shown
