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
