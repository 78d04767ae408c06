"""Pages of the privacy layer (issue 4): the reglement, a case's privacy page (consent, client knows,
justified shares, restrictions, attachments), the FG's pages (audit search and export, unusual access,
retention report, data-subject rights) and the second factor. Thin: parse, one check, one service/selector."""

from __future__ import annotations

import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tafel.access import policy
from tafel.access.audit_events import AccessEvent
from tafel.cases import access as case_access
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import Aanmelding, CaseNote, CasePerson
from tafel.core import spreadsheet
from tafel.core.audit import audit, query_details
from tafel.core.dates import nl_date
from tafel.core.errors import NotFound, ValidationFailed
from tafel.core.http import domain_errors, safe_next
from tafel.core.registry import audit_event_type
from tafel.organisations.models import Organisation
from tafel.persons.audit_events import PersonEvent
from tafel.persons.models import Person
from tafel.privacy.audit_events import PrivacyEvent

from . import selectors, services
from .forms import (
    AttachmentForm,
    ConsentFormForm,
    OtpForm,
    RectifyForm,
    ReglementForm,
    RestrictForm,
    RestrictPersonForm,
    ShareForm,
    WithdrawForm,
)
from .models import CaseAttachment, Consent, ItemRestriction, Reglement, Share
from .services.retention import retention_run


def _apply_errors(form, exc: ValidationFailed) -> None:
    for field, msgs in exc.field_errors.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)
    if not exc.field_errors:
        form.add_error(None, exc.message)


# --- reglement --------------------------------------------------------------------------------------------


@login_required
@require_GET
def reglement_list(request):
    if not (policy.may_edit_reglement(request.user) or policy.may_act_as_fg(request.user)):
        raise Http404
    from tafel.meetings.models import OverlegType

    types = OverlegType.objects.select_related("reglement").order_by("name")
    return render(request, "privacy/reglement_list.html", {"types": types})


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def reglement_edit(request, overleg_type_id):
    if not policy.may_edit_reglement(request.user):
        raise Http404
    from tafel.meetings.models import OverlegType

    overleg_type = OverlegType.objects.filter(pk=overleg_type_id).first()
    if overleg_type is None:
        raise Http404
    current = Reglement.objects.filter(overleg_type=overleg_type).first()
    if request.method == "POST":
        form = ReglementForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["exchange_rules"] = [line.strip() for line in data["exchange_rules"].splitlines() if line.strip()]
            try:
                services.reglement_save(actor=request.user, overleg_type=overleg_type, **data)
            except ValidationFailed as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "Het reglement is opgeslagen.")
                return redirect("privacy:reglement_list")
        status = 422
    else:
        initial = {"retention_months": settings.TAFEL_RETENTION_MONTHS, "purpose": overleg_type.purpose}
        if current:
            initial = {name: getattr(current, name) for name in services.REGLEMENT_FIELDS}
            initial["exchange_rules"] = "\n".join(current.exchange_rules)
        form = ReglementForm(initial=initial)
        status = 200
    return render(request, "privacy/reglement_edit.html", {"form": form, "overleg_type": overleg_type}, status=status)


# --- a case's privacy page --------------------------------------------------------------------------------


def _own_items(user, case) -> list:
    """The items the viewer's organisation supplied in this case: what it may share or restrict."""
    from tafel.meetings.models import PreMeetingUpdate

    org = user.organisation_id
    items = list(Aanmelding.objects.filter(case=case, supplied_by_org_id=org))
    items += list(CaseNote.objects.filter(case=case, supplied_by_org_id=org))
    items += list(PreMeetingUpdate.objects.filter(agenda_item__case=case, supplied_by_org_id=org))
    items += list(CaseAttachment.objects.filter(case=case, supplied_by_org_id=org))
    return items


def _item_key(item) -> str:
    return f"{case_access.item_type_label(item)}:{item.pk}"


def _item_label(item) -> str:
    kind = {
        "cases.aanmelding": "Aanmelding",
        "cases.casenote": "Notitie",
        "meetings.premeetingupdate": "Voorbereidende update",
        "privacy.caseattachment": "Bijlage",
    }.get(case_access.item_type_label(item), case_access.item_type_label(item))
    text = getattr(item, "title", "") or getattr(item, "text", "") or getattr(item, "reason", "") or ""
    return f"{kind} {nl_date(item.created_at)} ({item.get_category_display()}): {text[:60]}"


def _case_forms(request, case, *, data=None, files=None, which=""):
    persons = CasePerson.objects.filter(case=case).select_related("person").order_by("id")
    if not policy.sees_restricted_persons(request.user):
        persons = persons.filter(person__processing_restricted=False)
    own = _own_items(request.user, case)
    item_choices = [(_item_key(i), _item_label(i)) for i in own]
    consent = ConsentFormForm(data if which == "consent" else None, prefix="consent")
    consent.fields["person"].choices = [(cp.person_id, f"{cp.person} ({cp.get_role_display()})") for cp in persons]
    share = ShareForm(data if which == "share" else None, prefix="share")
    share.fields["item"].choices = item_choices
    share.fields["to_org"].choices = [
        (o.pk, o.name) for o in Organisation.objects.filter(active=True).exclude(pk=request.user.organisation_id)
    ]
    share.fields["reason"].choices = [(r, r) for r in services.exchange_reasons(case)]
    restrict = RestrictForm(data if which == "restrict" else None, prefix="restrict")
    restrict.fields["item"].choices = item_choices
    attachment = AttachmentForm(
        data if which == "attachment" else None, files if which == "attachment" else None, prefix="att"
    )
    return {"consent_form": consent, "share_form": share, "restrict_form": restrict, "attachment_form": attachment}, own


def _case_page(request, case, *, status=200, **forms_kw):
    forms, own = _case_forms(request, case, **forms_kw)
    attachments = case_access.filter_items(
        request.user,
        case=case,
        case_visible=True,
        items=CaseAttachment.objects.filter(case=case).select_related("supplied_by_org").order_by("created_at", "id"),
    )
    aanmeldingen = case_access.filter_items(
        request.user, case=case, case_visible=True, items=Aanmelding.objects.filter(case=case).order_by("created_at")
    )
    audit(actor=request.user, event=CaseEvent.CASE_VIEW, case_id=case.pk, reason="privacy")
    context = {
        "case": case,
        "reglement": selectors.case_reglement(case),
        "default_retention": settings.TAFEL_RETENTION_MONTHS,
        "aanmeldingen": aanmeldingen,
        "consents": Consent.objects.filter(case=case).select_related("person", "recorded_by"),
        "shares": Share.objects.filter(case=case)
        .filter(**({} if policy.sees_all_cases(request.user) else {"from_org_id": request.user.organisation_id}))
        .select_related("to_org", "shared_by"),
        "restrictions": ItemRestriction.objects.filter(case=case, set_by__organisation_id=request.user.organisation_id),
        "attachments": attachments,
        "withdraw_form": WithdrawForm(),
        **forms,
    }
    return render(request, "privacy/case.html", context, status=status)


def _case(request, case_id):
    return case_access.case_get_for_user(user=request.user, case_id=case_id)


def _consent(request, consent_id) -> Consent:
    """A consent through its case: fetch and check in one step, a miss and a refusal alike (issue 10)."""
    try:
        pk = int(consent_id)
    except (TypeError, ValueError):
        raise Http404 from None
    consent = (
        Consent.objects.filter(pk=pk, case__in=case_access.cases_visible_to(request.user))
        .select_related("case")
        .first()
    )
    if consent is None:
        policy.refuse_unseen(request.user, kind="consent", object_id=pk, action="withdraw", model=Consent)
        raise Http404
    return consent


def _attachment(request, attachment_id) -> CaseAttachment:
    """An attachment: its case visible and the item rules allow it (SPEC §6); else 404, audited alike."""
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        raise Http404 from None
    attachment = (
        CaseAttachment.objects.filter(pk=pk, case__in=case_access.cases_visible_to(request.user))
        .select_related("case")
        .first()
    )
    if attachment is not None and not case_access.filter_items(
        request.user, case=attachment.case, case_visible=True, items=[attachment]
    ):
        attachment = None
    if attachment is None:
        policy.refuse_unseen(request.user, kind="attachment", object_id=pk, action="view", model=CaseAttachment)
        raise Http404
    return attachment


def _own_item(request, case, key: str):
    for item in _own_items(request.user, case):
        if _item_key(item) == key:
            return item
    raise NotFound("Dit item bestaat niet of u heeft er geen toegang toe.")


@login_required
@domain_errors
@require_GET
def case_privacy(request, case_id):
    return _case_page(request, _case(request, case_id))


@login_required
@domain_errors
@require_POST
def consent_add(request, case_id):
    case = _case(request, case_id)
    forms, _ = _case_forms(request, case, data=request.POST, which="consent")
    form = forms["consent_form"]
    if form.is_valid():
        person = (
            case_access.persons_visible_to(request.user)
            .filter(pk=form.cleaned_data["person"], case_links__case=case)
            .first()
        )
        if person is None:
            raise Http404
        try:
            services.consent_record(
                actor=request.user,
                case=case,
                person=person,
                purpose=form.cleaned_data["purpose"],
                given_on=form.cleaned_data["given_on"],
                form=form.cleaned_data["form"],
            )
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "De toestemming is vastgelegd.")
            return redirect("privacy:case", case_id=case.pk)
    return _case_page(request, case, status=422, data=request.POST, which="consent")


@login_required
@domain_errors
@require_POST
def consent_withdraw(request, consent_id):
    consent = _consent(request, consent_id)
    case = _case(request, consent.case_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(actor=request.user, consent=consent, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "De toestemming is ingetrokken.")
    else:
        messages.error(request, "Geef de reden van intrekking.")
    return redirect("privacy:case", case_id=case.pk)


@login_required
@domain_errors
@require_POST
def share_add(request, case_id):
    case = _case(request, case_id)
    forms, _ = _case_forms(request, case, data=request.POST, which="share")
    form = forms["share_form"]
    if form.is_valid():
        item = _own_item(request, case, form.cleaned_data["item"])
        to_org = Organisation.objects.filter(pk=form.cleaned_data["to_org"], active=True).first()
        if to_org is None:
            raise Http404
        try:
            services.item_share(
                actor=request.user,
                case=case,
                item=item,
                to_org=to_org,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Gedeeld; het delen is vastgelegd met de grond en de toelichting.")
            return redirect("privacy:case", case_id=case.pk)
    return _case_page(request, case, status=422, data=request.POST, which="share")


@login_required
@domain_errors
@require_POST
def restrict_add(request, case_id):
    case = _case(request, case_id)
    forms, _ = _case_forms(request, case, data=request.POST, which="restrict")
    form = forms["restrict_form"]
    if form.is_valid():
        item = _own_item(request, case, form.cleaned_data["item"])
        services.item_restrict(actor=request.user, case=case, item=item, scope=form.cleaned_data["scope"])
        messages.success(request, "De afscherming is vastgelegd.")
        return redirect("privacy:case", case_id=case.pk)
    return _case_page(request, case, status=422, data=request.POST, which="restrict")


@login_required
@domain_errors
@require_POST
def attachment_add(request, case_id):
    case = _case(request, case_id)
    forms, _ = _case_forms(request, case, data=request.POST, files=request.FILES, which="attachment")
    form = forms["attachment_form"]
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
                category=form.cleaned_data["category"],
            )
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "De bijlage is toegevoegd.")
            return redirect("privacy:case", case_id=case.pk)
    return _case_page(request, case, status=422, data=request.POST, files=request.FILES, which="attachment")


@login_required
@domain_errors
@require_GET
def attachment_download(request, attachment_id):
    attachment = _attachment(request, attachment_id)
    case = attachment.case
    audit(
        actor=request.user, event=PrivacyEvent.ATTACHMENT_VIEW, case_id=case.pk, details={"attachment": attachment.pk}
    )
    ext = attachment.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=f"bijlage-{attachment.pk}.{ext}",
    )
    return response


# --- the FG -----------------------------------------------------------------------------------------------


def _fg(request) -> None:
    if not policy.may_act_as_fg(request.user):
        raise Http404


# The FG's filter fields and the element each error links to on the page.
_FILTER_FIELDS = {"person": "f-person", "case": "f-case", "organisation": "f-org", "from": "f-from", "to": "f-to"}


def _audit_filters(request) -> tuple[selectors.AuditFilters, dict[str, str]]:
    """The FG's search filters, and an error per filter that was given but cannot be read. A filter that is
    given but not understood is never dropped: that would search or export the whole log instead of what was
    asked. The page then shows the errors and no events (422); the export refuses (400)."""
    g = request.GET
    errors: dict[str, str] = {}

    def num(name):
        value = g.get(name, "").strip()
        if not value:
            return None
        # ASCII only: "²".isdigit() is True, but int("²") raises (was a 500).
        if value.isascii() and value.isdigit() and len(value) < 12:
            return int(value)
        errors[name] = gettext("Vul een nummer in (alleen cijfers).")
        return None

    def date(name):
        value = g.get(name, "").strip()
        if not value:
            return None
        if _is_date(value):
            return parse_date(value)
        errors[name] = gettext("Vul een datum in als jjjj-mm-dd.")
        return None

    filters = selectors.AuditFilters(
        person_id=num("person"),
        case_id=num("case"),
        user=g.get("user", "")[:100],
        organisation_id=num("organisation"),
        date_from=date("from"),
        date_to=date("to"),
        event_type=_event_type(g.get("type", ""), errors),
        reference=g.get("kenmerk", "")[:40],
    )
    return filters, errors


def _event_type(value: str, errors: dict[str, str]) -> int | None:
    """The `type` filter: empty, or the number of a registered audit event type."""
    if not value:
        return None
    number = int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None
    if number is None or audit_event_type(number) is None:
        errors["type"] = gettext("Onbekend soort gebeurtenis.")
        return None
    return number


def _is_date(value: str) -> bool:
    try:
        return bool(value) and parse_date(value) is not None
    except ValueError:
        return False


@login_required
@require_GET
def fg_dashboard(request):
    _fg(request)
    alerts = selectors.unusual_access(viewer=request.user)
    screening_alerts = selectors.screening_alerts(viewer=request.user)
    filters, filter_errors = _audit_filters(request)
    events = [] if filter_errors else selectors.audit_search(viewer=request.user, filters=filters)[:100]
    audit(actor=request.user, event=AccessEvent.AUDIT_VIEW, details={"filters": query_details(request.GET)})
    return render(
        request,
        "privacy/fg.html",
        {
            "errors": [
                {"href": "#" + _FILTER_FIELDS.get(name, "search-title"), "message": message}
                for name, message in filter_errors.items()
            ],
            "filter_errors": filter_errors,
            "alerts": alerts,
            "screening_alerts": screening_alerts,
            "screening_name_only": settings.TAFEL_SCREENING_NAME_ONLY_THRESHOLD,
            "screening_burst": settings.TAFEL_SCREENING_BURST,
            "events": events,
            "filters": request.GET,
            "organisations": Organisation.objects.order_by("name"),
            "threshold": settings.TAFEL_UNUSUAL_ACCESS_THRESHOLD,
            "query": request.GET.urlencode(),
        },
        status=422 if filter_errors else 200,
    )


@login_required
@require_GET
def audit_export(request):
    _fg(request)
    filters, filter_errors = _audit_filters(request)
    if filter_errors:
        raise BadRequest(" ".join(f"{name}: {message}" for name, message in filter_errors.items()))
    qs = selectors.audit_search(viewer=request.user, filters=filters)
    audit(actor=request.user, event=PrivacyEvent.AUDIT_EXPORT, details={"filters": query_details(request.GET)})
    return spreadsheet.csv_streaming_response("auditlog.csv", selectors.AUDIT_CSV_HEADER, selectors.audit_rows(qs))


@login_required
@require_GET
def retention_report(request):
    _fg(request)
    result = retention_run(dry_run=True, actor=request.user)
    if request.GET.get("format") == "csv":
        return spreadsheet.csv_response(
            "bewaartermijn-rapport.csv",
            ["kenmerk", "afgesloten", "termijn_maanden", "reglement", "vervalt", "personen", "te_verwijderen_personen"],
            (
                [
                    c.case.reference,
                    c.case.closed_at.date().isoformat(),
                    c.retention_months,
                    c.reglement,
                    c.due_at.date().isoformat(),
                    c.person_count,
                    c.persons_to_delete,
                ]
                for c in result.candidates
            ),
        )
    from .models import DestructionRecord

    return render(
        request,
        "privacy/retention.html",
        {"candidates": result.candidates, "records": DestructionRecord.objects.all()[:20]},
    )


def _person(request, person_id) -> Person:
    try:
        return case_access.person_get_for_user(user=request.user, person_id=person_id, action="rights")
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def person_page(request, person_id):
    _fg(request)
    person = _person(request, person_id)
    audit(actor=request.user, event=PersonEvent.PERSON_VIEW, person_id=person.pk, reason="fg")
    return render(
        request,
        "privacy/person.html",
        {
            "person": person,
            "rectify_form": RectifyForm(),
            "restrict_form": RestrictPersonForm(initial={"restricted": not person.processing_restricted}),
            "rectifications": person.rectifications.select_related("by"),
        },
    )


@login_required
@domain_errors
@require_GET
def person_export_json(request, person_id):
    _fg(request)
    data = selectors.person_export(viewer=request.user, person_id=_person(request, person_id).pk)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="inzage-persoon-{person_id}.json"'
    return response


@login_required
@domain_errors
@require_GET
def person_export_pdf(request, person_id):
    _fg(request)
    from django.template.loader import render_to_string

    from tafel.core.pdf import render_pdf

    data = selectors.person_export(viewer=request.user, person_id=_person(request, person_id).pk)
    from tafel.core.dates import nl_datetime

    from .inzage import citizen_sections

    html = render_to_string(
        "privacy/person_export_pdf.html",
        {
            "sections": citizen_sections(data),
            "generated_at": nl_datetime(timezone.now()),
            "house": settings.TAFEL_HOUSE_NAME,
        },
    )
    pdf = render_pdf(html, base_url=str(settings.BASE_DIR))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="inzage-persoon-{person_id}.pdf"'
    return response


@login_required
@domain_errors
@require_POST
def person_rectify(request, person_id):
    _fg(request)
    person = _person(request, person_id)
    form = RectifyForm(request.POST)
    if form.is_valid():
        value = form.cleaned_data["new_value"]
        if form.cleaned_data["field"] == "date_of_birth":
            value = parse_date(value) if _is_date(value) else None
            if value is None:
                messages.error(request, "Vul een geldige datum in (JJJJ-MM-DD).")
                return redirect("privacy:person", person_id=person.pk)
        try:
            services.person_rectify(
                actor=request.user,
                person=person,
                field=form.cleaned_data["field"],
                new_value=value,
                reason=form.cleaned_data["reason"],
            )
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "De correctie is vastgelegd.")
    else:
        messages.error(request, "Vul veld, waarde en reden in.")
    return redirect("privacy:person", person_id=person.pk)


@login_required
@domain_errors
@require_POST
def person_restrict(request, person_id):
    _fg(request)
    person = _person(request, person_id)
    form = RestrictPersonForm(request.POST)
    if form.is_valid():
        services.person_restrict(
            actor=request.user,
            person=person,
            restricted=form.cleaned_data["restricted"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "Vastgelegd.")
    else:
        messages.error(request, "Geef de reden.")
    return redirect("privacy:person", person_id=person.pk)


# --- second factor (TOTP) ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol a TOTP device: show the QR code (SVG, no external service) and the secret, confirm one code."""
    import base64

    import segno
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # A confirmed device is replaced only from a session that has proven it holds it: otherwise a password
    # alone would enrol a new authenticator, delete the owner's and pass the second factor (issue 10 finding
    # 1). A lost device is reset by the beheerder (docs/operations.md), after which the user enrols again.
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists() and not request.user.is_verified():
        return redirect(f"{reverse('privacy:otp_verify')}?{urlencode({'next': safe_next(request, reverse('home'))})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator", confirmed=False)
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            audit(actor=request.user, event=AccessEvent.OTP_ENROL)
            messages.success(request, "De tweede factor is ingesteld.")
            return redirect(safe_next(request, reverse("home")))
        form.add_error("token", "Deze code klopt niet.")
        status = 422
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, micro=False)
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=4, xmldecl=False, svgns=True, nl=False)
    return render(
        request,
        "privacy/otp_setup.html",
        {"form": form, "qr_svg": buf.getvalue().decode(), "secret": secret},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('privacy:otp_setup')}?{urlencode({'next': safe_next(request, reverse('home'))})}")
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(safe_next(request, reverse("home")))
        form.add_error("token", "Deze code klopt niet.")
        status = 422
    return render(request, "privacy/otp_verify.html", {"form": form}, status=status)
