"""Counter, time and PIN suites: the token state moves as a login's would."""

from datetime import UTC, datetime, timedelta

from tests.conftest import Api, Clock
from tests.transactions.setup import oath_response, ocra_user, seed_of, sign, started

COUNTER = "OCRA-1:HOTP-SHA1-6:C-QN08"
TIMED = "OCRA-1:HOTP-SHA256-8:QN08-T1M"
PIN = "OCRA-1:HOTP-SHA1-6:QN08-PSHA1"


async def test_counter_suite_accepts_the_next_counter_and_moves_past_it(api: Api) -> None:
    e = await ocra_user(api, suite=COUNTER)
    tx = await started(api, e)
    assert (await sign(api, tx, oath_response(COUNTER, seed_of(e), tx["challenge"], counter=0)))[
        "result"
    ] == "accepted"
    tx2 = await started(api, e)
    reused = oath_response(COUNTER, seed_of(e), tx2["challenge"], counter=0)
    assert await sign(api, tx2, reused) == {"result": "rejected", "reason": "replayed"}
    assert (await sign(api, tx2, oath_response(COUNTER, seed_of(e), tx2["challenge"], counter=1)))[
        "result"
    ] == "accepted"


async def test_counter_suite_looks_ahead(api: Api) -> None:
    e = await ocra_user(api, suite=COUNTER)
    tx = await started(api, e)
    assert (await sign(api, tx, oath_response(COUNTER, seed_of(e), tx["challenge"], counter=7)))[
        "result"
    ] == "accepted"


async def test_time_suite_accepts_the_current_step(api: Api, clock: Clock) -> None:
    clock.now = datetime(2026, 12, 3, 10, 0, 30, tzinfo=UTC)
    e = await ocra_user(api, suite=TIMED)
    tx = await started(api, e)
    step = int(clock.now.timestamp()) // 60
    assert (await sign(api, tx, oath_response(TIMED, seed_of(e), tx["challenge"], time_step=step)))[
        "result"
    ] == "accepted"


async def test_time_suite_refuses_a_step_outside_the_window(api: Api, clock: Clock) -> None:
    clock.now = datetime(2026, 12, 3, 10, 0, 30, tzinfo=UTC)
    e = await ocra_user(api, suite=TIMED)
    tx = await started(api, e)
    stale = int(clock.now.timestamp()) // 60 - 3
    assert (
        await sign(api, tx, oath_response(TIMED, seed_of(e), tx["challenge"], time_step=stale))
    )["reason"] == "invalid_otp"


async def test_time_suite_signs_two_transactions_in_one_step(api: Api, clock: Clock) -> None:
    # The replay guard for non-counter suites is the transaction, not the token's step.
    clock.now = datetime(2026, 12, 3, 10, 0, 30, tzinfo=UTC)
    e = await ocra_user(api, suite=TIMED)
    step = int(clock.now.timestamp()) // 60
    for _ in range(2):
        tx = await started(api, e)
        assert (
            await sign(api, tx, oath_response(TIMED, seed_of(e), tx["challenge"], time_step=step))
        )["result"] == "accepted"
        clock.now += timedelta(seconds=5)


async def test_pin_suite_accepts_the_response_made_with_the_pin(api: Api) -> None:
    e = await ocra_user(api, suite=PIN, ocra_pin="1234")
    tx = await started(api, e)
    assert (await sign(api, tx, oath_response(PIN, seed_of(e), tx["challenge"], pin="1234")))[
        "result"
    ] == "accepted"


async def test_pin_suite_refuses_a_response_made_with_another_pin(api: Api) -> None:
    e = await ocra_user(api, suite=PIN, ocra_pin="1234")
    tx = await started(api, e)
    assert (await sign(api, tx, oath_response(PIN, seed_of(e), tx["challenge"], pin="4321")))[
        "reason"
    ] == "invalid_otp"
