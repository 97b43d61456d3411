"""HOTP, RFC 4226: an HMAC-based one-time password over a moving counter."""

import hashlib
import hmac
from dataclasses import dataclass

from watchword.otp.errors import ParameterError

ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def truncate(digest: bytes, digits: int) -> str:
    """Dynamic truncation of RFC 4226 section 5.3, as a zero-padded decimal string."""
    offset = digest[-1] & 0x0F
    binary = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


@dataclass(frozen=True, slots=True)
class HOTP:
    """A HOTP generator for one secret; ``at(counter)`` gives the code."""

    secret: bytes
    digits: int = 6
    algorithm: str = "SHA1"

    def __post_init__(self) -> None:
        if not 6 <= self.digits <= 10:
            raise ParameterError(f"digits must be 6..10, not {self.digits}")
        if self.algorithm not in ALGORITHMS:
            raise ParameterError(f"unsupported algorithm {self.algorithm!r}")
        if not self.secret:
            raise ParameterError("secret must not be empty")

    def at(self, counter: int) -> str:
        if counter < 0:
            raise ParameterError("counter must not be negative")
        digest = hmac.new(self.secret, counter.to_bytes(8, "big"), ALGORITHMS[self.algorithm])
        return truncate(digest.digest(), self.digits)
