"""Beheer screens in Tafel's own pages (issue 12, item 8c): what a functioneel beheerder configures weekly,
edited like everything else (Dutch, field errors, audited, a version check), not in the Django admin.

Stored in the database and edited here: overleg types (SPEC §4.1), intervention types (the catalogue of
measures) and municipalities with their maximum caseload (triage routing reason g). Code constants, changed
with a release and not here: the triage criteria and their texts (`cases.Criterion`), the action types
(`meetings.ActionType`, from 002 Table 3.2) and the leefgebieden (keys of `Aanmelding.life_domains`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from tafel.access.audit_events import AccessEvent
from tafel.access.policy import may_use_admin
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, ConcurrentEdit, NotFound, ValidationFailed


@dataclass(frozen=True)
class Catalogue:
    kind: str
    title: str
    explanation: str
    model_path: str
    fields: tuple[str, ...]
    # Fields fixed once made (a code other records and reports refer to).
    create_only: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_path)


CATALOGUES = {
    c.kind: c
    for c in (
        Catalogue(
            "overlegtypes",
            "Overlegtypes",
            "De soorten overleg die u kunt plannen, met hun standaardinstellingen.",
            "meetings.OverlegType",
            (
                "code",
                "name",
                "purpose",
                "minutes_per_case",
                "max_at_table",
                "clients_invited_by_default",
                "split_om_part",
                "asynchronous",
                "invitation_text",
                "active",
            ),
            create_only=("code",),
            columns=("name", "code", "minutes_per_case", "active"),
        ),
        Catalogue(
            "interventies",
            "Soorten interventies",
            "De maatregelen die partners bij een casus vastleggen.",
            "lifecycle.InterventionType",
            ("code", "name", "track", "active"),
            create_only=("code",),
            columns=("name", "code", "track", "active"),
        ),
        Catalogue(
            "gemeenten",
            "Gemeenten en caseload",
            "De gemeenten van het werkgebied en hoeveel lopende ZVH-casussen het huis per gemeente aanneemt.",
            "organisations.Municipality",
            ("name", "code", "is_centrumgemeente", "max_caseload"),
            columns=("name", "code", "max_caseload", "is_centrumgemeente"),
        ),
    )
}


def require_beheerder(user) -> None:
    if not may_use_admin(user):
        raise NotFound("Deze pagina bestaat niet.")


def catalogue_get(*, user, kind: str) -> Catalogue:
    require_beheerder(user)
    catalogue = CATALOGUES.get(kind)
    if catalogue is None:
        raise NotFound("Deze lijst bestaat niet.")
    return catalogue


def entry_get(*, user, kind: str, entry_id) -> tuple[Catalogue, object]:
    catalogue = catalogue_get(user=user, kind=kind)
    try:
        return catalogue, catalogue.model.objects.get(pk=int(entry_id))
    except (catalogue.model.DoesNotExist, TypeError, ValueError):
        raise NotFound("Deze instelling bestaat niet.") from None


def stamp(instance) -> str:
    """A fingerprint of the stored values: the version check for tables without a version column. A form
    carries the stamp it was loaded with; a save over changed values is refused (optimistic locking)."""
    if instance is None or instance.pk is None:
        return ""
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:16]


def entry_save(*, actor, catalogue: Catalogue, instance=None, data: dict, expected_stamp: str = "") -> object:
    """Add (instance None) or change one entry; validated by the model's own rules, audited with the names of
    the changed fields (never their values: ids and codes only in the audit trail)."""
    if not may_use_admin(actor):
        raise AccessDenied("Alleen de functioneel beheerder wijzigt deze instellingen.")
    model = catalogue.model
    creating = instance is None
    with transaction.atomic():
        if creating:
            instance = model()
        else:
            instance = model.objects.select_for_update().get(pk=instance.pk)
            if expected_stamp != stamp(instance):
                raise ConcurrentEdit("Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw.")
        editable = [f for f in catalogue.fields if creating or f not in catalogue.create_only]
        changed = [f for f in editable if f in data and getattr(instance, f) != data[f]]
        for name in editable:
            if name in data:
                setattr(instance, name, data[name])
        try:
            instance.full_clean()
        except ValidationError as exc:
            raise ValidationFailed(
                "Controleer de gegevens.", field_errors={k: list(v) for k, v in exc.message_dict.items()}
            ) from None
        if creating:
            instance.save()
        elif changed:
            instance.save(update_fields=changed)
        audit(
            actor=actor,
            event=AccessEvent.CONFIG_CHANGE,
            details={"kind": catalogue.kind, "id": instance.pk, "created": creating, "fields": changed},
        )
    return instance
