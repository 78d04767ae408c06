"""Ship the seven overleg types of SPEC §4.1 with sensible defaults; the beheerder can change them."""

from django.db import migrations

INVITATION_TEXT = (
    "Beste {naam},\n\n"
    "Wij nodigen u uit voor het {overleg} op {datum} om {tijd}.\n"
    "Plaats: {plaats}\n{videolink}\n"
    "U bent uitgenodigd omdat u de betrokkenen of de situatie kent. Uw kennis is nodig om samen tot één "
    "plan te komen. Kunt u niet? Laat het ons weten en stuur, als het kan, een collega die de casus kent.\n\n"
    "Agenda (kenmerken; de inhoud leest u in Tafel):\n{agenda}\n\n"
    "Wilt u vooraf in Tafel een korte update geven over de huidige situatie?\n\n"
    "Met vriendelijke groet,\n{voorzitter}"
)

TYPES = [
    {
        "code": "triage",
        "name": "Triage / weegoverleg",
        "purpose": "Nieuwe aanmeldingen toetsen aan de criteria a–e en besluiten over de route.",
        "default_participant_types": ["zvh", "politie", "om", "reclassering", "gemeente", "veilig_thuis"],
        "minutes_per_case": 10,
        "clients_invited_by_default": False,
        "split_om_part": False,
        "max_at_table": 8,
        "asynchronous": False,
    },
    {
        "code": "com",
        "name": "Casus-op-Maat (COM) / focusoverleg",
        "purpose": "Eén casus, alleen de professionals die nodig zijn, cliënt uitgenodigd; geen vast ritme "
        "(001:L1349).",
        "default_participant_types": ["zvh", "gemeente"],
        "minutes_per_case": 45,
        "clients_invited_by_default": True,
        "split_om_part": True,
        "max_at_table": 8,
        "asynchronous": False,
    },
    {
        "code": "mda",
        "name": "MDA++-overleg",
        "purpose": "Het hele gezinssysteem, voor de lange termijn: 'tot het veilig is'.",
        "default_participant_types": [
            "zvh", "veilig_thuis", "politie", "om", "reclassering", "raad", "jeugdbescherming", "ggz", "gemeente",
        ],
        "minutes_per_case": 60,
        "clients_invited_by_default": True,
        "split_om_part": True,
        "max_at_table": 10,
        "asynchronous": False,
    },
    {
        "code": "actieoverleg",
        "name": "Actieoverleg",
        "purpose": "Politie, Veilig Thuis, OM, reclassering en Raad delen informatie, duiden die en besluiten "
        "over een veiligheidsplan (003:L402-503).",
        "default_participant_types": ["politie", "veilig_thuis", "om", "reclassering", "raad"],
        "minutes_per_case": 15,
        "clients_invited_by_default": False,
        "split_om_part": False,
        "max_at_table": 8,
        "asynchronous": False,
    },
    {
        "code": "justitieel",
        "name": "Justitieel casusoverleg / ZSM-advies",
        "purpose": "Strafrechtelijke afstemming en een afdoeningsadvies voor ZSM.",
        "default_participant_types": ["om", "politie", "reclassering", "raad", "zvh"],
        "minutes_per_case": 10,
        "clients_invited_by_default": False,
        "split_om_part": False,
        "max_at_table": 8,
        "asynchronous": False,
    },
    {
        "code": "virtueel",
        "name": "Virtueel overleg",
        "purpose": "Standaard- en vervolgcasussen, asynchroon afgehandeld (000:L3847).",
        "default_participant_types": ["zvh"],
        "minutes_per_case": 5,
        "clients_invited_by_default": False,
        "split_om_part": False,
        "max_at_table": 12,
        "asynchronous": True,
    },
    {
        "code": "casusevaluatie",
        "name": "Casusevaluatie",
        "purpose": "Terugkijken op een casus: wat werkte, wat niet, wat leren we (SPEC §5.5).",
        "default_participant_types": ["zvh"],
        "minutes_per_case": 60,
        "clients_invited_by_default": False,
        "split_om_part": False,
        "max_at_table": 10,
        "asynchronous": False,
    },
]


def add_types(apps, schema_editor):
    OverlegType = apps.get_model("meetings", "OverlegType")
    for row in TYPES:
        OverlegType.objects.update_or_create(
            code=row["code"], defaults={**row, "invitation_text": INVITATION_TEXT}
        )


def remove_types(apps, schema_editor):
    apps.get_model("meetings", "OverlegType").objects.filter(code__in=[t["code"] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(add_types, remove_types)]
