import pytest

from watchword.delivery.ratelimit import PRESETS, Limits, RateLimiter, TokenBucket


def test_bucket_allows_a_burst_then_waits_for_refill():
    bucket = TokenBucket(rate=2, burst=2, now=0)
    bucket.take(0)
    bucket.take(0)
    assert bucket.wait(0) == pytest.approx(0.5)
    assert bucket.wait(0.5) == 0


def test_one_message_per_second_per_chat():
    limiter = RateLimiter(PRESETS["telegram"], now=0)
    assert limiter.reserve("chat-1", 0) == 0
    assert limiter.reserve("chat-1", 0.1) == pytest.approx(0.9)
    assert limiter.reserve("chat-1", 1.0) == 0


def test_other_chats_are_not_held_up_by_one_busy_chat():
    limiter = RateLimiter(PRESETS["telegram"], now=0)
    limiter.reserve("chat-1", 0)
    assert limiter.reserve("chat-2", 0) == 0


def test_thirty_messages_per_second_per_bot():
    limiter = RateLimiter(PRESETS["telegram"], now=0)
    assert all(limiter.reserve(f"c{i}", 0) == 0 for i in range(30))
    assert limiter.reserve("c30", 0) == pytest.approx(1 / 30)


def test_a_refused_reservation_takes_nothing():
    limiter = RateLimiter(Limits(per_bot=1, per_chat=1), now=0)
    limiter.reserve("a", 0)
    limiter.reserve("b", 0.5)  # refused by the bot bucket
    assert limiter.reserve("b", 1.0) == 0


def test_retry_after_pauses_the_whole_bot():
    limiter = RateLimiter(PRESETS["telegram"], now=0)
    limiter.pause(now=0, seconds=34)
    assert limiter.reserve("c", 10) == pytest.approx(24)
    assert limiter.reserve("c", 34) == 0


def test_retry_after_for_one_chat_leaves_the_others_alone():
    limiter = RateLimiter(PRESETS["telegram"], now=0)
    limiter.pause(now=0, seconds=5, chat="a")
    assert limiter.reserve("a", 1) == pytest.approx(4)
    assert limiter.reserve("b", 1) == 0


async def test_acquire_sleeps_on_the_injected_clock():
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(PRESETS["telegram"], now=0)
    await limiter.acquire("c", lambda: now[0], sleep)
    await limiter.acquire("c", lambda: now[0], sleep)
    assert slept == [pytest.approx(1.0)] and now[0] == pytest.approx(1.0)


def test_idle_chats_are_forgotten_beyond_the_cap():
    limiter = RateLimiter(PRESETS["telegram"], now=0, max_chats=2)
    for i, t in enumerate([0, 10, 20]):
        limiter.reserve(f"c{i}", t)
    assert len(limiter._chats) == 2
