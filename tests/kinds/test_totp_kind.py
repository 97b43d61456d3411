"""TOTP kind: window of one step, drift learned, older steps refused as replays."""

from watchword.kinds.base import TokenState
from watchword.kinds.totp import TOTPKind
from watchword.otp.totp import TOTP

SECRET = b"12345678901234567890"
NOW = 1_700_000_000.0
GEN = TOTP(SECRET)


def state(counter: int = 0, drift: int = 0) -> TokenState:
    return TokenState(digits=6, algorithm="SHA1", period=30, counter=counter, drift=drift)


def test_current_code_matches_current_step() -> None:
    found = TOTPKind().check(state(), SECRET, GEN.at(NOW), NOW)
    assert found.matched and found.counter == GEN.step(NOW) and found.drift == 0


def test_code_one_step_late_matches_and_records_drift() -> None:
    found = TOTPKind().check(state(), SECRET, GEN.at(NOW - 30), NOW)
    assert found.matched and found.drift == -1


def test_code_two_steps_away_does_not_match() -> None:
    assert not TOTPKind().check(state(), SECRET, GEN.at(NOW + 60), NOW).matched


def test_learned_drift_moves_the_window() -> None:
    found = TOTPKind().check(state(drift=2), SECRET, GEN.at(NOW + 60), NOW)
    assert found.matched


def test_step_already_accepted_is_replayed() -> None:
    step = GEN.step(NOW)
    found = TOTPKind().check(state(counter=step + 1), SECRET, GEN.at(NOW), NOW)
    assert not found.matched and found.replayed


def test_resync_finds_two_consecutive_codes_far_away() -> None:
    later = NOW + 30 * 400
    found = TOTPKind().resync(state(), SECRET, GEN.at(later), GEN.at(later + 30), NOW)
    assert found.matched and found.drift == 401
