"""One date format for readers (issue 12, item 8): Dutch "17 okt. 2026", English "17 Oct 2026", in templates
through the builtin filters and in services' Dutch texts through `nl_date`."""

import datetime
import pathlib
import re

from django.template import Context, Template
from django.utils import translation

from tafel.core.dates import nl_date, nl_datetime

DAY = datetime.date(2026, 10, 17)
MOMENT = datetime.datetime(2026, 10, 17, 12, 30, tzinfo=datetime.UTC)


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_template_filters_follow_the_page_language():
    with translation.override("nl"):
        assert _render("{{ d|datum }}", d=DAY) == "17 okt. 2026"
        assert _render("{{ t|datumtijd }}", t=MOMENT) == "17 okt. 2026 14:30"
        assert _render("{{ d|dagdatum }}", d=DAY) == "zaterdag 17 okt. 2026"
    with translation.override("en"):
        assert _render("{{ d|datum }}", d=DAY) == "17 Oct 2026"
        assert _render("{{ t|datumtijd }}", t=MOMENT) == "17 Oct 2026 14:30"


def test_service_texts_are_dutch_whatever_the_page_language():
    with translation.override("en"):
        assert nl_date(DAY) == "17 okt. 2026" and nl_datetime(MOMENT) == "17 okt. 2026 14:30"


def test_no_template_formats_a_date_its_own_way():
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.html"):
        for match in re.finditer(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8")):
            if match.group(1) not in {"H:i"}:  # a time of day alone
                offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert offenders == []
