"""The audit event types of the meetings app (4xx): overleg, gespreksleidraad, plan, verslag.

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices


class MeetingEvent(IntegerChoices):
    # 4xx: meetings (overleg, gespreksleidraad, plan, verslag)
    MEETING_PLAN = 400, _("overleg gepland")
    MEETING_VIEW = 401, _("overleg bekeken")
    MEETING_UPDATE = 402, _("overleg gewijzigd")
    AGENDA_ADD = 403, _("casus geagendeerd")
    AGENDA_DEFER = 404, _("casus doorgeschoven")
    INVITATION_ADD = 405, _("deelnemer uitgenodigd")
    INVITATION_SEND = 406, _("uitnodigingen verstuurd")
    CLIENT_INVITE = 407, _("cliënt uitgenodigd (ja, tenzij)")
    ATTENDANCE_RECORD = 408, _("aanwezigheid vastgelegd")
    PRIVACY_REMINDER = 409, _("privacy-opening vastgelegd")
    PRE_MEETING_UPDATE = 410, _("voorbereidende update ingediend")
    DISCUSSION_VIEW = 411, _("gespreksleidraad bekeken")
    DISCUSSION_UPDATE = 412, _("gespreksverslag bijgewerkt")
    SCALE_SCORE_ADD = 413, _("schaalvraag vastgelegd")
    PHASE_CHANGE = 414, _("fase gewijzigd")
    SAFETY_MARKER_SET = 415, _("veiligheidsmarkering gezet")
    INVITATION_REMOVE = 416, _("uitnodiging ingetrokken")
    POLICE_CHECK_REQUEST = 417, _("DIK-check politie gevraagd")
    POLICE_CHECK_ANSWER = 418, _("DIK-check politie beantwoord")
    MEETING_CLOSE = 419, _("overleg gesloten (gehouden)")
    PLAN_VIEW = 420, _("plan van aanpak bekeken")
    PLAN_UPDATE = 421, _("concept-plan gewijzigd")
    PLAN_PUBLISH = 422, _("plan van aanpak gepubliceerd")
    ACTION_UPDATE = 423, _("actie bijgewerkt")
    PLAN_FAMILY_VIEW = 424, _("gezinsversie plan bekeken")
    PLAN_FAMILY_REVIEW = 425, _("gezinsversie plan beoordeeld")
    PLAN_FAMILY_GIVEN = 426, _("gezinsversie plan aan het gezin gegeven")
    VERSLAG_GENERATE = 430, _("verslag opgesteld")
    VERSLAG_EDIT = 431, _("verslag bewerkt")
    VERSLAG_APPROVE = 432, _("verslag vastgesteld")
    VERSLAG_VIEW = 433, _("verslag bekeken")
    VERSLAG_PDF = 434, _("verslag gedownload (PDF)")
    # 47x: partners are told and answer (issue 11)
    INVITATION_RESPOND = 470, _("uitnodiging beantwoord")
    ACTION_CO_OWNER = 471, _("tweede eigenaar van actie gezet")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {
    MeetingEvent.MEETING_PLAN: "C",
    MeetingEvent.MEETING_VIEW: "R",
    MeetingEvent.DISCUSSION_VIEW: "R",
    MeetingEvent.PLAN_VIEW: "R",
    MeetingEvent.PLAN_FAMILY_VIEW: "R",
    MeetingEvent.VERSLAG_VIEW: "R",
    MeetingEvent.VERSLAG_PDF: "R",
}
