"""CWYS: canonical transaction data and the codes bound to it."""

import hashlib

import pytest

from watchword.otp.cwys import (
    TransactionDataError,
    canonical_bytes,
    data_hash,
    delivered_code,
    ocra_challenge,
    parse_qr_payload,
    qr_payload,
    validate_data,
)
from watchword.otp.errors import OTPError, ParameterError
from watchword.otp.ocra import OCRASuite, ocra

SEED = b"12345678901234567890"
NONCE = bytes(range(16))
OTHER_NONCE = bytes(range(1, 17))
DATA = {"amount": "100.50", "currency": "EUR", "payee": "UA213223130000026007233566001"}
QN08 = OCRASuite.parse("OCRA-1:HOTP-SHA256-8:QN08")
QH64 = OCRASuite.parse("OCRA-1:HOTP-SHA256-8:QH64")
QA20 = OCRASuite.parse("OCRA-1:HOTP-SHA256-8:QA20")


def changed(**fields: str) -> dict:
    return {**DATA, **fields}


ALTERED = [
    pytest.param(changed(amount="100.51"), id="one-cent"),
    pytest.param(changed(payee="UA213223130000026007233566002"), id="payee-one-char"),
    pytest.param(changed(currency="USD"), id="currency"),
    pytest.param({**DATA, "note": "x"}, id="extra-field"),
]


def test_canonical_form_is_rfc8785_sorted_compact_json() -> None:
    assert canonical_bytes({"payee": "Ä", "amount": "1.00", "n": 7}) == (
        b'{"amount":"1.00","n":7,"payee":"\xc3\x84"}'
    )


def test_key_order_does_not_matter() -> None:
    reordered = dict(reversed(list(DATA.items())))
    assert canonical_bytes(reordered) == canonical_bytes(DATA)
    assert data_hash(reordered) == data_hash(DATA)


def test_data_hash_is_sha256_of_the_canonical_form() -> None:
    assert data_hash(DATA) == hashlib.sha256(canonical_bytes(DATA)).digest()


@pytest.mark.parametrize("other", ALTERED)
def test_any_change_of_the_data_changes_the_hash(other: dict) -> None:
    assert data_hash(other) != data_hash(DATA)


@pytest.mark.parametrize("other", ALTERED)
@pytest.mark.parametrize("suite", [QN08, QH64, QA20], ids=["QN08", "QH64", "QA20"])
def test_any_change_of_the_data_changes_the_challenge(other: dict, suite: OCRASuite) -> None:
    assert ocra_challenge(SEED, data_hash(other), NONCE, suite) != ocra_challenge(
        SEED, data_hash(DATA), NONCE, suite
    )


@pytest.mark.parametrize("other", ALTERED)
def test_any_change_of_the_data_changes_the_ocra_response(other: dict) -> None:
    def response(data: dict) -> str:
        return ocra(QN08, SEED, question=ocra_challenge(SEED, data_hash(data), NONCE, QN08))

    assert response(other) != response(DATA)


@pytest.mark.parametrize("other", ALTERED)
def test_any_change_of_the_data_changes_the_delivered_code(other: dict) -> None:
    assert delivered_code(SEED, data_hash(other), NONCE, 6) != delivered_code(
        SEED, data_hash(DATA), NONCE, 6
    )


def test_two_nonces_give_two_challenges() -> None:
    digest = data_hash(DATA)
    assert ocra_challenge(SEED, digest, NONCE, QN08) != ocra_challenge(
        SEED, digest, OTHER_NONCE, QN08
    )


def test_two_nonces_give_two_delivered_codes() -> None:
    digest = data_hash(DATA)
    assert delivered_code(SEED, digest, NONCE, 8) != delivered_code(SEED, digest, OTHER_NONCE, 8)


def test_challenge_depends_on_the_key() -> None:
    digest = data_hash(DATA)
    assert ocra_challenge(SEED, digest, NONCE, QH64) != ocra_challenge(
        b"another key", digest, NONCE, QH64
    )


def test_challenge_is_deterministic() -> None:
    digest = data_hash(DATA)
    assert ocra_challenge(SEED, digest, NONCE, QN08) == ocra_challenge(SEED, digest, NONCE, QN08)


@pytest.mark.parametrize(
    ("suite", "alphabet"),
    [
        ("OCRA-1:HOTP-SHA1-6:QN08", "0123456789"),
        ("OCRA-1:HOTP-SHA1-6:QN64", "0123456789"),
        ("OCRA-1:HOTP-SHA1-6:QH64", "0123456789ABCDEF"),
        ("OCRA-1:HOTP-SHA1-6:QH07", "0123456789ABCDEF"),
        ("OCRA-1:HOTP-SHA1-6:QA64", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        ("OCRA-1:HOTP-SHA1-6:QA04", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    ],
)
def test_challenge_fills_the_suite_format_and_length(suite: str, alphabet: str) -> None:
    parsed = OCRASuite.parse(suite)
    challenge = ocra_challenge(SEED, data_hash(DATA), NONCE, parsed)
    assert len(challenge) == parsed.question_length
    assert set(challenge) <= set(alphabet)
    parsed.check_question(challenge)


def test_numeric_challenges_spread_over_all_digits() -> None:
    seen = {
        ocra_challenge(SEED, data_hash(DATA), i.to_bytes(16, "big"), QN08)[0] for i in range(200)
    }
    assert seen == set("0123456789")


def test_delivered_code_has_the_requested_digits() -> None:
    code = delivered_code(SEED, data_hash(DATA), NONCE, 8)
    assert len(code) == 8
    assert code.isdigit()


@pytest.mark.parametrize("digits", [5, 11])
def test_delivered_code_refuses_digits_outside_6_to_10(digits: int) -> None:
    with pytest.raises(ParameterError, match="digits"):
        delivered_code(SEED, data_hash(DATA), NONCE, digits)


def test_short_nonce_is_refused() -> None:
    with pytest.raises(ParameterError, match="nonce"):
        ocra_challenge(SEED, data_hash(DATA), b"short", QN08)


def test_data_hash_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(ParameterError, match="32-byte"):
        delivered_code(SEED, b"\x00" * 20, NONCE, 6)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"amount": 100.5}, "amount", "floats"),
        ({"fee": 0.5}, "fee", "floats"),
        ({"payee": {"iban": "UA21"}}, "payee", "nesting"),
        ({"payees": ["a", "b"]}, "payees", "nesting"),
        ({"urgent": True}, "urgent", "booleans"),
        ({"memo": None}, "memo", "null"),
        ({"n": 2**53}, "n", "2\\^53"),
        ({"amount": "1e5"}, "amount", "decimal string"),
        ({"amount": "-10.00"}, "amount", "decimal string"),
        ({"amount": "010.00"}, "amount", "decimal string"),
        ({"amount": 100}, "amount", "decimal string"),
        ({"payee": "Bob\u202eliaM"}, "payee", "U\\+202E"),
        ({"payee": "Bob\nEve"}, "payee", "U\\+000A"),
        ({"payee": "x" * 257}, "payee", "longer"),
        ({"": "x"}, "", "field names"),
    ],
)
def test_unsignable_values_are_refused_naming_the_field(
    data: dict, field: str, message: str
) -> None:
    with pytest.raises(TransactionDataError, match=message) as caught:
        validate_data(data)
    assert caught.value.field == field


def test_missing_required_key_is_refused_by_name() -> None:
    with pytest.raises(TransactionDataError, match="'payee' is missing") as caught:
        validate_data({"amount": "1.00"}, ["amount", "payee"])
    assert caught.value.field == "payee"


@pytest.mark.parametrize("data", [[("a", "b")], "text", {}, {str(i): i for i in range(33)}])
def test_data_that_is_not_a_small_flat_object_is_refused(data: object) -> None:
    with pytest.raises(TransactionDataError):
        canonical_bytes(data)


def test_transaction_data_error_is_an_otp_error() -> None:
    assert issubclass(TransactionDataError, OTPError)


def test_valid_data_passes_unchanged() -> None:
    data = {**DATA, "reference": 42, "batch_total": -3}
    assert validate_data(data, ["amount", "payee"]) == data


def test_qr_payload_is_canonical_json_with_data_and_challenge() -> None:
    text = qr_payload("tx-1", DATA, "12345678", nonce=NONCE)
    assert text == (
        '{"cwys":1,"data":{"amount":"100.50","currency":"EUR",'
        '"payee":"UA213223130000026007233566001"},"n":"AAECAwQFBgcICQoLDA0ODw",'
        '"q":"12345678","tx":"tx-1"}'
    )


def test_qr_payload_round_trips() -> None:
    parsed = parse_qr_payload(qr_payload("tx-1", DATA, "ABCDEF", nonce=NONCE))
    assert (parsed.transaction_id, parsed.data, parsed.challenge, parsed.nonce) == (
        "tx-1",
        DATA,
        "ABCDEF",
        NONCE,
    )


def test_app_can_recheck_the_challenge_from_the_scanned_payload() -> None:
    challenge = ocra_challenge(SEED, data_hash(DATA), NONCE, QH64)
    scanned = parse_qr_payload(qr_payload("tx-1", DATA, challenge, nonce=NONCE))
    assert scanned.nonce is not None
    assert ocra_challenge(SEED, data_hash(scanned.data), scanned.nonce, QH64) == scanned.challenge


def test_qr_payload_without_nonce_omits_it() -> None:
    assert parse_qr_payload(qr_payload("tx-1", DATA, "1234")).nonce is None


def test_qr_payload_too_large_for_a_qr_code_is_refused() -> None:
    big = {f"field{i}": "x" * 256 for i in range(10)}
    with pytest.raises(TransactionDataError, match="QR payload"):
        qr_payload("tx-1", big, "1234")


@pytest.mark.parametrize(
    "text", ["not json", "[]", '{"cwys":2}', '{"cwys":1,"tx":1,"q":"1","data":{"a":"b"}}']
)
def test_foreign_qr_payloads_are_refused(text: str) -> None:
    with pytest.raises(TransactionDataError):
        parse_qr_payload(text)
