"""Input and output schemas of the evaluations API (/api/v1/evaluations). Shapes only; rules stay in services."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from tafel.api.schemas import Id, In

Version = Annotated[
    int, Field(ge=1, le=2**31 - 1, description="De versie die u las (voor 409 bij gelijktijdig wijzigen).")
]
Text = Annotated[str, Field(max_length=5000)]


class Ref(Schema):
    id: int
    name: str


class EvaluationCreateIn(In):
    title: str = Field("", max_length=200, description="Leeg: ‘Casusevaluatie <kenmerk>’.")
    moment_keys: list[Annotated[str, Field(max_length=80)]] | None = Field(
        None,
        max_length=500,
        description=(
            "Sleutels van momenten uit GET …/cases/{case_id}/candidates; weglaten neemt de belangrijke gebeurtenissen."
        ),
    )


class EvaluationUpdateIn(In):
    title: str = Field(..., max_length=200)
    version: Version


class VersionIn(In):
    version: Version


class ReopenIn(In):
    version: Version
    reason: str = Field(..., max_length=2000)


class MomentIn(In):
    date: datetime.date
    description: str = Field(..., max_length=300)
    went_well: Text = ""
    went_wrong: Text = ""
    risky_decisions: Text = ""


class MomentUpdateIn(In):
    version: Version
    went_well: Text = ""
    went_wrong: Text = ""
    risky_decisions: Text = ""


class LessonIn(In):
    text: str = Field(..., max_length=2000)


class LessonUpdateIn(LessonIn):
    version: Version


class ImprovementActionIn(In):
    text: str = Field(..., max_length=1000)
    owner_id: Id
    due_date: datetime.date


class ImprovementActionUpdateIn(In):
    version: Version
    status: Literal["open", "done"] | None = None
    result: str = Field("", max_length=2000)
    done_on: datetime.date | None = None
    text: str | None = Field(
        None, max_length=1000, description="Alleen de procesregisseur wijzigt tekst, eigenaar en termijn."
    )
    owner_id: Id | None = None
    due_date: datetime.date | None = None


class CandidateOut(Schema):
    key: str
    at: datetime.datetime
    kind: str
    description: str
    preselected: bool


class MomentOut(Schema):
    id: int
    at: datetime.datetime
    kind: str
    description: str
    went_well: str
    went_wrong: str
    risky_decisions: str
    version: int


class ImprovementActionOut(Schema):
    id: int
    evaluation_id: int
    lesson_id: int
    case_reference: str
    text: str
    owner: Ref
    owner_organisation: Ref
    due_date: datetime.date
    status: str
    done_on: datetime.date | None
    result: str
    overdue: bool
    version: int


class LessonOut(Schema):
    id: int
    text: str
    version: int
    actions: list[ImprovementActionOut]


class ParticipantOut(Schema):
    organisation: Ref
    function: str


class EvaluationSummaryOut(Schema):
    id: int
    case_id: int
    case_reference: str
    title: str
    status: str = Field(description="concept of afgerond.")
    created_at: datetime.datetime
    finalised_at: datetime.datetime | None
    version: int


class EvaluationOut(EvaluationSummaryOut):
    roles: list[str] = Field(description="De rollen waarmee personen in de evaluatie worden genoemd.")
    moments: list[MomentOut]
    lessons: list[LessonOut]
    participants: list[ParticipantOut]
    interviews: int


class ImprovementActionListOut(Schema):
    count: int
    items: list[ImprovementActionOut]
