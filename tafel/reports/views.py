"""Pages of the monitor: the dashboard, the drill-down, report jobs and the effectiviteitsmatrix.

Thin (STYLE.md): parse the filters, one access check, one selector or service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tafel.access import policy
from tafel.core.errors import ConcurrentEdit, ValidationFailed
from tafel.core.forms import apply_field_errors, show_refusal
from tafel.core.http import domain_errors
from tafel.organisations.models import Municipality, Organisation
from tafel.reports import access, learning, questionnaires, research, selectors, services
from tafel.reports.exports import CONTENT_TYPES
from tafel.reports.forms import GoalForm, MonitorFilterForm, QuestionForm, QuestionnaireForm, ResearchExportForm
from tafel.reports.indicators import Params, get
from tafel.reports.models import Direction, ReportFormat
from tafel.reports.params import parse_params
from tafel.reports.periods import current_quarter
from tafel.reports.suppression import legend


def _require_reader(request) -> None:
    if not policy.may_view_reports(request.user):
        raise PermissionDenied(
            _("De monitor is er voor de ketenmanager, de analist, de procesregisseur en de beheerder.")
        )


def _overleg_types() -> list[tuple[str, str]]:
    from tafel.meetings.models import OverlegType

    return list(OverlegType.objects.filter(active=True).order_by("name").values_list("code", "name"))


def _filters(request) -> tuple[MonitorFilterForm, Params]:
    """The filter form and the parameters it stands for; invalid filters fall back to the current quarter
    for everything, with the message at the field (never figures for a filter the user did not ask)."""
    query = request.GET
    choices = {
        "municipalities": Municipality.objects.order_by("name").values_list("pk", "name"),
        "organisations": Organisation.objects.filter(active=True).order_by("name").values_list("pk", "name"),
        "overleg_types": _overleg_types(),
    }
    if not query:
        return MonitorFilterForm(initial={"period": current_quarter().code}, **choices), Params(
            period=current_quarter()
        )
    form = MonitorFilterForm(query, current_period=query.get("period", ""), **choices)
    form.is_valid()
    try:
        params = parse_params(query)
    except ValidationFailed as exc:
        apply_field_errors(form, exc.field_errors)
        params = Params(period=current_quarter())
    return form, params


@login_required
@require_GET
@domain_errors
def dashboard(request):
    _require_reader(request)
    form, params = _filters(request)
    monitor, goals = selectors.dashboard(viewer=request.user, params=params)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "monitor": monitor,
            "goals": goals,
            "query": urlencode(params.as_query()),
            "params_query": params.as_query(),
            "formats": ReportFormat.choices,
            "may_manage_goals": policy.may_manage_goals(request.user),
            "survey": learning.survey_card(viewer=request.user),
            "ratings": learning.session_rating_card(viewer=request.user, params=params),
            "may_edit_questionnaires": policy.may_edit_questionnaires(request.user),
        },
    )


@login_required
@require_GET
@domain_errors
def drilldown(request, code):
    """The cases behind one figure (procesregisseur only; everyone else 404, as if no list existed)."""
    try:
        params = parse_params(request.GET)
    except ValidationFailed as exc:
        raise Http404(exc.message) from exc
    row, column = request.GET.get("row", "totaal"), request.GET.get("column", "")
    cases = selectors.drilldown_cases(viewer=request.user, code=code, params=params, row=row, column=column)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    selectors.audit_drilldown(viewer=request.user, cases=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    indicator = get(code)
    return render(
        request,
        "reports/drilldown.html",
        {
            "indicator": indicator,
            "page": page,
            "row": row,
            "query": query.urlencode(),
            "back": f"{reverse('reports:dashboard')}?{urlencode(params.as_query())}#ind-{code}",
        },
    )


@login_required
@require_POST
@domain_errors
def report_start(request):
    _require_reader(request)
    try:
        params = parse_params(request.POST)
        job = services.report_job_start(actor=request.user, params=params, fmt=request.POST.get("format", ""))
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("reports:dashboard")
    return redirect("reports:job", job_id=job.pk)


@login_required
@require_GET
@domain_errors
def job(request, job_id):
    job = access.report_job_get_for_user(user=request.user, job_id=job_id)
    template = "reports/_job_progress.html" if request.headers.get("HX-Request") else "reports/job.html"
    return render(request, template, {"job": job, "params": job.params})


@login_required
@require_GET
@domain_errors
def job_download(request, job_id, fmt: str = ""):
    """The report in the format asked for, or (`fmt`) in one of the other formats the job made."""
    job = access.report_job_get_for_user(user=request.user, job_id=job_id)
    if job.status != "done" or not job.file:
        raise Http404(_("Deze rapportage is nog niet klaar."))
    made = job if not fmt or fmt == job.format else job.other_files.filter(format=fmt).first()
    if made is None:
        raise Http404(_("Deze rapportage is (nog) niet in dit formaat gemaakt."))
    return FileResponse(
        made.file.open("rb"), as_attachment=True, filename=made.filename, content_type=CONTENT_TYPES[made.format]
    )


# --- effectiviteitsmatrix ---------------------------------------------------------------------------------


@login_required
@require_GET
@domain_errors
def goals(request):
    _require_reader(request)
    form, params = _filters(request)
    views = selectors.goal_matrix(viewer=request.user, params=params, per_quarter=True)
    return render(
        request,
        "reports/goals.html",
        {
            "form": form,
            "goals": views,
            "params": params,
            "query": urlencode(params.as_query()),
            "may_manage_goals": policy.may_manage_goals(request.user),
            "legend": legend(),
        },
    )


def _goal_input(form: GoalForm) -> services.GoalInput:
    v = form.value
    overleg_type = v("overleg_type") or ""
    return services.GoalInput(
        title=v("title", "") or "",
        description=v("description", "") or "",
        overleg_type_id=int(overleg_type) if str(overleg_type).isdigit() else None,
        theme=v("theme", "") or "",
        selection_criteria=v("selection_criteria", "") or "",
        input_criteria=v("input_criteria", "") or "",
        follow_up_criteria=v("follow_up_criteria", "") or "",
        indicator_code=v("indicator_code", "") or "",
        target_value=v("target_value"),
        direction=v("direction", "") or "",
        active=bool(v("active", False)),
    )


def _overleg_type_choices():
    from tafel.meetings.models import OverlegType

    return OverlegType.objects.order_by("name").values_list("pk", "name")


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def goal_edit(request, goal_id=None):
    if not policy.may_manage_goals(request.user):
        raise PermissionDenied(_("Alleen de ketenmanager wijzigt de doelen."))
    goal = access.goal_get_for_user(user=request.user, goal_id=goal_id, action="edit") if goal_id else None
    if request.method == "POST":
        form = GoalForm(request.POST, overleg_types=_overleg_type_choices())
        form.is_valid()
        data = _goal_input(form)
        try:
            if goal is None:
                services.goal_create(actor=request.user, data=data)
            else:
                services.goal_update(actor=request.user, goal=goal, data=data, expected_version=form.value("version"))
        except (ValidationFailed, ConcurrentEdit) as exc:
            show_refusal(request, exc, form, mapping={"overleg_type_id": "overleg_type"})
        else:
            messages.success(request, _("Het doel is opgeslagen."))
            return redirect("reports:goals")
    else:
        initial = {"direction": Direction.AT_LEAST, "active": True}
        if goal is not None:
            initial = {
                "title": goal.title,
                "description": goal.description,
                "overleg_type": str(goal.overleg_type_id or ""),
                "theme": goal.theme,
                "selection_criteria": goal.selection_criteria,
                "input_criteria": goal.input_criteria,
                "follow_up_criteria": goal.follow_up_criteria,
                "indicator_code": goal.indicator_code,
                "target_value": goal.target_value,
                "direction": goal.direction,
                "active": goal.active,
                "version": goal.version,
            }
        form = GoalForm(initial=initial, overleg_types=_overleg_type_choices())
    errors = [{"href": "#doel", "message": str(e)} for e in form.non_field_errors()]
    errors += [
        {"href": f"#{form[name].auto_id}", "message": f"{form[name].label}: {e}"}
        for name, field_errors in form.errors.items()
        if name != "__all__"
        for e in field_errors
    ]
    return render(request, "reports/goal_form.html", {"form": form, "goal": goal, "errors": errors})


@login_required
@require_POST
@domain_errors
def goal_delete(request, goal_id):
    goal = access.goal_get_for_user(user=request.user, goal_id=goal_id, action="edit")
    services.goal_delete(actor=request.user, goal=goal)
    messages.success(request, _("Het doel is verwijderd."))
    return redirect("reports:goals")


# --- pseudonymised research export (issue 6 item 6) ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def research_export(request):
    """Request a pseudonymised case-level export for an approved researcher; a valid request answers with
    the CSV itself (the house keeps the record of the export, not the file)."""
    if not policy.may_export_research(request.user):
        raise PermissionDenied(_("Alleen de ketenmanager of de beheerder maakt een onderzoeksexport."))
    if request.method == "POST":
        form = ResearchExportForm(request.POST)
        form.is_valid()
        v = form.value
        data = research.ResearchExportInput(
            researcher_name=v("researcher_name", "") or "",
            researcher_organisation=v("researcher_organisation", "") or "",
            approval_reference=v("approval_reference", "") or "",
            purpose=v("purpose", "") or "",
            period_start=v("period_start"),
            period_end=v("period_end"),
        )
        try:
            record, text = research.research_export_create(actor=request.user, data=data)
        except ValidationFailed as exc:
            apply_field_errors(form, exc.field_errors)
        else:
            response = HttpResponse(text, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="onderzoeksexport-{record.pk}.csv"'
            # The k achieved travels with the file (and stays on the record, shown in the list of exports).
            response["X-Tafel-K-Anonymity"] = f"k={record.k_achieved or 0}; vereist={record.k_required}"
            return response
    else:
        form = ResearchExportForm()
    errors = [
        {"href": f"#{form[name].auto_id}", "message": f"{form[name].label}: {e}"}
        for name, field_errors in form.errors.items()
        if name != "__all__"
        for e in field_errors
    ]
    exports = research.research_export_list(viewer=request.user)
    return render(request, "reports/research.html", {"form": form, "errors": errors, "exports": exports})


# --- learning instruments (SPEC §5.5, issue 6 item 5) -------------------------------------------------------


def _fill_page(request, questionnaire, errors: dict[str, list[str]], **extra):
    questions = [
        {
            "question": q,
            "key": f"q{q.pk}",
            "value": request.POST.get(f"q{q.pk}", ""),
            "errors": errors.get(f"q{q.pk}", []),
        }
        for q in learning.current_questions(questionnaire)
    ]
    summary = [{"href": f"#{key}", "message": m} for key, msgs in errors.items() for m in msgs]
    return render(
        request,
        "reports/questionnaire_fill.html",
        {"questionnaire": questionnaire, "questions": questions, "errors": summary, **extra},
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def questionnaire_fill(request, code):
    questionnaire = learning.questionnaire_get_for_user(user=request.user, code=code)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            learning.response_submit(actor=request.user, questionnaire=questionnaire, raw=request.POST)
        except ValidationFailed as exc:
            errors = exc.field_errors
        else:
            messages.success(request, _("Dank u wel: uw antwoorden zijn opgeslagen."))
            return redirect("reports:questionnaire_fill", code=questionnaire.code)
    return _fill_page(request, questionnaire, errors)


@login_required
@require_GET
@domain_errors
def questionnaire_index(request):
    rows = learning.questionnaires_to_fill(user=request.user)
    return render(request, "reports/questionnaire_index.html", {"rows": rows})


def _rating(request, context, *, back):
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            learning.session_rating_submit(actor=request.user, context=context, raw=request.POST)
        except ValidationFailed as exc:
            if not exc.field_errors:
                messages.error(request, exc.message)
                return redirect(back)
            errors = exc.field_errors
        else:
            messages.success(request, _("Dank u wel: de beoordeling is opgeslagen."))
            return redirect(back)
    return _fill_page(request, context.questionnaire, errors, rating=context, back=back)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def session_rating(request, meeting_id):
    """ "Beoordeel dit overleg": a participant's own rating of a meeting that took place, once."""
    context = learning.session_rating_context(user=request.user, meeting_id=meeting_id)
    return _rating(request, context, back=reverse("meetings:detail", args=[context.meeting.pk]))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def session_rating_client(request, item_id):
    """ "Beoordeling door cliënt": filled in together with the client, for a case discussed in the meeting."""
    context = learning.session_rating_context(user=request.user, item_id=item_id)
    return _rating(request, context, back=reverse("meetings:detail", args=[context.meeting.pk]))


@login_required
@require_GET
@domain_errors
def questionnaire_results(request, code):
    questionnaire = learning.questionnaire_get_for_user(user=request.user, code=code, action="results")
    ctx = {"questionnaire": questionnaire, "legend": legend()}
    if code in learning.SESSION_RATINGS:
        # Session ratings are read per period and overleg type, like the rest of the monitor.
        form, params = _filters(request)
        ctx.update(
            form=form, params=params, ratings=learning.session_rating_summary(viewer=request.user, params=params)
        )
    else:
        params = None
    ctx["total"], ctx["items"] = learning.questionnaire_results(
        viewer=request.user, questionnaire=questionnaire, params=params
    )
    return render(request, "reports/questionnaire_results.html", ctx)


# --- questionnaire editor (issue 6 item 5) ------------------------------------------------------------------


def _summary(form, anchor: str) -> list[dict]:
    errors = [{"href": f"#{anchor}", "message": str(e)} for e in form.non_field_errors()]
    errors += [
        {"href": f"#{form[name].auto_id}", "message": f"{form[name].label}: {e}"}
        for name, field_errors in form.errors.items()
        if name != "__all__"
        for e in field_errors
    ]
    return errors


def _questionnaire_input(form: QuestionnaireForm) -> questionnaires.QuestionnaireInput:
    v = form.value
    return questionnaires.QuestionnaireInput(
        title=v("title", "") or "", introduction=v("introduction", "") or "", active=bool(v("active", False))
    )


def _question_input(form: QuestionForm) -> questionnaires.QuestionInput:
    v = form.value
    return questionnaires.QuestionInput(
        kind=v("kind", "") or "",
        text=v("text", "") or "",
        low_label=v("low_label", "") or "",
        high_label=v("high_label", "") or "",
    )


def _settings_form(questionnaire) -> QuestionnaireForm:
    return QuestionnaireForm(
        initial={
            "title": questionnaire.title,
            "introduction": questionnaire.introduction,
            "active": questionnaire.active,
            "version": questionnaire.version,
        }
    )


def _editor_page(request, questionnaire, *, settings_form=None, question_form=None, status=200):
    questions, response_count = questionnaires.questionnaire_editor_detail(
        viewer=request.user, questionnaire=questionnaire
    )
    settings_form = settings_form or _settings_form(questionnaire)
    question_form = question_form or QuestionForm(initial={"version": questionnaire.version}, prefix="nieuw")
    return render(
        request,
        "reports/questionnaire_edit.html",
        {
            "questionnaire": questionnaire,
            "questions": questions,
            "response_count": response_count,
            "settings_form": settings_form,
            "question_form": question_form,
            "errors": _summary(settings_form, "instellingen") + _summary(question_form, "vraag-toevoegen"),
            "filled_in_context": questionnaire.code in learning.FILLED_IN_CONTEXT,
            "built_in": questionnaire.code in questionnaires.BUILT_IN,
        },
        status=status,
    )


@login_required
@require_GET
@domain_errors
def questionnaire_editor(request):
    items = questionnaires.questionnaire_editor_list(viewer=request.user)
    return render(
        request,
        "reports/questionnaire_list.html",
        {"questionnaires": items, "filled_in_context": learning.FILLED_IN_CONTEXT},
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def questionnaire_new(request):
    if not policy.may_edit_questionnaires(request.user):
        raise PermissionDenied(_("Alleen de ketenmanager of de beheerder wijzigt vragenlijsten."))
    if request.method == "POST":
        form = QuestionnaireForm(request.POST)
        form.is_valid()
        try:
            questionnaire = questionnaires.questionnaire_create(actor=request.user, data=_questionnaire_input(form))
        except ValidationFailed as exc:
            apply_field_errors(form, exc.field_errors)
        else:
            messages.success(request, _("De vragenlijst is aangemaakt. Voeg nu de vragen toe."))
            return redirect("reports:questionnaire_edit", questionnaire_id=questionnaire.pk)
    else:
        form = QuestionnaireForm(initial={"active": True})
    return render(request, "reports/questionnaire_new.html", {"form": form, "errors": _summary(form, "instellingen")})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def questionnaire_edit(request, questionnaire_id):
    questionnaire = questionnaires.questionnaire_get_for_editor(user=request.user, questionnaire_id=questionnaire_id)
    if request.method == "GET":
        return _editor_page(request, questionnaire)
    form = QuestionnaireForm(request.POST)
    form.is_valid()
    try:
        questionnaires.questionnaire_update(
            actor=request.user,
            questionnaire=questionnaire,
            data=_questionnaire_input(form),
            expected_version=form.value("version"),
        )
    except (ValidationFailed, ConcurrentEdit) as exc:
        show_refusal(request, exc, form)
    else:
        messages.success(request, _("De vragenlijst is opgeslagen."))
        return redirect("reports:questionnaire_edit", questionnaire_id=questionnaire.pk)
    return _editor_page(request, questionnaire, settings_form=form)


@login_required
@require_POST
@domain_errors
def question_add(request, questionnaire_id):
    questionnaire = questionnaires.questionnaire_get_for_editor(user=request.user, questionnaire_id=questionnaire_id)
    form = QuestionForm(request.POST, prefix="nieuw")
    form.is_valid()
    try:
        questionnaires.question_add(
            actor=request.user,
            questionnaire=questionnaire,
            data=_question_input(form),
            expected_version=form.value("version"),
        )
    except (ValidationFailed, ConcurrentEdit) as exc:
        show_refusal(request, exc, form)
    else:
        messages.success(request, _("De vraag is toegevoegd."))
        return redirect(f"{reverse('reports:questionnaire_edit', args=[questionnaire.pk])}#vragen")
    questionnaire.refresh_from_db()
    return _editor_page(request, questionnaire, question_form=form)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def question_edit(request, question_id):
    question = questionnaires.question_get_for_editor(user=request.user, question_id=question_id)
    questionnaire = question.questionnaire
    if request.method == "POST":
        form = QuestionForm(request.POST)
        form.is_valid()
        try:
            questionnaires.question_update(
                actor=request.user,
                question=question,
                data=_question_input(form),
                expected_version=form.value("version"),
            )
        except (ValidationFailed, ConcurrentEdit) as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, _("De vraag is opgeslagen."))
            return redirect(f"{reverse('reports:questionnaire_edit', args=[questionnaire.pk])}#vragen")
    else:
        form = QuestionForm(
            initial={
                "kind": question.kind,
                "text": question.text,
                "low_label": question.low_label,
                "high_label": question.high_label,
                "version": questionnaire.version,
            }
        )
    return render(
        request,
        "reports/question_form.html",
        {
            "form": form,
            "question": question,
            "questionnaire": questionnaire,
            "answered": question.answer_count > 0,
            "errors": _summary(form, "vraag"),
        },
    )


def _question_action(request, question_id, run, done: str):
    """Move, retire, restore or delete: one POST, a message, back to the editor at the questions."""
    question = questionnaires.question_get_for_editor(user=request.user, question_id=question_id)
    try:
        run(question, request.POST.get("version"))
    except (ValidationFailed, ConcurrentEdit) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(f"{reverse('reports:questionnaire_edit', args=[question.questionnaire_id])}#vragen")


@login_required
@require_POST
@domain_errors
def question_move(request, question_id):
    direction = request.POST.get("direction", "")
    return _question_action(
        request,
        question_id,
        lambda q, v: questionnaires.question_move(
            actor=request.user, question=q, direction=direction, expected_version=v
        ),
        _("De volgorde is aangepast."),
    )


@login_required
@require_POST
@domain_errors
def question_retire(request, question_id):
    retire = request.POST.get("retire", "1") == "1"
    return _question_action(
        request,
        question_id,
        lambda q, v: questionnaires.question_retire(actor=request.user, question=q, retire=retire, expected_version=v),
        _("De vraag is vervallen: hij wordt niet meer gesteld, de antwoorden blijven in de resultaten.")
        if retire
        else _("De vraag wordt weer gesteld."),
    )


@login_required
@require_POST
@domain_errors
def question_delete(request, question_id):
    return _question_action(
        request,
        question_id,
        lambda q, v: questionnaires.question_delete(actor=request.user, question=q, expected_version=v),
        _("De vraag is verwijderd."),
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def questionnaire_delete(request, questionnaire_id):
    """A confirmation page; deleting is possible only while nobody has filled the questionnaire in."""
    questionnaire = questionnaires.questionnaire_get_for_editor(user=request.user, questionnaire_id=questionnaire_id)
    response_count = questionnaire.responses.count()
    if request.method == "POST":
        try:
            questionnaires.questionnaire_delete(
                actor=request.user, questionnaire=questionnaire, expected_version=request.POST.get("version")
            )
        except (ValidationFailed, ConcurrentEdit) as exc:
            messages.error(request, exc.message)
            return redirect("reports:questionnaire_edit", questionnaire_id=questionnaire.pk)
        messages.success(request, _("De vragenlijst is verwijderd."))
        return redirect("reports:questionnaire_editor")
    return render(
        request,
        "reports/questionnaire_delete.html",
        {
            "questionnaire": questionnaire,
            "response_count": response_count,
            "built_in": questionnaire.code in questionnaires.BUILT_IN,
        },
    )
