"""Reads for the federation: who may be published, and the dat-informatie about a published person.

One rule, in one place, for both publication and answering: a person is published while in an open case, a
case under follow-up (volgen op afstand) or a case closed less than TAFEL_FEDERATION_CLOSED_MONTHS ago, and
never while under restriction of processing (AVG art. 18) or when the house opted out. Answering applies the
same rule again at the moment of the question, so a person restricted after the last publication is not
disclosed even while the hub still holds a token."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tafel.cases.models import FOLLOW_UP_STATUSES, OPEN_STATUSES, CasePerson, CaseStatus
from tafel.core import crypto
from tafel.persons import matching
from tafel.persons.models import Person
from tafel.privacy.services.retention import add_months

# Closed statuses whose persons stay known for the period: the house worked with them. A melding that was not
# accepted (niet geaccepteerd) is no involvement of the house.
CLOSED_INVOLVEMENT = frozenset({CaseStatus.AFGESLOTEN, CaseStatus.LOKAAL, CaseStatus.RIEC})

KIND_OPEN = "open"
KIND_FOLLOW_UP = "volgen"
KIND_CLOSED = "gesloten"
KIND_LABELS = {
    KIND_OPEN: _("lopende casus"),
    KIND_FOLLOW_UP: _("volgen op afstand"),
    KIND_CLOSED: _("afgesloten casus (binnen de termijn)"),
}
_KIND_RANK = {KIND_OPEN: 0, KIND_FOLLOW_UP: 1, KIND_CLOSED: 2}


def _involving(now: datetime.datetime) -> Q:
    cutoff = add_months(now, -settings.TAFEL_FEDERATION_CLOSED_MONTHS)
    return Q(case__status__in=[*OPEN_STATUSES, *FOLLOW_UP_STATUSES]) | Q(
        case__status__in=list(CLOSED_INVOLVEMENT), case__closed_at__gte=cutoff
    )


def publishing_allowed() -> bool:
    return bool(settings.TAFEL_FEDERATION_HUB_URL) and settings.TAFEL_FEDERATION_PUBLISH


TOKEN_FIELDS = ("id", "first_names", "prefix", "last_name", "birth_last_name", "date_of_birth", "bsn_encrypted")


def publishable_persons(*, now: datetime.datetime | None = None):
    """The persons to publish now, with the fields their tokens are made of (a subquery, not a list of ids:
    a house publishes a hundred thousand persons)."""
    if not publishing_allowed():
        return Person.objects.none()
    now = now or timezone.now()
    linked = CasePerson.objects.filter(_involving(now)).values("person_id")
    return Person.objects.filter(pk__in=linked, processing_restricted=False).only(*TOKEN_FIELDS).order_by("pk")


def name_parts(person: Person) -> matching.NameParts:
    return matching.NameParts(
        first_names=person.first_names,
        prefix=person.prefix,
        last_name=person.last_name,
        birth_last_name=person.birth_last_name,
        date_of_birth=person.date_of_birth,
        bsn=person.bsn,
    )


def name_parts_from_values(values: tuple) -> matching.NameParts:
    """NameParts from one row of `values_list(*TOKEN_FIELDS)` (the BSN decrypted here)."""
    _, first_names, prefix, last_name, birth_last_name, date_of_birth, bsn_encrypted = values
    return matching.NameParts(
        first_names=first_names,
        prefix=prefix,
        last_name=last_name,
        birth_last_name=birth_last_name,
        date_of_birth=date_of_birth,
        bsn=crypto.decrypt(bsn_encrypted) if bsn_encrypted else "",
    )


def persons_for_tokens(person_ids) -> list[Person]:
    """A batch of persons (at most a publication batch) with the fields their tokens are made of."""
    return list(Person.objects.filter(pk__in=list(person_ids)).only(*TOKEN_FIELDS))


@dataclass(frozen=True)
class Involvement:
    """Dat-informatie about one person: the kind of involvement, since when, and whom to call."""

    person_id: int
    kind: str
    since: datetime.date
    contact_name: str
    contact_phone: str
    contact_organisation: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def involvements(person_ids, *, now: datetime.datetime | None = None) -> dict[int, Involvement]:
    """The strongest current involvement per person (open before follow-up before closed; then the latest),
    for persons that may be disclosed now. Restricted persons and an opted-out house yield nothing."""
    if not publishing_allowed():
        return {}
    now = now or timezone.now()
    links = (
        CasePerson.objects.filter(_involving(now), person_id__in=list(person_ids), person__processing_restricted=False)
        .select_related("case__procesregisseur__organisation")
        .only(
            "person_id",
            "case__status",
            "case__created_at",
            "case__status_changed_at",
            "case__closed_at",
            "case__procesregisseur__first_name",
            "case__procesregisseur__last_name",
            "case__procesregisseur__username",
            "case__procesregisseur__phone",
            "case__procesregisseur__organisation__name",
        )
    )
    best: dict[int, tuple[tuple, Involvement]] = {}
    for link in links:
        case = link.case
        if case.status in OPEN_STATUSES:
            kind, since = KIND_OPEN, case.created_at
        elif case.status in FOLLOW_UP_STATUSES:
            kind, since = KIND_FOLLOW_UP, case.status_changed_at
        else:
            kind, since = KIND_CLOSED, case.closed_at
        regisseur = case.procesregisseur
        involvement = Involvement(
            person_id=link.person_id,
            kind=kind,
            since=timezone.localdate(since),
            contact_name=(regisseur.get_full_name() or regisseur.username) if regisseur else settings.TAFEL_HOUSE_NAME,
            contact_phone=(
                regisseur.phone if regisseur and regisseur.phone else settings.TAFEL_FEDERATION_CONTACT_PHONE
            ),
            contact_organisation=(
                regisseur.organisation.name if regisseur and regisseur.organisation else settings.TAFEL_HOUSE_NAME
            ),
        )
        rank = (_KIND_RANK[kind], -since.timestamp())
        if link.person_id not in best or rank < best[link.person_id][0]:
            best[link.person_id] = (rank, involvement)
    return {pid: inv for pid, (_, inv) in best.items()}
