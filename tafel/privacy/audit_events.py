"""The audit event types of the privacy app (6xx): reglement, consent, shares, AVG rights, retention.

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices
from tafel.core.models import AuditPurpose


class PrivacyEvent(IntegerChoices):
    # 6xx: privacy (issue 4: reglement, consent, shares, AVG rights, retention)
    REGLEMENT_UPDATE = 600, _("privacyreglement gewijzigd")
    CONSENT_RECORD = 601, _("toestemming vastgelegd")
    CONSENT_WITHDRAW = 602, _("toestemming ingetrokken")
    ITEM_SHARE = 603, _("informatie gedeeld (met grondslag)")
    ITEM_RESTRICT = 604, _("informatie afgeschermd")
    ATTACHMENT_ADD = 605, _("bijlage toegevoegd")
    ATTACHMENT_VIEW = 606, _("bijlage bekeken")
    PERSON_EXPORT = 610, _("inzage: gegevens van persoon geëxporteerd")
    PERSON_RECTIFY = 611, _("persoonsgegevens gecorrigeerd")
    PERSON_RESTRICT = 612, _("verwerking beperkt")
    PERSON_UNRESTRICT = 613, _("beperking verwerking opgeheven")
    RETENTION_REPORT = 620, _("bewaartermijnrapport opgesteld")
    RETENTION_DESTROY = 621, _("casus vernietigd (bewaartermijn)")
    AUDIT_EXPORT = 630, _("auditlog geëxporteerd")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {
    PrivacyEvent.CONSENT_RECORD: "C",
    PrivacyEvent.ATTACHMENT_ADD: "C",
    PrivacyEvent.ATTACHMENT_VIEW: "R",
    PrivacyEvent.PERSON_EXPORT: "R",
    PrivacyEvent.RETENTION_REPORT: "R",
    PrivacyEvent.RETENTION_DESTROY: "D",
    PrivacyEvent.AUDIT_EXPORT: "R",
}

# Purpose of use (NEN 7513 / BIO 8.15), when not casusregie.
PURPOSES = {
    PrivacyEvent.REGLEMENT_UPDATE: AuditPurpose.BEHEER,
    PrivacyEvent.PERSON_EXPORT: AuditPurpose.RECHTEN,
    PrivacyEvent.PERSON_RECTIFY: AuditPurpose.RECHTEN,
    PrivacyEvent.PERSON_RESTRICT: AuditPurpose.RECHTEN,
    PrivacyEvent.PERSON_UNRESTRICT: AuditPurpose.RECHTEN,
    PrivacyEvent.RETENTION_REPORT: AuditPurpose.BEWAARTERMIJN,
    PrivacyEvent.RETENTION_DESTROY: AuditPurpose.BEWAARTERMIJN,
    PrivacyEvent.AUDIT_EXPORT: AuditPurpose.TOEZICHT,
}
