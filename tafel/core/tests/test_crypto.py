"""BSN handling: the 11-proef, encryption at rest, keyed hash for lookup, masking (SPEC §2)."""

from __future__ import annotations

import pytest

from tafel.core import crypto


@pytest.mark.parametrize(
    "bsn",
    [
        "111222333",
        "999999990",
        "123456782",
        "12345672",  # eight digits: the leading zero was lost in a spreadsheet (012345672)
    ],
)
def test_valid_bsn_passes_elfproef(bsn):
    assert crypto.bsn_is_valid(bsn)


@pytest.mark.parametrize(
    "bsn",
    [
        "123456789",  # weighted sum 147, not divisible by 11
        "111222334",  # one digit off
        "000000000",  # sum zero is not a BSN
        "11122233",  # eight digits, but 011122233 fails
        "1112223330",  # ten digits
        "1234567",  # seven digits
        "",
        "11122233a",
        "111 222 333",  # callers strip separators first
        "11122233²",  # a superscript two is a "digit" to str.isdigit, not to a BSN
        "١١١٢٢٢٣٣٣",  # Arabic-Indic digits
    ],
)
def test_invalid_bsn_fails_elfproef(bsn):
    assert not crypto.bsn_is_valid(bsn)


def test_encrypt_decrypt_roundtrip():
    token = crypto.encrypt("111222333")

    assert token
    assert "111222333" not in token
    assert crypto.decrypt(token) == "111222333"


def test_encryption_is_randomised():
    # Equal BSNs must not give equal ciphertexts (that would let anyone group persons by BSN).
    assert crypto.encrypt("111222333") != crypto.encrypt("111222333")


def test_empty_values_stay_empty():
    assert crypto.encrypt("") == ""
    assert crypto.decrypt("") == ""
    assert crypto.keyed_hash("") == ""
    assert crypto.bsn_mask("") == ""


def test_decrypting_garbage_or_other_key_gives_empty(settings):
    assert crypto.decrypt("geen-geldig-token") == ""
    token = crypto.encrypt("111222333")
    settings.FIELD_ENCRYPTION_KEY = "een-andere-sleutel-voor-deze-test"
    assert crypto.decrypt(token) == ""


def test_field_key_is_used_when_set(settings):
    settings.FIELD_ENCRYPTION_KEY = "veldsleutel-voor-deze-test"
    token = crypto.encrypt("111222333")
    assert crypto.decrypt(token) == "111222333"
    settings.FIELD_ENCRYPTION_KEY = ""
    assert crypto.decrypt(token) == ""


def test_keyed_hash_is_stable_and_distinguishes_values():
    first = crypto.keyed_hash("111222333")

    assert first == crypto.keyed_hash("111222333")
    assert first != crypto.keyed_hash("999999990")
    assert len(first) == 64
    assert "111222333" not in first


def test_keyed_hash_depends_on_the_key(settings):
    before = crypto.keyed_hash("111222333")
    settings.FIELD_ENCRYPTION_KEY = "veldsleutel-voor-deze-test"
    assert crypto.keyed_hash("111222333") != before


def test_keyed_hash_is_not_a_plain_hash():
    import hashlib

    assert crypto.keyed_hash("111222333") != hashlib.sha256(b"111222333").hexdigest()


def test_mask_shows_last_four_digits_only():
    masked = crypto.bsn_mask("111222333")

    assert masked == "*****2333"
    assert "11122" not in masked
