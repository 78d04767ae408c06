"""HTML pages after the meeting: the case's follow-up page, the timeline (and its PDF), escalations, the
procesregisseur's dashboard, notifications and the dat-informatie inbox. Thin: parse, one access check, one
service or selector, render. Domain errors become 404/403 or a message."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tafel.access import policy
from tafel.cases import access as case_access
from tafel.core.errors import AccessDenied, NotFound, TafelError, ValidationFailed
from tafel.core.forms import show_refusal
from tafel.core.http import domain_errors
from tafel.organisations.models import Organisation

from . import followup, selectors, services
from .conf import stalled_days
from .forms import FollowUpFilterForm, VtWorkerForm
from .models import (
    CLOSURE_CHECKLIST,
    CLOSURE_CRITERIA,
    TAKEOVER_OBLIGATIONS,
    EscalationStep,
    GoalReached,
    RiskLevel,
    VtRoute,
    step_actor,
)
from .services._common import is_house_procesregisseur
from .services.vt import is_vt_worker


def _date(value: str | None) -> datetime.date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _bool(value: str | None) -> bool | None:
    return {"ja": True, "1": True, "true": True, "nee": False, "0": False, "false": False}.get((value or "").lower())


# Fields that carry several values (checkbox groups); every other field is one value.
MULTI_VALUE_FIELDS = frozenset({"criteria", "candidates", "organisations"})


def _typed(request) -> dict:
    """What the user typed in a refused form, to put back in it when the page is shown again: a string per
    field, a list for the checkbox groups."""
    return {
        key: request.POST.getlist(key) if key in MULTI_VALUE_FIELDS else request.POST.get(key, "")
        for key in request.POST
        if key != "csrfmiddlewaretoken"
    }


def _refused(request, exc: TafelError, key: str) -> dict:
    """The refusal as a message, and what the refused form (`key`) needs to be shown again as typed, with
    its field errors. The pages are plain forms, so the page is rendered again instead of redirected."""
    show_refusal(request, exc)
    errors = exc.field_errors if isinstance(exc, ValidationFailed) else {}
    return {"typed": {key: _typed(request)}, "field_errors": {key: errors}}


# --- the follow-up page of a case ------------------------------------------------------------------------


# The Veilig Thuis decision is taken while the melding is being weighed (SPEC §3.3).
VT_DECISION_STATUSES = frozenset({"aangemeld", "verrijken"})


def _case_page(request, case_id, *, refused: dict | None = None):
    view = selectors.case_lifecycle(viewer=request.user, case_id=case_id)
    may_enrich = (is_vt_worker(request.user) or is_house_procesregisseur(request.user)) and view.case.status in (
        "aangemeld",
        "verrijken",
        "actief",
    )
    workers = (
        selectors.vt_workers(viewer=request.user, case=view.case) if view.case.status in VT_DECISION_STATUSES else []
    )
    return render(
        request,
        "lifecycle/case.html",
        {
            "case": view.case,
            "view": view,
            "is_house": is_house_procesregisseur(request.user),
            "criteria": CLOSURE_CRITERIA,
            "checklist": CLOSURE_CHECKLIST,
            "goal_choices": GoalReached.choices,
            "risk_levels": RiskLevel.choices,
            "vt_routes": VtRoute.choices,
            "vt_workers": VtWorkerForm(workers=workers).fields["responsible_worker"].choices,
            # Issue 11: Veilig Thuis (or the house) asks partners for dat-informatie from the case page.
            "may_enrich": may_enrich,
            "enrichment_organisations": list(
                Organisation.objects.filter(active=True).exclude(pk=request.user.organisation_id).order_by("name")
            )
            if may_enrich
            else [],
            # Issue 11: a handover goes to an organisation; every active one may receive it.
            "handover_organisations": list(Organisation.objects.filter(active=True).order_by("name"))
            if view.case.status in VT_DECISION_STATUSES
            else [],
            "phases": [(v, label) for v, label in view.case._meta.get_field("phase").choices],
            **(refused or {"typed": {}, "field_errors": {}}),
        },
    )


@login_required
@domain_errors
def case_page(request, case_id):
    return _case_page(request, case_id)


def _breach(request, case):
    services.breach_report(
        actor=request.user,
        case=case,
        bodemeis_id=request.POST.get("bodemeis"),
        description=request.POST.get("description", ""),
        occurred_on=_date(request.POST.get("occurred_on")),
    )
    return _("De melding is verstuurd aan de bewaker van de bodemeis en de procesregisseur.")


def _rappel(request, case):
    due = _date(request.POST.get("due_on"))
    services.rappel_set(actor=request.user, case=case, due_on=due, note=request.POST.get("note", ""))
    return _("De rappeldatum is vastgelegd.")


def _progress(request, case):
    services.progress_update_submit(
        actor=request.user,
        case=case,
        problem=request.POST.get("problem", ""),
        goal=request.POST.get("goal", ""),
        plan=request.POST.get("plan", ""),
        waiting_for_information=bool(request.POST.get("waiting_for_information")),
        waiting_note=request.POST.get("waiting_note", ""),
    )
    return _("De voortgang is verstuurd.")


def _phase(request, case):
    services.phase_change(
        actor=request.user, case=case, to_phase=request.POST.get("to_phase", ""), reason=request.POST.get("reason", "")
    )
    return _("De fase is gewijzigd.")


def _intervention(request, case):
    services.intervention_add(
        actor=request.user,
        case=case,
        type_id=request.POST.get("type"),
        organisation_id=request.POST.get("organisation") or None,
        started_on=_date(request.POST.get("started_on")),
        ended_on=_date(request.POST.get("ended_on")),
        result=request.POST.get("result", ""),
        note=request.POST.get("note", ""),
    )
    return _("De interventie is vastgelegd.")


def _escalate(request, case):
    escalation = services.escalation_start(
        actor=request.user,
        case=case,
        reason=request.POST.get("reason", ""),
        candidate_org_ids=[int(i) for i in request.POST.getlist("candidates") if i.isdigit()],
    )
    return redirect("lifecycle:escalation", escalation.pk)


def _close(request, case):
    months = request.POST.get("follow_up_months")
    services.case_close(
        actor=request.user,
        case=case,
        reason=request.POST.get("reason", ""),
        criteria={key: True for key in request.POST.getlist("criteria")},
        afsluitingsplan=request.POST.get("afsluitingsplan", ""),
        goal_reached=request.POST.get("goal_reached", ""),
        follow_up_months_=int(months) if months and months.isdigit() else None,
        confirm_reason=request.POST.get("confirm_reason", ""),
    )
    return _("De casus is afgesloten.")


def _afschalen(request, case):
    services.case_afschalen(
        actor=request.user,
        case=case,
        reason=request.POST.get("reason", ""),
        handover_to=request.POST.get("handover_to", ""),
        handover_on=_date(request.POST.get("handover_on")),
        family_present=_bool(request.POST.get("family_present")),
        family_absent_reason=request.POST.get("family_absent_reason", ""),
        goal_reached=request.POST.get("goal_reached", ""),
        confirm_reason=request.POST.get("confirm_reason", ""),
    )
    return _("De casus is afgeschaald naar lokaal.")


def _riec(request, case):
    services.case_opschalen_riec(actor=request.user, case=case, reason=request.POST.get("reason", ""))
    return _("De casus is doorgezet naar het RIEC.")


def _propose(request, case):
    services.closure_propose(actor=request.user, case=case, reason=request.POST.get("reason", ""))
    return _("Uw voorstel tot afsluiting is naar het huis gestuurd.")


def _reenter(request, case):
    services.case_reenter(actor=request.user, case=case, reason=request.POST.get("reason", ""))
    return _("De casus is heropend; de geschiedenis blijft bewaard.")


def _vt_decide(request, case):
    # The worker is chosen from the Veilig Thuis organisation's own people; anyone else is refused at the
    # field (the API keeps its id and the service's wider rule).
    form = VtWorkerForm(request.POST, workers=selectors.vt_workers(viewer=request.user, case=case))
    if not form.is_valid():
        field_errors = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
        raise ValidationFailed(_("Het besluit is niet volledig."), field_errors=field_errors)
    services.vt_decide(
        actor=request.user,
        case=case,
        risk_level=request.POST.get("risk_level", ""),
        route=request.POST.get("route", ""),
        reason=request.POST.get("reason", ""),
        responsible_worker_id=form.cleaned_data["responsible_worker"],
        waiting_list=bool(request.POST.get("waiting_list")),
        handover_to=request.POST.get("handover_to", ""),
        feedback_police=request.POST.get("feedback_police", ""),
        feedback_reporter=request.POST.get("feedback_reporter", ""),
        handover_organisation_id=_int_or_none(request.POST.get("handover_organisation")),
        handover_on=_date_or_none(request.POST.get("handover_on")),
        handover_present=request.POST.get("handover_present", ""),
    )
    return _("Het besluit van Veilig Thuis is vastgelegd.")


def _int_or_none(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _date_or_none(value):
    """A date typed on the page, or None (the service then asks for it at the field)."""
    try:
        return parse_date(value) if value else None
    except ValueError:
        return None


def _vt_monitoring_close(request, case):
    services.vt_monitoring_close(actor=request.user, case=case, reason=request.POST.get("reason", ""))
    return _("De monitoring na overdracht is afgesloten.")


def _enrich(request, case):
    created = services.enrichment_request(
        actor=request.user,
        case=case,
        organisation_ids=[int(i) for i in request.POST.getlist("organisations") if i.isdigit()],
        question=request.POST.get("question", ""),
    )
    return ngettext(
        "%(n)d verzoek om dat-informatie verstuurd.", "%(n)d verzoeken om dat-informatie verstuurd.", len(created)
    ) % {"n": len(created)}


CASE_ACTIONS = {
    "bodemeis": _breach,
    "rappel": _rappel,
    "voortgang": _progress,
    "fase": _phase,
    "interventie": _intervention,
    "escalatie": _escalate,
    "afsluiten": _close,
    "afschalen": _afschalen,
    "riec": _riec,
    "voorstel-afsluiten": _propose,
    "heropenen": _reenter,
    "veilig-thuis": _vt_decide,
    "monitoring-afsluiten": _vt_monitoring_close,
    "verrijking": _enrich,
}


@login_required
@require_POST
@domain_errors
def case_action(request, case_id, action):
    handler = CASE_ACTIONS.get(action)
    if handler is None:
        raise Http404(_("Onbekende handeling."))
    case = case_access.case_get_for_user(user=request.user, case_id=case_id)
    try:
        outcome = handler(request, case)
    except (NotFound, AccessDenied):
        raise
    except TafelError as exc:
        return _case_page(request, case.pk, refused=_refused(request, exc, action.replace("-", "_")))
    if isinstance(outcome, HttpResponse):
        return outcome
    messages.success(request, outcome)
    return redirect("lifecycle:case", case.pk)


# --- timeline --------------------------------------------------------------------------------------------


@login_required
@require_POST
@domain_errors
def checklist_tick(request, case_id):
    """Tick or untick a checklist item by hand (issue 12, item 6b); back to the case page's checklist."""
    from django.urls import reverse

    from .checklist import checklist_tick as tick

    case = case_access.case_get_for_user(user=request.user, case_id=case_id)
    ticked = request.POST.get("ticked") == "1"
    try:
        tick(
            actor=request.user,
            case=case,
            item=request.POST.get("item", ""),
            ticked=ticked,
            note=request.POST.get("note", ""),
        )
    except AccessDenied:
        raise
    except TafelError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Afgevinkt.") if ticked else _("Het afvinken is ongedaan gemaakt."))
    return redirect(reverse("cases:detail", args=[case.pk]) + "#checklist")


@login_required
@domain_errors
def timeline(request, case_id):
    data = selectors.case_timeline(
        viewer=request.user,
        case_id=case_id,
        kind=request.GET.get("soort", ""),
        organisation_id=request.GET.get("organisatie"),
    )
    return render(
        request, "lifecycle/timeline.html", {"case": data.case, "timeline": data, "query": request.GET.urlencode()}
    )


@login_required
@domain_errors
def timeline_pdf(request, case_id):
    from tafel.core.pdf import render_pdf

    data = selectors.case_timeline(
        viewer=request.user,
        case_id=case_id,
        kind=request.GET.get("soort", ""),
        organisation_id=request.GET.get("organisatie"),
        pdf=True,
    )
    html = render_to_string(
        "lifecycle/timeline_pdf.html", {"case": data.case, "timeline": data, "generated_at": timezone.now()}
    )
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tijdlijn-{data.case.reference}.pdf"'
    return response


# --- escalation ------------------------------------------------------------------------------------------


@login_required
@domain_errors
def escalation_page(request, escalation_id):
    return _escalation_page(request, escalation_id)


def _escalation_page(request, escalation_id, *, refused: dict | None = None):
    escalation = selectors.escalation_get_for_user(user=request.user, escalation_id=escalation_id)
    deadline = escalation.clock_deadline
    days_left = None
    if deadline is not None:
        days_left = (timezone.localtime(deadline).date() - timezone.localdate()).days
    return render(
        request,
        "lifecycle/escalation.html",
        {
            "escalation": escalation,
            "case": escalation.case,
            "steps": [(s.value, s.label, step_actor(s.value)) for s in EscalationStep],
            "obligations": TAKEOVER_OBLIGATIONS,
            "log": escalation.log.select_related("actor"),
            "arguments": escalation.arguments.select_related("created_by", "supplied_by_org"),
            "candidates": escalation.candidates.all(),
            "deadline": deadline,
            "days_left": days_left,
            "is_house": is_house_procesregisseur(request.user),
            **(refused or {"typed": {}, "field_errors": {}}),
        },
    )


@login_required
@require_POST
@domain_errors
def escalation_action(request, escalation_id, action):
    escalation = selectors.escalation_get_for_user(user=request.user, escalation_id=escalation_id, action="edit")
    try:
        if action == "argument":
            services.escalation_add_argument(
                actor=request.user, escalation=escalation, text=request.POST.get("text", "")
            )
        elif action == "volgende-stap":
            services.escalation_advance(
                actor=request.user,
                escalation=escalation,
                note=request.POST.get("note", ""),
                proposal=request.POST.get("proposal", ""),
                proposal_until=_date(request.POST.get("proposal_until")),
                subtasks_in=request.POST.get("subtasks_in", ""),
                subtasks_out=request.POST.get("subtasks_out", ""),
            )
        elif action == "besluit":
            services.escalation_resolve(
                actor=request.user, escalation=escalation, resolution=request.POST.get("resolution", "")
            )
        else:
            raise Http404(_("Onbekende handeling."))
    except (NotFound, AccessDenied):
        raise
    except TafelError as exc:
        # Shown again as a page (a read, audited as one) with what the user typed.
        return _escalation_page(request, escalation.pk, refused=_refused(request, exc, action.replace("-", "_")))
    messages.success(request, _("Vastgelegd."))
    return redirect("lifecycle:escalation", escalation.pk)


# --- dashboard, notifications, inbox ----------------------------------------------------------------------


@login_required
def dashboard(request):
    """The follow-up overview: every kind of item in one paginated list, "mine" by default (issue 11); below it
    the cases whose regie checklist has an item past its term (issue 12, item 6b)."""
    from .checklist import cases_with_overdue_items

    if not policy.sees_case_content(request.user):
        raise PermissionDenied(_("Het opvolgingsoverzicht is voor wie met casussen werkt."))
    owners, organisations = followup.filter_choices(viewer=request.user)
    form = FollowUpFilterForm(
        request.GET or None,
        kinds=[(k, str(v)) for k, v in followup.KINDS.items()],
        owners=owners,
        organisations=organisations,
        initial={"eigenaar": followup.MINE},
    )
    if form.is_bound:
        form.is_valid()
    page_number = form.value("pagina", 1)
    org = form.value("organisatie")
    result = followup.follow_up_list(
        viewer=request.user,
        kind=form.value("soort"),
        owner=form.value("eigenaar", followup.MINE),
        organisation_id=int(org) if org else None,
        limit=followup.PAGE_SIZE,
        offset=(page_number - 1) * followup.PAGE_SIZE,
    )
    # The filters travel with the page links, so the next page shows the same selection.
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "lifecycle/dashboard.html",
        {
            "form": form,
            "page": result,
            "query": query.urlencode(),
            "page_number": page_number,
            "pages": max(1, -(-result.total // followup.PAGE_SIZE)),
            "stalled_days": stalled_days(),
            "checklist_overdue": cases_with_overdue_items(viewer=request.user),
        },
    )


@login_required
def notifications(request):
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user)
        return redirect("lifecycle:notifications")
    return render(request, "lifecycle/notifications.html", {"items": selectors.notifications_for(viewer=request.user)})


@login_required
@domain_errors
def enrichment_inbox(request):
    if request.method == "POST":
        obj = selectors.enrichment_request_get_for_user(user=request.user, request_id=request.POST.get("request"))
        try:
            services.enrichment_answer(
                actor=request.user,
                request=obj,
                known=_bool(request.POST.get("known")),
                contact=request.POST.get("contact", ""),
                note=request.POST.get("note", ""),
            )
        except (NotFound, AccessDenied):
            raise
        except TafelError as exc:
            refused = _refused(request, exc, "answer")
            return render(
                request,
                "lifecycle/enrichment_inbox.html",
                {"items": selectors.enrichment_inbox(viewer=request.user), **refused},
            )
        messages.success(request, _("Uw antwoord is verstuurd."))
        return redirect("lifecycle:enrichment_inbox")
    return render(
        request,
        "lifecycle/enrichment_inbox.html",
        {"items": selectors.enrichment_inbox(viewer=request.user), "typed": {}, "field_errors": {}},
    )
