"""English is available next to Dutch: the catalogue, language negotiation and the switch.

Dutch stays the default (a request without a language preference, or one asking for a language Tafel does not
offer, gets Dutch), and what Tafel records (status history, decisions sent to the aanmelder) stays Dutch
whatever language the page is shown in.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "tafel" / "locale" / "en" / "LC_MESSAGES"


def _html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)">', response.content.decode())
    assert match, "page has no <html lang>"
    return match.group(1)


# --- negotiation ------------------------------------------------------------------------------------------


def test_a_request_without_language_preference_is_dutch(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert _html_lang(response) == "nl"
    assert response.headers["Content-Language"] == "nl"
    assert ">Inloggen</button>" in html and ">Gebruikersnaam</label>" in html
    assert "Username" not in html


def test_a_browser_asking_for_english_gets_english(client):
    response = client.get(reverse("login"), headers={"accept-language": "en-GB,en;q=0.9"})
    html = response.content.decode()
    assert _html_lang(response) == "en"
    assert response.headers["Content-Language"] == "en"
    assert ">Log in</button>" in html
    assert ">Username</label>" in html and ">Password</label>" in html
    assert "Skip to content" in html
    assert "Gebruikersnaam" not in html and "Inloggen" not in html


@pytest.mark.parametrize("accept", ["de-DE,de;q=0.9", "fr", "*"])
def test_a_language_tafel_does_not_offer_falls_back_to_dutch(client, accept):
    response = client.get(reverse("login"), headers={"accept-language": accept})
    assert _html_lang(response) == "nl"
    assert ">Inloggen</button>" in response.content.decode()


def test_a_browser_preferring_dutch_over_english_gets_dutch(client):
    response = client.get(reverse("login"), headers={"accept-language": "nl-NL,nl;q=0.9,en;q=0.8"})
    assert _html_lang(response) == "nl"


def test_the_language_switch_sets_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    # The choice outweighs the browser's own preference.
    response = client.get(reverse("login"), headers={"accept-language": "nl"})
    assert _html_lang(response) == "en"
    assert ">Log in</button>" in response.content.decode()
    # The switch names each language in itself and marks the current one.
    assert 'value="en" lang="en"' in response.content.decode()
    assert re.search(
        r'value="en" lang="en"\s+aria-describedby="lang-label" aria-pressed="true"', response.content.decode()
    )

    client.post(reverse("set_language"), {"language": "nl", "next": reverse("login")})
    response = client.get(reverse("login"))
    assert _html_lang(response) == "nl"
    assert ">Inloggen</button>" in response.content.decode()


def test_the_werkvoorraad_in_english(client, procesregisseur, case):
    client.force_login(procesregisseur)
    response = client.get(reverse("cases:werkvoorraad"), headers={"accept-language": "en"})
    html = response.content.decode()
    assert response.status_code == 200
    assert _html_lang(response) == "en"
    assert '<h1 class="utrecht-heading-1">Work queue</h1>' in html
    assert ">To triage " in html and ">My cases " in html
    assert ">Log out</button>" in html and ">Cases</a>" in html
    # Choice labels from the models are translated too.
    assert "Referred, awaiting triage" in html and "Domestic violence / child abuse" in html
    assert "Werkvoorraad" not in html and "Te triëren" not in html


def test_the_werkvoorraad_stays_dutch_by_default(client, procesregisseur, case):
    client.force_login(procesregisseur)
    response = client.get(reverse("cases:werkvoorraad"))
    html = response.content.decode()
    assert _html_lang(response) == "nl"
    assert '<h1 class="utrecht-heading-1">Werkvoorraad</h1>' in html
    assert "Aangemeld, wacht op triage" in html and "Huiselijk geweld / kindermishandeling" in html


def test_api_labels_are_dutch_unless_english_is_asked_for(client, procesregisseur, case):
    client.force_login(procesregisseur)
    path = f"/api/v1/cases/{case.pk}"
    dutch = client.get(path).json()
    assert (dutch["status"], dutch["status_label"]) == ("aangemeld", "Aangemeld, wacht op triage")
    english = client.get(path, headers={"accept-language": "en"}).json()
    assert (english["status"], english["status_label"]) == ("aangemeld", "Referred, awaiting triage")


# --- records stay Dutch -----------------------------------------------------------------------------------


def test_what_a_triage_records_stays_dutch_under_an_english_page(case, procesregisseur):
    from tafel.cases.models import CaseStatusChange
    from tafel.cases.services import CriterionInput, TriageInput, triage_decide

    criteria = [CriterionInput(criterion=code, met=True, argument=f"Argument {code}.") for code in "abcde"]
    data = TriageInput(criteria=criteria, outcome="lokaal", lokaal_reason="f")
    with translation.override("en"):
        triage_decide(actor=procesregisseur, case=case, data=data)
    change = CaseStatusChange.objects.filter(case=case).latest("at", "id")
    assert change.reason == "Lokaal oppakken, reden f. geen urgentie"
    aanmelding = case.aanmeldingen.get()
    assert aanmelding.decision_text.startswith("Besluit: Lokaal oppakken. Reden: f. geen urgentie.")


# --- the catalogue ----------------------------------------------------------------------------------------


def _po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, plural, msgstr forms and flags (enough for Django's own output)."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry = {"flags": "", "msgid": None, "msgid_plural": None, "msgstr": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
                continue
            if line.startswith("#"):
                continue
            match = re.match(r'(msgid_plural|msgid|msgstr(?:\[(\d)\])?) "(.*)"$', line)
            if match:
                name, index, text = match.groups()
                key = ("msgstr", int(index or 0)) if name.startswith("msgstr") else (name, None)
                value = text
            else:
                value = line[1:-1]
            value = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), value)
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] = entry["msgstr"].get(key[1], "") + value if match is None else value
            else:
                entry[key[0]] = (entry[key[0]] or "") + value if match is None else value
        if entry["msgid"]:
            entries.append(entry)
    return entries


def test_the_english_catalogue_has_no_fuzzy_entries():
    fuzzy = [e["msgid"] for e in _po_entries(CATALOGUE / "django.po") if "fuzzy" in e["flags"]]
    assert fuzzy == [], "fuzzy entries are not used: review them and drop the flag"


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo is committed (users and CI need no gettext): it must be compiled from the current .po."""
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _po_entries(CATALOGUE / "django.po"):
        if "fuzzy" in entry["flags"] or not all(entry["msgstr"].values()):
            continue
        if entry["msgid_plural"] is None:
            if compiled.gettext(entry["msgid"]) != entry["msgstr"][0]:
                stale.append(entry["msgid"])
        elif compiled.ngettext(entry["msgid"], entry["msgid_plural"], 2) != entry["msgstr"][1]:
            stale.append(entry["msgid"])
    assert stale == [], "run `manage.py compilemessages -l en --ignore=.venv` (see docs/operations.md)"
