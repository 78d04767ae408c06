"""Pages of the casusevaluatie (SPEC §5.5) and the overview of improvement actions. Thin: parse, one access
check, one service or selector, render. A refused save re-renders the page with the user's input and the
message at the field; a concurrent edit answers 409 with the input kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tafel.access import policy
from tafel.cases.views import error_summary
from tafel.core import spreadsheet
from tafel.core.audit import audit
from tafel.core.errors import ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from tafel.core.forms import apply_field_errors, show_refusal
from tafel.core.http import domain_errors
from tafel.evaluations import access as evaluation_access
from tafel.evaluations.audit_events import EvaluationEvent
from tafel.reports.learning import current_questions

from . import selectors, services
from .forms import (
    AddMomentsForm,
    EvaluationNewForm,
    ImprovementActionForm,
    ImprovementStatusForm,
    InterviewForm,
    LessonForm,
    ManualMomentForm,
    MomentForm,
    ParticipantForm,
    ReopenForm,
    TitleForm,
)
from .models import ImprovementStatus
from .review import SECTIONS, questionnaire

# --- evaluations of a case -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
@domain_errors
def evaluation_list(request, case_id):
    case, evaluations = selectors.evaluation_list(viewer=request.user, case_id=case_id)
    return render(
        request,
        "evaluations/evaluation_list.html",
        {"case": case, "evaluations": evaluations, "may_edit": policy.may_edit_evaluation(request.user, case)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def evaluation_new(request, case_id):
    case = evaluation_access.case_get_for_evaluation(user=request.user, case_id=case_id)
    candidates = selectors.timeline_candidates(viewer=request.user, case=case)
    if request.method == "POST":
        form = EvaluationNewForm(request.POST, candidates=candidates)
        form.is_valid()
        try:
            evaluation = services.evaluation_create(
                actor=request.user,
                case=case,
                title=form.value("title", "") or "",
                moment_keys=request.POST.getlist("moments"),
            )
        except ValidationFailed as exc:
            apply_field_errors(form, exc.field_errors)
        else:
            messages.success(request, _("De casusevaluatie is gestart."))
            return redirect("evaluations:detail", evaluation.pk)
    else:
        form = EvaluationNewForm(
            candidates=candidates,
            initial={
                "title": f"Casusevaluatie {case.reference}",
                "moments": [c.key for c in candidates if c.preselected],
            },
        )
    return render(
        request,
        "evaluations/evaluation_new.html",
        {"case": case, "form": form, "errors": error_summary((form, "evaluatie-starten"))},
    )


# --- one evaluation -------------------------------------------------------------------------------------------


def _page(request, evaluation_id, bound: dict | None = None, status: int = 200):
    """The evaluation page; `bound` holds the submitted form (by its slot) so a refused save keeps the input."""
    bound = bound or {}
    user = request.user
    detail = selectors.evaluation_detail(viewer=user, evaluation_id=evaluation_id, with_candidates=True)
    ev = detail.evaluation
    forms_ = {}
    if detail.may_edit:
        owners = list(selectors.owner_choices(detail.case))
        for m in detail.moments:
            m.form = bound.get(f"m{m.pk}") or MomentForm(
                prefix=f"m{m.pk}",
                initial={
                    "went_well": m.went_well,
                    "went_wrong": m.went_wrong,
                    "risky_decisions": m.risky_decisions,
                    "version": m.version,
                },
            )
        for lesson in detail.lessons:
            lesson.form = bound.get(f"l{lesson.pk}") or LessonForm(
                prefix=f"l{lesson.pk}", initial={"text": lesson.text, "version": lesson.version}
            )
            lesson.action_form = bound.get(f"a{lesson.pk}") or ImprovementActionForm(
                prefix=f"a{lesson.pk}", owners=owners
            )
        forms_ = {
            "title_form": bound.get("title") or TitleForm(initial={"title": ev.title, "version": ev.version}),
            "manual_form": bound.get("manual") or ManualMomentForm(prefix="nieuw"),
            "add_form": bound.get("add") or AddMomentsForm(candidates=detail.candidates),
            "lesson_form": bound.get("lesson") or LessonForm(prefix="les"),
            "participant_form": bound.get("participant")
            or ParticipantForm(prefix="deelnemer", organisations=selectors.organisation_choices()),
            "reopen_form": bound.get("reopen") or ReopenForm(initial={"version": ev.version}),
            "finalise_form": bound.get("finalise") or TitleForm(initial={"version": ev.version}),
        }
    context = {
        "detail": detail,
        "evaluation": ev,
        "case": detail.case,
        "errors": error_summary(*[(form, _anchor(slot)) for slot, form in bound.items()]),
        **forms_,
    }
    return render(request, "evaluations/evaluation_detail.html", context, status=status)


def _anchor(slot: str) -> str:
    return {
        "title": "titel",
        "manual": "moment-toevoegen",
        "add": "momenten-kiezen",
        "lesson": "les-toevoegen",
        "participant": "deelnemers",
        "reopen": "status",
        "finalise": "status",
    }.get(slot, slot)


@login_required
@require_http_methods(["GET"])
@domain_errors
def evaluation_detail(request, evaluation_id):
    return _page(request, evaluation_id)


def _child(qs, raw):
    try:
        obj = qs.filter(pk=int(raw)).first()
    except (TypeError, ValueError):
        obj = None
    if obj is None:
        raise Http404("Dit onderdeel hoort niet bij deze casusevaluatie.")
    return obj


def _moment(request, ev):
    moment = _child(ev.moments.select_related("evaluation__case"), request.POST.get("moment_id"))
    form = MomentForm(request.POST, prefix=f"m{moment.pk}")
    form.is_valid()
    return (
        f"m{moment.pk}",
        form,
        lambda: services.moment_update(
            actor=request.user,
            moment=moment,
            went_well=form.value("went_well", ""),
            went_wrong=form.value("went_wrong", ""),
            risky_decisions=form.value("risky_decisions", ""),
            expected_version=form.value("version"),
        ),
        _("Het moment is opgeslagen."),
        f"moment-{moment.pk}",
    )


def _manual(request, ev):
    form = ManualMomentForm(request.POST, prefix="nieuw")
    form.is_valid()
    return (
        "manual",
        form,
        lambda: services.moment_add(
            actor=request.user, evaluation=ev, on=form.value("date"), description=form.value("description", "")
        ),
        _("Het moment is toegevoegd."),
        "momenten",
    )


def _add_moments(request, ev):
    detail_candidates = selectors.timeline_candidates(viewer=request.user, case=ev.case)
    form = AddMomentsForm(request.POST, candidates=detail_candidates)
    return (
        "add",
        form,
        lambda: services.evaluation_add_moments(actor=request.user, evaluation=ev, keys=request.POST.getlist("keys")),
        _("De momenten zijn toegevoegd."),
        "momenten",
    )


def _moment_delete(request, ev):
    moment = _child(ev.moments.all(), request.POST.get("moment_id"))
    return (
        None,
        None,
        lambda: services.moment_delete(actor=request.user, moment=moment),
        _("Het moment is verwijderd."),
        "momenten",
    )


def _lesson_add(request, ev):
    form = LessonForm(request.POST, prefix="les")
    form.is_valid()
    return (
        "lesson",
        form,
        lambda: services.lesson_add(actor=request.user, evaluation=ev, text=form.value("text", "")),
        _("De les is toegevoegd."),
        "lessen",
    )


def _lesson(request, ev):
    lesson = _child(ev.lessons.select_related("evaluation__case"), request.POST.get("lesson_id"))
    form = LessonForm(request.POST, prefix=f"l{lesson.pk}")
    form.is_valid()
    return (
        f"l{lesson.pk}",
        form,
        lambda: services.lesson_update(
            actor=request.user, lesson=lesson, text=form.value("text", ""), expected_version=form.value("version")
        ),
        _("De les is opgeslagen."),
        f"les-{lesson.pk}",
    )


def _lesson_delete(request, ev):
    lesson = _child(ev.lessons.select_related("evaluation__case"), request.POST.get("lesson_id"))
    return (
        None,
        None,
        lambda: services.lesson_delete(actor=request.user, lesson=lesson),
        _("De les is verwijderd."),
        "lessen",
    )


def _action_add(request, ev):
    lesson = _child(ev.lessons.select_related("evaluation__case"), request.POST.get("lesson_id"))
    form = ImprovementActionForm(request.POST, prefix=f"a{lesson.pk}", owners=selectors.owner_choices(ev.case))
    form.is_valid()
    return (
        f"a{lesson.pk}",
        form,
        lambda: services.improvement_action_add(
            actor=request.user,
            lesson=lesson,
            text=form.value("text", ""),
            owner_id=form.value("owner"),
            due_date=form.value("due_date"),
        ),
        _("De verbeteractie is toegevoegd."),
        f"les-{lesson.pk}",
    )


def _action_delete(request, ev):
    action = _child(ev.improvement_actions.select_related("evaluation__case"), request.POST.get("improvement_id"))
    return (
        None,
        None,
        lambda: services.improvement_action_delete(actor=request.user, action=action),
        _("De verbeteractie is verwijderd."),
        "lessen",
    )


def _participant_add(request, ev):
    form = ParticipantForm(request.POST, prefix="deelnemer", organisations=selectors.organisation_choices())
    form.is_valid()
    return (
        "participant",
        form,
        lambda: services.participant_add(
            actor=request.user,
            evaluation=ev,
            organisation_id=form.value("organisation"),
            function=form.value("function", ""),
        ),
        _("De deelnemer is toegevoegd."),
        "deelnemers",
    )


def _participant_remove(request, ev):
    participant = _child(ev.participants.select_related("evaluation__case"), request.POST.get("participant_id"))
    return (
        None,
        None,
        lambda: services.participant_remove(actor=request.user, participant=participant),
        _("De deelnemer is verwijderd."),
        "deelnemers",
    )


def _finalise(request, ev):
    form = TitleForm(request.POST)
    form.is_valid()
    return (
        "finalise",
        form,
        lambda: services.evaluation_finalise(actor=request.user, evaluation=ev, expected_version=form.value("version")),
        _("De casusevaluatie is afgerond."),
        "status",
    )


def _reopen(request, ev):
    form = ReopenForm(request.POST)
    form.is_valid()
    return (
        "reopen",
        form,
        lambda: services.evaluation_reopen(
            actor=request.user, evaluation=ev, reason=form.value("reason", ""), expected_version=form.value("version")
        ),
        _("De casusevaluatie is heropend."),
        "status",
    )


def _title_action(request, ev):
    form = TitleForm(request.POST)
    form.is_valid()
    return (
        "title",
        form,
        lambda: services.evaluation_update(
            actor=request.user, evaluation=ev, title=form.value("title", ""), expected_version=form.value("version")
        ),
        _("De titel is opgeslagen."),
        "titel",
    )


ACTIONS = {
    "titel": _title_action,
    "moment": _moment,
    "moment-toevoegen": _manual,
    "momenten-kiezen": _add_moments,
    "moment-verwijderen": _moment_delete,
    "les-toevoegen": _lesson_add,
    "les": _lesson,
    "les-verwijderen": _lesson_delete,
    "verbeteractie-toevoegen": _action_add,
    "verbeteractie-verwijderen": _action_delete,
    "deelnemer-toevoegen": _participant_add,
    "deelnemer-verwijderen": _participant_remove,
    "afronden": _finalise,
    "heropenen": _reopen,
}


@login_required
@require_POST
@domain_errors
def evaluation_action(request, evaluation_id, action):
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404("Onbekende handeling.")
    ev = evaluation_access.evaluation_get_for_user(user=request.user, evaluation_id=evaluation_id, action="edit")
    slot, form, run, success, anchor = handler(request, ev)
    try:
        run()
    except ValidationFailed as exc:
        if form is None:
            messages.error(request, exc.message)
            return redirect(reverse("evaluations:detail", args=[ev.pk]) + f"#{anchor}")
        apply_field_errors(form, exc.field_errors)
        if not form.errors:
            form.add_error(None, exc.message)
        return _page(request, ev.pk, {slot: form})
    except (ConcurrentEdit, TransitionNotAllowed) as exc:
        if form is None:
            messages.error(request, exc.message)
            return redirect(reverse("evaluations:detail", args=[ev.pk]) + f"#{anchor}")
        form.add_error(None, exc.message)
        return _page(request, ev.pk, {slot: form}, status=409)
    messages.success(request, success)
    return redirect(reverse("evaluations:detail", args=[ev.pk]) + f"#{anchor}")


@login_required
@require_http_methods(["GET"])
@domain_errors
def evaluation_pdf(request, evaluation_id):
    from tafel.core.pdf import render_pdf

    detail = selectors.evaluation_detail(viewer=request.user, evaluation_id=evaluation_id, pdf=True)
    html = render_to_string(
        "evaluations/evaluation_pdf.html",
        {"detail": detail, "evaluation": detail.evaluation, "case": detail.case, "generated_at": timezone.now()},
    )
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="casusevaluatie-{detail.case.reference}.pdf"'
    return response


# --- case-review interview ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def interview_new(request, evaluation_id):
    ev = evaluation_access.evaluation_get_for_user(user=request.user, evaluation_id=evaluation_id, action="edit")
    form_q = questionnaire()
    questions = current_questions(form_q)
    kwargs = {
        "organisations": selectors.organisation_choices(),
        "users": selectors.owner_choices(ev.case),
        "questions": questions,
    }
    status = 200
    if request.method == "POST":
        form = InterviewForm(request.POST, **kwargs)
        form.is_valid()
        try:
            services.review_interview_add(
                actor=request.user,
                evaluation=ev,
                organisation_id=form.value("organisation"),
                function=form.value("function", ""),
                respondent_id=form.value("respondent") or None,
                answers={f"q{q.pk}": form.value(f"q{q.pk}", "") for q in questions},
            )
        except ValidationFailed as exc:
            apply_field_errors(form, exc.field_errors)
            if not form.errors:
                form.add_error(None, exc.message)
        except (ConcurrentEdit, TransitionNotAllowed) as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, _("Het interview is vastgelegd."))
            return redirect(reverse("evaluations:detail", args=[ev.pk]) + "#interviews")
    else:
        form = InterviewForm(**kwargs)
    sections = SECTIONS.group([(q, form[f"q{q.pk}"]) for q in questions])
    return render(
        request,
        "evaluations/interview_form.html",
        {
            "evaluation": ev,
            "case": ev.case,
            "form": form,
            "questionnaire": form_q,
            "sections": sections,
            "errors": error_summary((form, "interview")),
        },
        status=status,
    )


# --- verbeteracties -------------------------------------------------------------------------------------------


def _overview_filters(request) -> dict:
    status = request.GET.get("status", "")
    return {
        "status": status if status in ImprovementStatus.values else "",
        "overdue": request.GET.get("te_laat") == "1",
    }


@login_required
@require_http_methods(["GET"])
def improvement_overview(request):
    if not policy.may_view_improvement_actions(request.user):
        raise PermissionDenied(_("Het overzicht van verbeteracties is er voor de ketenmanager en de partners."))
    filters = _overview_filters(request)
    actions = selectors.improvement_action_overview(viewer=request.user, **filters)
    return render(
        request,
        "evaluations/improvement_overview.html",
        {
            "actions": actions,
            "filters": filters,
            "query": request.GET.urlencode(),
            "statuses": ImprovementStatus.choices,
        },
    )


@login_required
@require_http_methods(["GET"])
def improvement_overview_csv(request):
    if not policy.may_view_improvement_actions(request.user):
        raise PermissionDenied(_("Het overzicht van verbeteracties is er voor de ketenmanager en de partners."))
    actions = selectors.improvement_action_overview(viewer=request.user, **_overview_filters(request))
    return spreadsheet.csv_response(
        "verbeteracties.csv",
        ["casus", "verbeteractie", "eigenaar", "organisatie", "uiterlijk", "status", "te_laat", "gedaan_op"],
        (
            [
                a.evaluation.case.reference,
                a.text,
                a.owner.get_full_name() or a.owner.username,
                a.owner_organisation.name,
                a.due_date.isoformat(),
                a.get_status_display(),
                "ja" if a.is_overdue else "nee",
                a.done_on.isoformat() if a.done_on else "",
            ]
            for a in actions
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def improvement_detail(request, improvement_id):
    method_action = "update" if request.method == "POST" else "view"
    action = evaluation_access.improvement_action_get_for_user(
        user=request.user, improvement_id=improvement_id, action=method_action
    )
    may_update = action.owner_id == request.user.pk or policy.may_edit_evaluation(request.user, action.evaluation.case)
    status = 200
    if request.method == "POST":
        form = ImprovementStatusForm(request.POST)
        form.is_valid()
        try:
            services.improvement_action_set_status(
                actor=request.user,
                action=action,
                status=form.value("status", ""),
                result=form.value("result", ""),
                done_on=form.value("done_on"),
                expected_version=form.value("version"),
            )
        except ValidationFailed as exc:
            show_refusal(request, exc, form)
        except ConcurrentEdit as exc:
            show_refusal(request, exc, form)
            status = 409
        else:
            messages.success(request, _("De verbeteractie is bijgewerkt."))
            return redirect("evaluations:improvement", action.pk)
    else:
        # Reading one action is audited like the overview that lists it.
        audit(
            actor=request.user,
            event=EvaluationEvent.IMPROVEMENT_ACTION_LIST,
            case_id=action.evaluation.case_id,
            details={"action": action.pk},
        )
        form = ImprovementStatusForm(
            initial={
                "status": ImprovementStatus.DONE if action.status == ImprovementStatus.OPEN else action.status,
                "result": action.result,
                "done_on": action.done_on,
                "version": action.version,
            }
        )
    return render(
        request,
        "evaluations/improvement_detail.html",
        {
            "action": action,
            "form": form,
            "may_update": may_update,
            "may_open_evaluation": policy.sees_case_content(request.user)
            and evaluation_access.evaluations_visible_to(request.user).filter(pk=action.evaluation_id).exists(),
            "errors": error_summary((form, "bijwerken")),
        },
        status=status,
    )
