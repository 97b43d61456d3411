"""RFC 6238 Appendix B vectors with the seed length each hash needs (per the errata)."""

import pytest

from watchword.otp.totp import TOTP

SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
APPENDIX_B = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
CASES = [
    (t, alg, code)
    for t, *codes in APPENDIX_B
    for alg, code in zip(("SHA1", "SHA256", "SHA512"), codes, strict=True)
]


@pytest.mark.parametrize(("unix_time", "algorithm", "expected"), CASES)
def test_appendix_b_vector(unix_time: int, algorithm: str, expected: str) -> None:
    assert TOTP(SEEDS[algorithm], digits=8, algorithm=algorithm).at(unix_time) == expected


def test_six_digit_code_is_the_last_six_digits() -> None:
    assert TOTP(SEEDS["SHA1"]).at(59) == "287082"


def test_step_beyond_2038_is_not_truncated() -> None:
    assert TOTP(SEEDS["SHA1"]).step(20000000000) == 0x27BC86AA
