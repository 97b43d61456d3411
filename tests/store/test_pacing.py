"""Send slots in the database: a burst, then one slot per interval, for every worker."""

import pytest

from watchword.delivery.ratelimit import PACES, pace_for
from watchword.services.env import Env

KEY = "tenant-1:telegram"


async def take(env: Env, now: float, interval: float = 0.5, tolerance: float = 0.5) -> float:
    async with env.db.uow() as uow:
        return await uow.pacing.take(KEY, now, interval, tolerance)


async def test_a_burst_goes_at_once_then_the_next_slot_waits(env: Env) -> None:
    assert [await take(env, 100.0) for _ in range(2)] == [0.0, 0.0]
    assert await take(env, 100.0) == pytest.approx(0.5)
    assert await take(env, 100.5) == 0.0


async def test_an_idle_key_starts_with_a_full_burst(env: Env) -> None:
    await take(env, 100.0)
    await take(env, 100.0)
    assert [await take(env, 200.0) for _ in range(2)] == [0.0, 0.0]


async def test_a_pause_holds_every_slot_until_it_ends(env: Env) -> None:
    async with env.db.uow() as uow:
        await uow.pacing.pause(KEY, 130.0)
    assert await take(env, 100.0) == pytest.approx(29.5)
    assert await take(env, 129.5) == 0.0


async def test_a_slot_given_back_is_free_again(env: Env) -> None:
    await take(env, 100.0)
    await take(env, 100.0)
    async with env.db.uow() as uow:
        await uow.pacing.give_back(KEY, 0.5)
    assert await take(env, 100.0) == 0.0


def test_telegram_slots_keep_any_second_at_thirty_per_bot_and_one_per_chat() -> None:
    telegram = PACES["telegram"]
    for pace, limit in ((telegram.bot, 30), (telegram.chat, 1)):
        window = 1.04  # the platform's second, plus the jitter allowance
        assert int(window / pace.interval) + pace.burst <= limit


def test_a_burst_above_the_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        pace_for(30, burst=31)
