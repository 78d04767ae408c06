"""The built-in learning instruments (SPEC §5.5): the partner survey (items and estimates taken from
001 Bijlage 4, "Vragenlijst deelnemers casusoverleg", L3840-4481) and the session ratings after a meeting for
professionals and for clients (SRS-style: four items, 1–10)."""

from django.db import migrations

AGREE = ("helemaal oneens", "helemaal eens")

QUESTIONNAIRES = [
    {
        "code": "partnerenquete",
        "title": "Vragenlijst deelnemers casusoverleg",
        "introduction": (
            "Met deze vragenlijst brengen we in kaart wat het Zorg- en Veiligheidshuis heeft opgeleverd en "
            "welk beeld deelnemers aan het casusoverleg hebben van de richting waarin het huis zich moet "
            "ontwikkelen. Geef bij elke stelling aan in hoeverre je het ermee eens bent."
        ),
        "questions": [
            ("likert", "Het huidige doel van het overleg is helder", *AGREE),
            ("likert", "De criteria voor instroom van de casussen zijn helder", *AGREE),
            ("likert", "De agenda wordt tijdig verzonden", *AGREE),
            (
                "likert",
                "Het is goed duidelijk per casus wat van mij wordt verwacht (wat betreft de voorbereiding)",
                *AGREE,
            ),
            ("likert", "Alle partners hebben zich meestal voldoende voorbereid", *AGREE),
            (
                "likert",
                "Het casusoverleg heeft geleid tot betere verbindingen tussen onze organisatie en de partners",
                *AGREE,
            ),
            ("likert", "Casusoverleg draagt bij aan het bereiken van de doelen van mijn organisatie", *AGREE),
            ("likert", "Ik weet dat partners aan tafel verstandig omgaan met cliëntinformatie die ik verstrek", *AGREE),
            (
                "likert",
                "De aanwezige partijen hebben voldoende mandaat om direct concrete acties af te spreken",
                *AGREE,
            ),
            ("likert", "De informatie ter tafel is in de meeste gevallen voldoende volledig en juist", *AGREE),
            ("number", "Hoeveel tijd investeer je gemiddeld per casusoverleg aan voorbereiding (minuten)?", "", ""),
            (
                "number",
                "Hoeveel tijd investeer je gemiddeld per casusoverleg aan overleg en afstemming achteraf (minuten)?",
                "",
                "",
            ),
            (
                "number",
                "In hoeveel procent van de casussen vertrok je na het overleg met een opdracht om actie te ondernemen?",
                "",
                "",
            ),
            ("text", "Wat beschouw jij als de huidige kracht van het Zorg- en Veiligheidshuis?", "", ""),
        ],
    },
    {
        "code": "sessie-professional",
        "title": "Beoordeling van het overleg (professional)",
        "introduction": "Hoe was het overleg van vandaag voor jou? Geef per vraag een cijfer van 1 tot 10.",
        "questions": [
            (
                "scale10",
                "Ik voelde me gehoord en mijn informatie werd serieus genomen",
                "helemaal niet",
                "helemaal wel",
            ),
            ("scale10", "We hebben besproken wat voor deze casus echt nodig was", "helemaal niet", "helemaal wel"),
            ("scale10", "De afspraken zijn concreet: wie doet wat en wanneer", "helemaal niet", "helemaal wel"),
            ("scale10", "Over het geheel was dit overleg de tijd waard", "helemaal niet", "helemaal wel"),
        ],
    },
    {
        "code": "sessie-client",
        "title": "Beoordeling van het gesprek (cliënt)",
        "introduction": "Hoe was het gesprek van vandaag voor u? Geef per vraag een cijfer van 1 tot 10.",
        "questions": [
            ("scale10", "Ik voelde me gehoord, begrepen en gerespecteerd", "helemaal niet", "helemaal wel"),
            ("scale10", "We hebben gepraat over wat ik belangrijk vind", "helemaal niet", "helemaal wel"),
            ("scale10", "De manier van werken past bij mij", "helemaal niet", "helemaal wel"),
            ("scale10", "Over het geheel was het gesprek goed voor mij", "helemaal niet", "helemaal wel"),
        ],
    },
]


def forwards(apps, schema_editor):
    Questionnaire = apps.get_model("reports", "Questionnaire")
    Question = apps.get_model("reports", "Question")
    for spec in QUESTIONNAIRES:
        questionnaire, created = Questionnaire.objects.get_or_create(
            code=spec["code"], defaults={"title": spec["title"], "introduction": spec["introduction"]}
        )
        if not created:
            continue
        Question.objects.bulk_create(
            Question(questionnaire=questionnaire, order=i, kind=kind, text=text, low_label=low, high_label=high)
            for i, (kind, text, low, high) in enumerate(spec["questions"], start=1)
        )


def backwards(apps, schema_editor):
    apps.get_model("reports", "Questionnaire").objects.filter(code__in=[q["code"] for q in QUESTIONNAIRES]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_research_export_and_learning_instruments")]

    operations = [migrations.RunPython(forwards, backwards)]
