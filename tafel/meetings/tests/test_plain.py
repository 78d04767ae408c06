"""The family's plan in plain Dutch (issue 12, item 6): one sentence per action, written from its parts."""

import datetime
from types import SimpleNamespace

import pytest

from tafel.core.dates import format_date
from tafel.meetings.plain import (
    Doer,
    action_sentence,
    contact_sentence,
    is_whole_sentence,
    join_names,
    plan_action_sentence,
)

DAY = datetime.date(2026, 10, 17)


def _user(first, last, org=None, job_title=""):
    return SimpleNamespace(
        get_full_name=lambda: f"{first} {last}",
        get_username=lambda: first.lower(),
        organisation=org,
        job_title=job_title,
    )


def _action(*, owner=None, co_owner=None, organisation=None, what="", plain="", deadline=None, member=""):
    return SimpleNamespace(
        owner=owner,
        co_owner=co_owner,
        organisation=organisation,
        organisation_id=1 if organisation else None,
        what=what,
        plain_text=plain,
        deadline=deadline,
        family_member=member,
    )


THOMAS = _user("Thomas", "de Vries", "Politie")
ANNA = _user("Anna", "Jansen", "Veilig Thuis")


def test_the_reported_broken_sentence_is_written_properly():
    # The issue: "Thomas … gaat Papa gaat praten met een hulpverlener".
    sentence = plan_action_sentence(_action(owner=THOMAS, plain="Papa gaat praten met een hulpverlener"))
    assert sentence == "Papa gaat praten met een hulpverlener. Thomas de Vries (Politie) helpt daarbij."
    assert "gaat Papa" not in sentence


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (
            _action(owner=THOMAS, plain="met de school praten", deadline=DAY),
            "Thomas de Vries (Politie) gaat uiterlijk 17 okt. 2026 met de school praten.",
        ),
        (
            _action(owner=THOMAS, plain="bij u thuis langskomen"),
            "Thomas de Vries (Politie) gaat bij u thuis langskomen.",
        ),
        (
            _action(owner=THOMAS, co_owner=ANNA, plain="samen bij u langskomen"),
            "Thomas de Vries (Politie) en Anna Jansen (Veilig Thuis) gaan samen bij u langskomen.",
        ),
        (_action(organisation="Veilig Thuis", plain="Een gesprek plannen."), "Veilig Thuis gaat een gesprek plannen."),
        (_action(plain="met de huisarts bellen"), "Wie gaat met de huisarts bellen? Dat spreken we nog met elkaar af."),
        (
            _action(plain="met de huisarts bellen", deadline=DAY),
            "Wie gaat uiterlijk 17 okt. 2026 met de huisarts bellen? Dat spreken we nog met elkaar af.",
        ),
        (
            _action(owner=ANNA, member="Papa", plain="praten met een hulpverlener", deadline=DAY),
            "Papa gaat uiterlijk 17 okt. 2026 praten met een hulpverlener. Anna Jansen (Veilig Thuis) helpt daarbij.",
        ),
        (
            _action(member="Papa en mama", plain="samen een opvoedcursus volgen"),
            "Papa en mama gaan samen een opvoedcursus volgen.",
        ),
        (_action(member="de ouders", plain="elke week bellen"), "De ouders gaan elke week bellen."),
        # A leading auxiliary typed out of habit is not doubled.
        (
            _action(owner=THOMAS, plain="gaat met de school praten"),
            "Thomas de Vries (Politie) gaat met de school praten.",
        ),
        # Without plain text the professional's text is used.
        (_action(owner=THOMAS, what="Schoolgesprek plannen"), "Thomas de Vries (Politie) gaat schoolgesprek plannen."),
        # A name at the start keeps its capital.
        (
            _action(owner=ANNA, plain="Lisa naar de huisarts brengen"),
            "Anna Jansen (Veilig Thuis) gaat Lisa naar de huisarts brengen.",
        ),
        # A whole sentence with a date: the date is its own sentence.
        (
            _action(owner=THOMAS, plain="De school belt u", deadline=DAY),
            "De school belt u. Thomas de Vries (Politie) helpt daarbij. Dat gebeurt uiterlijk 17 okt. 2026.",
        ),
        # The doer named in the sentence is not named again.
        (_action(owner=THOMAS, plain="Thomas komt langs"), "Thomas komt langs."),
        (_action(plain="U krijgt een brief."), "U krijgt een brief."),
        (_action(member="u", plain="contact opnemen met de huisarts"), "U gaat contact opnemen met de huisarts."),
    ],
)
def test_action_sentence_for_many_plan_shapes(action, expected):
    assert plan_action_sentence(action) == expected


def test_every_sentence_starts_with_a_capital_and_ends_with_a_full_stop_or_question():
    for text in ("met de school praten", "Papa gaat praten", "  bellen  ", "gaan bellen."):
        for doers in ([], [Doer("Veilig Thuis")], [Doer("Papa"), Doer("mama")]):
            sentence = action_sentence(doers=doers, text=text, deadline=DAY)
            assert sentence[0].isupper() and sentence[-1] in ".?"
            assert ".." not in sentence and "  " not in sentence
            assert "gaat gaat" not in sentence and "gaan gaan" not in sentence


def test_whole_sentence_detection():
    assert is_whole_sentence("Papa gaat praten met een hulpverlener")
    assert is_whole_sentence("Papa en mama gaan samen naar de cursus")
    assert not is_whole_sentence("met de school praten")
    assert not is_whole_sentence("gaat met de school praten")
    assert not is_whole_sentence("samen met mama gaan praten")


def test_join_names():
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B"]) == "A en B"
    assert join_names(["A", "B", "C"]) == "A, B en C"


def test_contact_sentence_names_the_fixed_contact_or_the_house():
    assert contact_sentence(_user("Anna", "Jansen", "Veilig Thuis", "casusregisseur"), house_name="ZVH") == (
        "Uw vaste contactpersoon is Anna Jansen (casusregisseur, Veilig Thuis)."
    )
    assert contact_sentence(None, house_name="Zorg- en Veiligheidshuis") == (
        "Uw vaste contactpersoon hoort u nog van Zorg- en Veiligheidshuis."
    )


def test_one_date_format():
    assert format_date(DAY, language="nl") == "17 okt. 2026"
    assert format_date(datetime.date(2026, 5, 3), language="nl") == "3 mei 2026"
    assert format_date(DAY, language="en") == "17 Oct 2026"
    moment = datetime.datetime(2026, 10, 17, 12, 30, tzinfo=datetime.UTC)
    assert format_date(moment, with_time=True, language="nl") == "17 okt. 2026 14:30"  # Amsterdam, summer time
    assert format_date(DAY, weekday=True, language="nl") == "zaterdag 17 okt. 2026"
    assert format_date(None) == ""
    assert format_date("2026-10-17", language="nl") == "17 okt. 2026"
