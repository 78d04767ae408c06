"""The shared pieces of the schemas of /api/v1/: the input base, ids, the error body, paging. Each app keeps
its own schemas beside its router (tafel/cases/schemas.py, tafel/meetings/schemas.py, ...).

Inputs mirror the service dataclasses (tafel.cases.services.AanmeldingInput, TriageInput, ...) and only check
shape: types, lengths and choices. The rules (required content, the BSN 11-proef, dates of birth, triage
criteria) stay in the services, so the pages and the API refuse the same things with the same messages.
Lengths follow the database columns, so nothing a client sends can fail at the database.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_ID = 2**63 - 1
# Free text on the aanmeldformulier is long but not unbounded.
LONG_TEXT = 20_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
LongText = Annotated[str, Field(max_length=LONG_TEXT)]


def _check_text(value: Any) -> Any:
    """Refuse NUL characters and lone surrogates anywhere in the input: PostgreSQL cannot store them and
    they are never meant (they come from broken encoders or from fuzzers)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("Tekst mag geen NUL-teken (\\u0000) bevatten.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("Tekst bevat een ongeldig teken (losse surrogate).") from None
    elif isinstance(value, list | tuple):
        for item in value:
            _check_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    return value


class In(BaseModel):
    """Base of every input: unknown fields are refused (a typo must not silently drop a value) and choice
    fields arrive as their plain string values, as the services expect."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    @field_validator("*", mode="after")
    @classmethod
    def _text_is_storable(cls, value: Any) -> Any:
        return _check_text(value)


# --- errors ----------------------------------------------------------------------------------------------


class ProblemError(Schema):
    """One invalid value (Logius proposal for /core/error-handling/bad-request)."""

    in_: Literal["body", "query", "path", "header"] = Field(
        alias="in", description="Waar de fout zit: body, query of path."
    )
    location: str | None = Field(
        None,
        description="Bij de body een JSON Pointer als URI-fragment (`#/persons/0/date_of_birth`), anders de naam "
        "van de parameter. Ontbreekt als de fout de hele body betreft.",
    )
    code: str | None = Field(None, description="Machineleesbare soort fout, bijvoorbeeld `missing`.")
    detail: str = Field(description="Uitleg in het Nederlands.")
    field: str = Field(description="Pad van het veld met punten (Tafel 1.0), bijvoorbeeld `persons.0.date_of_birth`.")


class Problem(Schema):
    """RFC 9457 problem details (`application/problem+json`)."""

    type: str = Field(description="URI van het soort probleem: `urn:tafel:problem:<code>`.")
    title: str = Field(description="Korte, vaste omschrijving van het soort probleem.")
    status: int = Field(description="De HTTP-statuscode.")
    detail: str = Field(description="Uitleg in het Nederlands voor dit geval.")
    code: str = Field(
        description="Machineleesbare code: validation_failed, not_authenticated, invalid_token, "
        "insufficient_scope, csrf_failed, access_denied, not_found, method_not_allowed, transition_not_allowed, "
        "concurrent_edit, caseload_full, payload_too_large, server_error."
    )
    errors: list[ProblemError] | None = Field(
        None, description="Alle ongeldige waarden tegelijk (bij 400, en waar een fout bij een veld hoort)."
    )


ERROR_DESCRIPTIONS = {
    400: "De invoer is ongeldig; `errors` noemt alle ongeldige waarden tegelijk.",
    401: "Niet aangemeld, of het API-token is onbekend, verlopen of ingetrokken.",
    403: "Aangemeld, maar deze handeling mag niet (scope ontbreekt, CSRF-controle mislukt, rol).",
    404: "Bestaat niet, of u heeft er geen toegang toe (die twee zijn bewust niet te onderscheiden).",
    409: "Conflict: de status laat dit niet toe, iemand anders wijzigde de casus, of de caseload is vol.",
    413: "De body is te groot.",
    500: "Interne fout; het antwoord bevat geen details.",
    502: "De externe bron (bijvoorbeeld de BRP) antwoordde niet of niet bruikbaar.",
}


def errors(*codes: int) -> dict[int, type[Problem]]:
    """The problem responses an operation declares. Invalid input is a 400 (API Design Rules); an operation
    written when it was a 422 says 422 and gets 400."""
    return dict.fromkeys((400 if code == 422 else code for code in codes), Problem)


# --- shared pieces ---------------------------------------------------------------------------------------


class PageIn(In):
    limit: int = Field(25, ge=1, le=100, description="Aantal resultaten per pagina (1–100).")
    offset: int = Field(0, ge=0, le=10**9, description="Aantal resultaten dat wordt overgeslagen.")


class Ref(Schema):
    id: int
    name: str
