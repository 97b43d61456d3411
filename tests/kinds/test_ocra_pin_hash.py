"""OCRAKind.check_response takes the PIN as the store keeps it: its hash."""

from watchword.kinds import OCRAKind, TokenState
from watchword.otp.ocra import OCRASuite, hash_pin, ocra

SUITE = "OCRA-1:HOTP-SHA1-6:QN08-PSHA1"
KEY = b"12345678901234567890"
STATE = TokenState(6, "SHA1", 0, 0, 0, SUITE)


def test_the_pin_hash_checks_like_the_pin() -> None:
    otp = ocra(SUITE, KEY, question="12345678", pin="1234")
    pin_hash = hash_pin(OCRASuite.parse(SUITE), "1234")
    found = OCRAKind().check_response(
        STATE, KEY, otp, question="12345678", unix_time=0, pin_hash=pin_hash
    )
    assert found.matched


def test_the_hash_of_another_pin_does_not_match() -> None:
    otp = ocra(SUITE, KEY, question="12345678", pin="1234")
    other = hash_pin(OCRASuite.parse(SUITE), "4321")
    found = OCRAKind().check_response(
        STATE, KEY, otp, question="12345678", unix_time=0, pin_hash=other
    )
    assert not found.matched
