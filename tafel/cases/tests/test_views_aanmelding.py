"""The aanmeldformulier, the live screening partial and the aanmelder's view of an aanmelding."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import Aanmelding, AanmeldingStatus, Case, CaseStatus, PersonRole
from tafel.cases.services import PersonInput
from tafel.core.models import AuditEvent
from tafel.persons.audit_events import PersonEvent
from tafel.persons.models import Person
from tafel.testing import make_case, screen

pytestmark = pytest.mark.django_db

NEW_URL = reverse("cases:aanmelding_new")
MATCH_URL = reverse("cases:person_match")


def form_data(municipality, **overrides) -> dict:
    """A complete, valid POST of the aanmeldformulier; override fields by name."""
    data = {
        "route": "veld",
        "theme": "huiselijk_geweld",
        "municipality": str(municipality.pk),
        "title": "Gezin met escalerende ruzies",
        "origin": "",
        "reason": "Drie politiemeldingen in twee maanden.",
        "summary": "Vader drinkt en slaat; kinderen zijn bang. Hulp komt niet van de grond.",
        "household": "Vader, moeder, twee kinderen.",
        "antecedents": "",
        "predictive_factors": ["middelen", "scheiding"],
        "predictive_notes": "",
        "help_tried": "Wijkteam sinds januari.",
        "client_knows": "ja",
        "client_knows_reason": "",
        "urgency": "hoog",
        "desired_response_days": "10",
        "life_domain_huisvesting": "Dreigende uithuiszetting.",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "20",
        "form-0-role": "pleger",
        "form-0-first_names": "Karel",
        "form-0-prefix": "van",
        "form-0-last_name": "Dijk",
        "form-0-birth_last_name": "",
        "form-0-date_of_birth": "1975-05-01",
        "form-0-gender": "m",
        "form-0-bsn": "",
        "form-0-address": "Dorpsstraat 1",
        "form-0-own_view": "Wil dat het stopt.",
        "form-0-existing_person_id": "",
        "form-0-match_score": "",
    }
    data.update(overrides)
    return data


def counts():
    return Case.objects.count(), Person.objects.count(), Aanmelding.objects.count()


def assert_no_inline_code(html: str) -> None:
    """Strict CSP: no inline script, style attribute, style block or event handler attribute."""
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html
    assert " onclick=" not in html and " onchange=" not in html


# --- the form ---------------------------------------------------------------------------------------------


def test_aanmelding_form_renders_for_a_professional(client, professional, municipality):
    client.force_login(professional)
    response = client.get(NEW_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nieuwe aanmelding" in html
    assert 'name="form-0-last_name"' in html
    assert f'hx-post="{MATCH_URL}?prefix=form-0"' in html
    assert 'aria-live="polite"' in html
    assert 'id="person-form-template"' in html and "form-__prefix__-last_name" in html
    assert "Werk" in html and "Intergenerationele overdracht van geweld" in html
    assert_no_inline_code(html)


def test_aanmelding_form_is_refused_to_a_role_without_case_content(client, analyst):
    client.force_login(analyst)
    assert client.get(NEW_URL).status_code == 403


def test_aanmelding_form_redirects_anonymous_to_login(client):
    response = client.get(NEW_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_aanmelding_refuses_missing_required_fields_and_creates_nothing(client, professional, municipality):
    client.force_login(professional)
    before = counts()
    data = form_data(municipality, route="", theme="", reason="", summary="", client_knows="")
    data["municipality"] = ""
    for key in list(data):
        if key.startswith("form-0-"):
            data[key] = ""
    data["form-0-gender"] = "x"
    response = client.post(NEW_URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    for message in (
        "Kies een instroomroute.",
        "Kies een thema.",
        "Kies de gemeente.",
        "Vul de reden van aanmelding in.",
        "Vul de samenvattende analyse in",
        "Geef aan of de cliënt van de aanmelding weet.",
        "Voeg ten minste één persoon toe.",
    ):
        assert message in html, message
    # The error summary links to the fields.
    assert 'id="error-summary"' in html
    assert 'href="#id_reason"' in html and 'href="#id_route"' in html
    # "Unanswered" is reported once, at the question, not also as a missing reason for "no".
    assert "Leg uit waarom de cliënt niet van de aanmelding weet." not in html
    assert counts() == before


def test_aanmelding_refuses_a_future_date_of_birth_and_keeps_what_was_typed(client, professional, municipality):
    client.force_login(professional)
    before = counts()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(NEW_URL, form_data(municipality, **{"form-0-date_of_birth": tomorrow}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "De geboortedatum kan niet in de toekomst liggen." in html
    assert 'href="#id_form-0-date_of_birth"' in html
    # Nothing typed is lost.
    assert 'value="Dijk"' in html
    assert f'value="{tomorrow}"' in html
    assert "Drie politiemeldingen in twee maanden." in html
    assert "Dreigende uithuiszetting." in html
    assert re.search(r'<input type="checkbox" name="predictive_factors" value="middelen"[^>]* checked', html)
    assert counts() == before


def test_aanmelding_refuses_a_bsn_failing_the_elfproef(client, professional, municipality):
    client.force_login(professional)
    before = counts()
    response = client.post(NEW_URL, form_data(municipality, **{"form-0-bsn": "123456789"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit is geen geldig BSN (de elfproef klopt niet)." in html
    assert 'href="#id_form-0-bsn"' in html
    assert 'aria-invalid="true"' in html
    assert counts() == before


def test_aanmelding_reports_an_unparseable_date_in_dutch_with_the_other_problems(client, professional, municipality):
    client.force_login(professional)
    before = counts()
    response = client.post(NEW_URL, form_data(municipality, reason="", **{"form-0-date_of_birth": "gisteren"}))
    html = response.content.decode()
    assert "Vul een geldige geboortedatum in" in html
    assert "Vul de reden van aanmelding in." in html
    assert counts() == before


def test_aanmelding_requires_a_reason_when_the_client_does_not_know(client, professional, municipality):
    client.force_login(professional)
    response = client.post(NEW_URL, form_data(municipality, client_knows="nee"))
    assert "Leg uit waarom de cliënt niet van de aanmelding weet." in response.content.decode()


def test_valid_aanmelding_creates_the_case_and_shows_its_status(client, professional, municipality):
    client.force_login(professional)
    before = counts()
    response = client.post(NEW_URL, form_data(municipality, **{"form-0-bsn": "111222333"}))
    assert response.status_code == 302
    aanmelding = Aanmelding.objects.get()
    assert response["Location"] == reverse("cases:aanmelding_detail", args=[aanmelding.pk])
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)
    case = aanmelding.case
    assert case.status == CaseStatus.AANGEMELD
    assert aanmelding.life_domains == {"huisvesting": "Dreigende uithuiszetting."}
    assert aanmelding.predictive_factors == ["middelen", "scheiding"]
    assert aanmelding.desired_response_days == 10
    person = aanmelding.persons.get().person
    assert (person.first_names, person.prefix, person.last_name) == ("Karel", "van", "Dijk")
    assert person.bsn == "111222333"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Uw aanmelding is ingediend." in html
    assert "Drie politiemeldingen in twee maanden." in html
    assert "*****2333" in html and "111222333" not in html


def test_second_person_block_is_accepted_and_empty_blocks_are_ignored(client, professional, municipality):
    client.force_login(professional)
    data = form_data(
        municipality,
        **{
            "form-TOTAL_FORMS": "3",
            "form-1-role": "",
            "form-1-gender": "x",
            "form-2-role": "kind",
            "form-2-first_names": "Sanne",
            "form-2-last_name": "Dijk",
            "form-2-prefix": "van",
            "form-2-gender": "v",
        },
    )
    response = client.post(NEW_URL, data)
    assert response.status_code == 302
    roles = sorted(Aanmelding.objects.get().persons.values_list("role", flat=True))
    assert roles == [PersonRole.KIND, PersonRole.PLEGER]


def test_person_error_in_second_block_is_shown_at_that_block(client, professional, municipality):
    client.force_login(professional)
    data = form_data(municipality, **{"form-TOTAL_FORMS": "2", "form-1-role": "kind", "form-1-gender": "x"})
    response = client.post(NEW_URL, data)
    html = response.content.decode()
    assert "Persoon 2: Vul de achternaam in." in html
    assert 'href="#id_form-1-last_name"' in html


def test_linking_a_person_in_an_open_case_adds_the_melding_to_that_case(client, professional, outsider, case):
    person = case.case_persons.get().person
    screen(outsider, person)
    client.force_login(outsider)
    before = Case.objects.count()
    data = form_data(
        case.municipality,
        **{"form-0-existing_person_id": str(person.pk), "form-0-match_score": "97.5", "form-0-last_name": "Janssen"},
    )
    response = client.post(NEW_URL, data, follow=True)
    assert Case.objects.count() == before
    aanmelding = Aanmelding.objects.filter(supplied_by_org=outsider.organisation).get()
    assert aanmelding.case_id == case.pk
    assert aanmelding.status == AanmeldingStatus.GEKOPPELD
    assert aanmelding.persons.get().match_score == 97.5
    html = response.content.decode()
    assert "Uw melding is aan die casus toegevoegd" in html
    # Dat-informatie only: the outsider's organisation does not take part, so no case reference.
    assert case.reference not in html


# --- live screening -------------------------------------------------------------------------------------


@pytest.fixture
def jansen_case(professional, municipality, procesregisseur):
    """A case about "Jansen, Pieter" (one s), with a procesregisseur to contact."""
    from tafel.cases.services import CriterionInput, TriageInput, triage_decide

    case = make_case(
        professional,
        municipality,
        persons=[
            PersonInput(
                first_names="Pieter",
                last_name="Jansen",
                date_of_birth=datetime.date(1980, 3, 14),
                gender="m",
                role=PersonRole.PLEGER,
                bsn="111222333",
            )
        ],
    )
    triage_decide(
        actor=procesregisseur,
        case=case,
        data=TriageInput(
            criteria=[CriterionInput(criterion=c, met=True, argument="ja") for c in "abcde"],
            outcome="zvh_com",
        ),
    )
    procesregisseur.phone = "030-1234567"
    procesregisseur.save(update_fields=["phone"])
    case.refresh_from_db()
    return case


def match(client, prefix="form-0", **fields):
    data = {f"{prefix}-{key}": value for key, value in fields.items()}
    return client.post(f"{MATCH_URL}?prefix={prefix}", data, HTTP_HX_REQUEST="true")


def test_live_match_finds_jansen_pieter_when_typing_pieter_janssen(client, professional, jansen_case):
    client.force_login(professional)
    response = match(client, first_names="Pieter", last_name="Janssen", date_of_birth="1980-03-14")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pieter Jansen" in html
    assert "Koppel aan deze persoon" in html
    assert "Nieuwe persoon aanmaken" in html
    assert "*****2333" in html and "111222333" not in html
    # Dat-informatie: known in a running case, with whom to contact.
    assert "Bekend in een lopende casus" in html
    assert "Regisseur Test" in html and "regisseur@example.org" in html and "030-1234567" in html
    # The police take part in the case, so they get the reference.
    assert reverse("cases:detail", args=[jansen_case.pk]) in html
    person = jansen_case.case_persons.get().person
    assert f'data-link-person="{person.pk}"' in html
    assert AuditEvent.objects.filter(event_type=PersonEvent.PERSON_MATCH, actor=professional).exists()


def test_live_match_gives_an_outsider_dat_informatie_without_the_case_reference(client, outsider, jansen_case):
    client.force_login(outsider)
    html = match(client, first_names="Pieter", last_name="Janssen", date_of_birth="1980-03-14").content.decode()
    # Only what was typed comes back (issue 10, finding 3): not the stored spelling, not the BSN.
    assert "Pieter Janssen" in html and "Pieter Jansen" not in html and "*****2333" not in html
    assert "Bekend in een lopende casus" in html
    assert jansen_case.reference not in html
    assert reverse("cases:detail", args=[jansen_case.pk]) not in html


def test_live_match_marks_the_linked_candidate(client, professional, jansen_case):
    client.force_login(professional)
    person = jansen_case.case_persons.get().person
    html = match(
        client, first_names="Pieter", last_name="Janssen", date_of_birth="1980-03-14", existing_person_id=str(person.pk)
    ).content.decode()
    assert "tafel-candidate--chosen" in html
    assert "Gekoppeld aan een bestaande persoon." in html


def test_live_match_says_so_when_nobody_is_known(client, professional, jansen_case):
    client.force_login(professional)
    html = match(
        client, prefix="form-3", first_names="Zoë", last_name="Qwertyuiop", date_of_birth="1990-01-01"
    ).content.decode()
    assert "Geen bekende persoon gevonden" in html


def test_live_match_rejects_a_bad_prefix_and_other_methods(client, professional):
    client.force_login(professional)
    assert client.post(f"{MATCH_URL}?prefix=evil", {}).status_code == 400
    assert client.get(f"{MATCH_URL}?prefix=form-0").status_code == 405


def test_live_match_is_refused_to_roles_that_may_not_submit(client, analyst):
    client.force_login(analyst)
    assert match(client, last_name="Jansen").status_code == 403


def test_live_match_redirects_anonymous_to_login(client):
    response = match(client, last_name="Jansen")
    assert response.status_code == 302


# --- the aanmelder's view -------------------------------------------------------------------------------


def test_aanmelding_detail_renders_for_the_aanmelder_and_is_audited(client, professional, case):
    aanmelding = case.aanmeldingen.get()
    client.force_login(professional)
    response = client.get(reverse("cases:aanmelding_detail", args=[aanmelding.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Herhaald huiselijk geweld" in html
    assert "Ingediend" in html
    assert "Het huis heeft nog geen besluit genomen." in html
    assert AuditEvent.objects.filter(event_type=CaseEvent.AANMELDING_VIEW, actor=professional, case_id=case.pk).exists()
    assert_no_inline_code(html)


def test_aanmelding_detail_is_not_found_for_an_outsider(client, outsider, case):
    client.force_login(outsider)
    response = client.get(reverse("cases:aanmelding_detail", args=[case.aanmeldingen.get().pk]))
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()


def test_aanmelding_detail_redirects_anonymous_to_login(client, case):
    response = client.get(reverse("cases:aanmelding_detail", args=[case.aanmeldingen.get().pk]))
    assert response.status_code == 302


def test_aanmelder_answers_a_request_for_information(client, professional, procesregisseur, case):
    from tafel.cases.services import CriterionInput, TriageInput, triage_decide

    triage_decide(
        actor=procesregisseur,
        case=case,
        data=TriageInput(
            criteria=[CriterionInput(criterion=c, met=c != "e", argument="arg") for c in "abcde"],
            outcome="verrijken",
            missing_info="Welke hulp is er al geweest?",
        ),
    )
    aanmelding = case.aanmeldingen.get()
    url = reverse("cases:aanmelding_detail", args=[aanmelding.pk])
    client.force_login(professional)

    html = client.get(url).content.decode()
    assert "Het huis vraagt om aanvullende informatie" in html
    assert "Welke hulp is er al geweest?" in html

    werkvoorraad = client.get(reverse("cases:werkvoorraad")).content.decode()
    assert "Informatie gevraagd" in werkvoorraad and url in werkvoorraad

    supply = reverse("cases:aanmelding_supply_info", args=[aanmelding.pk])
    empty = client.post(supply, {"text": "  "})
    assert empty.status_code == 200
    assert "Vul de informatie in." in empty.content.decode()

    response = client.post(supply, {"text": "Wijkteam en schuldhulp sinds maart."}, follow=True)
    assert "De aanvullende informatie is doorgegeven" in response.content.decode()
    aanmelding.refresh_from_db()
    case.refresh_from_db()
    assert aanmelding.status == AanmeldingStatus.INGEDIEND
    assert "Wijkteam en schuldhulp sinds maart." in aanmelding.info_supplied
    assert case.status == CaseStatus.AANGEMELD


def test_only_the_submitting_organisation_may_answer(client, procesregisseur, case):
    from tafel.cases.services import CriterionInput, TriageInput, triage_decide

    triage_decide(
        actor=procesregisseur,
        case=case,
        data=TriageInput(
            criteria=[CriterionInput(criterion=c, met=c != "e", argument="arg") for c in "abcde"],
            outcome="verrijken",
            missing_info="Meer informatie graag.",
        ),
    )
    aanmelding = case.aanmeldingen.get()
    client.force_login(procesregisseur)
    html = client.get(reverse("cases:aanmelding_detail", args=[aanmelding.pk])).content.decode()
    assert "Alleen de aanmeldende organisatie kan deze vraag beantwoorden." in html
    response = client.post(reverse("cases:aanmelding_supply_info", args=[aanmelding.pk]), {"text": "x"})
    assert response.status_code == 403


def test_joined_message_names_the_procesregisseur(client, outsider, jansen_case):
    person = jansen_case.case_persons.get().person
    screen(outsider, person)
    client.force_login(outsider)
    data = form_data(jansen_case.municipality, **{"form-0-existing_person_id": str(person.pk)})
    html = client.post(NEW_URL, data, follow=True).content.decode()
    assert "Regisseur Test" in html and "030-1234567" in html


def test_live_match_without_a_date_of_birth_says_only_the_date_tells_namesakes_apart(client, procesregisseur):
    """Issue 14: several equally good namesakes for a name alone are pointed out, not left to a guess."""
    from tafel.persons.services import PersonData, person_create

    for dob in (datetime.date(1961, 2, 3), datetime.date(1988, 7, 9)):
        data = PersonData(first_names="Sander", last_name="Visser", date_of_birth=dob)
        person_create(actor=procesregisseur, data=data)
    client.force_login(procesregisseur)
    html = match(client, first_names="Sander", last_name="Visser").content.decode()
    assert 'data-namesakes="2"' in html
    assert "Alleen de geboortedatum kan naamgenoten van elkaar onderscheiden" in html
    assert "hoog" not in html.split("tafel-candidates", 1)[1].split("</ul>")[0].replace("tafel-badge--", "")
    # With the date of birth one stands out, graded "hoog", and the sentence is gone.
    html = match(client, first_names="Sander", last_name="Visser", date_of_birth="1988-07-09").content.decode()
    assert "data-namesakes" not in html and "data-without-dob" not in html
    assert "tafel-badge--hoog" in html
