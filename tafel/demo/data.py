"""Fixed data of the demo: the region, organisations, users, proportions, names and text templates.

Figures follow SPEC §8 and the source reports; texts are written to read like real referrals.
"""

from __future__ import annotations

from faker.providers.person.nl_NL import Provider as NlPersonProvider

from tafel.cases.models import CaseStatus, EntryRoute, InfoCategory, Theme, TriageOutcome, Urgency
from tafel.demo.accounts import DEMO_ACCOUNTS, HOUSE
from tafel.organisations.models import OrganisationType, Role

# --- the region -------------------------------------------------------------------------------------------

# (name, CBS code, weight = caseload 2013 from 001 Table 3, places with postcode ranges)
MUNICIPALITIES = [
    ("Hilversum", "GM0402", 177, [("Hilversum", 1211, 1223)]),
    ("Bussum", "GM0381", 45, [("Bussum", 1401, 1406)]),
    ("Huizen", "GM0406", 35, [("Huizen", 1271, 1277)]),
    ("Weesp", "GM0457", 27, [("Weesp", 1381, 1384)]),
    ("Naarden", "GM0425", 11, [("Naarden", 1411, 1412)]),
    (
        "Wijdemeren",
        "GM1696",
        10,
        [("Loosdrecht", 1231, 1231), ("Kortenhoef", 1241, 1241), ("Nederhorst den Berg", 1394, 1394)],
    ),
    ("Laren", "GM0417", 6, [("Laren", 1251, 1251)]),
    ("Muiden", "GM0424", 2, [("Muiden", 1398, 1398), ("Muiderberg", 1399, 1399)]),
    ("Blaricum", "GM0376", 1, [("Blaricum", 1261, 1262)]),
]
HILVERSUM, LAREN = 0, 6

# key -> (name, type, convenant signed, e-mail domain)
ORGANISATIONS = {
    "zvh": (HOUSE, OrganisationType.ZVH, True, "zvhgooi.example"),
    "politie": (
        "Politie Midden-Nederland, basisteam Gooi en Vechtstreek",
        OrganisationType.POLITIE,
        True,
        "politie.example",
    ),
    "om": ("Openbaar Ministerie Midden-Nederland", OrganisationType.OM, True, "om.example"),
    "reclassering": (
        "Reclassering Nederland, unit Gooi en Vechtstreek",
        OrganisationType.RECLASSERING,
        True,
        "reclassering.example",
    ),
    "raad": ("Raad voor de Kinderbescherming, regio Midden-Nederland", OrganisationType.RAAD, True, "rvdk.example"),
    "vt": ("Veilig Thuis Gooi en Vechtstreek", OrganisationType.VEILIG_THUIS, True, "vtgooi.example"),
    "hilversum": ("Gemeente Hilversum", OrganisationType.GEMEENTE, True, "hilversum.example"),
    "regio": ("Regio Gooi en Vechtstreek", OrganisationType.GEMEENTE, True, "regiogv.example"),
    "jb": ("Jeugdbescherming Gooi en Vechtstreek", OrganisationType.JEUGDBESCHERMING, True, "jbgooi.example"),
    "ggz": ("GGZ Gooi en Vecht", OrganisationType.GGZ, True, "ggzgooi.example"),
    "fpk": ("Forensische Polikliniek Het Gooi", OrganisationType.GGZ, False, "fpkgooi.example"),
    "verslaving": ("Verslavingszorg Gooi en Vechtstreek", OrganisationType.VERSLAVINGSZORG, True, "vzgooi.example"),
    "wijkteam": ("Sociaal Wijkteam Hilversum", OrganisationType.ZORG, True, "wijkteam.example"),
    "opvang": ("Maatschappelijke Opvang De Schakel", OrganisationType.ZORG, False, "deschakel.example"),
    "riec": ("RIEC Midden-Nederland", OrganisationType.RIEC, True, "riec.example"),
}

# The demo logins (tafel/demo/accounts.py): username -> (roles, first name, last name, job title).
LOGIN_USERS = {
    "regisseur": ((Role.PROCESREGISSEUR,), "Sanne", "de Wit", "Procesregisseur"),
    "regisseur2": ((Role.PROCESREGISSEUR,), "Martijn", "Koster", "Procesregisseur"),
    "info": ((Role.INFORMATIEMEDEWERKER,), "Priya", "Ramdin", "Medewerker informatievoorziening"),
    "manager": ((Role.KETENMANAGER,), "Ellen", "Verhoef", "Manager Zorg- en Veiligheidshuis"),
    "beheer": ((Role.BEHEERDER,), "Joost", "van Leeuwen", "Functioneel beheerder"),
    "fg": ((Role.FG,), "Willemijn", "Dekker", "Functionaris gegevensbescherming"),
    "politie": ((Role.PROFESSIONAL, Role.AANMELDER), "Rachid", "Benali", "Wijkagent"),
    "vt": ((Role.PROFESSIONAL, Role.AANMELDER), "Anouk", "Smits", "Casemanager Veilig Thuis"),
    "reclassering": ((Role.PROFESSIONAL, Role.AANMELDER), "Dennis", "Hoekstra", "Reclasseringswerker"),
    "om": ((Role.PROFESSIONAL,), "Maria", "Kuipers", "Officier van justitie"),
    "raad": ((Role.PROFESSIONAL,), "Hanneke", "Bos", "Raadsonderzoeker"),
    "ggz": ((Role.PROFESSIONAL,), "Thomas", "van Dam", "Psychiater"),
    "casusregisseur": ((Role.CASUSREGISSEUR, Role.PROFESSIONAL), "Lotte", "Meijer", "Casusregisseur"),
    "gemeente": ((Role.AANMELDER,), "Erik", "Brouwer", "Beleidsmedewerker veiligheid"),
    "buiten": ((Role.PROFESSIONAL, Role.AANMELDER), "Kim", "Vos", "Maatschappelijk werker"),
    "analist": ((Role.ANALIST,), "Ruben", "Mulder", "Beleidsadviseur zorg en veiligheid"),
}
LOGIN_ORG_KEY = {
    account["username"]: next(key for key, spec in ORGANISATIONS.items() if spec[0] == account["organisation"])
    for account in DEMO_ACCOUNTS
}

# More staff, generated: org key -> [(roles, count, job title)].
STAFF = {
    "zvh": [
        ((Role.PROCESREGISSEUR,), 4, "Procesregisseur"),
        ((Role.INFORMATIEMEDEWERKER,), 2, "Medewerker informatievoorziening"),
    ],
    "politie": [((Role.PROFESSIONAL, Role.AANMELDER), 5, "Wijkagent")],
    "vt": [((Role.PROFESSIONAL, Role.AANMELDER), 5, "Casemanager Veilig Thuis")],
    "reclassering": [
        ((Role.PROFESSIONAL, Role.AANMELDER), 2, "Reclasseringswerker"),
        ((Role.CASUSREGISSEUR, Role.PROFESSIONAL), 1, "Casusregisseur"),
    ],
    "om": [((Role.PROFESSIONAL, Role.AANMELDER), 2, "Parketsecretaris")],
    "raad": [((Role.PROFESSIONAL, Role.AANMELDER), 2, "Raadsonderzoeker")],
    "hilversum": [((Role.PROFESSIONAL, Role.AANMELDER), 2, "Regisseur Top-X")],
    "regio": [
        ((Role.PROFESSIONAL, Role.AANMELDER), 2, "Adviseur zorg en veiligheid"),
        ((Role.ANALIST,), 1, "Stuurgroepsecretaris"),
    ],
    "jb": [
        ((Role.PROFESSIONAL, Role.AANMELDER), 2, "Jeugdbeschermer"),
        ((Role.CASUSREGISSEUR, Role.PROFESSIONAL), 2, "Casusregisseur"),
    ],
    "ggz": [
        ((Role.PROFESSIONAL, Role.AANMELDER), 2, "Sociaal psychiatrisch verpleegkundige"),
        ((Role.CASUSREGISSEUR, Role.PROFESSIONAL), 1, "Casemanager"),
    ],
    "fpk": [((Role.PROFESSIONAL, Role.AANMELDER), 2, "Behandelaar")],
    "verslaving": [((Role.PROFESSIONAL, Role.AANMELDER), 3, "Verslavingsarts")],
    "wijkteam": [
        ((Role.PROFESSIONAL, Role.AANMELDER), 3, "Wijkteammedewerker"),
        ((Role.CASUSREGISSEUR, Role.PROFESSIONAL), 1, "Casusregisseur"),
    ],
    "opvang": [((Role.PROFESSIONAL, Role.AANMELDER), 2, "Begeleider")],
    "riec": [((Role.PROFESSIONAL,), 2, "Analist ondermijning")],
}

# --- proportions ------------------------------------------------------------------------------------------

STATUS_WEIGHTS = {
    CaseStatus.AFGESLOTEN: 36,
    CaseStatus.LOKAAL: 18,
    CaseStatus.ACTIEF: 17,
    CaseStatus.VOLGEN: 9,
    CaseStatus.NIET_GEACCEPTEERD: 7,
    CaseStatus.AANGEMELD: 6,
    CaseStatus.VERRIJKEN: 4,
    CaseStatus.RIEC: 3,
}
THEME_WEIGHTS = {
    Theme.HUISELIJK_GEWELD: 30,
    Theme.VEELPLEGER: 18,
    Theme.NAZORG: 15,
    Theme.JEUGD: 14,
    Theme.OVERLAST: 10,
    Theme.ZORGMIJDING: 8,
    Theme.OVERIG: 5,
}
ROUTE_BY_THEME = {
    Theme.HUISELIJK_GEWELD: {EntryRoute.VEILIG_THUIS: 45, EntryRoute.POLITIE_VT: 35, EntryRoute.VELD: 20},
    Theme.VEELPLEGER: {EntryRoute.TOPX: 55, EntryRoute.VELD: 45},
    Theme.JEUGD: {EntryRoute.VELD: 50, EntryRoute.TOPX: 25, EntryRoute.POLITIE_VT: 25},
    Theme.NAZORG: {EntryRoute.VELD: 85, EntryRoute.TOPX: 15},
    Theme.OVERLAST: {EntryRoute.VELD: 70, EntryRoute.TOPX: 30},
    Theme.ZORGMIJDING: {EntryRoute.VELD: 80, EntryRoute.TOPX: 20},
    Theme.OVERIG: {EntryRoute.VELD: 90, EntryRoute.TOPX: 10},
}
# The first cases cover every status, theme and route, so even a tiny demo shows each of them.
COVERAGE = [
    (CaseStatus.AANGEMELD, Theme.HUISELIJK_GEWELD, EntryRoute.VEILIG_THUIS),
    (CaseStatus.VERRIJKEN, Theme.VEELPLEGER, EntryRoute.TOPX),
    (CaseStatus.ACTIEF, Theme.JEUGD, EntryRoute.VELD),
    (CaseStatus.LOKAAL, Theme.HUISELIJK_GEWELD, EntryRoute.POLITIE_VT),
    (CaseStatus.RIEC, Theme.OVERLAST, EntryRoute.VELD),
    (CaseStatus.NIET_GEACCEPTEERD, Theme.ZORGMIJDING, EntryRoute.TOPX),
    (CaseStatus.VOLGEN, Theme.NAZORG, EntryRoute.VELD),
    (CaseStatus.AFGESLOTEN, Theme.OVERIG, EntryRoute.VELD),
]
URGENCY_WEIGHTS = {Urgency.NORMAAL: 65, Urgency.HOOG: 28, Urgency.ACUUT: 7}
LOKAAL_WEIGHTS = {"a": 20, "b": 15, "c": 10, "d": 25, "e": 15, "f": 15}  # g only where the cap is reached
VELD_SUBMITTERS = {
    Theme.HUISELIJK_GEWELD: ["politie", "wijkteam", "jb", "raad", "ggz"],
    Theme.VEELPLEGER: ["politie", "reclassering", "om"],
    Theme.JEUGD: ["politie", "jb", "raad", "wijkteam"],
    Theme.NAZORG: ["reclassering", "regio", "opvang"],
    Theme.OVERLAST: ["politie", "wijkteam", "regio", "opvang"],
    Theme.ZORGMIJDING: ["ggz", "wijkteam", "politie", "opvang"],
    Theme.OVERIG: ["politie", "ggz", "wijkteam", "verslaving"],
}
# Partners that typically join a ZVH case of a theme, most likely first.
PARTNERS = {
    Theme.HUISELIJK_GEWELD: ["vt", "politie", "raad", "jb", "ggz", "wijkteam", "om", "reclassering"],
    Theme.VEELPLEGER: ["politie", "om", "reclassering", "verslaving", "ggz", "fpk", "wijkteam", "opvang"],
    Theme.JEUGD: ["politie", "raad", "jb", "om", "wijkteam", "ggz"],
    Theme.NAZORG: ["reclassering", "opvang", "verslaving", "ggz", "politie", "wijkteam"],
    Theme.OVERLAST: ["politie", "wijkteam", "ggz", "verslaving", "opvang", "om"],
    Theme.ZORGMIJDING: ["ggz", "wijkteam", "opvang", "politie", "verslaving"],
    Theme.OVERIG: ["politie", "wijkteam", "ggz", "reclassering", "om"],
}
CASUSREGIE_ORGS = {
    Theme.HUISELIJK_GEWELD: ["jb", "wijkteam"],
    Theme.JEUGD: ["jb", "wijkteam"],
    Theme.VEELPLEGER: ["reclassering"],
    Theme.NAZORG: ["reclassering", "wijkteam"],
    Theme.OVERLAST: ["wijkteam", "ggz"],
    Theme.ZORGMIJDING: ["ggz", "wijkteam"],
    Theme.OVERIG: ["wijkteam"],
}
NOTE_CATEGORY = {
    OrganisationType.GGZ: InfoCategory.MEDISCH,
    OrganisationType.VERSLAVINGSZORG: InfoCategory.MEDISCH,
    OrganisationType.POLITIE: InfoCategory.JUSTITIEEL,
    OrganisationType.OM: InfoCategory.JUSTITIEEL,
    OrganisationType.RECLASSERING: InfoCategory.JUSTITIEEL,
    OrganisationType.JEUGDBESCHERMING: InfoCategory.JEUGD,
    OrganisationType.RAAD: InfoCategory.JEUGD,
}

# --- names and places -------------------------------------------------------------------------------------

COMMON_SURNAMES = [
    ("", "Jansen", 8),
    ("de", "Jong", 8),
    ("de", "Vries", 7),
    ("van den", "Berg", 6),
    ("van", "Dijk", 6),
    ("", "Bakker", 6),
    ("", "Janssen", 5),
    ("", "Visser", 5),
    ("", "Smit", 5),
    ("", "Meijer", 4),
    ("de", "Boer", 4),
    ("", "Mulder", 4),
    ("de", "Groot", 4),
    ("", "Bos", 4),
    ("", "Vos", 3),
    ("", "Peters", 3),
    ("", "Hendriks", 3),
    ("van", "Leeuwen", 3),
    ("", "Dekker", 3),
    ("", "Brouwer", 3),
    ("de", "Wit", 3),
    ("", "Dijkstra", 3),
    ("", "Smits", 2),
    ("de", "Graaf", 2),
    ("van der", "Meer", 2),
    ("van der", "Linden", 2),
    ("", "Kok", 2),
    ("", "Jacobs", 2),
    ("de", "Haan", 2),
    ("", "Vermeulen", 2),
    ("van den", "Heuvel", 2),
    ("van der", "Veen", 2),
    ("van den", "Broek", 2),
    ("de", "Bruijn", 2),
    ("", "Schouten", 2),
    ("van", "Beek", 2),
    ("", "Willems", 2),
    ("van", "Vliet", 2),
    ("", "Hoekstra", 2),
    ("", "Koster", 2),
    ("", "Verhoeven", 2),
    ("", "Prins", 2),
    ("", "Postma", 1),
    ("", "Kuipers", 1),
    ("", "Verbeek", 1),
    ("", "Timmermans", 1),
]
MIGRANT_SURNAMES = [
    ("el", "Amrani"),
    ("", "Yilmaz"),
    ("", "Kaya"),
    ("", "Demir"),
    ("", "Öztürk"),
    ("", "Bouzid"),
    ("", "Benali"),
    ("el", "Idrissi"),
    ("", "Aydın"),
    ("", "Çelik"),
    ("", "Kartosen"),
    ("", "Sedney"),
    ("", "Wijngaarde"),
    ("", "Pinas"),
    ("", "Nguyen"),
    ("", "Kowalski"),
    ("", "Nowak"),
    ("", "Ramdin"),
    ("", "Mahabier"),
    ("", "Haddou"),
    ("", "Ouali"),
    ("", "Tahiri"),
]
OLDER_MALE = [
    "Pieter",
    "Jan",
    "Kees",
    "Marco",
    "Richard",
    "Dennis",
    "Erik",
    "Mark",
    "Johan",
    "Peter",
    "Hans",
    "Rob",
    "Martin",
    "Ronald",
    "Patrick",
    "Michel",
    "Sander",
    "Jeroen",
    "Bas",
    "Wim",
    "Henk",
    "Gerard",
    "Frank",
    "Arjan",
    "Edwin",
    "Remco",
    "Vincent",
    "Marcel",
    "Roy",
    "Danny",
]
OLDER_FEMALE = [
    "Sandra",
    "Monique",
    "Linda",
    "Marieke",
    "Esther",
    "Ingrid",
    "Petra",
    "Anja",
    "Wendy",
    "Kim",
    "Mariska",
    "Saskia",
    "Ellen",
    "Miranda",
    "Marloes",
    "Jolanda",
    "Yvonne",
    "Anouk",
    "Ilse",
    "Karin",
    "Natasja",
    "Chantal",
    "Debby",
    "Jacqueline",
    "Angelique",
]
MIGRANT_MALE = [
    "Mohamed",
    "Ahmed",
    "Youssef",
    "Mustafa",
    "Hakan",
    "Murat",
    "Rachid",
    "Said",
    "Bilal",
    "Emre",
    "Ricardo",
    "Romano",
    "Anand",
    "Tomasz",
    "Minh",
]
MIGRANT_FEMALE = [
    "Fatima",
    "Khadija",
    "Samira",
    "Naima",
    "Ayşe",
    "Elif",
    "Zeynep",
    "Sharon",
    "Naomi",
    "Priya",
    "Shanti",
    "Agnieszka",
    "Linh",
    "Yasmina",
    "Hatice",
]
STREETS = [
    "Kerkstraat",
    "Stationsweg",
    "Schoolstraat",
    "Julianalaan",
    "Beatrixstraat",
    "Oranjeweg",
    "Molenweg",
    "Dorpsstraat",
    "Prins Hendriklaan",
    "Lindenlaan",
    "Kastanjelaan",
    "Eikenlaan",
    "Berkenstraat",
    "Vaartweg",
    "Havenstraat",
    "Nieuwstraat",
    "Langestraat",
    "Zuiderweg",
    "Noorderweg",
    "Meentweg",
    "Heideweg",
    "Bosweg",
    "Parkstraat",
    "Emmastraat",
    "Wilhelminastraat",
    "Koninginneweg",
    "Burgemeester Visserstraat",
    "Torenlaan",
    "Sportlaan",
    "Gijsbrecht van Amstelstraat",
    "Larenseweg",
    "Soestdijkerstraatweg",
    "Diependaalselaan",
    "Vreelandseweg",
    "Ceintuurbaan",
    "Rembrandtlaan",
    "Vondelstraat",
    "Mozartlaan",
]
_PREFIX_WORDS = (
    "van der",
    "van den",
    "van de",
    "van het",
    "in 't",
    "van",
    "de",
    "den",
    "der",
    "ter",
    "ten",
    "te",
    "'t",
)


def faker_surnames() -> list[tuple[str, str]]:
    """Faker's nl_NL surnames, split into (tussenvoegsel, name); odd historic entries left out."""
    out = []
    for name in NlPersonProvider.last_names:
        prefix = ""
        for p in _PREFIX_WORDS:
            if name.startswith(p + " "):
                prefix, name = p, name[len(p) + 1 :]
                break
        if " " in name or "'" in name or len(name) > 16 or name.endswith(("dr", "sz", "sdr")):
            continue
        out.append((prefix, name))
    return out


# --- free text --------------------------------------------------------------------------------------------

REASONS = {
    Theme.HUISELIJK_GEWELD: [
        "Herhaald huiselijk geweld: {n} politiemeldingen in de afgelopen {m} maanden, de laatste met letsel bij "
        "moeder. De kinderen waren thuis.",
        "Zorgen om de veiligheid van de kinderen na een escalatie thuis waarbij de politie is ingeschakeld; "
        "eerdere hulp heeft het geweld niet gestopt.",
        "Veilig Thuis ziet een patroon van geweld en dreiging dat ondanks het veiligheidsplan doorgaat; de "
        "kinderen zijn getuige van de ruzies.",
        "Na de scheiding houdt vader moeder onder druk: stalking, dreigberichten en een incident bij de school "
        "van de kinderen.",
        "Langdurige zorgen over verwaarlozing en geweld in het gezin; het gezin trekt zich terug zodra de hulp "
        "dichterbij komt.",
    ],
    Theme.VEELPLEGER: [
        "Betrokkene pleegt al jaren vermogensdelicten (winkeldiefstal, inbraak in auto's); {n} antecedenten in het "
        "afgelopen jaar. Hulp en straf wisselen elkaar af zonder blijvend effect.",
        "Veelpleger met verslavingsproblematiek en zonder vaste woon- of verblijfplaats; recidiveert kort na elke "
        "detentie.",
        "Hoge frequentie van delicten in het centrum van {gemeente}, overlast voor winkeliers. Mogelijk kandidaat "
        "voor een ISD-maatregel.",
    ],
    Theme.JEUGD: [
        "Jongere ({leeftijd}) betrokken bij straatroven en bedreiging; schoolverzuim en zorgen over contacten met "
        "oudere criminele jongens.",
        "Zorgen over ronselpraktijken: de jongere vervoert spullen voor anderen, heeft onverklaarbaar veel geld "
        "en dure kleding.",
        "Escalerend gedrag thuis en op school; ouders hebben geen grip meer en eerdere jeugdhulp is gestopt.",
    ],
    Theme.NAZORG: [
        "Betrokkene komt over {n} weken vrij na een detentie van {m} maanden; geen woning, geen inkomen en "
        "schulden. Het risico op terugval is groot.",
        "Ex-gedetineerde met forse psychiatrische problematiek; de nazorg komt niet van de grond en niemand "
        "heeft regie.",
    ],
    Theme.OVERLAST: [
        "Ernstige woonoverlast: geluid, bedreiging van buren en vervuiling van de woning. De verhuurder "
        "overweegt ontruiming.",
        "Aanhoudende overlast rond de woning door bezoek en vermoedelijke drugshandel; buren voelen zich onveilig.",
    ],
    Theme.ZORGMIJDING: [
        "Betrokkene mijdt alle zorg, de woning vervuilt en er zijn zorgen over de lichamelijke gezondheid; "
        "eerdere pogingen tot contact liepen op niets uit.",
        "Verward gedrag op straat en in de woning; {n} meldingen bij de politie (E33). Betrokkene wil geen hulp.",
    ],
    Theme.OVERIG: [
        "Complexe situatie met problemen op meerdere leefgebieden; de betrokken partijen komen er samen niet uit "
        "en vragen om procesregie.",
        "Dreiging richting hulpverleners en de gemeente; de veiligheidsrisico's vragen om een gezamenlijke aanpak.",
    ],
}
SUMMARIES = [
    "Er spelen problemen op {k} leefgebieden die elkaar versterken. Nodig is één gezamenlijk plan met een vaste "
    "casusregisseur en afspraken over toezicht en zorg.",
    "Zorg en straf lopen langs elkaar heen. Nodig: afstemming tussen de betrokken partners, met heldere "
    "bodemeisen en wie wat wanneer doet.",
    "De veiligheid is op dit moment niet geborgd. Nodig: direct een veiligheidsplan, daarna een aanpak van de "
    "onderliggende problematiek.",
    "Eerdere hulp is gestrand op motivatie en wachtlijsten. Nodig: drang vanuit justitie, gekoppeld aan passende zorg.",
    "Veel partijen zijn betrokken, niemand heeft overzicht. Nodig: procesregie, één plan en één aanspreekpunt.",
]
DOMAIN_TEXTS = {
    "werk": [
        "Geen werk sinds {jaar}; uitkering.",
        "Werkt parttime in de schoonmaak, baan staat op de tocht.",
        "Is ontslagen na conflicten met de leidinggevende.",
    ],
    "dagbesteding": [
        "Heeft geen dagbesteding; hangt veel op straat.",
        "Bezoekt onregelmatig een inloophuis.",
        "Dagbesteding via de WMO is gestopt.",
    ],
    "financien": [
        "Problematische schulden (ongeveer € {bedrag}); beslag op de uitkering.",
        "Huurachterstand van {m} maanden; incassobureaus betrokken.",
        "Beschermingsbewind aangevraagd, nog niet uitgesproken.",
    ],
    "huisvesting": [
        "Dreigende huisuitzetting wegens huurachterstand en overlast.",
        "Dakloos; slaapt afwisselend bij kennissen en in de nachtopvang.",
        "Woont met het gezin in een te kleine huurwoning; spanningen lopen hoog op.",
    ],
    "opvoeden": [
        "Ouders zijn het oneens over de opvoeding; kinderen worden ingezet in het conflict.",
        "Moeder is overbelast; de kinderen hebben weinig structuur.",
        "Vader zet harde straffen in; de kinderen zijn bang.",
    ],
    "netwerk": [
        "Klein netwerk; contact met familie is verbroken.",
        "Netwerk bestaat vooral uit gebruikende en criminele contacten.",
        "Oma is een steunfiguur en wil meedenken.",
    ],
    "criminaliteit": [
        "{n} antecedenten, vooral vermogens- en geweldsdelicten.",
        "Verdacht van bedreiging en vernieling; zaak ligt bij het OM.",
        "Loopt in een voorwaardelijk traject met meldplicht.",
    ],
    "ggz": [
        "Vermoeden van een psychotische stoornis; geen behandeling.",
        "Depressieve klachten; behandeling bij de GGZ afgebroken.",
        "Gediagnosticeerde PTSS; wisselende behandeltrouw.",
    ],
    "lvb": [
        "Vermoeden van een licht verstandelijke beperking; overziet gevolgen van eigen gedrag slecht.",
        "LVB vastgesteld (IQ rond 65); heeft begeleiding nodig bij afspraken.",
    ],
    "gezondheid": [
        "Slechte lichamelijke gezondheid; diabetes wordt niet behandeld.",
        "Chronische pijnklachten; gebruikt veel pijnstillers.",
    ],
    "onderwijs": [
        "Schoolverzuim: {n} weken niet op school geweest.",
        "Zit thuis zonder passend onderwijs.",
        "Op school vallen agressieve uitbarstingen op.",
    ],
    "verslaving": [
        "Dagelijks cannabisgebruik en overmatig alcoholgebruik.",
        "Cocaïnegebruik; schulden bij dealers.",
        "Alcoholverslaving; eerdere opname afgebroken.",
    ],
    "relaties": [
        "Aan-uit-relatie met veel ruzies; partner wil scheiden.",
        "Nieuwe partner heeft een justitieel verleden van huiselijk geweld.",
        "Conflictueuze scheiding; omgangsregeling is onderwerp van strijd.",
    ],
    "intergenerationeel": [
        "Beide ouders zijn als kind getuige geweest van huiselijk geweld.",
        "Vader groeide op in een gezin met geweld en verslaving.",
    ],
}
HELP_TRIED = [
    "Sociaal wijkteam sinds {jaar}; ambulante gezinsbegeleiding gestopt na {m} maanden.",
    "Behandeling bij de GGZ afgebroken; huisarts is betrokken.",
    "Veilig Thuis heeft een veiligheidsplan opgesteld; afspraken zijn niet nagekomen.",
    "Reclasseringstoezicht met bijzondere voorwaarden; meldplicht twee keer overtreden.",
    "Schuldhulpverlening aangeboden; betrokkene verscheen niet op de afspraken.",
    "Jeugdhulp (MST) afgerond zonder blijvend resultaat.",
    "Tijdelijk huisverbod in {jaar}; daarna hulpverlening via Veilig Thuis.",
    "Opname in de verslavingskliniek na drie weken afgebroken.",
]
MUTATIONS = [
    "melding huiselijk geweld",
    "aanhouding wegens winkeldiefstal",
    "melding overlast",
    "melding verward gedrag (E33)",
    "aangifte bedreiging",
    "aanhouding wegens mishandeling",
]
OFFENCES = ["winkeldiefstal", "mishandeling", "bedreiging", "vernieling", "inbraak", "openlijk geweld", "heling"]
PREDICTIVE_NOTES = [
    "Signalen van escalatie in de afgelopen weken.",
    "Factoren zijn bekend uit eerdere meldingen; nog niet met een instrument getaxeerd.",
    "Risicotaxatie door Veilig Thuis volgt.",
]
CLIENT_UNAWARE = [
    "Melding vanuit de politie; het gezin wordt na de triage geïnformeerd.",
    "Het informeren van betrokkene brengt de veiligheid van het slachtoffer in gevaar.",
    "Betrokkene was niet bereikbaar; wordt alsnog geïnformeerd.",
]
OWN_VIEWS = {
    "pleger": [
        "Ziet zichzelf niet als probleem en wil vooral dat de hulpverlening stopt.",
        "Erkent de problemen deels en wil hulp bij werk en schulden.",
    ],
    "verdachte": ["Ontkent de verdenking; wil verder met school."],
    "slachtoffer": [
        "Wil dat het geweld stopt en dat de kinderen veilig zijn.",
        "Twijfelt over de relatie en durft niet goed te kiezen.",
    ],
    "ouder": ["Wil hulp bij de opvoeding maar wantrouwt instanties.", "Wil dat de kinderen thuis blijven wonen."],
    "kind": ["Wil dat de ruzies thuis stoppen.", "Wil graag naar school en bij zijn vrienden blijven."],
    "betrokkene": ["Wil met rust gelaten worden.", "Wil een eigen woning en een dagbesteding."],
    "getuige": [""],
}
ARGUMENTS = {
    ("a", True): [
        "Problemen op meerdere leefgebieden die samenhangen met het systeem; dwang en drang nodig.",
        "Multiproblematiek (verslaving, schulden, geweld) die leidt tot criminaliteit en overlast.",
    ],
    ("a", False): ["Problematiek beperkt zich tot één leefgebied; geen ketenoverstijgende aanpak nodig."],
    ("b", True): [
        "Lokaal is herhaaldelijk hulp ingezet zonder blijvend resultaat.",
        "Wijkteam en Veilig Thuis zijn vastgelopen; verwachting is dat lokaal niet volstaat.",
    ],
    ("b", False): ["Lokale mogelijkheden zijn nog niet benut; het wijkteam is nog niet betrokken."],
    ("c", True): [
        "Recente escalatie; de risicotaxatie wijst op een hoog risico.",
        "Urgent: kinderen zijn onveilig en het geweld neemt toe.",
    ],
    ("c", False): ["Geen acute dreiging; de situatie is op dit moment stabiel."],
    ("d", True): [
        "Strafrechtelijk kader (politie, OM, reclassering) én zorg zijn nodig.",
        "Justitieel traject loopt; zorg moet daarop aansluiten.",
    ],
    ("d", False): ["Geen strafrechtelijk kader aanwezig of nodig."],
    ("e", True): ["Voldoende informatie om de casus te bespreken."],
    ("e", False): ["Essentiële informatie ontbreekt; eerst verrijken."],
}
MISSING_INFO = [
    "Gezinssamenstelling en verblijfplaats van vader.",
    "Actuele informatie van de GGZ-behandelaar (met toestemming).",
    "Recente politiemutaties en lopende zaken bij het OM.",
    "Contactgegevens van school en jeugdhulp.",
    "Of betrokkene op de hoogte is van de aanmelding.",
]
INFO_SUPPLIED = [
    "Gezinssamenstelling aangevuld; vader verblijft tijdelijk bij zijn moeder.",
    "Behandelaar GGZ bevestigt de diagnose; toestemming van cliënt ligt vast.",
    "Overzicht politiemutaties en stand van de strafzaak toegevoegd.",
    "School en jeugdhulp zijn bereikbaar; contactgegevens toegevoegd.",
]
FEEDBACK = {
    TriageOutcome.LOKAAL: [
        "Wij adviseren het wijkteam de regie te nemen; het huis blijft beschikbaar voor advies.",
        "Warme overdracht aan het sociaal wijkteam is afgesproken.",
    ],
    TriageOutcome.NIET_GEACCEPTEERD: [
        "De casus voldoet niet aan de criteria; bespreek haar in het lokale "
        "zorgnetwerk. Bij nieuwe signalen kunt u opnieuw aanmelden."
    ],
    TriageOutcome.RIEC: ["Aanwijzingen voor georganiseerde criminaliteit; de casus gaat naar het RIEC."],
}
NOTES = [
    "Afgestemd met de betrokken partners; de huidige situatie is gedeeld met de procesregisseur.",
    "Huisbezoek afgelegd; de situatie is rustig, afspraken uit het plan besproken.",
    "Bodemeis (geen contact buiten begeleide omgang) wordt volgens de wijkagent nageleefd.",
    "Intake bij de verslavingszorg heeft plaatsgevonden.",
    "Nieuw incident gemeld; de procesregisseur is geïnformeerd.",
    "Cliënt is niet op de afspraak verschenen; een nieuwe afspraak is gepland.",
    "Terugkoppeling aan de aanmelder gegeven over de stand van zaken.",
    "Voortgang plan: twee van de drie acties zijn afgerond.",
]
VOLGEN_REASONS = [
    "Doelen van het plan bereikt; volgen op afstand gedurende {m} maanden.",
    "Situatie stabiel en zorg gestart; volgen op afstand.",
]
CLOSE_REASONS = [
    "Afgesloten: doelen bereikt en de zorg is gestart (intake bijgewoond).",
    "Afgesloten: justitieel traject gestart; de reclassering houdt toezicht.",
    "Afgesloten na volgen op afstand: geen nieuwe incidenten.",
]
TEAM_OTHERS = [
    "Politie, Veilig Thuis, Reclassering",
    "Politie, OM, GGZ",
    "Veilig Thuis, Raad voor de Kinderbescherming",
]
