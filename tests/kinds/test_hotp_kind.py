"""HOTP kind: look-ahead of 10, replays recognised, resync over 1000 counters."""

from watchword.kinds.base import TokenState
from watchword.kinds.hotp import HOTPKind
from watchword.otp.hotp import HOTP

SECRET = b"12345678901234567890"
GEN = HOTP(SECRET)


def state(counter: int) -> TokenState:
    return TokenState(digits=6, algorithm="SHA1", period=30, counter=counter, drift=0)


def test_next_code_matches() -> None:
    found = HOTPKind().check(state(3), SECRET, GEN.at(3), 0)
    assert found.matched and found.counter == 3


def test_code_ten_ahead_matches() -> None:
    assert HOTPKind().check(state(3), SECRET, GEN.at(13), 0).matched


def test_code_eleven_ahead_does_not_match() -> None:
    assert not HOTPKind().check(state(3), SECRET, GEN.at(14), 0).matched


def test_used_code_is_replayed() -> None:
    found = HOTPKind().check(state(4), SECRET, GEN.at(3), 0)
    assert found.replayed and not found.matched


def test_resync_far_ahead() -> None:
    found = HOTPKind().resync(state(0), SECRET, GEN.at(500), GEN.at(501), 0)
    assert found.matched and found.counter == 501


def test_resync_refuses_non_consecutive_codes() -> None:
    assert not HOTPKind().resync(state(0), SECRET, GEN.at(500), GEN.at(502), 0).matched
