"""The wire protocol between a house and the federation hub (docs/federation.md), shared by both sides.

Pure Python (no Django import), so the hub, a deployment apart from any house, imports it without the house's
settings. Every request is signed with a secret that one house shares with the hub (HMAC-SHA256 over method,
path, time, a single-use nonce and the body's digest); every response is signed over the request's nonce and
the response body's digest, so neither side acts on a message that an outsider made, changed or replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

HEADER_KEY_ID = "X-Tafel-Key-Id"
HEADER_TIMESTAMP = "X-Tafel-Timestamp"
HEADER_NONCE = "X-Tafel-Nonce"
HEADER_SIGNATURE = "X-Tafel-Signature"
# A signed request older or newer than this is refused (clock skew plus transit); nonces are kept this long.
MAX_SKEW_SECONDS = 300
# The key id the hub signs with when it asks a house.
HUB_KEY_ID = "hub"


class SignatureInvalid(ValueError):
    """A request or response whose signature, time or nonce does not hold. The message is a code."""


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _request_message(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return "\n".join(("tafel-federation-v1", method.upper(), path, timestamp, nonce, _digest(body))).encode()


def sign_request(*, secret: str, key_id: str, method: str, path: str, body: bytes, now: float | None = None) -> dict:
    """The headers that make a request verifiable by the holder of `secret`."""
    timestamp = str(int(now if now is not None else time.time()))
    nonce = secrets.token_hex(16)
    signature = hmac.new(
        secret.encode(), _request_message(method, path, timestamp, nonce, body), hashlib.sha256
    ).hexdigest()
    return {HEADER_KEY_ID: key_id, HEADER_TIMESTAMP: timestamp, HEADER_NONCE: nonce, HEADER_SIGNATURE: signature}


def verify_request(
    *, secret: str, method: str, path: str, body: bytes, headers: dict, now: float | None = None
) -> tuple[str, str]:
    """Check a request's signature and time. Returns (key id, nonce); the caller must refuse a nonce it has
    seen before within MAX_SKEW_SECONDS (replay)."""
    timestamp = headers.get(HEADER_TIMESTAMP, "")
    nonce = headers.get(HEADER_NONCE, "")
    signature = headers.get(HEADER_SIGNATURE, "")
    if not (timestamp.isdigit() and 16 <= len(nonce) <= 64 and nonce.isalnum() and signature):
        raise SignatureInvalid("signature_missing")
    if abs(int(timestamp) - (now if now is not None else time.time())) > MAX_SKEW_SECONDS:
        raise SignatureInvalid("signature_expired")
    expected = hmac.new(
        secret.encode(), _request_message(method, path, timestamp, nonce, body), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise SignatureInvalid("signature_invalid")
    return headers.get(HEADER_KEY_ID, ""), nonce


def sign_response(*, secret: str, request_nonce: str, body: bytes) -> str:
    message = "\n".join(("tafel-federation-v1-response", request_nonce, _digest(body))).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_response(*, secret: str, request_nonce: str, body: bytes, signature: str) -> None:
    if not signature or not hmac.compare_digest(
        sign_response(secret=secret, request_nonce=request_nonce, body=body), signature
    ):
        raise SignatureInvalid("response_signature_invalid")


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient of two Bloom filters of equal length: 2|A∩B| / (|A| + |B|) over their set bits."""
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    total = x.bit_count() + y.bit_count()
    return 2.0 * (x & y).bit_count() / total if total else 0.0
