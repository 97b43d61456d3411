"""OCRA tokens (RFC 6287): the code answers a server challenge.

``state.ocra_suite`` holds the suite text. Counter suites keep their counter in
``state.counter`` and get a look-ahead like HOTP; time suites get one step either
side like TOTP and keep the next acceptable step in ``state.counter``; plain suites
rely on the challenge being single-use. The store applies the returned
``CodeCheck`` with its usual compare-and-set on the counter.
"""

from itertools import product
from typing import ClassVar

from watchword.kinds.base import NO_MATCH, CodeCheck, TokenState, register
from watchword.otp.compare import codes_equal
from watchword.otp.errors import ParameterError
from watchword.otp.ocra import OCRASuite, ocra

LOOK_AHEAD = 10
# How far behind the counter we look to tell "replayed" from "wrong".
LOOK_BEHIND = 3
WINDOW = 1


def suite_of(state: TokenState) -> OCRASuite:
    if not state.ocra_suite:
        raise ParameterError("an OCRA token needs an OCRA suite")
    return OCRASuite.parse(state.ocra_suite)


class OCRAKind:
    name: ClassVar[str] = "ocra"
    has_seed: ClassVar[bool] = True
    delivered: ClassVar[bool] = False

    def check(self, state: TokenState, secret: bytes, otp: str, unix_time: float) -> CodeCheck:
        # An OCRA response means nothing without the challenge it answers.
        return NO_MATCH

    def resync(
        self, state: TokenState, secret: bytes, otp1: str, otp2: str, unix_time: float
    ) -> CodeCheck:
        # Resync would need two responses to known challenges: not offered.
        return NO_MATCH

    def check_response(
        self,
        state: TokenState,
        secret: bytes,
        otp: str,
        *,
        question: str,
        unix_time: float,
        pin: str | None = None,
        pin_hash: bytes | None = None,
        session: bytes | None = None,
    ) -> CodeCheck:
        """Check ``otp`` (already normalised) as the answer to ``question``.

        Raises ParameterError when the question does not fit the suite or a PIN or
        session the suite names is missing; a wrong PIN is simply no match. The PIN
        comes as ``pin`` or, as a store keeps it, ``pin_hash`` (``otp.ocra.hash_pin``).
        """
        suite = suite_of(state)
        suite.check_question(question)
        if suite.digits == 0:
            otp = otp.lower()  # untruncated responses are hex

        def matches(counter: int | None, step: int | None) -> bool:
            expected = ocra(
                suite,
                secret,
                question=question,
                counter=counter,
                pin=pin,
                pin_hash=pin_hash,
                session=session,
                time_step=step,
            )
            return codes_equal(expected, otp)

        now_step = suite.time_step(unix_time) if suite.timed else 0
        centre = now_step + state.drift
        steps: list[int | None] = (
            list(range(max(0, centre - WINDOW), centre + WINDOW + 1)) if suite.timed else [None]
        )
        ahead: list[int | None] = (
            list(range(state.counter, state.counter + LOOK_AHEAD + 1)) if suite.counter else [None]
        )
        found: tuple[int | None, int | None] | None = None
        # Every candidate is computed and compared, so timing does not reveal the offset.
        for counter, step in product(ahead, steps):
            if matches(counter, step) and found is None:
                found = (counter, step)
        if found is not None:
            return self._accepted(state, suite, found, now_step)
        if suite.counter:
            behind: list[int | None] = list(
                range(max(0, state.counter - LOOK_BEHIND), state.counter)
            )
            if any(matches(counter, step) for counter, step in product(behind, steps)):
                return CodeCheck(matched=False, replayed=True)
        return NO_MATCH

    @staticmethod
    def _accepted(
        state: TokenState, suite: OCRASuite, found: tuple[int | None, int | None], now_step: int
    ) -> CodeCheck:
        counter, step = found
        drift = 0 if step is None else step - now_step
        if counter is not None:
            return CodeCheck(matched=True, counter=counter, drift=drift)
        if step is not None:
            # Like TOTP: a step below the token's counter was already used.
            if step < state.counter:
                return CodeCheck(matched=False, replayed=True)
            return CodeCheck(matched=True, counter=step, drift=drift)
        # Plain suite: the counter only serialises concurrent acceptances.
        return CodeCheck(matched=True, counter=state.counter)


register(OCRAKind())
