"""The worked example of docs/cwys.md, so the document stays true."""

import pytest

from watchword.otp.cwys import (
    canonical_bytes,
    data_hash,
    delivered_code,
    keypad_challenge,
    ocra_challenge,
)
from watchword.otp.ocra import OCRASuite, ocra

DATA = {"payee": "UA213223130000026007233566001", "amount": "100.50", "currency": "EUR"}
SEED = b"12345678901234567890"
NONCE = bytes(range(16))


def test_example_canonical_form_and_hash() -> None:
    assert canonical_bytes(DATA) == (
        b'{"amount":"100.50","currency":"EUR","payee":"UA213223130000026007233566001"}'
    )
    assert data_hash(DATA).hex() == (
        "74d781a1bf785598e6019c0cddd8b70ad1042315e4e4021c167b243b2590b718"
    )


@pytest.mark.parametrize(
    ("suite", "challenge", "response"),
    [
        ("OCRA-1:HOTP-SHA1-6:QN08", "50348109", "918053"),
        (
            "OCRA-1:HOTP-SHA256-8:QH64",
            "AF92B5D6009068C56C5B429C7CEDE5AD7C69444DDDABD747743E660D074844A5",
            "73351941",
        ),
        ("OCRA-1:HOTP-SHA1-6:QA10", "4XS51Z9F4N", "638630"),
    ],
)
def test_example_app_challenge_and_response(suite: str, challenge: str, response: str) -> None:
    parsed = OCRASuite.parse(suite)
    assert ocra_challenge(SEED, data_hash(DATA), NONCE, parsed) == challenge
    assert ocra(parsed, SEED, question=challenge) == response


def test_example_keypad_challenge_and_response() -> None:
    suite = OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QN10")
    assert keypad_challenge(DATA, "{payee:last4}{amount}", suite) == "600110050"
    assert ocra(suite, SEED, question="600110050") == "617344"


def test_example_delivered_code() -> None:
    assert delivered_code(SEED, data_hash(DATA), NONCE, 6) == "534865"
