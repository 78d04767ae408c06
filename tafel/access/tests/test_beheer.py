"""Beheer screens in Tafel's own pages (issue 12, item 8c): list, add and change overleg types, intervention
types and municipalities' caseloads; validated, audited, version-checked, for the beheerder only."""

import pytest
from django.test import Client

from tafel.access import beheer
from tafel.access.audit_events import AccessEvent
from tafel.core.errors import AccessDenied, ConcurrentEdit, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.lifecycle.models import InterventionType
from tafel.organisations.models import Municipality


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_beheerder_changes_a_municipality_s_caseload_on_the_page(beheerder, municipality):
    c = _client(beheerder)
    page = c.get("/beheer/instellingen/gemeenten/")
    assert page.status_code == 200 and "Hilversum" in page.content.decode()
    form = c.get(f"/beheer/instellingen/gemeenten/{municipality.pk}/").context["form"]
    data = {"name": "Hilversum", "code": "", "max_caseload": 12, "stamp": form["stamp"].value()}
    response = c.post(f"/beheer/instellingen/gemeenten/{municipality.pk}/", data)
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.max_caseload == 12
    event = AuditEvent.objects.get(event_type=AccessEvent.CONFIG_CHANGE)
    assert event.details == {"kind": "gemeenten", "id": municipality.pk, "created": False, "fields": ["max_caseload"]}
    # The same stale form again: refused, nothing lost on the page.
    data["max_caseload"] = 99
    response = c.post(f"/beheer/instellingen/gemeenten/{municipality.pk}/", data)
    assert response.status_code == 400 and "intussen gewijzigd" in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.max_caseload == 12


def test_adding_validates_field_by_field(beheerder):
    c = _client(beheerder)
    response = c.post("/beheer/instellingen/interventies/nieuw/", {"code": "", "name": "", "track": "x"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"code", "name", "track"} <= set(errors)
    response = c.post(
        "/beheer/instellingen/interventies/nieuw/",
        {"code": "huisverbod-test", "name": "Huisverbod", "track": "criminal", "active": "on"},
    )
    assert response.status_code == 302
    assert InterventionType.objects.get(code="huisverbod-test").name == "Huisverbod"
    assert AuditEvent.objects.filter(event_type=AccessEvent.CONFIG_CHANGE, details__created=True).exists()


def test_only_the_beheerder(procesregisseur, professional, beheerder, municipality):
    for user in (procesregisseur, professional):
        assert _client(user).get("/beheer/instellingen/").status_code == 404
        assert _client(user).get("/beheer/instellingen/gemeenten/").status_code == 404
        with pytest.raises(AccessDenied):
            beheer.entry_save(
                actor=user, catalogue=beheer.CATALOGUES["gemeenten"], instance=municipality, data={"max_caseload": 1}
            )
    assert _client(beheerder).get("/beheer/instellingen/onbekend/").status_code == 404


def test_service_refuses_invalid_values_and_stale_stamps(beheerder, municipality):
    catalogue = beheer.CATALOGUES["gemeenten"]
    with pytest.raises(ValidationFailed) as exc:
        beheer.entry_save(actor=beheerder, catalogue=catalogue, data={"name": ""})
    assert "name" in exc.value.field_errors
    with pytest.raises(ConcurrentEdit):
        beheer.entry_save(actor=beheerder, catalogue=catalogue, instance=municipality, data={"max_caseload": 3})
    saved = beheer.entry_save(
        actor=beheerder,
        catalogue=catalogue,
        instance=municipality,
        data={"max_caseload": 3},
        expected_stamp=beheer.stamp(municipality),
    )
    assert Municipality.objects.get(pk=saved.pk).max_caseload == 3
