"""Time-based tokens (RFC 6238): one step either side of the learned drift."""

from typing import ClassVar

from watchword.kinds.base import NO_MATCH, CodeCheck, TokenState, register
from watchword.otp.compare import codes_equal
from watchword.otp.totp import TOTP

WINDOW = 1
RESYNC_WINDOW = 1000


class TOTPKind:
    name: ClassVar[str] = "totp"
    has_seed: ClassVar[bool] = True
    delivered: ClassVar[bool] = False

    def check(self, state: TokenState, secret: bytes, otp: str, unix_time: float) -> CodeCheck:
        gen = TOTP(secret, state.digits, state.algorithm, state.period)
        now_step = gen.step(unix_time)
        centre = now_step + state.drift
        matched: int | None = None
        for step in range(centre - WINDOW, centre + WINDOW + 1):
            if codes_equal(gen.at_step(step), otp) and matched is None:
                matched = step
        if matched is None:
            return NO_MATCH
        if matched < state.counter:
            return CodeCheck(matched=False, replayed=True)
        return CodeCheck(matched=True, counter=matched, drift=matched - now_step)

    def resync(
        self, state: TokenState, secret: bytes, otp1: str, otp2: str, unix_time: float
    ) -> CodeCheck:
        gen = TOTP(secret, state.digits, state.algorithm, state.period)
        now_step = gen.step(unix_time)
        start = max(state.counter, now_step - RESYNC_WINDOW)
        previous = gen.at_step(start)
        for step in range(start + 1, now_step + RESYNC_WINDOW + 1):
            current = gen.at_step(step)
            if codes_equal(previous, otp1) and codes_equal(current, otp2):
                return CodeCheck(matched=True, counter=step, drift=step - now_step)
            previous = current
        return NO_MATCH


register(TOTPKind())
