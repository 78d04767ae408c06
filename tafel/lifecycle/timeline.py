"""The timeline's links, its extra sources and its order (issue 12, item 7). The sources themselves are read in
tafel.lifecycle.selectors (`_entries`); this module adds rappels and scale scores, gives every entry the address
of the page that holds its record, and defines the order.

The order: by calendar day (Europe/Amsterdam); within a day, entries with a time by that time, then the entries
that only have a date (an intervention recorded with a start date). A date-only event is known to fall on its
day, not when: it is never shown at a made-up time, and it never comes before an event of that day whose time is
known (an intervention started the day of a melding follows the melding)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tafel.core.dates import format_date


def date_only_at(day: datetime.date) -> datetime.datetime:
    """The datetime a date-only entry carries: the start of its day. Only the order below and the API's
    `date_only` flag give it meaning; pages show the date alone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def order_key(entry) -> tuple:
    local = timezone.localtime(entry.at)
    return (local.date(), 1 if entry.date_only else 0, local.time(), entry.kind, getattr(entry.item, "pk", 0) or 0)


def extra_entries(case, entry_class) -> list:
    """Rappels and scale scores (one query each)."""
    from tafel.meetings.models import ScaleScore

    from .models import CaseRappel

    out = []
    for r in CaseRappel.objects.filter(case=case).select_related("set_by__organisation"):
        org = getattr(r.set_by, "organisation", None)
        title = _("Rappeldatum gezet: %(date)s") % {"date": format_date(r.due_on)}
        if r.done_at:
            title += " — " + _("afgehandeld")
        out.append(
            entry_class(
                r.set_at,
                "rappel",
                title,
                r.note,
                org.pk if org else None,
                org.name if org else "",
                org.pk if org else None,
                item=r,
            )
        )
    scores = ScaleScore.objects.filter(discussion__case=case).select_related(
        "discussion__agenda_item__meeting", "participant", "supplied_by_org"
    )
    for s in scores:
        who = _("cliënt") if s.is_client else (s.participant.get_full_name() if s.participant else "")
        out.append(
            entry_class(
                s.created_at,
                "schaal",
                _("Schaalvraag %(kind)s: %(score)s/10 (%(who)s)")
                % {"kind": s.get_kind_display().lower(), "score": s.score, "who": who},
                s.rationale,
                s.supplied_by_org_id,
                s.supplied_by_org.name,
                s.supplied_by_org_id,
                s.category,
                s,
            )
        )
    return out


def link_entries(viewer, case, entries) -> None:
    """Give every entry the page of its record. A meeting is linked only when the viewer may open it (one
    query for all of them); otherwise the entry links to the case's follow-up page, which every viewer of the
    case may open."""
    from tafel.meetings.access import meetings_visible_to

    meeting_ids = {_meeting_id(e) for e in entries} - {None}
    visible = set(meetings_visible_to(viewer).filter(pk__in=meeting_ids).values_list("pk", flat=True))
    case_page = reverse("cases:detail", args=[case.pk])
    follow_up = reverse("lifecycle:case", args=[case.pk])
    for e in entries:
        e.url = _url(e, case_page, follow_up, visible)


def _meeting_id(entry):
    item = entry.item
    if entry.kind == "overleg":
        return item.meeting_id
    if entry.kind == "schaal":
        return item.discussion.agenda_item.meeting_id
    return None


def _url(e, case_page: str, follow_up: str, visible_meetings: set[int]) -> str:
    item = e.item
    kind = e.kind
    if kind == "melding":
        return case_page + "#aanmeldingen"
    if kind == "triage":
        return case_page + "#triage"
    if kind == "status":
        return case_page + "#status"
    if kind == "notitie":
        return case_page + "#notities"
    if kind in ("overleg", "schaal"):
        meeting_id = _meeting_id(e)
        if meeting_id in visible_meetings:
            return reverse("meetings:detail", args=[meeting_id]) + ("#agenda" if kind == "overleg" else "")
        return follow_up
    if kind == "plan":
        return reverse("meetings:plan", args=[item.pk])
    if kind == "actie":
        return reverse("meetings:plan", args=[item.plan_id]) + "#acties"
    if kind == "escalatie":
        return reverse("lifecycle:escalation", args=[item.escalation_id])
    anchors = {
        "interventie": "#interventie",
        "fase": "#fase",
        "bodemeis": "#bodemeis",
        "voortgang": "#voortgang",
        "afsluiting": "#afsluiten",
        "veilig_thuis": "#veilig-thuis",
        "rappel": "#rappel",
    }
    return follow_up + anchors.get(kind, "")
