"""Issue 10: a generated walk over every request field that carries an id.

The URL parameters come from the URL resolver (pages) and the OpenAPI schema (API); the query and body fields
from the operations' parameters and the ninja request schemas. Each id is tried as an id of an object the
caller may not see (the World's case and everything in it, for the partner outside the case and for the
reporter-only school) and as an id that does not exist. The two must answer alike — same status, same body
but for the id itself — and neither may be a success.

Body fields cannot be filled generically (a valid aanmelding needs persons, a triage needs criteria), so each
id-carrying body field the schema declares must have an entry in BODY_FIELDS below: a new one fails
`test_every_id_field_in_a_request_body_is_walked` until someone decides how it is tried.
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tafel.testing import matrix
from tafel.testing.world import build_world, client_for, token_for

pytestmark = pytest.mark.django_db

MISSING = 987654
OUTSIDERS = ("partner", "reporter")
ID_NAME = re.compile(r"(_id|_ids|^owner|^user|^guard|^participant|^chair|^casusregisseur|^substitute_for)$")


def _normalise(text: str, value) -> str:
    """The answer without what differs per request anyway (CSRF tokens, a CSP nonce) and the id asked for."""
    text = re.sub(r'(content|nonce|value)="[^"]*"', "", text)
    forms = (f"/{value}/", f"/{value}?", f'/{value}"')
    if text.startswith("{"):  # a JSON answer may name a row by its id ("attendance-<id>")
        forms += (f'-{value}"',)
    for form in forms:
        text = text.replace(form, form.replace(str(value), "ID"))
    return re.sub(rf"\b{value}\b", "ID", text) if len(str(value)) >= 5 else text


def _send(w, key, entry, actor, kwargs, *, body=None, query="", probe=None):
    """(status, body, probe()) — `probe` runs after the request, before its savepoint is rolled back."""
    sid = transaction.savepoint()
    try:
        urls = matrix.url_names()
        if key in urls:
            client = client_for(w, actor)
            url = reverse(key, kwargs=kwargs) + query
            if entry.get("method") == "post":
                response = client.post(url, entry.get("data", {}))
            else:
                response = client.get(url)
            return response.status_code, response.content.decode(), probe() if probe else None
        method, path = matrix.api_operations()[key]
        for name, value in kwargs.items():
            path = path.replace("{" + name + "}", str(value))
        token = token_for(w, actor)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = Client(headers=headers)
        if method == "get":
            response = client.get(path + query)
        else:
            payload = body if body is not None else entry.get("body", "{}")
            response = client.generic(method.upper(), path, payload, content_type="application/json")
        return response.status_code, response.content.decode(), probe() if probe else None
    finally:
        transaction.savepoint_rollback(sid)


@pytest.fixture
def world(settings):
    settings.TAFEL_REQUIRE_2FA = False
    return build_world()


def _id_routes():
    entries = matrix.load_entries()
    out = []
    for key, route in matrix.url_names().items():
        params = [p for p in matrix.route_params(route) if p.endswith("_id")]
        if params and key in entries:
            out.append((key, params))
    for key, (_method, path) in matrix.api_operations().items():
        params = [p for p in matrix.api_params(path) if p.endswith("_id")]
        if params and key in entries:
            out.append((key, params))
    return sorted(out)


def test_every_id_in_a_url_answers_alike_for_hidden_and_missing_objects(world):
    entries = matrix.load_entries()
    wrong = []
    walked = 0
    for key, params in _id_routes():
        entry = entries[key]
        all_params = (
            matrix.route_params(matrix.url_names()[key])
            if key in matrix.url_names()
            else matrix.api_params(matrix.api_operations()[key][1])
        )
        kwargs = matrix.kwargs_for(entry, all_params, world)
        for actor in OUTSIDERS:
            if entry["expect"][actor] < 400:
                continue  # this actor may reach the object (e.g. an enrichment request to its organisation)
            hidden = _send(world, key, entry, actor, kwargs)
            for param in params:
                walked += 1
                missing = _send(world, key, entry, actor, {**kwargs, param: MISSING})
                if 200 <= hidden[0] < 300:
                    wrong.append(f"{key} as {actor}: {hidden[0]} for a hidden object")
                if hidden[0] != missing[0]:
                    wrong.append(
                        f"{key}[{param}] as {actor}: {hidden[0]} for a hidden id, {missing[0]} for a missing one"
                    )
                elif _normalise(hidden[1], kwargs[param]) != _normalise(missing[1], MISSING):
                    wrong.append(f"{key}[{param}] as {actor}: the body differs between a hidden and a missing id")
    assert walked > 100
    assert not wrong, "\n".join(wrong)


# Query parameters that carry an id: they filter a list the caller already may see, so a hidden and a missing
# id must give the same (empty) answer.
QUERY_FIELDS = {
    "api:case_list": ("municipality_id", lambda w: w.municipality.pk),
    "api:case_timeline": ("organisation_id", lambda w: w.police.pk),
    "lifecycle:timeline": ("organisatie", lambda w: w.police.pk),
}


def test_every_id_in_a_query_answers_alike(world):
    entries = matrix.load_entries()
    wrong = []
    for key, (field, hidden_id) in QUERY_FIELDS.items():
        entry = entries[key]
        params = (
            matrix.route_params(matrix.url_names()[key])
            if key in matrix.url_names()
            else matrix.api_params(matrix.api_operations()[key][1])
        )
        kwargs = matrix.kwargs_for(entry, params, world)
        for actor in OUTSIDERS:
            hidden = _send(world, key, entry, actor, kwargs, query=f"?{field}={hidden_id(world)}")
            missing = _send(world, key, entry, actor, kwargs, query=f"?{field}={MISSING}")
            if hidden[0] != missing[0] or _normalise(hidden[1], hidden_id(world)) != _normalise(missing[1], MISSING):
                wrong.append(f"{key}?{field} as {actor}: {hidden[0]} vs {missing[0]}")
    assert not wrong, "\n".join(wrong)


def _aanmelding(w, person_id):
    return {
        "route": "veld",
        "theme": "huiselijk_geweld",
        "municipality_id": w.municipality.pk,
        "title": "Zorgen",
        "reason": "Zorgen.",
        "summary": "Wat speelt er.",
        "client_knows": True,
        "urgency": "normaal",
        "persons": [{"role": "pleger", "existing_person_id": person_id}],
    }


def _inactive_user(w):
    from tafel.testing import make_user

    return make_user(w.police, "professional", username="m_gone", is_active=False).pk


# Every id-carrying body field of the API: (operation, field) → (actors, the body around a hidden id, the hidden
# id). The hidden id is an object the actor may not name: a person they do not see (and did not screen), a user
# of an organisation outside the case or an inactive account, an organisation outside the case.
BODY_FIELDS = {
    ("api:aanmelding_create", "persons[].existing_person_id"): (
        # The organisation without a convenant takes part in the World's case as a partner: it sees the person.
        ("partner", "reporter"),
        lambda w, v: _aanmelding(w, v),
        lambda w: w.person.pk,
    ),
    ("api:aanmelding_create", "municipality_id"): (
        ("partner",),
        lambda w, v: {**_aanmelding(w, None), "municipality_id": v, "persons": [{"role": "pleger", "last_name": "X"}]},
        # Municipalities are public reference data; an unknown one is a field error like a missing one.
        lambda w: None,
    ),
    ("api:case_triage", "team_member_ids"): (
        ("regisseur",),
        lambda w, v: {"criteria": [], "outcome": "zvh_com", "mode": "team", "team_member_ids": [v]},
        # The triage team is the house and its convenant partners: the school outside the convenant is not.
        lambda w: w.users["reporter"].pk,
    ),
    ("api:case_triage", "procesregisseur_id"): (
        ("regisseur",),
        lambda w, v: {"criteria": [], "outcome": "zvh_com", "procesregisseur_id": v},
        lambda w: w.users["partner"].pk,
    ),
    ("api:bodemeis_breach_report", "bodemeis_id"): (
        ("member",),
        lambda w, v: {"bodemeis_id": v, "description": "Niet nagekomen."},
        lambda w: _foreign_bodemeis(w),
    ),
    ("api:intervention_add", "type_id"): (
        ("regisseur",),
        lambda w, v: {"type_id": v, "started_on": "2026-01-05"},
        lambda w: None,
    ),
    ("api:intervention_add", "organisation_id"): (
        ("regisseur",),
        lambda w, v: {"type_id": _intervention_type(), "organisation_id": v, "started_on": "2026-01-05"},
        lambda w: w.ggz.pk,
    ),
    ("api:escalation_start", "candidate_organisation_ids"): (
        ("regisseur",),
        lambda w, v: {"reason": "Het loopt vast.", "candidate_organisation_ids": [v]},
        lambda w: w.ggz.pk,
    ),
    ("api:vt_decide", "responsible_worker_id"): (
        ("regisseur",),
        lambda w, v: {"risk_level": "hoog", "route": "onderzoek", "reason": "Risico.", "responsible_worker_id": v},
        lambda w: _inactive_user(w),
    ),
    ("api:enrichment_request", "organisation_ids"): (
        ("regisseur",),
        lambda w, v: {"organisation_ids": [v]},
        lambda w: None,
    ),
    ("api:improvement_action_update", "owner_id"): (("regisseur",), None, None),
    ("api:evaluation_improvement_action_add", "owner_id"): (("regisseur",), None, None),
    # Issue 11's fields. A person outside the case (another case's person) and an unknown id; a user of another
    # organisation as substitute (a substitute is a colleague); an inactive organisation as handover target.
    ("api:agenda_item_client_invite", "person_id"): (
        ("regisseur",),
        lambda w, v: {"person_id": v},
        lambda w: _other_person(w),
    ),
    ("api:agenda_item_safety_marker", "person_ids"): (
        ("regisseur",),
        lambda w, v: {"marker": "stalking", "reason": "Zorg.", "person_ids": [w.person.pk, v]},
        lambda w: _other_person(w),
    ),
    ("api:invitation_respond", "substitute_id"): (
        ("member",),
        lambda w, v: {"response": "substituted", "substitute_id": v},
        lambda w: w.users["partner"].pk,
    ),
    ("api:vt_decide", "handover_organisation_id"): (
        ("regisseur",),
        lambda w, v: {
            "risk_level": "laag",
            "route": "overdracht",
            "reason": "Lokaal.",
            "handover_organisation_id": v,
            "handover_on": "2026-01-05",
            "handover_present": "Wijkteam en VT.",
        },
        lambda w: _inactive_organisation(),
    ),
    # Issue 11 item 6: an inactive organisation cannot be added and reads like an unknown one (both 422).
    ("api:case_organisation_add", "organisation_id"): (
        ("regisseur",),
        lambda w, v: {"organisation_id": v, "reason": "Betrokken bij het gezin."},
        lambda w: _inactive_organisation(),
    ),
    # Issue 12 item 5: attendance for all invitees in one request; an invitation of another meeting reads like an
    # unknown one.
    ("api:meeting_attendance_save", "rows[].invitation_id"): (
        ("regisseur",),
        lambda w, v: {"version": _meeting_version(w), "rows": [{"invitation_id": v, "attendance": "present"}]},
        lambda w: _foreign_invitation(w),
    ),
}
# The improvement actions' owner may be any active user of any organisation (the ketenmanager assigns work to
# partners outside the case, issue 6); its fetch-and-check is `policy.active_users`, and an inactive and a
# missing id answer alike — tested in tafel/evaluations. They need an evaluation the World does not hold.
NOT_WALKED_HERE = {key for key, (_, make_body, _) in BODY_FIELDS.items() if make_body is None}


def _other_person(w):
    """A person of another case, outside the World's case."""
    from tafel.cases.models import CasePerson
    from tafel.testing import make_case

    other = make_case(w.users["regisseur"], w.municipality)
    return CasePerson.objects.filter(case=other).exclude(person_id=w.person.pk).values_list("person_id", flat=True)[0]


def _meeting_version(w):
    from tafel.meetings.models import Meeting

    return Meeting.objects.filter(pk=w.meeting.pk).values_list("version", flat=True).first() or 1


def _foreign_invitation(w):
    """An invitation to a meeting of another case."""
    from tafel.meetings.models import Invitation
    from tafel.meetings.tests.factories import held_meeting, triaged
    from tafel.testing import make_case

    other = triaged(make_case(w.users["regisseur"], w.municipality), w.users["regisseur"])
    meeting, _ = held_meeting(w.users["regisseur"], other)
    return Invitation.objects.filter(meeting=meeting).values_list("pk", flat=True).first()


def _inactive_organisation():
    from tafel.organisations.models import OrganisationType
    from tafel.testing import make_org

    org = make_org("Opgeheven wijkteam", OrganisationType.ZORG)
    org.active = False
    org.save(update_fields=["active"])
    return org.pk


# Walks that need the World in another state: (operation, field) → a change made inside the walk's savepoint.
PREPARE = {
    # The World's meeting has been held; an invitee answers (and names a substitute) before it starts.
    ("api:invitation_respond", "substitute_id"): lambda w: _reopen_meeting(w),
}


def _reopen_meeting(w):
    from tafel.meetings.models import Invitation, Meeting, MeetingStatus

    meeting_id = Invitation.objects.filter(user=w.users["member"]).values_list("meeting_id", flat=True).first()
    Meeting.objects.filter(pk=meeting_id).update(status=MeetingStatus.PLANNED)


# Fields whose refusal is recorded by `policy.refuse_unseen` (one ACCESS_DENIED row, hidden or missing alike).
AUDITED = {
    ("api:agenda_item_client_invite", "person_id"): "person.invite",
    ("api:agenda_item_safety_marker", "person_ids"): "person.mark",
    ("api:invitation_respond", "substitute_id"): "user.substitute",
    ("api:vt_decide", "handover_organisation_id"): "organisation.handover",
    ("api:aanmelding_create", "persons[].existing_person_id"): "person.link",
}


def _denials(reason):
    from tafel.core.audit_events import CoreEvent
    from tafel.core.models import AuditEvent

    return lambda: AuditEvent.objects.filter(event_type=CoreEvent.ACCESS_DENIED, reason=reason).count()


def _intervention_type():
    from tafel.lifecycle.models import InterventionType

    return InterventionType.objects.filter(active=True).values_list("pk", flat=True).first()


def _foreign_bodemeis(w):
    """A bodemeis of another case the member does not take part in."""
    from tafel.meetings.tests.factories import held_meeting, publish_plan, triaged
    from tafel.testing import make_case

    other = triaged(make_case(w.users["regisseur"], w.municipality), w.users["regisseur"])
    meeting, _ = held_meeting(w.users["regisseur"], other)
    plan = publish_plan(
        w.users["regisseur"], other, meeting, owner=w.users["regisseur"], guard=w.users["regisseur"]
    ).plan
    return plan.bodemeisen.first().pk


def _body_id_fields() -> set[tuple[str, str]]:
    from tafel.api.api import api

    spec = api.get_openapi_schema()
    components = spec.get("components", {}).get("schemas", {})

    def walk(schema, prefix, seen=()):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name in seen:
                return
            yield from walk(components[name], prefix, (*seen, name))
            return
        for name, prop in schema.get("properties", {}).items():
            path = f"{prefix}{name}"
            if ID_NAME.search(name):
                yield path
            if "$ref" in prop:
                yield from walk(prop, f"{path}.", seen)
            if prop.get("type") == "array" and "$ref" in prop.get("items", {}):
                yield from walk(prop["items"], f"{path}[].", seen)

    found = set()
    for path, ops in spec["paths"].items():
        for op in ops.values():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                found |= {(f"api:{op['operationId']}", field) for field in walk(body, "")}
    return found


def test_every_id_field_in_a_request_body_is_walked(db):
    missing = sorted(_body_id_fields() - set(BODY_FIELDS))
    assert not missing, f"id fields in API request bodies without an entry in BODY_FIELDS: {missing}"


def test_every_id_in_a_body_answers_alike_for_hidden_and_missing_objects(world):
    entries = matrix.load_entries()
    wrong = []
    for (key, field), (actors, make_body, hidden_id) in sorted(BODY_FIELDS.items()):
        if (key, field) in NOT_WALKED_HERE:
            continue
        entry = entries[key]
        params = matrix.api_params(matrix.api_operations()[key][1])
        kwargs = matrix.kwargs_for(entry, params, world)
        sid = transaction.savepoint()
        if (key, field) in PREPARE:
            PREPARE[(key, field)](world)
        hidden_value = hidden_id(world) or MISSING + 1
        for actor in actors:
            probe = _denials(AUDITED[(key, field)]) if (key, field) in AUDITED else None
            hidden = _send(
                world, key, entry, actor, kwargs, body=json.dumps(make_body(world, hidden_value)), probe=probe
            )
            missing = _send(world, key, entry, actor, kwargs, body=json.dumps(make_body(world, MISSING)), probe=probe)
            if probe and (hidden[2], missing[2]) != (1, 1):
                wrong.append(f"{key}.{field} as {actor}: {hidden[2]}/{missing[2]} refusals audited, not 1/1")
            if 200 <= hidden[0] < 300:
                wrong.append(f"{key}.{field} as {actor}: {hidden[0]} for a hidden id")
            if hidden[0] != missing[0]:
                wrong.append(f"{key}.{field} as {actor}: {hidden[0]} for a hidden id, {missing[0]} for a missing one")
            elif _normalise(hidden[1], hidden_value) != _normalise(missing[1], MISSING):
                wrong.append(f"{key}.{field} as {actor}: the body differs\n{hidden[1]}\n{missing[1]}")
        transaction.savepoint_rollback(sid)
    assert not wrong, "\n".join(wrong)
