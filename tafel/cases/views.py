"""HTML pages of intake, screening, triage and the case.

Thin on purpose (STYLE.md): parse the input, make one access check through the policy or a selector, call one
service or selector, render. Domain errors become a 404/403 or a Dutch message at the field; nothing typed is
lost when a form is refused.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import BaseFormSet, CheckboxSelectMultiple, RadioSelect
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tafel.access import policy
from tafel.cases import access as case_access
from tafel.cases.screening import equally_good_namesakes
from tafel.cases.screening import person_match as person_match_selector
from tafel.core.audit import audit_list
from tafel.core.errors import (
    CaseloadFull,
    ConcurrentEdit,
    TransitionNotAllowed,
    ValidationFailed,
)
from tafel.core.forms import apply_field_errors, show_refusal
from tafel.core.http import domain_errors
from tafel.core.registry import screening_context
from tafel.persons import matching
from tafel.persons.models import Gender

from . import changes, selectors, services
from .forms import (
    AanmeldingForm,
    AddOrganisationForm,
    CaseFilterForm,
    ClassificationForm,
    NoteForm,
    PersonFormSet,
    ProposalDecisionForm,
    RoleForm,
    StatusForm,
    SupplyInfoForm,
    TriageForm,
    criterion_argument_field,
    criterion_field,
    life_domain_field_name,
)
from .models import CaseStatus, Criterion, InfoCategory, TriageMode

# Statuses in which the triage page accepts a decision (the service checks the same).
TRIAGE_STATUSES = frozenset({CaseStatus.AANGEMELD, CaseStatus.VERRIJKEN})
PERSON_PREFIX_RE = re.compile(r"^form-\d{1,3}$")


# --- helpers ----------------------------------------------------------------------------------------------


def _paginate(request, items, param: str = "page", anchor: str = ""):
    """One page of `items`, with links that keep the other query parameters (several lists on one page)."""
    page = Paginator(items, settings.TAFEL_PAGE_SIZE).get_page(request.GET.get(param))
    page.object_list = list(page.object_list)

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")

    page.prev_link = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_link = link(page.next_page_number()) if page.has_next() else ""
    return page


def _field_anchor(bound_field) -> str:
    if isinstance(bound_field.field.widget, RadioSelect | CheckboxSelectMultiple):
        return f"#{bound_field.auto_id}_0"
    return f"#{bound_field.auto_id}"


def _form_errors(form, anchor: str, label: str = "") -> list[dict]:
    """The same message as at the field (GOV.UK pattern); the link leads to the field itself."""
    lead = f"{label}: " if label else ""
    items = [{"href": f"#{anchor}", "message": f"{lead}{error}"} for error in form.non_field_errors()]
    for bound_field in form:
        if bound_field.is_hidden:
            continue
        for error in bound_field.errors:
            items.append({"href": _field_anchor(bound_field), "message": f"{lead}{error}"})
    return items


def error_summary(*parts) -> list[dict]:
    """Links for the error summary at the top of a page: (form, anchor) pairs or a person formset."""
    items: list[dict] = []
    for part in parts:
        if isinstance(part, BaseFormSet):
            items += [{"href": "#personen", "message": str(error)} for error in part.non_form_errors()]
            for index, form in enumerate(part.forms, start=1):
                number = getattr(form, "number", index)
                items += _form_errors(form, f"persoon-{form.prefix}", _("Persoon %(n)s") % {"n": number})
        else:
            form, anchor = part
            if form is not None and form.is_bound:
                items += _form_errors(form, anchor)
    return items


def _present_aanmelding(aanmelding) -> None:
    """Labels for the JSON content (life domains, predictive factors) in the order of the form."""
    domains = aanmelding.life_domains or {}
    aanmelding.life_domain_items = [
        (label, domains[key]) for key, label in services.LIFE_DOMAINS.items() if domains.get(key)
    ]
    aanmelding.predictive_labels = [
        services.PREDICTIVE_FACTORS.get(code, code) for code in aanmelding.predictive_factors or []
    ]


def _with_fresh_version(form_class, form, version: int, error: str, **kwargs):
    """After a concurrent edit: the same input, now based on the version the user sees on the page."""
    data = form.data.copy()
    data["version"] = str(version)
    fresh = form_class(data, **kwargs)
    fresh.is_valid()
    fresh.add_error(None, error)
    return fresh


# --- werkvoorraad -----------------------------------------------------------------------------------------


@login_required
def werkvoorraad(request):
    user = request.user
    wv = selectors.werkvoorraad(viewer=user)
    house = policy.sees_all_cases(user)
    to_triage = _paginate(request, wv.to_triage, "p_trieren", "te-trieren") if house else None
    waiting = _paginate(request, wv.waiting_for_info, "p_wacht", "wacht-op-informatie") if house else None
    my_cases = _paginate(request, wv.my_cases, "p_mijn", "mijn-casussen") if policy.sees_case_content(user) else None
    my_aanmeldingen = info_requested = None
    if policy.may_submit_aanmelding(user):
        my_aanmeldingen = _paginate(request, wv.my_aanmeldingen, "p_aanm", "mijn-aanmeldingen")
        info_requested = _paginate(request, wv.info_requested, "p_info", "informatie-gevraagd")
    shown = {c.pk: c for page in (to_triage, waiting, my_cases) if page for c in page.object_list}
    selectors.audit_case_list(viewer=user, cases=list(shown.values()))
    # The aanmeldingen on the page name cases and persons too (issue 10, finding 11).
    audit_list(
        actor=user,
        list_code="aanmeldingen",
        case_ids=[a.case_id for page in (my_aanmeldingen, info_requested) if page for a in page.object_list],
    )
    return render(
        request,
        "cases/werkvoorraad.html",
        {
            "house": house,
            "may_triage": policy.may_triage(user),
            "to_triage": to_triage,
            "waiting": waiting,
            "my_cases": my_cases,
            "my_aanmeldingen": my_aanmeldingen,
            "info_requested": info_requested,
        },
    )


# --- aanmelding -------------------------------------------------------------------------------------------


def _aanmelding_input(form: AanmeldingForm, formset) -> tuple[services.AanmeldingInput, list]:
    """The service input from whatever parsed, so the service can report every remaining problem at once.
    Returns the person forms in the order of `data.persons` (service keys `persons.<i>.<field>`)."""
    persons, person_forms = [], []
    for pf in formset.forms:
        if not pf.has_changed():
            continue  # an empty extra person block
        v = pf.value
        persons.append(
            services.PersonInput(
                first_names=v("first_names", ""),
                prefix=v("prefix", ""),
                last_name=v("last_name", ""),
                birth_last_name=v("birth_last_name", ""),
                date_of_birth=v("date_of_birth"),
                gender=v("gender") or Gender.ANDERS,
                bsn=v("bsn", ""),
                address=v("address", ""),
                role=v("role", ""),
                existing_person_id=v("existing_person_id"),
                own_view=v("own_view", ""),
                match_score=v("match_score"),
            )
        )
        person_forms.append(pf)
    v = form.value
    municipality = v("municipality")
    client_knows = v("client_knows")
    data = services.AanmeldingInput(
        route=v("route", ""),
        theme=v("theme", ""),
        municipality_id=municipality.pk if municipality else None,
        title=v("title", ""),
        origin=v("origin", ""),
        reason=v("reason", ""),
        summary=v("summary", ""),
        household=v("household", ""),
        life_domains={key: v(life_domain_field_name(key), "") for key in services.LIFE_DOMAINS},
        antecedents=v("antecedents", ""),
        predictive_factors=list(v("predictive_factors", [])),
        predictive_notes=v("predictive_notes", ""),
        help_tried=v("help_tried", ""),
        # Unanswered is reported at the question itself; do not also demand a reason for "no".
        client_knows=True if client_knows is None else client_knows,
        client_knows_reason=v("client_knows_reason", ""),
        urgency=v("urgency", ""),
        desired_response_days=v("desired_response_days"),
        persons=persons,
    )
    return data, person_forms


PERSON_ERROR_RE = re.compile(r"^persons\.(\d+)\.(\w+)$")


def _apply_aanmelding_errors(form, formset, person_forms, errors: dict[str, list[str]]) -> None:
    own: dict[str, list[str]] = {}
    for key, messages_ in errors.items():
        match = PERSON_ERROR_RE.match(key)
        if match and int(match.group(1)) < len(person_forms):
            apply_field_errors(person_forms[int(match.group(1))], {match.group(2): messages_})
        elif key == "persons":
            formset.non_form_errors().extend(messages_)
        elif key == "life_domains":
            own.setdefault("__all__", []).extend(messages_)
        else:
            own[key] = messages_
    apply_field_errors(form, own)


def _joined_message(result) -> str:
    case = result.case
    regisseur = case.procesregisseur
    if regisseur is None:
        contact = settings.TAFEL_HOUSE_NAME
    else:
        details = ", ".join(
            part for part in (str(regisseur.organisation or ""), regisseur.email, regisseur.phone) if part
        )
        contact = f"{regisseur} ({details})" if details else str(regisseur)
    return _(
        "Een persoon uit uw aanmelding zit al in een lopende casus. Uw melding is aan die casus toegevoegd; er is "
        "geen nieuwe casus gemaakt. Neem voor afstemming contact op met %(contact)s."
    ) % {"contact": contact}


@login_required
@require_http_methods(["GET", "POST"])
def aanmelding_new(request):
    if not policy.may_submit_aanmelding(request.user):
        raise PermissionDenied(_("U mag geen aanmelding indienen."))
    municipalities = selectors.municipalities()
    if request.method == "POST":
        form = AanmeldingForm(request.POST, municipalities=municipalities)
        formset = PersonFormSet(request.POST)
        parsed = form.is_valid() & formset.is_valid()  # both, so every problem is reported in one go
        data, person_forms = _aanmelding_input(form, formset)
        try:
            if not parsed:
                raise ValidationFailed("", field_errors=services.aanmelding_validate(data, actor=request.user))
            result = services.aanmelding_create(actor=request.user, data=data)
        except ValidationFailed as exc:
            _apply_aanmelding_errors(form, formset, person_forms, exc.field_errors)
        else:
            if result.joined_existing:
                messages.warning(request, _joined_message(result))
            else:
                messages.success(
                    request,
                    _("Uw aanmelding is ingediend. Het huis beoordeelt haar; hier ziet u de status en het besluit."),
                )
            return redirect("cases:aanmelding_detail", aanmelding_id=result.aanmelding.pk)
    else:
        form = AanmeldingForm(municipalities=municipalities)
        formset = PersonFormSet()
    # Show the first person block and every block the user filled in; empty extra blocks drop out.
    person_forms = [pf for index, pf in enumerate(formset.forms) if index == 0 or pf.has_changed()]
    for number, pf in enumerate(person_forms, start=1):
        pf.number = number
    return render(
        request,
        "cases/aanmelding_form.html",
        {
            "form": form,
            "formset": formset,
            "person_forms": person_forms,
            "errors": error_summary((form, "aanmeldformulier"), formset),
        },
    )


@login_required
@require_POST
def person_match(request):
    """The live screening partial (SPEC §3.2): candidates for one person block of the aanmeldformulier."""
    if not policy.may_submit_aanmelding(request.user):
        raise PermissionDenied
    prefix = request.GET.get("prefix", "")
    if not PERSON_PREFIX_RE.match(prefix):
        return HttpResponseBadRequest("prefix")

    def get(name: str) -> str:
        return request.POST.get(f"{prefix}-{name}", "").strip()

    try:
        date_of_birth = parse_date(get("date_of_birth"))
    except ValueError:
        date_of_birth = None
    bsn = re.sub(r"[\s.]", "", get("bsn"))
    query = matching.NameParts(
        first_names=get("first_names"),
        prefix=get("prefix"),
        last_name=get("last_name"),
        birth_last_name=get("birth_last_name"),
        date_of_birth=date_of_birth,
        bsn=bsn if bsn.isdigit() and len(bsn) in (8, 9) else "",
    )
    searched = len(query.last_name) >= 2 or len(query.first_names) >= 2 or bool(query.bsn)
    refused = ""
    try:
        candidates = person_match_selector(viewer=request.user, query=query) if searched else []
    except ValidationFailed as exc:
        # Outside the house screening needs surname and date of birth, or the BSN (issue 10, finding 3).
        candidates, refused = [], str(exc)
    chosen = get("existing_person_id")
    return render(
        request,
        "cases/_person_matches.html",
        {
            "candidates": candidates,
            "prefix": prefix,
            "searched": searched and not refused,
            "refused": refused,
            "chosen_id": int(chosen) if chosen.isdigit() else None,
            # Without a date of birth a match is at most "mogelijk"; equal namesakes are pointed out (issue 14).
            "without_dob": not query.date_of_birth and not query.bsn,
            "namesakes": equally_good_namesakes(query, candidates),
            # Whether the other houses are asked too: the federation app's answer (core.registry).
            **screening_context(query=query, searched=searched),
        },
    )


def _render_aanmelding(request, detail, form, status: int = 200):
    _present_aanmelding(detail.aanmelding)
    return render(
        request,
        "cases/aanmelding_detail.html",
        {
            "detail": detail,
            "aanmelding": detail.aanmelding,
            "form": form,
            "errors": error_summary((form, "informatie-aanvullen")),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
@domain_errors
def aanmelding_detail(request, aanmelding_id):
    detail = selectors.aanmelding_detail(viewer=request.user, aanmelding_id=aanmelding_id)
    return _render_aanmelding(request, detail, SupplyInfoForm())


@login_required
@require_POST
@domain_errors
def aanmelding_supply_info(request, aanmelding_id):
    aanmelding = case_access.aanmelding_get_for_user(user=request.user, aanmelding_id=aanmelding_id)
    form = SupplyInfoForm(request.POST)
    form.is_valid()
    try:
        services.aanmelding_supply_info(actor=request.user, aanmelding=aanmelding, text=form.value("text", ""))
    except (ValidationFailed, TransitionNotAllowed) as exc:
        show_refusal(request, exc, form)
    else:
        messages.success(request, _("Dank u. De aanvullende informatie is doorgegeven aan het huis."))
        return redirect("cases:aanmelding_detail", aanmelding_id=aanmelding.pk)
    detail = selectors.aanmelding_detail(viewer=request.user, aanmelding_id=aanmelding_id)
    return _render_aanmelding(request, detail, form)


# --- cases ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def case_list(request):
    form = CaseFilterForm(
        request.GET or None,
        municipalities=selectors.municipalities(),
        may_search_bsn=policy.may_search_by_bsn(request.user),
    )
    f = form.cleaned_data if form.is_valid() else {}
    municipality = f.get("municipality")
    cases = selectors.case_list(
        viewer=request.user,
        status=f.get("status") or None,
        municipality_id=municipality.pk if municipality else None,
        theme=f.get("theme") or None,
        route=f.get("route") or None,
        mine=bool(f.get("mine")),
        q=(f.get("q") or "").strip(),
        person=(f.get("person") or "").strip(),
        bsn=f.get("bsn") or "",
    )
    page = _paginate(request, cases)
    selectors.audit_case_list(viewer=request.user, cases=page.object_list)
    return render(request, "cases/case_list.html", {"form": form, "page": page})


def _allowed_statuses(case) -> list[str]:
    return services.manual_transitions(case)


def _present_changes(detail) -> None:
    """Labels for the classification history and the proposals (codes are stored, people read labels)."""
    for change in detail.changes:
        change.old_label, change.new_label = changes.change_label(change)
    for proposal in detail.proposals:
        if proposal.kind == "theme":
            proposal.summary = proposal.get_theme_display()
        elif proposal.kind == "predictive_factors":
            proposal.summary = ", ".join(
                str(services.PREDICTIVE_FACTORS.get(code, code)) for code in proposal.predictive_factors
            )
        else:
            proposal.summary = str(proposal.organisation)


def _case_page(
    request,
    case_id,
    *,
    note_form=None,
    organisation_form=None,
    status_form=None,
    stale_error="",
    classification_form=None,
    role_form=None,
    proposal_form=None,
    proposal_id=None,
    partner_error=None,
):
    detail = selectors.case_detail(viewer=request.user, case_id=case_id)
    case = detail.case
    for aanmelding in detail.aanmeldingen:
        _present_aanmelding(aanmelding)
    _present_changes(detail)
    may_classify = changes.may_classify(request.user)
    if may_classify:
        if classification_form is not None and stale_error and classification_form.is_bound:
            classification_form = _with_fresh_version(
                ClassificationForm, classification_form, case.version, stale_error
            )
        classification_form = classification_form or ClassificationForm(
            initial={"urgency": case.urgency, "theme": case.theme, "version": case.version}
        )
        role_form = role_form or RoleForm(persons=detail.persons)
        for proposal in detail.proposals:
            proposal.form = (
                proposal_form
                if proposal_form is not None and proposal.pk == proposal_id
                else ProposalDecisionForm(prefix=f"p{proposal.pk}")
            )
    may_manage = policy.may_manage_case(request.user)
    if may_manage:
        organisation_form = organisation_form or AddOrganisationForm(
            shown=selectors.organisations_to_add_list(case=case)
        )
        if stale_error:
            status_form = _with_fresh_version(
                StatusForm, status_form, case.version, stale_error, allowed=_allowed_statuses(case)
            )
        status_form = status_form or StatusForm(initial={"version": case.version}, allowed=_allowed_statuses(case))
    note_form = note_form or NoteForm()
    return render(
        request,
        "cases/case_detail.html",
        {
            "detail": detail,
            "case": case,
            "may_manage": may_manage,
            "may_triage": policy.may_triage(request.user) and case.status in TRIAGE_STATUSES,
            "note_form": note_form,
            "organisation_form": organisation_form,
            "status_form": status_form,
            # (organisation id, message) when turning a reporter into a partner was refused.
            "partner_error": partner_error,
            "may_classify": may_classify,
            "classification_form": classification_form,
            "role_form": role_form,
            "open_proposals": [p for p in detail.proposals if p.status == "open"],
            "errors": error_summary(
                (note_form, "notitie-toevoegen"),
                (organisation_form, "organisatie-toevoegen"),
                (status_form, "status-wijzigen"),
                (classification_form, "classificatie-wijzigen"),
                (role_form, "rol-wijzigen"),
                (proposal_form, f"voorstel-{proposal_id}"),
            ),
        },
    )


@login_required
@require_http_methods(["GET"])
@domain_errors
def case_detail(request, case_id):
    return _case_page(request, case_id)


@login_required
@require_POST
@domain_errors
def case_note_add(request, case_id):
    case = case_access.case_get_for_user(user=request.user, case_id=case_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_add_note(
                actor=request.user,
                case=case,
                text=form.value("text", ""),
                category=form.value("category") or InfoCategory.ALGEMEEN,
            )
        except ValidationFailed as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, _("De notitie is toegevoegd."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#notities")
    return _case_page(request, case.pk, note_form=form)


@login_required
@require_POST
@domain_errors
def case_organisation_add(request, case_id):
    case = case_access.case_get_for_user(user=request.user, case_id=case_id, action="manage")
    form = AddOrganisationForm(request.POST, organisations=selectors.organisations_to_add(case=case))
    if form.is_valid():
        try:
            created = services.case_add_organisation(
                actor=request.user, case=case, organisation=form.value("organisation"), reason=form.value("reason", "")
            )
        except ValidationFailed as exc:
            show_refusal(request, exc, form)
        else:
            if created:
                messages.success(request, _("De organisatie neemt nu deel aan de casus."))
            else:
                messages.info(request, _("Deze organisatie nam al deel aan de casus."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#organisaties")
    return _case_page(request, case.pk, organisation_form=form)


@login_required
@require_POST
@domain_errors
def case_participation_partner(request, case_id, organisation_id):
    """The procesregisseur turns a reporter-only organisation into a partner of the case, with a reason."""
    case = case_access.case_get_for_user(user=request.user, case_id=case_id, action="manage")
    try:
        services.case_participation_make_partner(
            actor=request.user, case=case, organisation_id=organisation_id, reason=request.POST.get("reason", "")
        )
    except ValidationFailed as exc:
        messages_ = [m for msgs in (exc.field_errors or {}).values() for m in msgs] or [str(exc)]
        return _case_page(request, case.pk, partner_error=(int(organisation_id), messages_[0]))
    messages.success(request, _("De organisatie is nu partner in de casus en ziet de inhoud van de casus."))
    return redirect(reverse("cases:detail", args=[case.pk]) + "#organisaties")


@login_required
@require_POST
@domain_errors
def case_transition(request, case_id):
    case = case_access.case_get_for_user(user=request.user, case_id=case_id, action="manage")
    form = StatusForm(request.POST, allowed=_allowed_statuses(case))
    stale_error = ""
    if form.is_valid():
        try:
            services.case_change_status(
                actor=request.user,
                case=case,
                to_status=form.value("to_status", ""),
                reason=form.value("reason", ""),
                expected_version=form.value("version"),
            )
        except (ValidationFailed, TransitionNotAllowed) as exc:
            show_refusal(request, exc, form)
        except ConcurrentEdit as exc:
            stale_error = exc.message
        else:
            messages.success(request, _("De status is gewijzigd."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#status")
    return _case_page(request, case.pk, status_form=form, stale_error=stale_error)


@login_required
@require_POST
@domain_errors
def case_classify(request, case_id):
    case = case_access.case_get_for_user(user=request.user, case_id=case_id, action="triage")
    form = ClassificationForm(request.POST)
    stale_error = ""
    if form.is_valid():
        try:
            changes.case_classification_update(
                actor=request.user,
                case=case,
                urgency=form.value("urgency") or None,
                theme=form.value("theme") or None,
                reason=form.value("reason", ""),
                expected_version=form.value("version"),
            )
        except ValidationFailed as exc:
            show_refusal(request, exc, form)
        except ConcurrentEdit as exc:
            stale_error = exc.message
        else:
            messages.success(request, _("Urgentie en thema zijn bijgewerkt."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#wijzigingen")
    return _case_page(request, case.pk, classification_form=form, stale_error=stale_error)


@login_required
@require_POST
@domain_errors
def case_person_role(request, case_id):
    case = case_access.case_get_for_user(user=request.user, case_id=case_id, action="triage")
    form = RoleForm(request.POST, persons=selectors.case_person_links(viewer=request.user, case=case))
    if form.is_valid():
        try:
            changes.case_person_role_set(
                actor=request.user,
                case=case,
                person_id=form.value("person"),
                role=form.value("role", ""),
                reason=form.value("reason", ""),
            )
        except ValidationFailed as exc:
            show_refusal(request, exc, form)
        else:
            messages.success(request, _("De rol is gewijzigd."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#personen")
    return _case_page(request, case.pk, role_form=form)


@login_required
@require_POST
@domain_errors
def case_proposal_decide(request, case_id, proposal_id):
    case = case_access.case_get_for_user(user=request.user, case_id=case_id, action="triage")
    proposal = changes.proposal_get(case=case, proposal_id=proposal_id)
    form = ProposalDecisionForm(request.POST, prefix=f"p{proposal.pk}")
    if form.is_valid():
        try:
            changes.case_proposal_decide(
                actor=request.user,
                case=case,
                proposal_id=proposal.pk,
                accept=form.value("decision") == "accept",
                reason=form.value("reason", ""),
            )
        except (ValidationFailed, TransitionNotAllowed) as exc:
            show_refusal(request, exc, form)
        else:
            if form.value("decision") == "accept":
                messages.success(request, _("Het voorstel is overgenomen."))
            else:
                messages.success(request, _("Het voorstel is afgewezen."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#voorstellen")
    return _case_page(request, case.pk, proposal_form=form, proposal_id=proposal.pk)


# --- triage -----------------------------------------------------------------------------------------------


def _triage_form(data=None, **kwargs) -> TriageForm:
    return TriageForm(
        data, house_users=selectors.house_users(), procesregisseurs=selectors.house_procesregisseurs(), **kwargs
    )


def _triage_input(form: TriageForm) -> services.TriageInput:
    v = form.value
    met = {"ja": True, "nee": False}
    regisseur = v("procesregisseur")
    return services.TriageInput(
        criteria=[
            services.CriterionInput(
                criterion=code,
                met=met.get(v(criterion_field(code), "")),
                argument=v(criterion_argument_field(code), ""),
            )
            for code in Criterion.values
        ],
        outcome=v("outcome", ""),
        mode=v("mode") or TriageMode.DESK,
        team_member_ids=[user.pk for user in v("team_members", [])],
        team_others=v("team_others", ""),
        lokaal_reason=v("lokaal_reason", ""),
        override_reason=v("override_reason", ""),
        caseload_override_reason=v("caseload_override_reason", ""),
        missing_info=v("missing_info", ""),
        feedback=v("feedback", ""),
        procesregisseur_id=regisseur.pk if regisseur else None,
        expected_version=v("version"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def triage(request, case_id):
    form = None
    stale_error = ""
    if request.method == "POST":
        case = case_access.case_get_for_user(user=request.user, case_id=case_id, action="triage")
        form = _triage_form(request.POST)
        if form.is_valid():
            try:
                triage_ = services.triage_decide(actor=request.user, case=case, data=_triage_input(form))
            except CaseloadFull as exc:
                # The caseload refusal names its reason on the form and asks for the override at its field.
                form.add_error(None, exc.message)
                apply_field_errors(form, exc.field_errors)
            except (ValidationFailed, TransitionNotAllowed) as exc:
                show_refusal(request, exc, form)
            except ConcurrentEdit as exc:
                stale_error = exc.message
            else:
                messages.success(
                    request,
                    _("Triagebesluit vastgelegd: %(outcome)s. De aanmelder ziet het besluit en de reden.")
                    % {"outcome": triage_.get_outcome_display()},
                )
                return redirect("cases:detail", case_id=case.pk)
    ctx = selectors.triage_context(viewer=request.user, case_id=case_id)
    case = ctx.case
    if form is None:
        form = _triage_form(
            initial={
                "version": case.version,
                "mode": TriageMode.DESK,
                "procesregisseur": case.procesregisseur_id or request.user.pk,
            }
        )
    elif stale_error:
        form = _with_fresh_version(
            TriageForm,
            form,
            case.version,
            stale_error,
            house_users=selectors.house_users(),
            procesregisseurs=selectors.house_procesregisseurs(),
        )
    for aanmelding in ctx.aanmeldingen:
        _present_aanmelding(aanmelding)
    return render(
        request,
        "cases/triage.html",
        {
            "ctx": ctx,
            "case": case,
            "form": form,
            "can_decide": case.status in TRIAGE_STATUSES,
            "errors": error_summary((form, "triagebesluit")),
        },
    )
