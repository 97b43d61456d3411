"""Event-based tokens (RFC 4226) with a look-ahead window."""

from typing import ClassVar

from watchword.kinds.base import NO_MATCH, CodeCheck, TokenState, register
from watchword.otp.compare import codes_equal
from watchword.otp.hotp import HOTP

LOOK_AHEAD = 10
# How far behind the counter we look to tell "replayed" from "wrong".
LOOK_BEHIND = 3
RESYNC_WINDOW = 1000


class HOTPKind:
    name: ClassVar[str] = "hotp"
    has_seed: ClassVar[bool] = True
    delivered: ClassVar[bool] = False

    def check(self, state: TokenState, secret: bytes, otp: str, unix_time: float) -> CodeCheck:
        gen = HOTP(secret, state.digits, state.algorithm)
        found: CodeCheck = NO_MATCH
        # Every candidate is computed and compared, so timing does not reveal the offset.
        for counter in range(state.counter, state.counter + LOOK_AHEAD + 1):
            if codes_equal(gen.at(counter), otp) and not found.matched:
                found = CodeCheck(matched=True, counter=counter)
        if found.matched:
            return found
        for counter in range(max(0, state.counter - LOOK_BEHIND), state.counter):
            if codes_equal(gen.at(counter), otp):
                return CodeCheck(matched=False, replayed=True)
        return NO_MATCH

    def resync(
        self, state: TokenState, secret: bytes, otp1: str, otp2: str, unix_time: float
    ) -> CodeCheck:
        gen = HOTP(secret, state.digits, state.algorithm)
        previous = gen.at(state.counter)
        for counter in range(state.counter + 1, state.counter + RESYNC_WINDOW + 1):
            current = gen.at(counter)
            if codes_equal(previous, otp1) and codes_equal(current, otp2):
                return CodeCheck(matched=True, counter=counter)
            previous = current
        return NO_MATCH


register(HOTPKind())
