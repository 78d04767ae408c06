"""The gespreksleidraad (conversation guide) as data: per phase, its BOB sections and questions.

Source: "Leidraad Gezamenlijke Analyse en Planvorming", 002:L4134-4495 (BOB, gefaseerde ketenzorg and two
Signs of Safety elements). The regisseur picks which parts fit this meeting; each part names the
structured fields of `CaseDiscussion` it fills in, so pages show only what was picked.
"""

from __future__ import annotations

from dataclasses import dataclass

from tafel.cases.models import Phase


@dataclass(frozen=True)
class Question:
    text: str
    prompts: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuidePart:
    code: str
    title: str
    questions: tuple[Question, ...]
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseGuide:
    phase: str
    title: str
    goal: str
    scale_question: str
    parts: tuple[GuidePart, ...]

    def part(self, code: str) -> GuidePart | None:
        return next((p for p in self.parts if p.code == code), None)


_VOORAF = GuidePart(
    "vooraf",
    "Vooraf: beeld van het gezin",
    (
        Question(
            "Beeld van het gezin",
            (
                "Wat is de gezinssamenstelling en thuissituatie?",
                "Werken betrokkenen mee?",
                "Inventarisatie op alle leefgebieden",
            ),
        ),
        Question("Welke hulpverlening is betrokken?", ("Waar is deze hulp op gericht?",)),
    ),
    ("family_picture", "help_involved"),
)


def _scale(question: str, prompts: tuple[str, ...]) -> GuidePart:
    return GuidePart("schaalvraag", "Schaalvraag", (Question(question, prompts),), ())


def _brainstorm(goal: str) -> Question:
    return Question(
        f"Brainstorm: welke acties zijn er mogelijk om {goal}?",
        (
            "Wat kan jij vanuit jouw organisatie bieden?",
            "Wat verwacht jij van andere organisaties?",
            "Welke out-of-the-box ideeën heb je?",
        ),
    )


_PRIORITY = Question(
    "Welke acties moeten prioriteit hebben en waarom?",
    (
        "Welke acties hebben prioriteit voor de cliënt?",
        "Hoe kijken materiedeskundigen/expertpoolleden hiernaar?",
        "Wat is de belastbaarheid van de cliënt met betrekking tot deze acties?",
    ),
)


def _interventions(goal: str) -> Question:
    return Question(
        f"Welke interventies gaan we inzetten ten behoeve van {goal}?",
        ("Wie doet wat en wanneer?", "Wat zijn de bodemeisen en wie bewaakt deze?"),
    )


def _samenwerking(with_bodemeis_breach: bool = True) -> GuidePart:
    prompts = ["Wat wordt de tijdslijn?", "Op welk moment komen we weer bij elkaar?"]
    if with_bodemeis_breach:
        prompts.append("Wat doen we als de bodemeisen niet worden nagekomen?")
    prompts.append("Op welke wijze houden we elkaar op de hoogte?")
    return GuidePart(
        "samenwerking",
        "Afspraken over samenwerking",
        (Question("Afspraken over samenwerking", tuple(prompts)),),
        ("timeline", "keep_informed"),
    )


DIRECTE_VEILIGHEID = PhaseGuide(
    Phase.DIRECTE_VEILIGHEID,
    "Directe veiligheid: samenwerken aan veiligheid en een veiligheidsplan",
    "Zicht op de zorgen rondom veiligheid en wat gedaan moet worden om directe veiligheid te creëren.",
    "Op een schaal van 1-10: hoe bezorgd ben je over de directe veiligheid van de betrokkenen?",
    (
        _VOORAF,
        GuidePart(
            "beeldvorming",
            "Beeldvorming",
            (
                Question(
                    "Wat zijn de zorgen ten aanzien van de onveiligheid?",
                    (
                        "Wie is er bezorgd om de veiligheid van wie en waarom?",
                        "Waar maken we ons zorgen over?",
                        "Top 3 geweldsincidenten: eerste, ergste en laatste",
                        "Is er eerder sprake geweest van huiselijk geweld?",
                        "Wat is het grootste gevaar en voor wie en wat zijn de mogelijke gevolgen?",
                    ),
                ),
                Question(
                    "Welke onderliggende patronen veroorzaken de onveiligheid of houden dit in stand?",
                    ("Aan welke daarvan moet als eerste gewerkt worden om directe veiligheid te creëren?",),
                ),
                Question(
                    "Welke krachten zijn er nu in het gezin?",
                    (
                        "Wat zorgt voor veiligheid?",
                        "Welke van deze krachten kunnen benut worden om directe veiligheid te creëren?",
                    ),
                ),
                Question("Wat weten we nog niet?", ("Zitten alle relevante personen aan tafel?",)),
            ),
            (
                "worries",
                "incident_first",
                "incident_worst",
                "incident_latest",
                "earlier_violence",
                "greatest_danger",
                "patterns",
                "strengths",
                "support_per_member",
                "unknowns",
                "right_people_at_table",
            ),
        ),
        _scale(
            "Op een schaal van 1-10: hoe bezorgd ben je over de directe veiligheid van de betrokkenen?",
            (
                "Wat is de onderbouwing voor het cijfer?",
                "Hoe ernstig vind je wat er nu speelt?",
                "Hoe groot zijn de gevolgen voor de betrokkenen van deze situatie?",
                "Hoe schat je de kans in dat de onveiligheid zich herhaalt en/of verergert?",
                "Wat is de visie van betrokkenen?",
            ),
        ),
        GuidePart(
            "oordeelsvorming",
            "Oordeelsvorming",
            (
                Question(
                    "Zijn er nog zorgen om de directe veiligheid of kunnen we gaan werken aan de risico's?",
                    ("Indien het eerste: ga door. Indien het laatste: door naar risicogestuurde zorg.",),
                ),
                Question(
                    "Wat is nu nodig om directe veiligheid te creëren?",
                    (
                        "Wat denkt het gezin dat er nodig is voor directe veiligheid?",
                        "Wat moet er minimaal gerealiseerd worden aan veiligheid (bodemeisen)?",
                        "Hoe weten we wanneer er directe veiligheid is?",
                    ),
                ),
            ),
            ("oordeel", "oordeel_note", "family_view_needed", "safe_when"),
        ),
        GuidePart(
            "besluitvorming",
            "Besluitvorming",
            (
                _brainstorm("in dit gezin directe veiligheid te creëren"),
                _PRIORITY,
                _interventions("de directe veiligheid"),
            ),
            ("brainstorm", "shortlist"),
        ),
        _samenwerking(),
    ),
)

RISICOGESTUURDE_ZORG = PhaseGuide(
    Phase.RISICOGESTUURDE_ZORG,
    "Risicogestuurde zorg: samenwerken aan de risico's van (herhaling van) onveiligheid",
    "Zicht op de risicofactoren voor geweld en wat gedaan moet worden om stabiele veiligheid te creëren.",
    "Op een schaal van 1-10: hoe bezorgd ben je over de stabiele veiligheid van de betrokkenen?",
    (
        _VOORAF,
        GuidePart(
            "beeldvorming",
            "Beeldvorming",
            (
                Question(
                    "Wat is de huidige stand van zaken met betrekking tot de directe veiligheid?",
                    (
                        "Indien hier zorgen om zijn: terug naar de fase directe veiligheid.",
                        "Wat zijn de veiligheidsafspraken en bodemeisen? Zijn hier aanpassingen in nodig?",
                    ),
                ),
                Question(
                    "Welke risicofactoren en onderliggende patronen veroorzaken de (kans op) onveiligheid?",
                    (
                        "Onderscheid statische en dynamische, en individuele en systemische risicofactoren.",
                        "Top 3 risico's: aan welke drie moet als eerste gewerkt worden?",
                        "Wat is er in het verleden en heden ingezet met betrokkenen?",
                        "Welke problemen ervaren betrokkenen met de hulpverlening?",
                    ),
                ),
                Question(
                    "Welke krachten zijn er in het gezin?",
                    (
                        "Welke steunbronnen zijn er voor ieder gezinslid?",
                        "Op welke momenten ging het goed met betrokkenen? Wat beïnvloedde dat?",
                    ),
                ),
                Question("Wat weten we nog niet?", ("Zitten de juiste mensen aan tafel?",)),
            ),
            (
                "worries",
                "patterns",
                "risks",
                "tried_before",
                "strengths",
                "support_per_member",
                "unknowns",
                "right_people_at_table",
            ),
        ),
        _scale(
            "Op een schaal van 1-10: hoe bezorgd ben je over de stabiele veiligheid van de betrokkenen?",
            (
                "Wat is de onderbouwing voor het cijfer?",
                "Hoe ernstig schat je de risicofactoren in?",
                "Hoe schat je de kans in dat er opnieuw onveiligheid komt?",
                "Wat is de visie van betrokkenen?",
            ),
        ),
        GuidePart(
            "oordeelsvorming",
            "Oordeelsvorming",
            (
                Question(
                    "Zijn er opnieuw zorgen om de directe veiligheid?",
                    ("Zo ja: terug naar de fase directe veiligheid.",),
                ),
                Question(
                    "Zijn er nog zorgen om de stabiele veiligheid of kunnen we gaan werken aan herstel?",
                    ("Indien het eerste: ga door. Indien het laatste: door naar herstelgerichte zorg.",),
                ),
                Question(
                    "Wat is nodig om stabiele veiligheid te creëren?",
                    (
                        "Wat denkt het gezin dat er nodig is voor stabiele veiligheid?",
                        "Wat moet er minimaal gerealiseerd worden aan veiligheid (bodemeisen)?",
                        "Hoe weten we wanneer er stabiele veiligheid is?",
                    ),
                ),
            ),
            ("oordeel", "oordeel_note", "family_view_needed", "safe_when"),
        ),
        GuidePart(
            "besluitvorming",
            "Besluitvorming",
            (
                _brainstorm("in dit gezin stabiele veiligheid te creëren"),
                _PRIORITY,
                _interventions("de stabiele veiligheid"),
            ),
            ("brainstorm", "shortlist"),
        ),
        _samenwerking(),
    ),
)

HERSTELGERICHTE_ZORG = PhaseGuide(
    Phase.HERSTELGERICHTE_ZORG,
    "Herstelgerichte zorg: samenwerken voor herstel en kwaliteit van leven",
    "Zicht op wat nodig is om de veiligheid vast te houden en de opgelopen schade te herstellen.",
    "Op een schaal van 1-10: wat is de kwaliteit van leven van de betrokkenen?",
    (
        _VOORAF,
        GuidePart(
            "beeldvorming",
            "Beeldvorming",
            (
                Question(
                    "Wat is de huidige stand van zaken met betrekking tot de directe en stabiele veiligheid?",
                    (
                        "Indien hier zorgen om zijn: terug naar directe veiligheid of risicogestuurde zorg.",
                        "Wat zijn de veiligheidsafspraken en bodemeisen? Zijn hier aanpassingen in nodig?",
                    ),
                ),
                Question(
                    "Wat heeft het gezin nodig om de ingezette koers vol te houden?",
                    (
                        "Wat ging goed en hoe kan het goed blijven gaan?",
                        "Hoe ziet het sociale netwerk eruit en op wie kan het gezin terugvallen?",
                    ),
                ),
                Question(
                    "Op welke gebieden is herstel nodig?",
                    (
                        "Top 3 herstelpunten: waar is herstel nodig om blijvend balans in het gezin te creëren?",
                        "Op welk gebied is inzet voor langere tijd noodzakelijk?",
                    ),
                ),
                Question("Hoe zien gezinsleden de toekomst voor ogen?"),
                Question("Wat weten we nog niet?", ("Zitten de juiste mensen aan tafel?",)),
            ),
            (
                "worries",
                "strengths",
                "social_network",
                "recovery_points",
                "future_view",
                "support_per_member",
                "unknowns",
                "right_people_at_table",
            ),
        ),
        _scale(
            "Op een schaal van 1-10: wat is de kwaliteit van leven van de betrokkenen?",
            (
                "Wat is de onderbouwing voor het cijfer?",
                "Hoe ernstig schat je de schade naar aanleiding van het geweld in?",
                "Hoe dicht zitten we bij het hoogst haalbare voor dit gezin?",
                "Wat is de visie van betrokkenen?",
            ),
        ),
        GuidePart(
            "oordeelsvorming",
            "Oordeelsvorming",
            (
                Question(
                    "Zijn er opnieuw zorgen om de directe of stabiele veiligheid?",
                    ("Zo ja: terug naar directe veiligheid of risicogestuurde zorg.",),
                ),
                Question(
                    "Zijn er nog stappen nodig om tot herstel te komen?",
                    ("Indien nee: door naar besluitvorming en maak een afsluitingsplan.",),
                ),
                Question(
                    "Wat is nodig om te herstellen van de gebeurtenissen?",
                    (
                        "Waar wil het gezin aan werken om hun welzijn te vergroten?",
                        "Wat moet er minimaal gerealiseerd worden aan welzijn?",
                        "Hoe weten we wanneer gezinsleden hersteld zijn?",
                    ),
                ),
            ),
            ("oordeel", "oordeel_note", "family_view_needed", "safe_when"),
        ),
        GuidePart(
            "besluitvorming",
            "Besluitvorming",
            (
                _brainstorm("herstel en welzijn te creëren"),
                _PRIORITY,
                _interventions("het herstel van de gezinsleden"),
            ),
            ("brainstorm", "shortlist"),
        ),
        _samenwerking(with_bodemeis_breach=False),
        GuidePart(
            "afsluitingsplan",
            "Afsluitingsplan",
            (Question("Indien de casus afgesloten wordt: wat is het plan als het later toch weer niet goed gaat?"),),
            ("afsluitingsplan",),
        ),
    ),
)

GUIDES: dict[str, PhaseGuide] = {g.phase: g for g in (DIRECTE_VEILIGHEID, RISICOGESTUURDE_ZORG, HERSTELGERICHTE_ZORG)}

PHASE_ORDER = [Phase.DIRECTE_VEILIGHEID, Phase.RISICOGESTUURDE_ZORG, Phase.HERSTELGERICHTE_ZORG]


def guide_for(phase: str) -> PhaseGuide:
    return GUIDES.get(phase) or DIRECTE_VEILIGHEID


def all_part_codes(phase: str) -> list[str]:
    return [p.code for p in guide_for(phase).parts]
