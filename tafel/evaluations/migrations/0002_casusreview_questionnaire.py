"""The built-in case-review questionnaire (SPEC §5.5): the item list for a case analysis interview of 001 Bijlage 3
(L3763-3839, "Itemlist casusonderzoek"), phrased for a Zorg- en Veiligheidshuis. Every item is an open question;
the sections are kept in order (their headings: tafel.evaluations.review.SECTIONS).

It is created inactive: its answers belong to a casusevaluatie and are only read by those who may read that
evaluation, so the monitor's generic questionnaire page does not offer it on its own."""

from django.db import migrations

CODE = "casusreview"
TITLE = "Casusreview (itemlijst casusanalyse)"
INTRODUCTION = (
    "Interview over het verloop van één casus in het Zorg- en Veiligheidshuis. Noem personen bij hun rol "
    "(vader, moeder, kind 1), nooit bij naam."
)
ZVH = "het Zorg- en Veiligheidshuis"

QUESTIONS = [
    # Algemeen: bespreking in het ZVH
    f"Op welke momenten is de casus besproken in {ZVH}? Was dat op de goede momenten?",
    (
        "Verliep de bespreking effectief? Denk aan: iedereen aan tafel die erbij moest zijn, een helder doel, "
        "volledige informatieverzameling (vooraf en tijdens het overleg), goed afgesproken acties."
    ),
    "Was er sprake van een afgestemde, gezamenlijke aanpak? Waaruit blijkt dat?",
    "Was er steeds iemand met overzicht over de casus? Wie (in welke rol)? Waaruit blijkt dat?",
    # Probleemanalyse
    (
        f"Wat was de kern van de problematiek? In hoeverre heeft de bespreking in {ZVH} eraan bijgedragen de "
        "problematiek helder en scherp te krijgen?"
    ),
    # Aanpak
    f"Welke rol heeft u of uw organisatie gespeeld? Wat was de rol van de medewerkers van {ZVH}?",
    f"Waarom was een aanpak in {ZVH} nodig? Wat is de toegevoegde waarde van het huis?",
    "Wie waren er allemaal betrokken (organisaties en functies)?",
    # Interventies
    (
        "Wat waren de belangrijkste interventies die zijn gepleegd? Het gaat om interventies die direct op de "
        "cliënt(en) gericht waren."
    ),
    "Hoe zijn deze interventies verlopen (per interventie, voor zover u daar zicht op heeft)?",
    # Succesfactoren en verbeterpunten
    (
        "Wat heeft gewerkt en wat niet? Welke acties waren cruciaal, waar ging het mis en hoe kwam dat (was het "
        "te voorkomen)? Denk naast de interventies ook aan cruciale momenten in afstemming en "
        "informatie-uitwisseling."
    ),
    # Resultaten
    "Benoem zo concreet mogelijk de resultaten die zijn geboekt.",
    # Tot slot
    f"In hoeverre is het beeld in deze casus representatief voor de manier waarop {ZVH} in het algemeen casussen behandelt?",
    f"Wat zijn de belangrijkste veranderingen die in de werkwijze van {ZVH} moeten worden gerealiseerd?",
    f"Wat moet er in de werkwijze van {ZVH} absoluut behouden blijven?",
]


def forwards(apps, schema_editor):
    Questionnaire = apps.get_model("reports", "Questionnaire")
    Question = apps.get_model("reports", "Question")
    questionnaire, created = Questionnaire.objects.get_or_create(
        code=CODE, defaults={"title": TITLE, "introduction": INTRODUCTION, "active": False}
    )
    if not created:
        return
    Question.objects.bulk_create(
        Question(questionnaire=questionnaire, order=i, kind="text", text=text) for i, text in enumerate(QUESTIONS, 1)
    )


def backwards(apps, schema_editor):
    Questionnaire = apps.get_model("reports", "Questionnaire")
    Response = apps.get_model("reports", "Response")
    if not Response.objects.filter(questionnaire__code=CODE).exists():
        Questionnaire.objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial"), ("reports", "0003_builtin_questionnaires")]

    operations = [migrations.RunPython(forwards, backwards)]
