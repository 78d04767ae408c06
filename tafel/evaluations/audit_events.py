"""The audit event types of the casusevaluatie (56x).

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices
from tafel.core.models import AuditPurpose


class EvaluationEvent(IntegerChoices):
    # 56x: learning (casusevaluatie, SPEC §5.5)
    EVALUATION_VIEW = 560, _("casusevaluatie bekeken")
    EVALUATION_CREATE = 561, _("casusevaluatie gestart")
    EVALUATION_UPDATE = 562, _("casusevaluatie gewijzigd")
    EVALUATION_FINALISE = 563, _("casusevaluatie afgerond")
    EVALUATION_REOPEN = 564, _("casusevaluatie heropend")
    EVALUATION_PDF = 565, _("casusevaluatie gedownload (PDF)")
    REVIEW_INTERVIEW_ADD = 566, _("casusreview-interview vastgelegd")
    IMPROVEMENT_ACTION_UPDATE = 567, _("verbeteractie bijgewerkt")
    IMPROVEMENT_ACTION_LIST = 568, _("verbeteracties bekeken")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {
    EvaluationEvent.EVALUATION_VIEW: "R",
    EvaluationEvent.EVALUATION_CREATE: "C",
    EvaluationEvent.EVALUATION_PDF: "R",
    EvaluationEvent.IMPROVEMENT_ACTION_LIST: "R",
}

# Purpose of use (NEN 7513 / BIO 8.15), when not casusregie.
PURPOSE = AuditPurpose.EVALUATIE
