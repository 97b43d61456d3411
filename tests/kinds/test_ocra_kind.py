"""The OCRA token kind: responses to challenges, with counter, time or neither."""

import pytest

from watchword.kinds import REGISTRY, OCRAKind, TokenKind, TokenState, get_kind
from watchword.kinds.base import NO_MATCH, CodeCheck
from watchword.otp.errors import ParameterError
from watchword.otp.ocra import ocra

K20 = bytes.fromhex("3132333435363738393031323334353637383930")
K32 = K20 + bytes.fromhex("313233343536373839303132")
K64 = K20 + K20 + K20 + bytes.fromhex("31323334")
MINUTE_T = 0x132D0B6  # RFC 6287 Appendix C time step
AT_T = MINUTE_T * 60 + 30  # half-way through that minute
KIND = OCRAKind()

PLAIN = "OCRA-1:HOTP-SHA1-6:QN08"
COUNTER = "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1"
TIMED = "OCRA-1:HOTP-SHA512-8:QN08-T1M"
# RFC 6287 Appendix C: C = 0..9, Q = 12345678, PIN 1234.
COUNTER_CODES = "65347737 86775851 78192410 71565254 10104329 65983500 70069104 91771096".split()


def state(suite: str | None, counter: int = 0, drift: int = 0) -> TokenState:
    return TokenState(
        digits=8, algorithm="SHA1", period=30, counter=counter, drift=drift, ocra_suite=suite
    )


def test_ocra_is_registered_with_its_flags() -> None:
    kind: TokenKind = get_kind("ocra")
    assert isinstance(kind, OCRAKind)
    assert REGISTRY["ocra"] is kind
    assert (kind.name, kind.has_seed, kind.delivered) == ("ocra", True, False)


def test_check_without_a_challenge_never_matches() -> None:
    assert KIND.check(state(PLAIN), K20, "237653", AT_T) == NO_MATCH


def test_resync_is_not_offered() -> None:
    assert KIND.resync(state(COUNTER), K32, "65347737", "86775851", AT_T) == NO_MATCH


def test_plain_suite_accepts_the_right_response_keeping_the_counter() -> None:
    result = KIND.check_response(
        state(PLAIN, counter=4), K20, "237653", question="00000000", unix_time=AT_T
    )
    assert result == CodeCheck(matched=True, counter=4)


def test_plain_suite_refuses_the_response_to_another_question() -> None:
    result = KIND.check_response(state(PLAIN), K20, "237653", question="11111111", unix_time=AT_T)
    assert result == NO_MATCH


def test_counter_suite_finds_the_counter_within_the_look_ahead() -> None:
    result = KIND.check_response(
        state(COUNTER, counter=0),
        K32,
        COUNTER_CODES[3],
        question="12345678",
        unix_time=AT_T,
        pin="1234",
    )
    assert result == CodeCheck(matched=True, counter=3)


def test_counter_suite_refuses_beyond_the_look_ahead() -> None:
    code = ocra(COUNTER, K32, counter=11, question="12345678", pin="1234")
    result = KIND.check_response(
        state(COUNTER, counter=0), K32, code, question="12345678", unix_time=AT_T, pin="1234"
    )
    assert result == NO_MATCH


def test_counter_suite_reports_an_already_used_counter_as_replayed() -> None:
    result = KIND.check_response(
        state(COUNTER, counter=5),
        K32,
        COUNTER_CODES[3],
        question="12345678",
        unix_time=AT_T,
        pin="1234",
    )
    assert result == CodeCheck(matched=False, replayed=True)


def test_counter_suite_with_a_wrong_pin_does_not_match() -> None:
    result = KIND.check_response(
        state(COUNTER), K32, COUNTER_CODES[0], question="12345678", unix_time=AT_T, pin="9999"
    )
    assert result == NO_MATCH


def test_suite_with_a_pin_needs_the_pin() -> None:
    with pytest.raises(ParameterError, match="PIN"):
        KIND.check_response(
            state(COUNTER), K32, COUNTER_CODES[0], question="12345678", unix_time=AT_T
        )


def test_time_suite_accepts_the_current_step_and_returns_it() -> None:
    result = KIND.check_response(
        state(TIMED, counter=MINUTE_T - 5), K64, "95209754", question="00000000", unix_time=AT_T
    )
    assert result == CodeCheck(matched=True, counter=MINUTE_T, drift=0)


@pytest.mark.parametrize("offset", [-1, 1])
def test_time_suite_accepts_one_step_either_side(offset: int) -> None:
    result = KIND.check_response(
        state(TIMED), K64, "95209754", question="00000000", unix_time=AT_T + 60 * offset
    )
    assert result == CodeCheck(matched=True, counter=MINUTE_T, drift=-offset)


@pytest.mark.parametrize("offset", [-2, 2])
def test_time_suite_refuses_two_steps_away(offset: int) -> None:
    result = KIND.check_response(
        state(TIMED), K64, "95209754", question="00000000", unix_time=AT_T + 60 * offset
    )
    assert result == NO_MATCH


def test_time_suite_follows_the_learned_drift() -> None:
    result = KIND.check_response(
        state(TIMED, drift=-2), K64, "95209754", question="00000000", unix_time=AT_T + 120
    )
    assert result == CodeCheck(matched=True, counter=MINUTE_T, drift=-2)


def test_time_suite_reports_an_already_used_step_as_replayed() -> None:
    result = KIND.check_response(
        state(TIMED, counter=MINUTE_T + 1), K64, "95209754", question="00000000", unix_time=AT_T
    )
    assert result == CodeCheck(matched=False, replayed=True)


def test_counter_and_time_suite_returns_the_counter() -> None:
    suite = "OCRA-1:HOTP-SHA1-6:C-QA08-T30S"
    step = int(AT_T // 30)
    code = ocra(suite, K20, counter=7, question="ABCD1234", time_step=step - 1)
    result = KIND.check_response(
        state(suite, counter=5), K20, code, question="ABCD1234", unix_time=AT_T
    )
    assert result == CodeCheck(matched=True, counter=7, drift=-1)


def test_session_suite_passes_the_session_through() -> None:
    suite = "OCRA-1:HOTP-SHA256-8:QN08-S064"
    code = ocra(suite, K32, question="12345678", session=b"tls-exporter")
    check = KIND.check_response
    assert check(
        state(suite), K32, code, question="12345678", unix_time=AT_T, session=b"tls-exporter"
    ).matched
    assert not check(
        state(suite), K32, code, question="12345678", unix_time=AT_T, session=b"other"
    ).matched


def test_untruncated_response_is_compared_case_insensitively() -> None:
    suite = "OCRA-1:HOTP-SHA1-0:QH08"
    code = ocra(suite, K20, question="DEADBEEF").upper()
    assert KIND.check_response(state(suite), K20, code, question="DEADBEEF", unix_time=AT_T).matched


def test_question_longer_than_the_suite_is_refused() -> None:
    with pytest.raises(ParameterError, match="at most 8"):
        KIND.check_response(state(PLAIN), K20, "000000", question="123456789", unix_time=AT_T)


def test_token_without_a_suite_is_refused() -> None:
    with pytest.raises(ParameterError, match="suite"):
        KIND.check_response(state(None), K20, "000000", question="12345678", unix_time=AT_T)
