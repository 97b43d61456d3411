"""TOTP, RFC 6238: HOTP over the number of time steps since the Unix epoch."""

from dataclasses import dataclass

from watchword.otp.errors import ParameterError
from watchword.otp.hotp import HOTP


@dataclass(frozen=True, slots=True)
class TOTP:
    """A TOTP generator; time is always passed in (Unix seconds), never read."""

    secret: bytes
    digits: int = 6
    algorithm: str = "SHA1"
    period: int = 30
    t0: int = 0

    def __post_init__(self) -> None:
        if self.period <= 0:
            raise ParameterError("period must be positive")

    @property
    def hotp(self) -> HOTP:
        return HOTP(self.secret, self.digits, self.algorithm)

    def step(self, unix_time: float) -> int:
        """The time step T of RFC 6238 section 4 (64-bit safe)."""
        return int((unix_time - self.t0) // self.period)

    def at_step(self, step: int) -> str:
        return self.hotp.at(step)

    def at(self, unix_time: float) -> str:
        return self.at_step(self.step(unix_time))
