"""Every write of the lifecycle app, re-exported as one flat namespace."""

from ._common import notify, schedule_follow_up
from .closing import (
    case_afschalen,
    case_close,
    case_opschalen_riec,
    case_reenter,
    closure_guard,
    closure_proposal_reject,
    closure_propose,
    intervention_add,
    intervention_end,
)
from .escalation import escalation_add_argument, escalation_advance, escalation_resolve, escalation_start
from .followup import (
    breach_report,
    notifications_mark_read,
    phase_change,
    progress_update_submit,
    rappel_set,
)
from .tick import tick
from .vt import (
    enrichment_answer,
    enrichment_request,
    vt_decide,
    vt_escalate_to_zvh,
    vt_melding_create,
    vt_monitoring_close,
)

__all__ = [
    "breach_report",
    "case_afschalen",
    "case_close",
    "case_opschalen_riec",
    "case_reenter",
    "closure_guard",
    "closure_proposal_reject",
    "closure_propose",
    "enrichment_answer",
    "enrichment_request",
    "escalation_add_argument",
    "escalation_advance",
    "escalation_resolve",
    "escalation_start",
    "intervention_add",
    "intervention_end",
    "notifications_mark_read",
    "notify",
    "phase_change",
    "progress_update_submit",
    "rappel_set",
    "schedule_follow_up",
    "tick",
    "vt_decide",
    "vt_escalate_to_zvh",
    "vt_monitoring_close",
    "vt_melding_create",
]
