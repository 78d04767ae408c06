"""The audit event types core writes itself: the list read (`audit_list`), the audit log's own retention,
a denial (its outcome is `denied` by itself) and a login through the login page.

The numbers are stored in every audit row and in its hash chain: never change or reuse one. A new type gets a
free number (core's registry refuses a number or name another app registered, see tafel/core/registry.py and
docs/decisions/0008-dependency-layers.md); no migration is needed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices
from tafel.core.models import AuditPurpose


class CoreEvent(IntegerChoices):
    # A list that shows personal data (`tafel.core.audit.audit_list`), numbered with the cases' reads.
    CASE_LIST = 104, _("casuslijst bekeken")
    # The audit log's own retention (`manage.py audit_retention`), numbered with privacy's retention.
    AUDIT_RETENTION = 631, _("oude auditmaanden verwijderd (bewaartermijn auditlog)")
    # 9xx: access and administration (the rest of 90x: tafel.access and tafel.api)
    ACCESS_DENIED = 900, _("toegang geweigerd")
    LOGIN = 901, _("ingelogd")


# NEN 7513 EventActionCode of the types that are not an update (U): R read, C create, D delete, E execute.
ACTIONS = {
    CoreEvent.CASE_LIST: "R",
    CoreEvent.AUDIT_RETENTION: "D",
    CoreEvent.ACCESS_DENIED: "E",
    CoreEvent.LOGIN: "E",
}

# Purpose of use (NEN 7513 / BIO 8.15), when not casusregie.
PURPOSES = {
    CoreEvent.AUDIT_RETENTION: AuditPurpose.BEWAARTERMIJN,
    CoreEvent.ACCESS_DENIED: AuditPurpose.BEVEILIGING,
    CoreEvent.LOGIN: AuditPurpose.BEVEILIGING,
}
