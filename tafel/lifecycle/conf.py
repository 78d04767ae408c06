"""Settings of the lifecycle app, read through one place so the defaults live beside the rules they serve."""

from __future__ import annotations

from django.conf import settings


def stalled_days() -> int:
    """No progress for this many days: the case shows as stalled on the procesregisseur's dashboard."""
    return int(getattr(settings, "TAFEL_STALLED_DAYS", 28))


def follow_up_months() -> int:
    """Volgen op afstand after closure (SPEC §5.3, 001:L3620) lasts this many months."""
    return int(getattr(settings, "TAFEL_FOLLOW_UP_MONTHS", 6))


def follow_up_overleg_types() -> list[str]:
    """Overleg types (codes) on whose next meeting a follow-up case may be put automatically, in order of
    preference when the case was never discussed before."""
    return list(getattr(settings, "TAFEL_FOLLOW_UP_OVERLEG_TYPES", ["com", "mda", "virtueel"]))


def vt_monitor_days() -> int:
    """Veilig Thuis checks a handed-over case after this many days (004:L1261-1291: monitoring after handover)."""
    return int(getattr(settings, "TAFEL_VT_MONITOR_DAYS", 42))


def vt_monitor_interval_days() -> int:
    """After the first check, Veilig Thuis is reminded again every this many days until it closes the
    monitoring (issue 11: monitoring after handover is periodic, not a single reminder)."""
    return max(1, int(getattr(settings, "TAFEL_VT_MONITOR_INTERVAL_DAYS", 14)))


def escalation_clock_days() -> int:
    """Escalation steps 5 and 6 (SPEC §5.2, 001:L3475-3533): the directors decide within this many days, and
    when they do not, the openbaar bestuur gets as many days again. One setting for both clocks, read by the
    one escalation service that pages, API and `tick` share."""
    return int(getattr(settings, "TAFEL_ESCALATION_CLOCK_DAYS", 10))


def checklist_casusregie_days() -> int:
    """The per-case checklist (issue 12, item 6b): a casusregisseur is named within this many days of the case
    being accepted for the ZVH-aanpak, or the item is overdue (001:L3409-3471; 8.3: casusregie must be placed)."""
    return int(getattr(settings, "TAFEL_CHECKLIST_CASUSREGIE_DAYS", 14))


def checklist_plan_days() -> int:
    """The per-case checklist: a first meeting is held and a plan published within this many days of the case
    being accepted ("ziet erop toe dat er een gezamenlijke aanpak tijdig wordt afgesproken", 001:L3419)."""
    return int(getattr(settings, "TAFEL_CHECKLIST_PLAN_DAYS", 28))
