"""CWYS keypad challenges: digits the user can see in the data."""

import pytest

from watchword.otp.cwys import TransactionDataError, keypad_challenge
from watchword.otp.errors import ParameterError
from watchword.otp.ocra import OCRASuite

DATA = {"amount": "100.50", "currency": "EUR", "payee": "UA21 3223 1300 0002 6007 2335 7711"}
QN10 = OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QN10")


def test_last_digits_of_payee_and_digits_of_amount() -> None:
    assert keypad_challenge(DATA, "{payee:last4}{amount:digits}", QN10) == "771110050"


def test_bare_field_means_all_its_digits() -> None:
    assert keypad_challenge(DATA, "{amount}", QN10) == "10050"


def test_first_digits_and_literal_digits() -> None:
    assert keypad_challenge(DATA, "9{payee:first3}0", QN10) == "92130"


def test_integer_values_give_their_digits() -> None:
    assert keypad_challenge({"reference": 4711}, "{reference:last2}", QN10) == "11"


def test_one_cent_change_changes_the_keypad_challenge() -> None:
    other = {**DATA, "amount": "100.51"}
    template = "{payee:last4}{amount}"
    assert keypad_challenge(other, template, QN10) != keypad_challenge(DATA, template, QN10)


def test_challenge_longer_than_the_suite_is_refused() -> None:
    with pytest.raises(TransactionDataError, match="at most 8"):
        keypad_challenge(DATA, "{payee:last4}{amount}", OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QN08"))


def test_non_numeric_suite_is_refused() -> None:
    with pytest.raises(ParameterError, match="QN"):
        keypad_challenge(DATA, "{amount}", OCRASuite.parse("OCRA-1:HOTP-SHA1-6:QA08"))


def test_missing_field_is_named() -> None:
    with pytest.raises(TransactionDataError, match="'iban'") as caught:
        keypad_challenge(DATA, "{iban:last4}", QN10)
    assert caught.value.field == "iban"


def test_field_with_too_few_digits_is_refused() -> None:
    with pytest.raises(TransactionDataError, match="'currency' has 0 digits"):
        keypad_challenge(DATA, "{currency}", QN10)
    with pytest.raises(TransactionDataError, match="wants 6"):
        keypad_challenge(DATA, "{amount:last6}", QN10)


@pytest.mark.parametrize(
    "template",
    ["", "{amount", "{amount:cents}", "{amount:last}", "{amount:last0}", "x{amount}", "{}"],
)
def test_malformed_templates_are_refused(template: str) -> None:
    with pytest.raises(ParameterError, match="keypad template"):
        keypad_challenge(DATA, template, QN10)


def test_invalid_data_is_refused_before_the_template_runs() -> None:
    with pytest.raises(TransactionDataError, match="floats"):
        keypad_challenge({"amount": 1.5}, "{amount}", QN10)
