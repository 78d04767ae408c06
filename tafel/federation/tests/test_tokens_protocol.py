"""The pure parts: tokens (exact and fuzzy tier) and the signed protocol."""

import datetime

import pytest

from tafel.federation import protocol, tokens
from tafel.persons.matching import NameParts

KEY = "k" * 40
DOB = datetime.date(1984, 5, 17)


def tok(**kw):
    return tokens.tokens_for(NameParts(**kw), federation_key=KEY)


def test_exact_tokens_agree_however_the_tussenvoegsel_is_typed():
    a = tok(first_names="Anna", prefix="de", last_name="Vries", date_of_birth=DOB)
    b = tok(first_names="Anna", last_name="de Vries", date_of_birth=DOB)
    c = tok(first_names="anna", last_name="Vries, de", date_of_birth=DOB)
    assert a.nd == b.nd == c.nd
    assert a.nd[0] != tok(first_names="Anna", last_name="de Vries", date_of_birth=DOB.replace(day=18)).nd[0]


def test_tokens_hold_no_name_and_depend_on_the_federation_key():
    t = tok(first_names="Anna", last_name="Jansen", date_of_birth=DOB, bsn="111222333")
    wire = str(t.as_wire()).lower()
    assert "jansen" not in wire and "1984" not in wire and "111222333" not in wire
    other = tokens.tokens_for(
        NameParts(last_name="Jansen", date_of_birth=DOB, bsn="111222333"), federation_key="x" * 40
    )
    assert other.bsn != t.bsn and other.nd != t.nd


def test_bsn_with_lost_leading_zero_gives_the_same_token():
    assert tok(bsn="12345672").bsn == tok(bsn="012345672").bsn != ""


def test_question_needs_surname_and_birth_date_or_bsn():
    assert not tokens.query_allowed(NameParts(last_name="Jansen"))
    assert not tokens.query_allowed(NameParts(first_names="Anna", date_of_birth=DOB))
    assert tokens.query_allowed(NameParts(last_name="Jansen", date_of_birth=DOB))
    assert tokens.query_allowed(NameParts(bsn="012345672"))
    assert tok(last_name="Jansen").is_empty


@pytest.mark.parametrize(
    "typed",
    [
        {"first_names": "Anna", "last_name": "Jansen"},  # the same
        {"first_names": "Anna", "last_name": "Janssen"},  # double letter
        {"first_names": "Anna", "last_name": "Jnasen"},  # swapped letters
        {"first_names": "Ana", "last_name": "Jansen"},  # first name typo
        {"first_names": "Anna", "last_name": "Jansne"},
    ],
)
def test_fuzzy_tier_tolerates_a_typo(typed):
    base = tok(first_names="Anna", last_name="Jansen", date_of_birth=DOB)
    other = tok(date_of_birth=DOB, **typed)
    assert set(base.blocks) & set(other.blocks)
    assert protocol.dice(base.clk, other.clk) >= 0.78


@pytest.mark.parametrize(
    "typed",
    [
        {"first_names": "Mohamed", "last_name": "Yilmaz"},
        {"first_names": "Anna", "last_name": "Bakker"},
        {"first_names": "Pieter", "last_name": "Jansen"},  # same surname and birth date, other first name
    ],
)
def test_fuzzy_tier_keeps_other_persons_apart(typed):
    base = tok(first_names="Anna", last_name="Jansen", date_of_birth=DOB)
    assert protocol.dice(base.clk, tok(date_of_birth=DOB, **typed).clk) < 0.78


def test_a_typo_in_the_day_still_meets_in_the_phonetic_block():
    base = tok(first_names="Anna", last_name="Jansen", date_of_birth=DOB)
    other = tok(first_names="Anna", last_name="Jansen", date_of_birth=DOB.replace(day=15))
    assert set(base.blocks) & set(other.blocks)
    assert protocol.dice(base.clk, other.clk) >= 0.78


def test_signed_request_verifies_and_refuses_tampering_and_age():
    body = b'{"a": 1}'
    headers = protocol.sign_request(secret="s" * 40, key_id="zvh-a", method="POST", path="/v1/check", body=body)
    assert (
        protocol.verify_request(secret="s" * 40, method="POST", path="/v1/check", body=body, headers=headers)[0]
        == "zvh-a"
    )
    for kwargs in (
        {"body": b'{"a": 2}'},
        {"path": "/v1/publish"},
        {"secret": "t" * 40},
    ):
        args = {"secret": "s" * 40, "method": "POST", "path": "/v1/check", "body": body, "headers": headers} | kwargs
        with pytest.raises(protocol.SignatureInvalid):
            protocol.verify_request(**args)
    old = protocol.sign_request(secret="s" * 40, key_id="zvh-a", method="POST", path="/", body=body, now=1000)
    with pytest.raises(protocol.SignatureInvalid, match="expired"):
        protocol.verify_request(secret="s" * 40, method="POST", path="/", body=body, headers=old)


def test_response_signature_binds_the_request_nonce():
    sig = protocol.sign_response(secret="s" * 40, request_nonce="n1" * 8, body=b"{}")
    protocol.verify_response(secret="s" * 40, request_nonce="n1" * 8, body=b"{}", signature=sig)
    with pytest.raises(protocol.SignatureInvalid):
        protocol.verify_response(secret="s" * 40, request_nonce="n2" * 8, body=b"{}", signature=sig)
