"""Writes of the privacy layer: reglement, consent, justified shares, restrictions, attachments, and the
AVG rights rectification and restriction. Each takes an explicit actor, validates, and writes its audit
event in the same transaction (STYLE.md)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from tafel.access.policy import may_act_as_fg, may_edit_reglement, may_manage_case
from tafel.cases.access import can_view_case, item_type_label, item_visible
from tafel.cases.models import Case, InfoCategory
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, NotFound, ValidationFailed
from tafel.core.uploads import validate_upload
from tafel.organisations.models import Organisation
from tafel.persons.models import Person
from tafel.privacy.audit_events import PrivacyEvent
from tafel.privacy.models import (
    CaseAttachment,
    Consent,
    ConsentForm,
    ConsentPurpose,
    ItemRestriction,
    PersonRectification,
    PersonRestrictionDecision,
    Reglement,
    RestrictionScope,
    Share,
)
from tafel.privacy.selectors import case_reglement

# Categories whose sharing needs a reason from the reglement and an explanation (issue 4 §4).
SENSITIVE = frozenset(
    {InfoCategory.MEDISCH, InfoCategory.POLITIE_ONDERZOEK, InfoCategory.JUSTITIEEL, InfoCategory.JEUGD}
)

# A reason that is always available, even without a reglement: the legal ground of a breach of professional
# secrecy (conflict van plichten, 000:L3689).
SERIOUS_THREAT = "Ernstige dreiging: doorbreking beroepsgeheim (conflict van plichten)"


def item_case_id(item) -> int | None:
    """The case an item belongs to: directly, or through its agenda item (pre-meeting updates)."""
    if getattr(item, "case_id", None) is not None:
        return item.case_id
    if hasattr(item, "agenda_item"):
        return item.agenda_item.case_id
    if hasattr(item, "discussion"):
        return item.discussion.case_id
    return None


def exchange_reasons(case: Case) -> list[str]:
    reglement = case_reglement(case)
    reasons = list(reglement.exchange_rules) if reglement and reglement.exchange_rules else []
    if SERIOUS_THREAT not in reasons:
        reasons.append(SERIOUS_THREAT)
    return reasons


# --- reglement --------------------------------------------------------------------------------------------


REGLEMENT_FIELDS = (
    "purpose",
    "participating_org_types",
    "categories",
    "justitieel_org_types",
    "jeugd_org_types",
    "exchange_rules",
    "retention_months",
    "legal_basis",
)


def reglement_save(*, actor, overleg_type, **values) -> Reglement:
    if not may_edit_reglement(actor):
        raise AccessDenied("Alleen de functioneel beheerder wijzigt een privacyreglement.")
    errors: dict[str, list[str]] = {}
    if not str(values.get("purpose", "")).strip():
        errors["purpose"] = ["Beschrijf het doel."]
    months = values.get("retention_months")
    if not isinstance(months, int) or not 1 <= months <= 240:
        errors["retention_months"] = ["De bewaartermijn ligt tussen 1 en 240 maanden."]
    bad = [c for c in values.get("categories", []) if c not in InfoCategory.values]
    if bad:
        errors["categories"] = ["Onbekende informatiecategorie."]
    if errors:
        raise ValidationFailed("Het reglement is niet volledig.", field_errors=errors)
    with transaction.atomic():
        reglement, _ = Reglement.objects.get_or_create(
            overleg_type=overleg_type, defaults={"purpose": values["purpose"]}
        )
        for name in REGLEMENT_FIELDS:
            if name in values:
                setattr(reglement, name, values[name])
        reglement.updated_at = timezone.now()
        reglement.updated_by = actor
        reglement.save()
        audit(actor=actor, event=PrivacyEvent.REGLEMENT_UPDATE, details={"overleg_type": overleg_type.pk})
    return reglement


# --- consent and client knows -----------------------------------------------------------------------------


def consent_record(*, actor, case: Case, person: Person, purpose: str, given_on, form: str) -> Consent:
    if not can_view_case(actor, case):
        raise NotFound("Deze casus bestaat niet of u heeft er geen toegang toe.")
    errors: dict[str, list[str]] = {}
    if not case.case_persons.filter(person=person).exists():
        errors["person"] = ["Deze persoon hoort niet bij de casus."]
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = ["Kies een doel."]
    if form not in ConsentForm.values:
        errors["form"] = ["Kies schriftelijk of mondeling."]
    if given_on is None or given_on > timezone.localdate():
        errors["given_on"] = ["Vul een datum in die niet in de toekomst ligt."]
    if errors:
        raise ValidationFailed("De toestemming is niet volledig.", field_errors=errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            case=case,
            purpose=purpose,
            given_on=given_on,
            form=form,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        audit(
            actor=actor,
            event=PrivacyEvent.CONSENT_RECORD,
            case_id=case.pk,
            person_id=person.pk,
            details={"consent": consent.pk, "purpose": purpose, "form": form},
        )
    return consent


def consent_withdraw(*, actor, consent: Consent, reason: str) -> Consent:
    if not can_view_case(actor, consent.case):
        raise NotFound("Deze toestemming bestaat niet of u heeft er geen toegang toe.")
    if consent.withdrawn_at is not None:
        raise ValidationFailed("Deze toestemming is al ingetrokken.")
    if not reason.strip():
        raise ValidationFailed("Geef de reden van intrekking.", field_errors={"reason": ["Vul een reden in."]})
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_reason = reason.strip()
        consent.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        audit(
            actor=actor,
            event=PrivacyEvent.CONSENT_WITHDRAW,
            case_id=consent.case_id,
            person_id=consent.person_id,
            details={"consent": consent.pk},
        )
    return consent


# --- sharing and restricting items ------------------------------------------------------------------------


def item_share(*, actor, case: Case, item, to_org: Organisation, reason: str, explanation: str) -> Share:
    """Share one item with one organisation. Only the supplier shares its own information ("eigen
    informatie", 000:L3219); a sensitive item needs a reason from the reglement and an explanation."""
    if item_case_id(item) != case.pk:
        raise NotFound("Dit item hoort niet bij deze casus.")
    if not item_visible(
        actor, case=case, supplied_by_org_id=item.supplied_by_org_id, category=item.category, item=item
    ):
        raise NotFound("Dit item bestaat niet of u heeft er geen toegang toe.")
    if item.supplied_by_org_id != actor.organisation_id:
        raise AccessDenied("Alleen de organisatie die de informatie aanleverde, mag haar delen.")
    errors: dict[str, list[str]] = {}
    if to_org.pk == actor.organisation_id:
        errors["to_org"] = ["Kies een andere organisatie."]
    if item.category in SENSITIVE:
        if reason not in exchange_reasons(case):
            errors["reason"] = ["Kies een grond uit het reglement."]
        if not explanation.strip():
            errors["explanation"] = ["Licht toe waarom delen nodig is."]
    if errors:
        raise ValidationFailed("Delen kan zo niet.", field_errors=errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                share = Share.objects.create(
                    case=case,
                    item_type=item_type_label(item),
                    item_id=item.pk,
                    from_org_id=actor.organisation_id,
                    to_org=to_org,
                    reason=reason[:300],
                    explanation=explanation.strip(),
                    shared_by=actor,
                    shared_at=timezone.now(),
                )
        except IntegrityError:
            raise ValidationFailed(
                "Dit item is al met deze organisatie gedeeld.", field_errors={"to_org": ["Al gedeeld."]}
            ) from None
        audit(
            actor=actor,
            event=PrivacyEvent.ITEM_SHARE,
            case_id=case.pk,
            # The ground and the explanation stay on the Share record (issue 10 finding 8).
            details={
                "share": share.pk,
                "item": share.item_type,
                "item_id": item.pk,
                "to_org": to_org.pk,
                "category": item.category,
            },
        )
    return share


def item_restrict(*, actor, case: Case, item, scope: str) -> ItemRestriction:
    """The police/OM restrict their own ongoing-investigation item to criminal-justice partners or to
    themselves (SPEC §6, 002:L2340-2356)."""
    if (
        item_case_id(item) != case.pk
        or item.supplied_by_org_id != actor.organisation_id
        or not can_view_case(actor, case)
    ):
        raise NotFound("Dit item bestaat niet of u heeft er geen toegang toe.")
    if scope not in RestrictionScope.values:
        raise ValidationFailed("Kies voor wie het zichtbaar is.", field_errors={"scope": ["Onbekende keuze."]})
    with transaction.atomic():
        restriction, _ = ItemRestriction.objects.update_or_create(
            item_type=item_type_label(item),
            item_id=item.pk,
            defaults={"case": case, "scope": scope, "set_by": actor, "set_at": timezone.now()},
        )
        audit(
            actor=actor,
            event=PrivacyEvent.ITEM_RESTRICT,
            case_id=case.pk,
            details={"item": restriction.item_type, "item_id": item.pk, "scope": scope},
        )
    return restriction


def attachment_add(*, actor, case: Case, title: str, uploaded, category: str) -> CaseAttachment:
    if not can_view_case(actor, case):
        raise NotFound("Deze casus bestaat niet of u heeft er geen toegang toe.")
    if category not in InfoCategory.values:
        raise ValidationFailed("Kies een informatiecategorie.", field_errors={"category": ["Onbekend."]})
    if not title.strip():
        raise ValidationFailed("Geef de bijlage een titel.", field_errors={"title": ["Vul een titel in."]})
    kind, content_type = validate_upload(uploaded)
    uploaded.name = f"bijlage.{kind}"
    with transaction.atomic():
        attachment = CaseAttachment.objects.create(
            case=case,
            title=title.strip()[:200],
            file=uploaded,
            content_type=content_type,
            size=uploaded.size,
            category=category,
            supplied_by_org_id=actor.organisation_id,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit(
            actor=actor,
            event=PrivacyEvent.ATTACHMENT_ADD,
            case_id=case.pk,
            details={"attachment": attachment.pk, "category": category},
        )
    return attachment


# --- AVG rights: rectification and restriction ------------------------------------------------------------

RECTIFIABLE = ("first_names", "prefix", "last_name", "birth_last_name", "date_of_birth", "gender", "address")


def person_rectify(*, actor, person: Person, field: str, new_value, reason: str) -> PersonRectification:
    """AVG art. 16: correct one field, keeping the old value in the history."""
    if not (may_act_as_fg(actor) or may_manage_case(actor)):
        raise AccessDenied("Alleen de FG of de procesregisseur corrigeert persoonsgegevens.")
    if field not in RECTIFIABLE:
        raise ValidationFailed("Dit veld kan niet worden gecorrigeerd.", field_errors={"field": ["Onbekend veld."]})
    if not reason.strip():
        raise ValidationFailed("Geef de reden van de correctie.", field_errors={"reason": ["Vul een reden in."]})
    old = getattr(person, field)
    with transaction.atomic():
        setattr(person, field, new_value)
        update = [field]
        if field in ("first_names", "prefix", "last_name", "birth_last_name"):
            update += _refresh_keys(person)
        person.save(update_fields=update)
        rect = PersonRectification.objects.create(
            person=person,
            field=field,
            old_value="" if old is None else str(old),
            new_value="" if new_value is None else str(new_value),
            reason=reason.strip(),
            by=actor,
            at=timezone.now(),
        )
        audit(
            actor=actor,
            event=PrivacyEvent.PERSON_RECTIFY,
            person_id=person.pk,
            details={"field": field, "rectification": rect.pk},
        )
    return rect


def _refresh_keys(person: Person) -> list[str]:
    """Recompute the matching keys after a name changes (the matcher blocks on them)."""
    from tafel.persons.services import PersonData, build_person

    data = PersonData(
        first_names=person.first_names,
        prefix=person.prefix,
        last_name=person.last_name,
        birth_last_name=person.birth_last_name,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
    )
    fresh = build_person(data, organisation_id=person.created_by_org_id)
    names = ["norm_first", "norm_last", "norm_birth_last", "phon_first", "phon_last", "phon_birth_last"]
    for name in names:
        setattr(person, name, getattr(fresh, name))
    return names


def person_restrict(*, actor, person: Person, restricted: bool, reason: str) -> Person:
    """AVG art. 18: while restricted, only the FG and the procesregisseur see the person's data."""
    if not may_act_as_fg(actor):
        raise AccessDenied("Alleen de FG beperkt de verwerking.")
    if not reason.strip():
        raise ValidationFailed("Geef de reden.", field_errors={"reason": ["Vul een reden in."]})
    with transaction.atomic():
        person.processing_restricted = restricted
        person.save(update_fields=["processing_restricted"])
        decision = PersonRestrictionDecision.objects.create(
            person=person, restricted=restricted, reason=reason.strip(), by=actor, at=timezone.now()
        )
        audit(
            actor=actor,
            event=PrivacyEvent.PERSON_RESTRICT if restricted else PrivacyEvent.PERSON_UNRESTRICT,
            person_id=person.pk,
            details={"decision": decision.pk},
        )
    return person
