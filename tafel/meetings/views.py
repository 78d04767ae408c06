"""HTML pages of the case meeting: planning, agenda and invitations, the pre-meeting update, the
conversation guide, the plan editor, the verslag (with PDF) and the family's plain-language plan.

Thin on purpose (STYLE.md): parse the input, make one access check, call one service or selector, render.
NotFound → 404 (never revealing that a meeting exists), AccessDenied → 403. A refused form is shown again
with the Dutch message at the field; nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from tafel.access.policy import may_manage_case
from tafel.cases.access import PARTNER, cases_visible_to
from tafel.cases.models import CaseStatus
from tafel.core.errors import NotFound, TafelError, ValidationFailed
from tafel.core.forms import show_refusal
from tafel.core.http import domain_errors as core_domain_errors
from tafel.organisations.models import Role, User

from . import documents, selectors, services
from .access import (
    action_get_for_user,
    agenda_item_get_for_user,
    invitation_get_for_user,
    may_approve_verslag,
    may_plan_meetings,
    meeting_get_for_user,
    plan_get_for_user,
    plan_item_get,
    verslag_section_get_for_user,
)
from .forms import (
    TEXT_LABELS,
    ActionForm,
    ActionStatusForm,
    AgendaAddForm,
    AttendanceForm,
    BodemeisForm,
    ClientInviteForm,
    ClientTaskForm,
    CloseForm,
    DecideForm,
    DeferForm,
    DiscussionForm,
    FamilyPlanReviewForm,
    IdeaForm,
    InviteForm,
    MeetingForm,
    OpenForm,
    PartnerInviteForm,
    PartsForm,
    PlanForm,
    PublishForm,
    RemoveForm,
    SafetyMarkerForm,
    ScaleForm,
    SendForm,
    UpdateForm,
    VerslagEditForm,
)
from .models import ActionType, Attendance, Invitation, MeetingStatus


def domain_errors(view):
    """Sign-in first, then the shared domain-error translation (tafel.core.http)."""
    return login_required(core_domain_errors(view))


def _warn(request, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


def _case_users(case_ids: list[int]) -> list[User]:
    """People who may sit at the table for these cases: the house and the participating organisations."""
    return list(
        User.objects.filter(
            is_active=True,
            roles__role__in=[Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.PROFESSIONAL, Role.INFORMATIEMEDEWERKER],
        )
        .filter(
            Q(organisation__type="zvh")
            | Q(organisation__participations__case_id__in=case_ids, organisation__participations__kind=PARTNER)
        )
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "last_name", "first_name")
    )


# --- meetings ---------------------------------------------------------------------------------------------


@domain_errors
def meeting_list(request):
    upcoming = list(selectors.meeting_list(viewer=request.user, upcoming=True)[:50])
    held = list(selectors.meeting_list(viewer=request.user, upcoming=False)[:50])
    selectors.audit_meeting_list(viewer=request.user, meetings=[*upcoming, *held])
    return render(
        request,
        "meetings/meeting_list.html",
        {"upcoming": upcoming, "held": held, "may_plan": may_plan_meetings(request.user)},
    )


@domain_errors
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    if not may_plan_meetings(request.user):
        raise PermissionDenied("Alleen het huis plant overleggen.")
    chairs = User.objects.filter(
        is_active=True, organisation__type="zvh", roles__role=Role.PROCESREGISSEUR
    ).select_related("organisation")
    form = MeetingForm(request.POST or None, chairs=chairs, initial={"chair": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(
                actor=request.user,
                overleg_type=form.cleaned_data["overleg_type"],
                starts_at=form.starts_at(),
                place=form.cleaned_data["place"],
                video_link=form.cleaned_data["video_link"],
                chair=form.cleaned_data.get("chair") or None,
            )
        except TafelError as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, "Het overleg is gepland. Zet nu de casussen op de agenda.")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form})


def _separated_persons(case) -> list:
    """The persons a stalking marker keeps apart (prefetched by the meeting selector)."""
    flags = getattr(case, "meeting_flags", None)
    return list(flags.separated_persons.all()) if flags is not None and flags.safety_marker else []


def _detail(request, meeting_id, status: int = 200, **forms):
    detail = selectors.meeting_detail(viewer=request.user, meeting_id=meeting_id)
    meeting = detail.meeting
    case_ids = [i.case_id for i in detail.items]
    ctx = {"d": detail, "meeting": meeting, "attendance_choices": Attendance.choices}
    if detail.may_run and meeting.status in (MeetingStatus.OPEN, MeetingStatus.HELD):
        ctx["attendance_lines"] = _attendance_lines(
            detail, forms.get("attendance_data"), forms.get("attendance_errors")
        )
        ctx["attendance_message"] = forms.get("attendance_message", "")
    if meeting.status == MeetingStatus.OPEN and may_approve_verslag(request.user, meeting):
        ctx["close_form"] = forms.get("close_form") or CloseForm(initial={"version": meeting.version})
    if detail.may_plan:
        users = _case_users(case_ids)
        proposed = [p.user for p in detail.proposals]
        others = [u for u in users if u not in proposed and u.pk not in {i.user_id for i in detail.invitations}]
        candidates = (
            cases_visible_to(request.user)
            .filter(status__in=[CaseStatus.AANGEMELD, CaseStatus.VERRIJKEN, CaseStatus.ACTIEF, CaseStatus.VOLGEN])
            .exclude(pk__in=case_ids)
            .order_by("-status_changed_at")[:100]
        )
        ctx["agenda_form"] = forms.get("agenda_form") or AgendaAddForm(cases=candidates)
        ctx["invite_form"] = forms.get("invite_form") or InviteForm(
            users=proposed + others, items=detail.items, invited=[i.user for i in detail.invitations]
        )
        if may_manage_case(request.user):
            from .services.partner_invite import invitable_outsiders

            ctx["partner_invite_form"] = forms.get("partner_invite_form") or PartnerInviteForm(
                users=invitable_outsiders(), items=detail.items
            )
        ctx["send_form"] = SendForm(initial={"text": meeting.invitation_text})
        ctx["open_form"] = OpenForm(initial={"privacy_text": services.DEFAULT_PRIVACY_REMINDER})
        persons = {i.pk: [cp for cp in i.case.case_persons.all()] for i in detail.items}
        ctx["client_forms"] = {
            i.pk: (forms.get("client_form") if forms.get("client_item") == i.pk else None)
            or ClientInviteForm(persons=persons[i.pk], users=users, prefix=f"client{i.pk}")
            for i in detail.items
        }
        ctx["defer_forms"] = {i.pk: DeferForm(prefix=f"defer{i.pk}") for i in detail.items}
        ctx["marker_forms"] = {
            i.pk: (forms.get("marker_form") if forms.get("marker_item") == i.pk else None)
            or SafetyMarkerForm(
                prefix=f"marker{i.pk}",
                persons=persons[i.pk],
                initial={
                    "marker": getattr(getattr(i.case, "meeting_flags", None), "safety_marker", ""),
                    "persons": [p.pk for p in _separated_persons(i.case)],
                },
            )
            for i in detail.items
        }
    if detail.may_plan:
        # SPEC §4.2: the chair sees per person whether the police did the DIK-check.
        from .services.police_checks import checks_for_meeting

        checks = checks_for_meeting(viewer=request.user, meeting=meeting)
        ctx["police_check_rows"] = [(i, checks.get(i.pk, [])) for i in detail.items]
    ctx["client_form_rows"] = [
        (
            i,
            ctx.get("client_forms", {}).get(i.pk),
            ctx.get("defer_forms", {}).get(i.pk),
            ctx.get("marker_forms", {}).get(i.pk),
        )
        for i in detail.items
    ]
    return render(request, "meetings/meeting_detail.html", ctx, status=status)


@domain_errors
def meeting_detail(request, meeting_id: int):
    return _detail(request, meeting_id)


@domain_errors
@require_POST
def agenda_add(request, meeting_id: int):
    meeting = meeting_get_for_user(user=request.user, meeting_id=meeting_id, action="plan")
    form = AgendaAddForm(request.POST, cases=cases_visible_to(request.user))
    if form.is_valid():
        try:
            case = cases_visible_to(request.user).get(pk=form.cleaned_data["case"])
            services.agenda_add_case(actor=request.user, meeting=meeting, case=case)
        except TafelError as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, f"Casus {case.reference} staat op de agenda.")
            return redirect("meetings:detail", meeting.pk)
    return _detail(request, meeting.pk, status=422, agenda_form=form)


@domain_errors
@require_POST
def invite(request, meeting_id: int):
    meeting = meeting_get_for_user(user=request.user, meeting_id=meeting_id, action="plan")
    items = list(meeting.agenda_items.select_related("case"))
    users = _case_users([i.case_id for i in items])
    invited = [i.user for i in Invitation.objects.filter(meeting=meeting, user__isnull=False).select_related("user")]
    form = InviteForm(request.POST, users=users, items=items, invited=invited)
    if form.is_valid():
        item = next((i for i in items if i.pk == form.cleaned_data["agenda_item"]), None)
        try:
            result = services.invitation_add(
                actor=request.user,
                meeting=meeting,
                user=form.cleaned_data["user"],
                agenda_item=item,
                substitute_for=form.cleaned_data["substitute_for"],
            )
        except TafelError as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, f"{result.invitation.user} is uitgenodigd.")
            _warn(request, result.warnings)
            return redirect("meetings:detail", meeting.pk)
    return _detail(request, meeting.pk, status=422, invite_form=form)


@domain_errors
@require_POST
def client_invite(request, item_id: int):
    item = agenda_item_get_for_user(user=request.user, item_id=item_id, action="plan")
    persons = selectors.case_persons(viewer=request.user, case=item.case)
    users = _case_users([item.case_id])
    form = ClientInviteForm(request.POST, persons=persons, users=users, prefix=f"client{item.pk}")
    if form.is_valid():
        c = form.cleaned_data
        try:
            result = services.client_invite(
                actor=request.user,
                agenda_item=item,
                person_id=c["person"],
                invited=c["invited"],
                not_invited_reason=c["not_invited_reason"],
                attend_mode=c["attend_mode"],
                accompanied_by=c["accompanied_by"],
                vertrouwenspersoon=c["vertrouwenspersoon"],
                session_part=c["session_part"] or None,
                preparation_by=c["preparation_by"],
                debrief_by=c["debrief_by"],
                client_wishes=c["client_wishes"],
            )
        except TafelError as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, f"De uitnodiging van {result.invitation.person} is vastgelegd.")
            _warn(request, result.warnings)
            return redirect("meetings:detail", item.meeting_id)
    return _detail(request, item.meeting_id, status=422, client_form=form, client_item=item.pk)


@domain_errors
@require_POST
def defer(request, item_id: int):
    item = agenda_item_get_for_user(user=request.user, item_id=item_id, action="plan")
    form = DeferForm(request.POST, prefix=f"defer{item.pk}")
    if form.is_valid():
        try:
            services.agenda_defer(
                actor=request.user, item=item, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
            )
        except TafelError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, f"Casus {item.case.reference} is doorgeschoven.")
    else:
        messages.error(request, "Kies waarom de casus wordt doorgeschoven.")
    return redirect("meetings:detail", item.meeting_id)


@domain_errors
@require_POST
def safety_marker(request, item_id: int):
    item = agenda_item_get_for_user(user=request.user, item_id=item_id, action="plan")
    persons = selectors.case_persons(viewer=request.user, case=item.case)
    form = SafetyMarkerForm(request.POST, prefix=f"marker{item.pk}", persons=persons)
    if form.is_valid():
        try:
            services.safety_marker_set(
                actor=request.user,
                case=item.case,
                marker=form.cleaned_data["marker"],
                reason=form.cleaned_data["reason"],
                person_ids=form.cleaned_data["persons"],
            )
        except TafelError as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, f"De markering van {item.case.reference} is vastgelegd.")
            return redirect(reverse("meetings:detail", args=[item.meeting_id]) + "#clienten")
    return _detail(request, item.meeting_id, status=422, marker_form=form, marker_item=item.pk)


@domain_errors
@require_POST
def client_task(request, invitation_id: int):
    invitation = invitation_get_for_user(user=request.user, invitation_id=invitation_id, action="view")
    form = ClientTaskForm(request.POST)
    if form.is_valid():
        try:
            services.client_task_done(
                actor=request.user,
                invitation=invitation,
                task=form.cleaned_data["task"],
                wishes=form.cleaned_data["wishes"],
            )
        except TafelError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, "Vastgelegd.")
    return redirect(reverse("meetings:detail", args=[invitation.meeting_id]) + "#clienten")


@domain_errors
@require_POST
def send_invitations(request, meeting_id: int):
    meeting = meeting_get_for_user(user=request.user, meeting_id=meeting_id, action="plan")
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            result = services.meeting_send_invitations(
                actor=request.user, meeting=meeting, text=form.cleaned_data["text"]
            )
        except TafelError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, f"{result.sent} uitnodiging(en) verstuurd.")
            _warn(request, result.warnings)
    else:
        messages.error(request, "De tekst van de uitnodiging is leeg.")
    return redirect("meetings:detail", meeting.pk)


@domain_errors
@require_POST
def meeting_open(request, meeting_id: int):
    meeting = meeting_get_for_user(user=request.user, meeting_id=meeting_id, action="run")
    form = OpenForm(request.POST)
    form.is_valid()
    try:
        services.meeting_open(actor=request.user, meeting=meeting, privacy_text=form.value("privacy_text", ""))
    except TafelError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, "Het overleg is geopend; de privacy-opening is vastgelegd.")
    return redirect("meetings:detail", meeting.pk)


@dataclass
class AttendanceLine:
    """One row of the attendance sheet: an invited professional or client, with the value shown."""

    invitation: Invitation
    name: str
    for_text: str
    value: str
    errors: list[str]


def _attendance_lines(detail, data=None, errors=None) -> list[AttendanceLine]:
    """Every invitee the viewer sees on the meeting page, professionals first, then the invited clients per
    case. With `data` (a refused POST) the chosen values are shown again, so nothing chosen is lost."""
    errors = errors or {}
    invitations = [(inv, str(inv.user)) for inv in detail.invitations] + [
        (c, c.person.full_name) for i in detail.items for c in i.client_invitations if c.invited
    ]
    lines = []
    for inv, name in invitations:
        key = f"attendance-{inv.pk}"
        for_text = inv.agenda_item.case.reference if inv.agenda_item_id else ""
        value = data.get(key, inv.attendance) if data is not None else inv.attendance
        lines.append(AttendanceLine(inv, name, for_text, value, errors.get(key, [])))
    return lines


@domain_errors
@require_POST
def attendance_sheet(request, meeting_id: int):
    """Attendance of all invitees in one form, one POST (issue 12, item 5)."""
    meeting = meeting_get_for_user(user=request.user, meeting_id=meeting_id, action="run")
    detail = selectors.meeting_detail(viewer=request.user, meeting_id=meeting.pk, for_planning=False)
    lines = _attendance_lines(detail)
    rows = [
        services.AttendanceRow(
            invitation_id=line.invitation.pk, attendance=request.POST.get(f"attendance-{line.invitation.pk}", "")
        )
        for line in lines
        if f"attendance-{line.invitation.pk}" in request.POST
    ]
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        # The sheet always carries the version it was loaded with; without it a save could overwrite anyone.
        return _detail(
            request,
            meeting.pk,
            status=422,
            attendance_data=request.POST,
            attendance_message=gettext("Laad de pagina opnieuw en leg de aanwezigheid dan vast."),
        )
    try:
        services.attendance_save(
            actor=request.user,
            meeting=meeting,
            rows=rows,
            visible_ids={line.invitation.pk for line in lines},
            expected_version=version,
        )
    except TafelError as exc:
        field_errors = exc.field_errors if isinstance(exc, ValidationFailed) else None
        return _detail(
            request,
            meeting.pk,
            status=exc.status,
            attendance_data=request.POST,
            attendance_errors=field_errors or {},
            attendance_message=exc.message,
        )
    messages.success(request, gettext("De aanwezigheid is opgeslagen."))
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#aanwezigheid")


@domain_errors
@require_POST
def meeting_close(request, meeting_id: int):
    """The chair closes the meeting after confirming: it is then "gehouden" (issue 12, item 5)."""
    meeting = meeting_get_for_user(user=request.user, meeting_id=meeting_id, action="approve")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_close(actor=request.user, meeting=meeting, expected_version=form.cleaned_data["version"])
        except TafelError as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, gettext("Het overleg is gesloten en staat nu als gehouden geregistreerd."))
            return redirect("meetings:detail", meeting.pk)
    return _detail(request, meeting.pk, status=422, close_form=form)


@domain_errors
@require_POST
def attendance(request, invitation_id: int):
    invitation = invitation_get_for_user(user=request.user, invitation_id=invitation_id, action="run")
    meeting = invitation.meeting
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_record(
                actor=request.user, invitation=invitation, attendance=form.cleaned_data["attendance"]
            )
        except TafelError as exc:
            show_refusal(request, exc)
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#aanwezigheid")


# --- preparation and the guide ----------------------------------------------------------------------------


@domain_errors
@require_http_methods(["GET", "POST"])
def pre_meeting_update(request, item_id: int):
    item = agenda_item_get_for_user(user=request.user, item_id=item_id, action="update")
    existing = item.updates.filter(created_by=request.user).first()
    initial = (
        {
            "current_situation": existing.current_situation,
            "worries": existing.worries,
            "what_changed": existing.what_changed,
        }
        if existing
        else {}
    )
    form = UpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.pre_meeting_update_submit(actor=request.user, agenda_item=item, **form.cleaned_data)
        except TafelError as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(
                request, "Uw update is opgeslagen. De regisseur ziet haar aan het begin van de bespreking."
            )
            return redirect("meetings:detail", item.meeting_id)
    return render(request, "meetings/update_form.html", {"item": item, "form": form})


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@domain_errors
@require_http_methods(["GET", "POST"])
def guide(request, item_id: int):
    """The conversation guide. Each part is its own form with its own version (issue 12): saving one part
    never touches another, two editors of one part see a conflict and keep their text, and what is typed is
    kept as a draft (see `guide_draft`) and shown again after any reload."""
    view = selectors.discussion_view(viewer=request.user, item_id=item_id)
    d = view.discussion
    parts_form = None
    bound: dict[str, DiscussionForm] = {}
    conflicts: dict[str, int] = {}
    saved_part = ""
    status = 200
    if request.method == "POST":
        item = agenda_item_get_for_user(user=request.user, item_id=item_id, action="run")
        step = request.POST.get("step")
        try:
            if step == "start":
                services.discussion_start(
                    actor=request.user, agenda_item=item, parts=request.POST.getlist("parts") or None
                )
                return redirect("meetings:guide", item.pk)
            if d is None:
                raise ValidationFailed("Start eerst de bespreking.")
            if step == "parts":
                parts_form = PartsForm(request.POST, phase=d.phase)
                if parts_form.is_valid():
                    services.discussion_update(
                        actor=request.user, discussion=d, data={"parts": parts_form.cleaned_data["parts"]}
                    )
                    return redirect("meetings:guide", item.pk)
                status = 422
            elif step == "discard":
                services.guide_draft_discard(actor=request.user, discussion=d, part=request.POST.get("part", ""))
                messages.info(request, "Uw niet-opgeslagen tekst is weggegooid.")
                return redirect(reverse("meetings:guide", args=[item.pk]) + f"#deel-{request.POST.get('part', '')}")
            else:
                part = request.POST.get("part", "")
                guide_part = view.guide.part(part)
                if guide_part is None or part not in d.parts:
                    raise ValidationFailed("Onbekend onderdeel van de gespreksleidraad.")
                form = DiscussionForm(request.POST, discussion=d)
                bound[part] = form
                if form.is_valid():
                    try:
                        services.discussion_part_save(
                            actor=request.user,
                            discussion=d,
                            part=part,
                            data=form.data_for(set(guide_part.fields)),
                            expected_version=form.cleaned_data["version"],
                        )
                    except services.PartConflict as exc:
                        conflicts[part] = exc.current_version
                        status = 409
                        view = selectors.discussion_view(viewer=request.user, item_id=item_id)
                    else:
                        if not _is_htmx(request):
                            messages.success(request, f"‘{guide_part.title}’ is opgeslagen.")
                            return redirect(reverse("meetings:guide", args=[item.pk]) + f"#deel-{part}")
                        bound.pop(part)
                        saved_part = part
                        view = selectors.discussion_view(viewer=request.user, item_id=item_id)
                else:
                    status = 422
        except TafelError as exc:
            show_refusal(request, exc, next(iter(bound.values()), None))
            status = exc.status if not bound else 422
    return _render_guide(
        request, view, bound=bound, conflicts=conflicts, saved_part=saved_part, parts_form=parts_form, status=status
    )


def _render_guide(
    request,
    view,
    *,
    bound=None,
    conflicts=None,
    saved_part: str = "",
    parts_form=None,
    scale_form=None,
    scale_saved: bool = False,
    status: int = 200,
):
    d = view.discussion
    ctx = {
        "v": view,
        "d": d,
        "saved_part": saved_part,
        "scale_saved": scale_saved,
        "scale_part": view.guide.part("schaalvraag"),
    }
    if d is not None:
        ctx["parts_form"] = parts_form or PartsForm(phase=d.phase, initial={"parts": d.parts})
        ctx["scale_form"] = scale_form or ScaleForm(participants=view.participants, persons=view.persons)
        ctx["decide_form"] = DecideForm()
        ctx["sections"] = _guide_sections(request, view, bound or {}, conflicts or {})
    return render(request, "meetings/guide.html", ctx, status=status)


def _guide_sections(request, view, bound: dict, conflicts: dict) -> list[dict]:
    """Per chosen part of the guide: its questions, its own form (the viewer's draft or the text they just
    sent when there is one, else the record), its version, and the other editor's text on a conflict."""
    d = view.discussion
    drafts = view.drafts
    sections = []
    for part in view.guide.parts:
        if part.code not in d.parts:
            continue
        draft = drafts.get(part.code)
        current = d.part_version(part.code)
        conflict = part.code in conflicts
        if part.code in bound:
            form = bound[part.code]
            version = conflicts.get(part.code, current)
        elif draft is not None:
            form = DiscussionForm({**draft.data, "version": draft.base_version}, discussion=d)
            form.is_valid()
            # A draft over a version someone else has since saved is a conflict to resolve.
            conflict = draft.base_version != current
            version = current if conflict else draft.base_version
        else:
            form = DiscussionForm(discussion=d)
            version = current
        if not view.may_run:
            # Participants read the record of their case; only the chair (or a procesregisseur) writes it.
            for field in form.fields.values():
                field.disabled = True
        inputs = []
        for name in part.fields:
            if name in SPECIAL_FIELDS:
                inputs.append({"kind": SPECIAL_FIELDS[name]})
            elif name in form.fields:
                inputs.append({"kind": "text", "field": form[name]})
        saved = DiscussionForm(discussion=d) if conflict else None
        sections.append(
            {
                "part": part,
                "form": form,
                "inputs": inputs,
                "version": version,
                "draft": draft,
                "conflict": conflict,
                "theirs": [
                    (saved[name].label, saved.initial.get(name))
                    for name in part.fields
                    if saved is not None and name in TEXT_LABELS and saved.initial.get(name)
                ],
                "filled": any(_has_value(getattr(d, name, None)) for name in part.fields),
            }
        )
    return sections


def _has_value(value) -> bool:
    return value not in (None, "", [], {})


@domain_errors
@require_POST
def guide_draft(request, item_id: int):
    """Keep what the editor is typing in one part (called by the page while typing, and when it is left).
    Answers 204; nothing on the page changes."""
    item = agenda_item_get_for_user(user=request.user, item_id=item_id, action="run")
    discussion = getattr(item, "discussion", None)
    if discussion is None:
        raise Http404
    try:
        base_version = int(request.POST.get("version", "0"))
    except ValueError:
        base_version = 0
    data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "step", "part", "version")}
    try:
        services.guide_draft_save(
            actor=request.user,
            discussion=discussion,
            part=request.POST.get("part", ""),
            data=data,
            base_version=base_version,
        )
    except TafelError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    return HttpResponse(status=204)


SPECIAL_FIELDS = {
    "risks": "risks",
    "support_per_member": "support",
    "recovery_points": "recovery",
    "brainstorm": "brainstorm",
    "shortlist": "shortlist",
    "right_people_at_table": "right_people",
}


@domain_errors
@require_POST
def scale_add(request, item_id: int):
    """A scale score. From the page's script only the scale section is answered and swapped, so a score
    never reloads (or empties) another part of the guide (issue 12)."""
    view = selectors.discussion_view(viewer=request.user, item_id=item_id)
    if view.discussion is None:
        raise Http404
    form = ScaleForm(request.POST, participants=view.participants, persons=view.persons)
    saved = False
    if form.is_valid():
        try:
            services.scale_score_add(
                actor=request.user,
                discussion=view.discussion,
                score=form.cleaned_data["score"],
                rationale=form.cleaned_data["rationale"],
                **form.target(),
            )
        except TafelError as exc:
            show_refusal(request, exc, form if _is_htmx(request) else None)
        else:
            saved = True
    elif not _is_htmx(request):
        messages.error(request, "Kies wie, een cijfer van 1 tot en met 10 en geef een onderbouwing.")
    if _is_htmx(request):
        view = selectors.discussion_view(viewer=request.user, item_id=item_id)
        return _render_guide(
            request,
            view,
            scale_form=None if saved else form,
            scale_saved=saved,
            status=200 if saved else 422,
        )
    if saved:
        messages.success(request, "De schaalscore is vastgelegd.")
    return redirect(reverse("meetings:guide", args=[item_id]) + "#schaalvraag")


@domain_errors
@require_POST
def decide(request, item_id: int):
    item = agenda_item_get_for_user(user=request.user, item_id=item_id, action="run")
    discussion = getattr(item, "discussion", None)
    if discussion is None:
        raise Http404
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.discussion_decide(
                actor=request.user,
                discussion=discussion,
                choice=form.cleaned_data["choice"],
                note=form.cleaned_data["note"],
                to_phase=form.cleaned_data["to_phase"] or None,
            )
        except TafelError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, "Het oordeel is vastgelegd.")
    else:
        messages.error(request, "Kies: blijven, door naar de volgende fase of terug.")
    return redirect("meetings:guide", item.pk)


# --- plan -------------------------------------------------------------------------------------------------


@domain_errors
@require_POST
def plan_start(request, item_id: int):
    item = agenda_item_get_for_user(user=request.user, item_id=item_id, action="run")
    try:
        plan = services.plan_start(actor=request.user, case=item.case, meeting=item.meeting)
    except TafelError as exc:
        show_refusal(request, exc)
        return redirect("meetings:guide", item.pk)
    return redirect("meetings:plan", plan.pk)


def _bodemeis_form(b, users, data=None) -> BodemeisForm:
    return BodemeisForm(
        data,
        users=users,
        prefix=f"b{b.pk}",
        initial={"text": b.text, "guard": b.guard_id, "if_broken": b.if_broken, "audience": b.audience},
    )


def _action_form(a, users, data=None) -> ActionForm:
    initial = {
        n: getattr(a, n)
        for n in ("what", "deadline", "type", "term", "rationale", "plain_text", "family_member", "audience")
    }
    return ActionForm(data, users=users, prefix=f"e{a.pk}", initial={**initial, "owner": a.owner_id})


def _plan_page(request, plan_id, status: int = 200, **forms):
    view = selectors.plan_view(viewer=request.user, plan_id=plan_id)
    ctx = {"v": view, "plan": view.plan}
    edit_forms: dict = {}
    if view.may_edit:
        users = _case_users([view.plan.case_id])
        ctx["plan_form"] = forms.get("plan_form") or PlanForm(
            users=users,
            initial={
                "version": view.plan.version,
                **{n: getattr(view.plan, n) for n in PlanForm.base_fields if n not in ("version", "casusregisseur")},
                "casusregisseur": view.plan.casusregisseur_id,
            },
        )
        ctx["bodemeis_form"] = forms.get("bodemeis_form") or BodemeisForm(users=users)
        ctx["action_form"] = forms.get("action_form") or ActionForm(users=users)
        ctx["publish_form"] = forms.get("publish_form") or PublishForm()
        ctx["idea_type_choices"] = ActionType.choices
        # Every bodemeis and action of the draft can be corrected or removed until publication (issue 12).
        edit_forms = {
            **{("b", b.pk): _bodemeis_form(b, users) for b in view.bodemeisen},
            **{("a", a.pk): _action_form(a, users) for a in view.actions},
        }
        edit_forms.update(forms.get("edit_forms", {}))
        remove = forms.get("remove_form")
        ctx["bodemeis_rows"] = [
            (
                b,
                edit_forms[("b", b.pk)],
                remove if remove and remove.prefix == f"rb{b.pk}" else RemoveForm(prefix=f"rb{b.pk}"),
            )
            for b in view.bodemeisen
        ]
        ctx["edit_rows"] = {
            a.pk: (
                edit_forms[("a", a.pk)],
                remove if remove and remove.prefix == f"ra{a.pk}" else RemoveForm(prefix=f"ra{a.pk}"),
            )
            for a in view.actions
        }
    else:
        ctx["bodemeis_rows"] = [(b, None, None) for b in view.bodemeisen]
        ctx["status_forms"] = {
            a.pk: ActionStatusForm(prefix=f"a{a.pk}", initial={"status": a.status, "outcome_note": a.outcome_note})
            for a in view.actions
            if request.user.pk in (a.owner_id, a.co_owner_id) and view.is_current
        }
    ctx["action_rows"] = [
        (a, ctx.get("status_forms", {}).get(a.pk), *ctx.get("edit_rows", {}).get(a.pk, (None, None)))
        for a in view.actions
    ]
    return render(request, "meetings/plan.html", ctx, status=status)


@domain_errors
def plan_detail(request, plan_id: int):
    return _plan_page(request, plan_id)


@domain_errors
@require_POST
def plan_new_version(request, plan_id: int):
    """A new version from the plan page at any time, outside a meeting too (issue 12). The published versions
    stay as they are; an existing draft is opened instead of a second one."""
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    draft = services.plan_start(actor=request.user, case=plan.case)
    messages.success(request, f"Versie {draft.number} staat klaar als concept. Pas aan wat nodig is en publiceer.")
    return redirect("meetings:plan", draft.pk)


@domain_errors
@require_POST
def plan_edit(request, plan_id: int):
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, action="edit")
    users = _case_users([plan.case_id])
    what = request.POST.get("step")
    form = None
    key = {"bodemeis": "bodemeis_form", "action": "action_form", "publish": "publish_form"}.get(what, "plan_form")
    try:
        if what == "bodemeis":
            form = BodemeisForm(request.POST, users=users)
            if form.is_valid():
                services.bodemeis_add(actor=request.user, plan=plan, **form.cleaned_data)
                return redirect(reverse("meetings:plan", args=[plan.pk]) + "#bodemeisen")
            return _plan_page(request, plan.pk, status=422, bodemeis_form=form)
        if what == "bodemeis_edit":
            bodemeis = plan_item_get(plan=plan, kind="bodemeis", item_id=request.POST.get("item"))
            form = _bodemeis_form(bodemeis, users, request.POST)
            key = "edit"
            if form.is_valid():
                services.bodemeis_edit(actor=request.user, bodemeis=bodemeis, **form.cleaned_data)
                messages.success(request, "De bodemeis is gewijzigd.")
                return redirect(reverse("meetings:plan", args=[plan.pk]) + "#bodemeisen")
            return _plan_page(request, plan.pk, status=422, edit_forms={("b", bodemeis.pk): form})
        if what in ("bodemeis_remove", "action_remove"):
            kind, letter = ("bodemeis", "b") if what == "bodemeis_remove" else ("action", "a")
            row = plan_item_get(plan=plan, kind=kind, item_id=request.POST.get("item"))
            form = RemoveForm(request.POST, prefix=f"r{letter}{row.pk}")
            key = "remove"
            if not form.is_valid():
                return _plan_page(request, plan.pk, status=422, remove_form=form)
            if kind == "bodemeis":
                services.bodemeis_remove(actor=request.user, bodemeis=row)
                messages.success(request, "De bodemeis is verwijderd uit het concept.")
                return redirect(reverse("meetings:plan", args=[plan.pk]) + "#bodemeisen")
            services.plan_action_remove(actor=request.user, action=row)
            messages.success(request, "De actie is verwijderd uit het concept.")
            return redirect(reverse("meetings:plan", args=[plan.pk]) + "#acties")
        if what == "action":
            form = ActionForm(request.POST, users=users)
            if form.is_valid():
                action = services.plan_action_add(
                    actor=request.user, plan=plan, data=services.ActionInput(**form.cleaned_data)
                )
                _warn_rationale(request, action)
                return redirect(reverse("meetings:plan", args=[plan.pk]) + "#acties")
            return _plan_page(request, plan.pk, status=422, action_form=form)
        if what == "action_edit":
            action = plan_item_get(plan=plan, kind="action", item_id=request.POST.get("item"))
            form = _action_form(action, users, request.POST)
            key = "edit"
            if form.is_valid():
                services.plan_action_edit(
                    actor=request.user, action=action, data=services.ActionInput(**form.cleaned_data)
                )
                messages.success(request, "De actie is gewijzigd.")
                _warn_rationale(request, action)
                return redirect(reverse("meetings:plan", args=[plan.pk]) + "#acties")
            return _plan_page(request, plan.pk, status=422, edit_forms={("a", action.pk): form})
        if what == "idea":
            form = IdeaForm(request.POST)
            if not form.is_valid():
                raise ValidationFailed("Kies een idee en de soort actie.")
            action = services.plan_action_from_idea(actor=request.user, plan=plan, **form.cleaned_data)
            messages.success(
                request, f"‘{action.what[:60]}’ staat nu bij de acties. Vul wie en wanneer in bij ‘Wijzigen’."
            )
            return redirect(reverse("meetings:plan", args=[plan.pk]) + "#acties")
        if what == "publish":
            form = PublishForm(request.POST)
            if not form.is_valid():
                return _plan_page(request, plan.pk, status=422, publish_form=form)
            reason = form.cleaned_data["quality_reason"] if form.cleaned_data["confirm_incomplete"] else ""
            result = services.plan_publish(actor=request.user, plan=plan, quality_reason=reason)
            messages.success(request, f"Versie {result.plan.number} van het plan is gepubliceerd.")
            for missing in result.missing:
                messages.warning(request, f"Kwaliteitstoets: {missing}")
            return redirect("meetings:plan", plan.pk)
        form = PlanForm(request.POST, users=users)
        if form.is_valid():
            services.plan_update(
                actor=request.user,
                plan=plan,
                data=form.data_for_service(),
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, "Het plan is opgeslagen.")
            return redirect("meetings:plan", plan.pk)
        return _plan_page(request, plan.pk, status=422, plan_form=form)
    except NotFound:
        raise
    except TafelError as exc:
        show_refusal(request, exc, form)
        if form is None or what == "idea":
            return redirect("meetings:plan", plan.pk)
        if key == "edit":
            letter = "b" if what == "bodemeis_edit" else "a"
            return _plan_page(request, plan.pk, status=422, edit_forms={(letter, int(request.POST["item"])): form})
        if key == "remove":
            return _plan_page(request, plan.pk, status=422, remove_form=form)
        return _plan_page(request, plan.pk, status=422, **{key: form})


def _warn_rationale(request, action) -> None:
    """Only 17.1% of actions in the dossier analysis had a rationale: an action without one is not silent."""
    if not action.rationale:
        messages.warning(request, f"Bij ‘{action.what[:60]}’ staat niet waarom: vul de onderbouwing aan.")


@domain_errors
@require_POST
def action_status(request, action_id: int):
    action = action_get_for_user(user=request.user, action_id=action_id, action="update")
    form = ActionStatusForm(request.POST, prefix=f"a{action.pk}")
    if form.is_valid():
        try:
            services.action_update(actor=request.user, action=action, **form.cleaned_data)
        except TafelError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, "De actie is bijgewerkt.")
    if request.POST.get("from") == "mijn-werk":
        return redirect("meetings:my_work")
    return redirect("meetings:plan", action.plan_id)


@domain_errors
def family(request, plan_id: int):
    view = selectors.family_view(viewer=request.user, plan_id=plan_id)
    return render(request, "meetings/family.html", {"v": view, "plan": view.plan})


@domain_errors
def family_pdf(request, plan_id: int):
    """The praatplaat as a tagged PDF, only once a procesregisseur reviewed it (issue 12, item 6)."""
    view = selectors.family_view(viewer=request.user, plan_id=plan_id)
    if not view.is_reviewed:
        raise Http404("De versie voor het gezin is nog niet beoordeeld.")
    response = HttpResponse(documents.family_pdf(request, view), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ons-plan-{view.plan.number}.pdf"'
    return response


@domain_errors
@require_http_methods(["GET", "POST"])
def family_review(request, plan_id: int):
    """Review (and correct) the family's version before it is given; then record that it was given."""
    plan = selectors.plan_for_family_review(viewer=request.user, plan_id=plan_id)
    form = None
    if request.method == "POST":
        step = request.POST.get("step")
        form = FamilyPlanReviewForm(request.POST)
        if form.is_valid():
            version = form.cleaned_data["version"]
            try:
                if step == "give":
                    services.family_plan_give(actor=request.user, plan=plan, expected_version=version)
                    messages.success(request, "Vastgelegd: het gezin heeft de versie van het plan gekregen.")
                else:
                    services.family_plan_review(
                        actor=request.user,
                        plan=plan,
                        # An empty box means Tafel's own sentences, never an empty "who does what".
                        sentences_text=form.cleaned_data["sentences"] or None,
                        expected_version=version,
                    )
                    messages.success(request, "De versie voor het gezin is beoordeeld en kan worden gegeven.")
            except TafelError as exc:
                show_refusal(request, exc, form)
            else:
                return redirect("meetings:family_review", plan.pk)
    view = selectors.family_view(viewer=request.user, plan_id=plan.pk, review=True)
    if form is None:
        lines = view.sentences if view.is_reviewed else view.draft_sentences
        form = FamilyPlanReviewForm(
            initial={"sentences": "\n".join(lines), "version": view.family_plan.version if view.family_plan else 0}
        )
    status = 200 if not form.errors else 400
    return render(request, "meetings/family_review.html", {"v": view, "plan": view.plan, "form": form}, status=status)


# --- verslag ----------------------------------------------------------------------------------------------


@domain_errors
@require_http_methods(["GET", "POST"])
def verslag(request, meeting_id: int):
    if request.method == "POST":
        meeting = meeting_get_for_user(user=request.user, meeting_id=meeting_id, action="run")
        try:
            if request.POST.get("step") == "approve":
                current = selectors.verslag_view(viewer=request.user, meeting_id=meeting.pk).verslag
                services.verslag_approve(actor=request.user, verslag=current)
                messages.success(request, "Het verslag is vastgesteld en de deelnemers zijn bericht.")
            else:
                services.verslag_generate(actor=request.user, meeting=meeting)
                messages.success(request, "Het verslag is opgesteld uit de vastgelegde gegevens.")
        except TafelError as exc:
            show_refusal(request, exc)
        return redirect("meetings:verslag", meeting.pk)
    view = selectors.verslag_view(viewer=request.user, meeting_id=meeting_id)
    edit_forms = {}
    if view.may_run and not view.verslag.is_approved:
        edit_forms = {
            s.pk: VerslagEditForm(prefix=f"s{s.pk}", initial={"version": view.verslag.version, "text": s.text})
            for s in view.sections
            # The chair edits only wording they may read themselves (SPEC §6).
            if s.content_visible
        }
    return render(
        request,
        "meetings/verslag.html",
        {"v": view, "verslag": view.verslag, "rows": [(s, edit_forms.get(s.pk)) for s in view.sections]},
    )


@domain_errors
@require_POST
def verslag_edit(request, section_id: int):
    section = verslag_section_get_for_user(user=request.user, section_id=section_id, action="run")
    form = VerslagEditForm(request.POST, prefix=f"s{section.pk}")
    if form.is_valid():
        try:
            services.verslag_edit(
                actor=request.user,
                section=section,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except TafelError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, f"De tekst over {section.case.reference} is opgeslagen.")
    return redirect("meetings:verslag", section.verslag.meeting_id)


@domain_errors
def verslag_pdf(request, meeting_id: int):
    view = selectors.verslag_view(viewer=request.user, meeting_id=meeting_id, pdf=True)
    pdf = documents.verslag_pdf(request, view)
    response = HttpResponse(pdf, content_type="application/pdf")
    local = view.meeting.starts_at
    response["Content-Disposition"] = f'attachment; filename="verslag-{view.meeting.pk}-{local:%Y%m%d}.pdf"'
    return response
