"""Issue 13 item 3: each app owns its audit event types and registers them with core
(`tafel.core.registry.register_audit_event_types`); core lists none of them. The numbers are stored in every
audit row and in the hash chain, so the move must keep each number with its name and label, its NEN 7513
action code and its purpose of use."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tafel.core import registry
from tafel.core.choices import IntegerChoices
from tafel.core.models import AuditEvent, default_purpose

# The audit event types as core's `AuditEventType` listed them before the move (number, name, Dutch label),
# frozen here on purpose: the one place the whole list is written twice.
BEFORE = [
    (100, "CASE_VIEW", "casus bekeken"),
    (101, "CASE_CREATE", "casus aangemaakt"),
    (102, "CASE_UPDATE", "casus gewijzigd"),
    (103, "CASE_TRANSITION", "status gewijzigd"),
    (104, "CASE_LIST", "casuslijst bekeken"),
    (105, "CASE_PARTICIPANT_ADD", "organisatie toegevoegd aan casus"),
    (106, "CASE_NOTE_ADD", "notitie toegevoegd"),
    (170, "CASE_CLASSIFY", "urgentie of thema gewijzigd"),
    (171, "CASE_PERSON_ROLE", "rol van persoon gewijzigd"),
    (172, "CASE_PROPOSAL_DECIDE", "voorstel bij casus beoordeeld"),
    (173, "CASE_PARTICIPANT_REMOVE", "organisatie verwijderd uit casus"),
    (174, "CASE_SEARCH", "casussen gezocht"),
    (200, "AANMELDING_CREATE", "aanmelding ingediend"),
    (201, "AANMELDING_VIEW", "aanmelding bekeken"),
    (202, "AANMELDING_JOINED", "aanmelding gekoppeld aan lopende casus"),
    (203, "AANMELDING_INFO_ADDED", "aanvullende informatie gegeven"),
    (210, "TRIAGE_DECIDE", "triagebesluit"),
    (211, "TRIAGE_VIEW", "triage bekeken"),
    (300, "PERSON_VIEW", "persoon bekeken"),
    (301, "PERSON_CREATE", "persoon aangemaakt"),
    (302, "PERSON_MATCH", "persoon gezocht (screening)"),
    (303, "PERSON_KNOWN_SIGNAL", "dat-informatie getoond"),
    (400, "MEETING_PLAN", "overleg gepland"),
    (401, "MEETING_VIEW", "overleg bekeken"),
    (402, "MEETING_UPDATE", "overleg gewijzigd"),
    (403, "AGENDA_ADD", "casus geagendeerd"),
    (404, "AGENDA_DEFER", "casus doorgeschoven"),
    (405, "INVITATION_ADD", "deelnemer uitgenodigd"),
    (406, "INVITATION_SEND", "uitnodigingen verstuurd"),
    (407, "CLIENT_INVITE", "cliënt uitgenodigd (ja, tenzij)"),
    (408, "ATTENDANCE_RECORD", "aanwezigheid vastgelegd"),
    (409, "PRIVACY_REMINDER", "privacy-opening vastgelegd"),
    (410, "PRE_MEETING_UPDATE", "voorbereidende update ingediend"),
    (411, "DISCUSSION_VIEW", "gespreksleidraad bekeken"),
    (412, "DISCUSSION_UPDATE", "gespreksverslag bijgewerkt"),
    (413, "SCALE_SCORE_ADD", "schaalvraag vastgelegd"),
    (414, "PHASE_CHANGE", "fase gewijzigd"),
    (415, "SAFETY_MARKER_SET", "veiligheidsmarkering gezet"),
    (416, "INVITATION_REMOVE", "uitnodiging ingetrokken"),
    (417, "POLICE_CHECK_REQUEST", "DIK-check politie gevraagd"),
    (418, "POLICE_CHECK_ANSWER", "DIK-check politie beantwoord"),
    (419, "MEETING_CLOSE", "overleg gesloten (gehouden)"),
    (470, "INVITATION_RESPOND", "uitnodiging beantwoord"),
    (471, "ACTION_CO_OWNER", "tweede eigenaar van actie gezet"),
    (420, "PLAN_VIEW", "plan van aanpak bekeken"),
    (421, "PLAN_UPDATE", "concept-plan gewijzigd"),
    (422, "PLAN_PUBLISH", "plan van aanpak gepubliceerd"),
    (423, "ACTION_UPDATE", "actie bijgewerkt"),
    (424, "PLAN_FAMILY_VIEW", "gezinsversie plan bekeken"),
    (425, "PLAN_FAMILY_REVIEW", "gezinsversie plan beoordeeld"),
    (426, "PLAN_FAMILY_GIVEN", "gezinsversie plan aan het gezin gegeven"),
    (430, "VERSLAG_GENERATE", "verslag opgesteld"),
    (431, "VERSLAG_EDIT", "verslag bewerkt"),
    (432, "VERSLAG_APPROVE", "verslag vastgesteld"),
    (433, "VERSLAG_VIEW", "verslag bekeken"),
    (434, "VERSLAG_PDF", "verslag gedownload (PDF)"),
    (500, "RAPPEL_SET", "rappeldatum gezet"),
    (501, "BREACH_REPORT", "bodemeis niet nagekomen gemeld"),
    (502, "PROGRESS_UPDATE", "voortgang casusregisseur gemeld"),
    (503, "FOLLOW_UP_AGENDA", "vervolgcasus automatisch geagendeerd"),
    (510, "ESCALATION_START", "escalatie gestart"),
    (511, "ESCALATION_STEP", "escalatie: volgende stap"),
    (512, "ESCALATION_ARGUMENT", "escalatie: argument ingediend"),
    (513, "ESCALATION_RESOLVE", "escalatie: besluit"),
    (520, "INTERVENTION_ADD", "interventie vastgelegd"),
    (521, "INTERVENTION_UPDATE", "interventie bijgewerkt"),
    (530, "CLOSURE_RECORD", "casus afgesloten / afgeschaald / opgeschaald"),
    (531, "CLOSURE_PROPOSE", "afsluiting voorgesteld"),
    (532, "CLOSURE_PROPOSAL_DECIDE", "afsluitvoorstel beoordeeld"),
    (533, "CASE_REENTRY", "casus heropend vanuit volgen op afstand"),
    (534, "FOLLOW_UP_END", "volgen op afstand beëindigd"),
    (535, "CHECKLIST_TICK", "checklistpunt afgevinkt"),
    (540, "VT_DECISION", "Veilig Thuis-triagebesluit"),
    (541, "ENRICHMENT_REQUEST", "dat-informatie gevraagd"),
    (542, "ENRICHMENT_ANSWER", "dat-informatie gegeven"),
    (543, "VT_ESCALATE", "Veilig Thuis: opgeschaald naar het ZVH"),
    (544, "VT_MONITORING_CLOSE", "Veilig Thuis: monitoring na overdracht afgesloten"),
    (550, "TIMELINE_VIEW", "tijdlijn bekeken"),
    (551, "TIMELINE_PDF", "tijdlijn gedownload (PDF)"),
    (552, "EVENT_FEED_READ", "gebeurtenissenfeed gelezen"),
    (560, "EVALUATION_VIEW", "casusevaluatie bekeken"),
    (561, "EVALUATION_CREATE", "casusevaluatie gestart"),
    (562, "EVALUATION_UPDATE", "casusevaluatie gewijzigd"),
    (563, "EVALUATION_FINALISE", "casusevaluatie afgerond"),
    (564, "EVALUATION_REOPEN", "casusevaluatie heropend"),
    (565, "EVALUATION_PDF", "casusevaluatie gedownload (PDF)"),
    (566, "REVIEW_INTERVIEW_ADD", "casusreview-interview vastgelegd"),
    (567, "IMPROVEMENT_ACTION_UPDATE", "verbeteractie bijgewerkt"),
    (568, "IMPROVEMENT_ACTION_LIST", "verbeteracties bekeken"),
    (600, "REGLEMENT_UPDATE", "privacyreglement gewijzigd"),
    (601, "CONSENT_RECORD", "toestemming vastgelegd"),
    (602, "CONSENT_WITHDRAW", "toestemming ingetrokken"),
    (603, "ITEM_SHARE", "informatie gedeeld (met grondslag)"),
    (604, "ITEM_RESTRICT", "informatie afgeschermd"),
    (605, "ATTACHMENT_ADD", "bijlage toegevoegd"),
    (606, "ATTACHMENT_VIEW", "bijlage bekeken"),
    (610, "PERSON_EXPORT", "inzage: gegevens van persoon geëxporteerd"),
    (611, "PERSON_RECTIFY", "persoonsgegevens gecorrigeerd"),
    (612, "PERSON_RESTRICT", "verwerking beperkt"),
    (613, "PERSON_UNRESTRICT", "beperking verwerking opgeheven"),
    (620, "RETENTION_REPORT", "bewaartermijnrapport opgesteld"),
    (621, "RETENTION_DESTROY", "casus vernietigd (bewaartermijn)"),
    (630, "AUDIT_EXPORT", "auditlog geëxporteerd"),
    (631, "AUDIT_RETENTION", "oude auditmaanden verwijderd (bewaartermijn auditlog)"),
    (700, "FEDERATION_CHECK", "federatie: andere huizen bevraagd"),
    (701, "FEDERATION_RESULT", "federatie: antwoord van andere huizen ontvangen"),
    (702, "FEDERATION_ASKED", "federatie: bevraagd door ander huis"),
    (703, "FEDERATION_ANSWERED", "federatie: dat-informatie gegeven aan ander huis"),
    (704, "FEDERATION_PUBLISH", "federatie: tokens gepubliceerd of ingetrokken"),
    (900, "ACCESS_DENIED", "toegang geweigerd"),
    (901, "LOGIN", "ingelogd"),
    (902, "AUDIT_VIEW", "auditlog bekeken"),
    (903, "TOKEN_CREATE", "API-token aangemaakt"),
    (904, "TOKEN_REVOKE", "API-token ingetrokken"),
    (905, "OTP_ENROL", "tweede factor ingesteld"),
    (906, "CONFIG_CHANGE", "instelling gewijzigd (beheer)"),
    (940, "OIDC_LOGIN_REFUSED", "inloggen via identity provider geweigerd"),
    (941, "OIDC_USER_PROVISION", "account aangemaakt of bijgewerkt via identity provider"),
    (950, "CORV_IMPORT", "CORV-zorgmelding ingelezen"),
    (951, "CORV_REFUSED", "CORV-bericht geweigerd"),
    (955, "BRP_LOOKUP", "persoon opgevraagd in de BRP"),
    (960, "WEBHOOK_SUBSCRIPTION_CHANGE", "webhook-abonnement gewijzigd"),
    (961, "WEBHOOK_PAUSED", "webhook-abonnement gepauzeerd na mislukte afleveringen"),
]

# The old NEN 7513 action codes (tafel/privacy/selectors.py before the move); every other type was U.
READS = set(
    """
    CASE_VIEW CASE_LIST AANMELDING_VIEW TRIAGE_VIEW PERSON_VIEW PERSON_MATCH PERSON_KNOWN_SIGNAL
    MEETING_VIEW DISCUSSION_VIEW PLAN_VIEW PLAN_FAMILY_VIEW VERSLAG_VIEW VERSLAG_PDF TIMELINE_VIEW
    TIMELINE_PDF EVENT_FEED_READ EVALUATION_VIEW EVALUATION_PDF IMPROVEMENT_ACTION_LIST ATTACHMENT_VIEW
    PERSON_EXPORT AUDIT_VIEW AUDIT_EXPORT RETENTION_REPORT
    """.split()
)
CREATES = set(
    """
    CASE_CREATE AANMELDING_CREATE PERSON_CREATE CASE_NOTE_ADD ATTACHMENT_ADD MEETING_PLAN ESCALATION_START
    INTERVENTION_ADD EVALUATION_CREATE CONSENT_RECORD TOKEN_CREATE
    """.split()
)
DELETES = {"RETENTION_DESTROY", "AUDIT_RETENTION", "TOKEN_REVOKE"}
EXECUTES = {"LOGIN", "ACCESS_DENIED"}

# The old default purposes (core's `_PURPOSE_BY_EVENT`, then 56x evaluatie, 9xx beveiliging, else casusregie).
PURPOSE_BY_NAME = {
    "EVALUATION_VIEW": "evaluatie",
    "REGLEMENT_UPDATE": "beheer",
    "PERSON_EXPORT": "rechten",
    "PERSON_RECTIFY": "rechten",
    "PERSON_RESTRICT": "rechten",
    "PERSON_UNRESTRICT": "rechten",
    "RETENTION_REPORT": "bewaartermijn",
    "RETENTION_DESTROY": "bewaartermijn",
    "AUDIT_EXPORT": "toezicht",
    "AUDIT_RETENTION": "bewaartermijn",
    "AUDIT_VIEW": "toezicht",
    "BRP_LOOKUP": "casusregie",
    "CORV_IMPORT": "casusregie",
    "WEBHOOK_SUBSCRIPTION_CHANGE": "beheer",
}


def _old_purpose(number: int, name: str) -> str:
    if name in PURPOSE_BY_NAME:
        return PURPOSE_BY_NAME[name]
    if 560 <= number < 570:
        return "evaluatie"
    if number >= 900:
        return "beveiliging"
    return "casusregie"


def _registered() -> list[tuple[int, str, str]]:
    with translation.override("nl"):
        return [(n, registry.audit_event_type(n).name, str(label)) for n, label in registry.audit_event_choices()]


def test_the_registered_types_are_exactly_the_types_core_listed_before():
    assert sorted(_registered()) == sorted(BEFORE)
    assert len(BEFORE) == len({n for n, _, _ in BEFORE})


def test_each_type_keeps_its_action_code_and_its_purpose():
    for number, name, _label in BEFORE:
        old = (
            "R"
            if name in READS
            else "C"
            if name in CREATES
            else "D"
            if name in DELETES
            else "E"
            if name in EXECUTES
            else "U"
        )
        assert registry.audit_event_action(number) == old, name
        assert default_purpose(number) == _old_purpose(number, name), name


def test_every_number_a_migration_listed_still_resolves():
    """The choices the core migrations wrote down before the registry (0001-0009): each number is registered,
    and the last list is the registry's, label for label."""
    import tafel.core.migrations as package

    last: list = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"tafel.core.migrations.{info.name}")
        for operation in module.Migration.operations:
            fields = getattr(operation, "fields", None) or [
                (getattr(operation, "name", None), getattr(operation, "field", None))
            ]
            for field_name, field in fields:
                if field_name == "event_type" and isinstance(field.choices, list):
                    last = field.choices
                    for number, _label in field.choices:
                        assert registry.audit_event_type(number) is not None, (info.name, number)
    assert last
    with translation.override("nl"):
        assert sorted((n, str(label)) for n, label in last) == sorted((n, label) for n, _, label in _registered())


def test_the_field_reads_its_choices_from_the_registry_so_a_new_type_needs_no_migration():
    field = AuditEvent._meta.get_field("event_type")
    assert field.deconstruct()[3]["choices"] is registry.audit_event_choices
    with translation.override("nl"):
        assert AuditEvent(event_type=902).get_event_type_display() == "auditlog bekeken"
        assert AuditEvent(event_type=999).get_event_type_display() == 999


def test_core_lists_no_app_types():
    import tafel.core.models

    assert not hasattr(tafel.core.models, "AuditEventType")
    from tafel.core.audit_events import CoreEvent

    assert {m.name for m in CoreEvent} == {"CASE_LIST", "AUDIT_RETENTION", "ACCESS_DENIED", "LOGIN"}


class _DuplicateNumber(IntegerChoices):
    SOMETHING_NEW = 100, _("dubbel nummer")


class _DuplicateName(IntegerChoices):
    CASE_VIEW = 998, _("dubbele naam")


class _Fine(IntegerChoices):
    TEST_ONLY_EVENT = 997, _("alleen in deze test")


@pytest.mark.parametrize("choices", [_DuplicateNumber, _DuplicateName])
def test_a_number_or_name_another_app_registered_is_refused(choices):
    before = registry.audit_event_choices()
    with pytest.raises(ImproperlyConfigured, match="already registered by tafel.cases.audit_events.CaseEvent"):
        registry.register_audit_event_types(choices)
    assert registry.audit_event_choices() == before


def test_registering_the_same_class_again_changes_nothing_and_bad_metadata_is_refused(monkeypatch):
    from tafel.cases.audit_events import CaseEvent

    before = registry.audit_event_choices()
    registry.register_audit_event_types(CaseEvent, actions={CaseEvent.CASE_VIEW: "R"})
    assert registry.audit_event_choices() == before
    for table in ("_audit_types", "_audit_names", "_audit_actions", "_audit_purposes"):
        monkeypatch.setattr(registry, table, dict(getattr(registry, table)))
    with pytest.raises(ImproperlyConfigured, match="action code"):
        registry.register_audit_event_types(_Fine, actions={_Fine.TEST_ONLY_EVENT: "X"})
    with pytest.raises(ImproperlyConfigured, match="not a member"):
        registry.register_audit_event_types(_Fine, purposes={CaseEvent.CASE_VIEW: "beheer"})
    registry.register_audit_event_types(_Fine, purpose="beheer")
    assert registry.audit_event_type(997) is _Fine.TEST_ONLY_EVENT
    assert (registry.audit_event_action(997), default_purpose(997)) == ("U", "beheer")


# The case-event feed's allowlist before the move (tafel/lifecycle/selectors.py listed every app's types).
FEED_BEFORE = set(
    """
    CASE_CREATE CASE_UPDATE CASE_TRANSITION CASE_PARTICIPANT_ADD CASE_PARTICIPANT_REMOVE CASE_NOTE_ADD
    AANMELDING_CREATE AANMELDING_JOINED AANMELDING_INFO_ADDED TRIAGE_DECIDE MEETING_PLAN MEETING_UPDATE AGENDA_ADD
    AGENDA_DEFER INVITATION_ADD INVITATION_SEND INVITATION_REMOVE CLIENT_INVITE ATTENDANCE_RECORD PRE_MEETING_UPDATE
    DISCUSSION_UPDATE SCALE_SCORE_ADD PHASE_CHANGE SAFETY_MARKER_SET PLAN_UPDATE PLAN_PUBLISH ACTION_UPDATE
    VERSLAG_GENERATE VERSLAG_EDIT VERSLAG_APPROVE RAPPEL_SET BREACH_REPORT PROGRESS_UPDATE FOLLOW_UP_AGENDA
    ESCALATION_START ESCALATION_STEP ESCALATION_ARGUMENT ESCALATION_RESOLVE INTERVENTION_ADD INTERVENTION_UPDATE
    CLOSURE_RECORD CLOSURE_PROPOSE CLOSURE_PROPOSAL_DECIDE CASE_REENTRY FOLLOW_UP_END VT_DECISION VT_ESCALATE
    EVALUATION_CREATE EVALUATION_UPDATE EVALUATION_FINALISE EVALUATION_REOPEN CONSENT_RECORD CONSENT_WITHDRAW
    ATTACHMENT_ADD
    """.split()
)


def test_the_feed_still_carries_the_same_change_events_with_the_apps_above_lifecycle_registering_theirs():
    from tafel.lifecycle.selectors import FEED_EVENTS, FEED_ITEMS

    assert {registry.audit_event_type(e).name for e in FEED_EVENTS} == FEED_BEFORE
    assert FEED_ITEMS[(605, "attachment")] == ("privacy", "CaseAttachment")


def test_the_display_label_is_the_registry_label_as_django_would_give_it():
    """AuditEvent.get_event_type_display reads the registry directly (Django's own rebuilds the callable
    choices on each call); it must answer what Django's answers, in both languages and for an unknown number."""
    from django.db.models import Model
    from django.utils import translation

    from tafel.core.models import AuditEvent
    from tafel.core.registry import audit_event_choices

    field = AuditEvent._meta.get_field("event_type")
    for language in ("nl", "en"):
        with translation.override(language):
            for number in [n for n, _ in audit_event_choices()] + [9999]:
                event = AuditEvent(event_type=number)
                assert event.get_event_type_display() == Model._get_FIELD_display(event, field)
