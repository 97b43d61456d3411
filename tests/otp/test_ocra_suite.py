"""OCRA suite parsing, input checking and the enrolment URI."""

from urllib.parse import parse_qs, urlsplit

import pytest

from watchword.otp.errors import ParameterError
from watchword.otp.ocra import OCRASuite, hash_pin, ocra, ocra_key_uri, question_bytes
from watchword.otp.uri import b32decode

KEY = b"12345678901234567890"


def test_parse_reads_every_field_of_a_full_suite() -> None:
    suite = OCRASuite.parse("OCRA-1:HOTP-SHA256-8:C-QH40-PSHA256-S128-T30S")
    assert suite == OCRASuite(
        text="OCRA-1:HOTP-SHA256-8:C-QH40-PSHA256-S128-T30S",
        algorithm="SHA256",
        digits=8,
        counter=True,
        question_format="H",
        question_length=40,
        pin_algorithm="SHA256",
        session_length=128,
        time_step_seconds=30,
    )


def test_parse_of_a_plain_suite_has_no_optional_inputs() -> None:
    suite = OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QN08")
    assert (suite.counter, suite.pin_algorithm, suite.session_length, suite.timed) == (
        False,
        None,
        None,
        False,
    )


@pytest.mark.parametrize(
    ("element", "field", "value"),
    [
        ("QN08-P", "pin_algorithm", "SHA1"),
        ("QN08-S", "session_length", 64),
        ("QN08-T", "time_step_seconds", 60),
        ("Q", "question_length", 8),
        ("QN08-T48H", "time_step_seconds", 48 * 3600),
        ("QN08-T59S", "time_step_seconds", 59),
        ("QN08-T1M", "time_step_seconds", 60),
        ("QA64", "question_length", 64),
        ("QN04", "question_length", 4),
        ("QN08-S512", "session_length", 512),
    ],
)
def test_parse_defaults_and_limits(element: str, field: str, value: object) -> None:
    assert getattr(OCRASuite.parse(f"OCRA-1:HOTP-SHA1-6:{element}"), field) == value


@pytest.mark.parametrize("digits", [0, 4, 5, 9, 10])
def test_parse_accepts_truncation_0_and_4_to_10(digits: int) -> None:
    assert OCRASuite.parse(f"OCRA-1:HOTP-SHA1-{digits}:QN08").digits == digits


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("OCRA-2:HOTP-SHA1-6:QN08", "unsupported algorithm"),
        ("OCRA-1:HOTP-SHA1-6", "three"),
        ("OCRA-1:HOTP-MD5-6:QN08", "crypto function"),
        ("OCRA-1:HOTP-SHA1-3:QN08", "crypto function"),
        ("OCRA-1:HOTP-SHA1-11:QN08", "crypto function"),
        ("OCRA-1:TOTP-SHA1-6:QN08", "crypto function"),
        ("OCRA-1:HOTP-SHA1-6:C", "Q is required"),
        ("OCRA-1:HOTP-SHA1-6:QX08", "unknown data input"),
        ("OCRA-1:HOTP-SHA1-6:QN03", "04..64"),
        ("OCRA-1:HOTP-SHA1-6:QN65", "04..64"),
        ("OCRA-1:HOTP-SHA1-6:QN8", "unknown data input"),
        ("OCRA-1:HOTP-SHA1-6:QN08-PMD5", "unknown data input"),
        ("OCRA-1:HOTP-SHA1-6:QN08-S100", "unknown data input"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T60M", "out of range"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T49H", "out of range"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T0S", "unknown data input"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T1D", "unknown data input"),
        ("OCRA-1:HOTP-SHA1-6:QN08-C", "out of order"),
        ("OCRA-1:HOTP-SHA1-6:QN08-QN08", "repeated"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1", "out of order"),
        ("OCRA-1:HOTP-SHA1-6:QN08-", "unknown data input"),
        ("ocra-1:hotp-sha1-6:qn08", "unsupported algorithm"),
        ("OCRA-1:HOTP-SHA1-6:QN\u0660\u0668", "unknown data input"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T\u0661M", "unknown data input"),
    ],
)
def test_parse_refuses_invalid_suites_saying_why(text: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        OCRASuite.parse(text)


def test_time_step_counts_whole_steps_since_epoch() -> None:
    suite = OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QN08-T30S")
    assert [suite.time_step(t) for t in (0, 29.9, 30, 59, 60)] == [0, 0, 1, 1, 2]


def test_time_step_of_a_suite_without_time_is_an_error() -> None:
    with pytest.raises(ParameterError, match="no time input"):
        OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QN08").time_step(0)


def test_numeric_question_is_hex_of_the_number_right_padded() -> None:
    suite = OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QN08")
    # RFC 6287 section 5.2: 22222222 -> 0x153158E, padded to 153158E0.
    assert question_bytes(suite, "22222222") == bytes.fromhex("153158e0")


def test_hex_question_of_odd_length_is_right_padded() -> None:
    suite = OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QH08")
    assert question_bytes(suite, "ABC") == bytes.fromhex("abc0")


@pytest.mark.parametrize(
    ("suite", "question"),
    [
        ("OCRA-1:HOTP-SHA1-6:QN08", "1234567a"),
        ("OCRA-1:HOTP-SHA1-6:QH08", "12345g"),
        ("OCRA-1:HOTP-SHA1-6:QA08", "abc-def"),
        ("OCRA-1:HOTP-SHA1-6:QA08", "caf\u00e9"),
        ("OCRA-1:HOTP-SHA1-6:QN08", ""),
        ("OCRA-1:HOTP-SHA1-6:QN08", "\uff11\uff12\uff13\uff14"),
    ],
)
def test_question_outside_the_suite_alphabet_is_refused(suite: str, question: str) -> None:
    with pytest.raises(ParameterError, match="question"):
        ocra(suite, KEY, question=question)


def test_check_question_refuses_more_than_the_suite_length() -> None:
    suite = OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QN08")
    suite.check_question("12345678")
    with pytest.raises(ParameterError, match="at most 8"):
        suite.check_question("123456789")


@pytest.mark.parametrize(
    ("suite", "question"),
    [
        ("OCRA-1:HOTP-SHA1-6:QA64", "A" * 129),
        ("OCRA-1:HOTP-SHA1-6:QH64", "F" * 257),
        ("OCRA-1:HOTP-SHA1-6:QN64", "9" * 400),
        ("OCRA-1:HOTP-SHA1-6:QN64", "9" * 100_000),
    ],
)
def test_question_longer_than_the_q_field_is_refused(suite: str, question: str) -> None:
    with pytest.raises(ParameterError, match="128-byte"):
        ocra(suite, KEY, question=question)


@pytest.mark.parametrize(
    ("suite", "inputs", "message"),
    [
        ("OCRA-1:HOTP-SHA1-6:C-QN08", {}, "needs the counter"),
        ("OCRA-1:HOTP-SHA1-6:QN08", {"counter": 1}, "has no counter"),
        ("OCRA-1:HOTP-SHA1-6:C-QN08", {"counter": -1}, "0..2"),
        ("OCRA-1:HOTP-SHA1-6:C-QN08", {"counter": 2**64}, "0..2"),
        ("OCRA-1:HOTP-SHA1-6:QN08-PSHA1", {}, "PIN"),
        ("OCRA-1:HOTP-SHA1-6:QN08-PSHA1", {"pin": "1", "pin_hash": bytes(20)}, "not both"),
        ("OCRA-1:HOTP-SHA1-6:QN08-PSHA256", {"pin_hash": bytes(20)}, "32-byte"),
        ("OCRA-1:HOTP-SHA1-6:QN08", {"pin": "1234"}, "no PIN"),
        ("OCRA-1:HOTP-SHA1-6:QN08-S064", {}, "needs the session"),
        ("OCRA-1:HOTP-SHA1-6:QN08-S064", {"session": bytes(65)}, "allows 64"),
        ("OCRA-1:HOTP-SHA1-6:QN08", {"session": b"x"}, "no session"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T1M", {}, "needs the time step"),
        ("OCRA-1:HOTP-SHA1-6:QN08", {"time_step": 5}, "no time step"),
    ],
)
def test_missing_or_surplus_inputs_are_refused(suite: str, inputs: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        ocra(suite, KEY, question="12345678", **inputs)


def test_empty_key_is_refused() -> None:
    with pytest.raises(ParameterError, match="key"):
        ocra("OCRA-1:HOTP-SHA1-6:QN08", b"", question="12345678")


def test_short_session_is_left_padded_with_zeros() -> None:
    suite = "OCRA-1:HOTP-SHA1-6:QN08-S064"
    assert ocra(suite, KEY, question="1", session=b"\x01\x02") == ocra(
        suite, KEY, question="1", session=bytes(62) + b"\x01\x02"
    )


def test_truncation_zero_gives_the_whole_hmac_in_hex() -> None:
    code = ocra("OCRA-1:HOTP-SHA256-0:QN08", KEY, question="12345678")
    assert len(code) == 64
    assert int(code, 16) >= 0


def test_hash_pin_gives_the_suite_pin_digest() -> None:
    suite = OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QN08-PSHA1")
    assert hash_pin(suite, "1234").hex() == "7110eda4d09e062aa5e4a390b0a572ac0d2c0220"


def test_suite_text_is_its_string_form() -> None:
    assert str(OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QN08")) == "OCRA-1:HOTP-SHA1-6:QN08"


def test_key_uri_carries_secret_issuer_and_literal_suite() -> None:
    uri = ocra_key_uri(
        secret=KEY, issuer="Bank", account="alice@example.org", suite="OCRA-1:HOTP-SHA1-6:QN08"
    )
    assert uri.startswith("otpauth://ocra/Bank:alice@example.org?")
    assert "ocrasuite=OCRA-1:HOTP-SHA1-6:QN08" in uri
    query = parse_qs(urlsplit(uri).query)
    assert b32decode(query["secret"][0]) == KEY
    assert query["issuer"] == ["Bank"]
    assert "counter" not in query


def test_key_uri_of_a_counter_suite_carries_the_counter() -> None:
    uri = ocra_key_uri(
        secret=KEY, issuer="My Bank", account="bob", suite="OCRA-1:HOTP-SHA1-6:C-QN08", counter=5
    )
    assert urlsplit(uri).path == "/My%20Bank:bob"
    assert parse_qs(urlsplit(uri).query)["counter"] == ["5"]


def test_key_uri_refuses_an_invalid_suite() -> None:
    with pytest.raises(ParameterError):
        ocra_key_uri(secret=KEY, issuer="B", account="a", suite="OCRA-1:HOTP-SHA1-6:C")
