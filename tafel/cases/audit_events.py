"""The audit event types of the cases app: cases (1xx) and intake and triage (2xx).

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices


class CaseEvent(IntegerChoices):
    # 1xx: cases
    CASE_VIEW = 100, _("casus bekeken")
    CASE_CREATE = 101, _("casus aangemaakt")
    CASE_UPDATE = 102, _("casus gewijzigd")
    CASE_TRANSITION = 103, _("status gewijzigd")
    CASE_PARTICIPANT_ADD = 105, _("organisatie toegevoegd aan casus")
    CASE_NOTE_ADD = 106, _("notitie toegevoegd")
    # 17x: the case holds together across organisations (issue 11)
    CASE_CLASSIFY = 170, _("urgentie of thema gewijzigd")
    CASE_PERSON_ROLE = 171, _("rol van persoon gewijzigd")
    CASE_PROPOSAL_DECIDE = 172, _("voorstel bij casus beoordeeld")
    CASE_PARTICIPANT_REMOVE = 173, _("organisatie verwijderd uit casus")
    CASE_SEARCH = 174, _("casussen gezocht")
    # 2xx: intake and triage
    AANMELDING_CREATE = 200, _("aanmelding ingediend")
    AANMELDING_VIEW = 201, _("aanmelding bekeken")
    AANMELDING_JOINED = 202, _("aanmelding gekoppeld aan lopende casus")
    AANMELDING_INFO_ADDED = 203, _("aanvullende informatie gegeven")
    TRIAGE_DECIDE = 210, _("triagebesluit")
    TRIAGE_VIEW = 211, _("triage bekeken")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {
    CaseEvent.CASE_VIEW: "R",
    CaseEvent.CASE_CREATE: "C",
    CaseEvent.CASE_NOTE_ADD: "C",
    CaseEvent.AANMELDING_CREATE: "C",
    CaseEvent.AANMELDING_VIEW: "R",
    CaseEvent.TRIAGE_VIEW: "R",
}
