"""The built-in case-review questionnaire (001 Bijlage 3), created by migration 0002 with code "casusreview".
Its items are open questions; the section headings of the item list are kept here by the order of the first
question in each section."""

from __future__ import annotations

from dataclasses import dataclass

from tafel.core.errors import NotFound
from tafel.reports.models import Questionnaire

CODE = "casusreview"


@dataclass(frozen=True)
class Sections:
    starts: tuple[tuple[int, str], ...]

    def heading(self, order: int) -> str:
        current = self.starts[0][1]
        for start, title in self.starts:
            if order >= start:
                current = title
        return current

    def group(self, pairs):
        """[(question, value)] → [(heading, [(question, value)])] in order."""
        out: list[tuple[str, list]] = []
        for question, value in pairs:
            heading = self.heading(question.order)
            if not out or out[-1][0] != heading:
                out.append((heading, []))
            out[-1][1].append((question, value))
        return out


SECTIONS = Sections(
    (
        (1, "Algemeen: bespreking in het ZVH"),
        (5, "Probleemanalyse"),
        (6, "Aanpak"),
        (9, "Interventies"),
        (11, "Succesfactoren en verbeterpunten"),
        (12, "Resultaten"),
        (13, "Tot slot"),
    )
)


def questionnaire() -> Questionnaire:
    found = Questionnaire.objects.filter(code=CODE).prefetch_related("questions").first()
    if found is None:
        raise NotFound("De vragenlijst voor de casusreview ontbreekt (migratie evaluations 0002).")
    return found
