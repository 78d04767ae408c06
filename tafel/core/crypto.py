"""Encryption at rest for identifiers (BSN) and keyed hashes for looking them up without decrypting."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    # Separate derived keys for encryption and for hashing, so one cannot stand in for the other.
    enc = hashlib.sha256(b"tafel-field-encryption:" + secret.encode()).digest()
    mac = hashlib.sha256(b"tafel-field-hmac:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


def _secret() -> str:
    return settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY


def encrypt(value: str) -> str:
    if not value:
        return ""
    fernet, _ = _keys(_secret())
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    fernet, _ = _keys(_secret())
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def keyed_hash(value: str) -> str:
    if not value:
        return ""
    _, mac = _keys(_secret())
    return hmac.new(mac, value.encode(), hashlib.sha256).hexdigest()


def bsn_is_valid(bsn: str) -> bool:
    """The Dutch 11-proef: 9 digits, sum of digit*weight (9..2, last -1) divisible by 11 and not zero."""
    if len(bsn) == 8:
        bsn = "0" + bsn
    # str.isdigit() also accepts "²" and Arabic-Indic digits; a BSN is nine ASCII digits.
    if len(bsn) != 9 or not (bsn.isascii() and bsn.isdigit()):
        return False
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    total = sum(int(d) * w for d, w in zip(bsn, weights, strict=True))
    return total != 0 and total % 11 == 0


def bsn_mask(bsn: str) -> str:
    if not bsn:
        return ""
    return "*****" + bsn[-4:]
