"""RFC 4226 Appendix D vectors, and agreement with an independent generator."""

import pyotp
import pytest

from watchword.otp.errors import ParameterError
from watchword.otp.hotp import HOTP
from watchword.otp.uri import b32encode

SECRET = b"12345678901234567890"
APPENDIX_D = ["755224", "287082", "359152", "969429", "338314",
              "254676", "287922", "162583", "399871", "520489"]


@pytest.mark.parametrize(("counter", "expected"), list(enumerate(APPENDIX_D)))
def test_appendix_d_vector(counter: int, expected: str) -> None:
    assert HOTP(SECRET).at(counter) == expected


@pytest.mark.parametrize("counter", [0, 1, 99, 2**32 + 5])
@pytest.mark.parametrize("algorithm", ["SHA1", "SHA256", "SHA512"])
def test_codes_match_pyotp(counter: int, algorithm: str) -> None:
    import hashlib

    digest = getattr(hashlib, algorithm.lower())
    ours = HOTP(SECRET * 2, digits=8, algorithm=algorithm).at(counter)
    theirs = pyotp.HOTP(b32encode(SECRET * 2), digits=8, digest=digest).at(counter)
    assert ours == theirs


def test_too_few_digits_is_refused() -> None:
    with pytest.raises(ParameterError):
        HOTP(SECRET, digits=5)


def test_unknown_algorithm_is_refused() -> None:
    with pytest.raises(ParameterError):
        HOTP(SECRET, algorithm="MD5")
