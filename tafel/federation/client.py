"""The house's HTTP client for the hub: signed requests, verified answers, a hard deadline.

This is the machine's edge: tests replace `transport` to reach an in-process hub, the process tests use the
real one over loopback."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from tafel.federation import protocol


class HubUnreachable(Exception):
    """The hub did not answer in time, answered with an error, or its answer was not signed by it. The
    message is a code ("timeout", "http_429", "response_signature_invalid", ...)."""


@dataclass(frozen=True)
class RawResponse:
    status: int
    body: bytes
    signature: str


def _urllib_transport(url: str, body: bytes, headers: dict, timeout: float) -> RawResponse:
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 (configured hub URL)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            return RawResponse(resp.status, resp.read(5_000_000), resp.headers.get(protocol.HEADER_SIGNATURE, ""))
    except urllib.error.HTTPError as exc:
        return RawResponse(exc.code, exc.read(100_000), exc.headers.get(protocol.HEADER_SIGNATURE, ""))


# Replaced in tests (an in-process hub); the signature is (url, body, headers, timeout) -> RawResponse.
transport = _urllib_transport


def enabled() -> bool:
    return bool(settings.TAFEL_FEDERATION_HUB_URL)


def call(endpoint: str, payload: dict, *, timeout: float | None = None) -> dict:
    """POST a signed payload to the hub and return its verified JSON answer, or raise HubUnreachable."""
    url = f"{settings.TAFEL_FEDERATION_HUB_URL}/v1/{endpoint}"
    body = json.dumps(payload).encode()
    secret = settings.TAFEL_FEDERATION_HOUSE_SECRET
    headers = protocol.sign_request(
        secret=secret,
        key_id=settings.TAFEL_FEDERATION_HOUSE_CODE,
        method="POST",
        path=urlsplit(url).path,
        body=body,
    )
    timeout = timeout if timeout is not None else settings.TAFEL_FEDERATION_TIMEOUT_MS / 1000
    try:
        raw = transport(url, body, {"Content-Type": "application/json", **headers}, timeout)
    except TimeoutError as exc:
        raise HubUnreachable("timeout") from exc
    except (OSError, ValueError) as exc:
        raise HubUnreachable("connection") from exc
    if raw.status != 200:
        raise HubUnreachable(f"http_{raw.status}")
    try:
        protocol.verify_response(
            secret=secret, request_nonce=headers[protocol.HEADER_NONCE], body=raw.body, signature=raw.signature
        )
        data = json.loads(raw.body)
    except (protocol.SignatureInvalid, ValueError) as exc:
        raise HubUnreachable("invalid_answer") from exc
    if not isinstance(data, dict):
        raise HubUnreachable("invalid_answer")
    return data
