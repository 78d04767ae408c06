"""The audit event types of the lifecycle app (5xx): after the overleg.

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices


class LifecycleEvent(IntegerChoices):
    # 5xx: after the meeting (lifecycle: follow-up, escalation, interventions, closing, Veilig Thuis)
    RAPPEL_SET = 500, _("rappeldatum gezet")
    BREACH_REPORT = 501, _("bodemeis niet nagekomen gemeld")
    PROGRESS_UPDATE = 502, _("voortgang casusregisseur gemeld")
    FOLLOW_UP_AGENDA = 503, _("vervolgcasus automatisch geagendeerd")
    ESCALATION_START = 510, _("escalatie gestart")
    ESCALATION_STEP = 511, _("escalatie: volgende stap")
    ESCALATION_ARGUMENT = 512, _("escalatie: argument ingediend")
    ESCALATION_RESOLVE = 513, _("escalatie: besluit")
    INTERVENTION_ADD = 520, _("interventie vastgelegd")
    INTERVENTION_UPDATE = 521, _("interventie bijgewerkt")
    CLOSURE_RECORD = 530, _("casus afgesloten / afgeschaald / opgeschaald")
    CLOSURE_PROPOSE = 531, _("afsluiting voorgesteld")
    CLOSURE_PROPOSAL_DECIDE = 532, _("afsluitvoorstel beoordeeld")
    CASE_REENTRY = 533, _("casus heropend vanuit volgen op afstand")
    FOLLOW_UP_END = 534, _("volgen op afstand beëindigd")
    CHECKLIST_TICK = 535, _("checklistpunt afgevinkt")
    VT_DECISION = 540, _("Veilig Thuis-triagebesluit")
    ENRICHMENT_REQUEST = 541, _("dat-informatie gevraagd")
    ENRICHMENT_ANSWER = 542, _("dat-informatie gegeven")
    VT_ESCALATE = 543, _("Veilig Thuis: opgeschaald naar het ZVH")
    VT_MONITORING_CLOSE = 544, _("Veilig Thuis: monitoring na overdracht afgesloten")
    TIMELINE_VIEW = 550, _("tijdlijn bekeken")
    TIMELINE_PDF = 551, _("tijdlijn gedownload (PDF)")
    EVENT_FEED_READ = 552, _("gebeurtenissenfeed gelezen")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {
    LifecycleEvent.ESCALATION_START: "C",
    LifecycleEvent.INTERVENTION_ADD: "C",
    LifecycleEvent.TIMELINE_VIEW: "R",
    LifecycleEvent.TIMELINE_PDF: "R",
    LifecycleEvent.EVENT_FEED_READ: "R",
}
