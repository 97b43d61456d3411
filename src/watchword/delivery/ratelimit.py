"""Token buckets for the platforms' send limits: one per bot, one per chat.

Time is an argument (``now``, seconds on any monotonic scale), so the buckets are
pure; ``RateLimiter.acquire`` takes the clock and the sleep function it should use.
All bookkeeping happens between awaits, so tasks on one loop need no lock.
"""

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


class TokenBucket:
    """``rate`` tokens per second, holding at most ``burst``; starts full."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._updated = now
        self._paused_until = now

    def _refill(self, now: float) -> None:
        if now > self._updated:
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
            self._updated = now

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0: now)."""
        self._refill(now)
        pause = max(0.0, self._paused_until - now)
        return max(pause, (1 - self._tokens) / self.rate if self._tokens < 1 else 0.0)

    def take(self, now: float) -> None:
        self._refill(now)
        self._tokens -= 1

    def pause_until(self, until: float) -> None:
        """The platform said "retry after": nothing goes before ``until``."""
        self._paused_until = max(self._paused_until, until)

    def idle(self, now: float) -> bool:
        self._refill(now)
        return self._tokens >= self.burst and now >= self._paused_until


@dataclass(frozen=True)
class Limits:
    per_bot: float  # messages per second across all chats
    per_chat: float
    bot_burst: float = 1
    chat_burst: float = 1


# Published limits (Telegram bots FAQ; Messenger rate-limiting; Viber has no per-second figure).
PRESETS: dict[str, Limits] = {
    "telegram": Limits(per_bot=30, per_chat=1, bot_burst=30, chat_burst=1),
    "messenger": Limits(per_bot=300, per_chat=1, bot_burst=300, chat_burst=1),
    "viber": Limits(per_bot=50, per_chat=1, bot_burst=50, chat_burst=1),
}


class RateLimiter:
    """A bot-wide bucket plus one bucket per chat (kept for at most ``max_chats`` chats)."""

    def __init__(self, limits: Limits, now: float, max_chats: int = 10_000) -> None:
        self._limits = limits
        self._bot = TokenBucket(limits.per_bot, limits.bot_burst, now)
        self._chats: OrderedDict[str, TokenBucket] = OrderedDict()
        self._max_chats = max_chats

    def _chat(self, key: str, now: float) -> TokenBucket:
        bucket = self._chats.get(key)
        if bucket is None:
            self._evict(now)
            bucket = TokenBucket(self._limits.per_chat, self._limits.chat_burst, now)
            self._chats[key] = bucket
        self._chats.move_to_end(key)
        return bucket

    def _evict(self, now: float) -> None:
        # A full, unpaused bucket is the same as a new one: forgetting it loses nothing.
        while len(self._chats) >= self._max_chats:
            key, oldest = next(iter(self._chats.items()))
            if not oldest.idle(now) and len(self._chats) < 2 * self._max_chats:
                break
            del self._chats[key]

    def reserve(self, chat: str, now: float) -> float:
        """Take a slot for ``chat`` and return 0, or return the wait and take nothing."""
        chat_bucket = self._chat(chat, now)
        wait = max(self._bot.wait(now), chat_bucket.wait(now))
        if wait == 0:
            self._bot.take(now)
            chat_bucket.take(now)
        return wait

    def pause(self, now: float, seconds: float, chat: str | None = None) -> None:
        """Honour a 429's retry_after: pause one chat, or the whole bot when ``chat`` is None."""
        bucket = self._chat(chat, now) if chat is not None else self._bot
        bucket.pause_until(now + seconds)

    async def acquire(
        self, chat: str, clock: Callable[[], float], sleep: Callable[[float], Awaitable[None]]
    ) -> None:
        while (wait := self.reserve(chat, clock())) > 0:
            await sleep(wait)


# --- pacing shared by all workers (store/pacing.py holds the state) ---

# Requests reach the platform up to this much later or earlier than their slot
# was taken (network, scheduling); the intervals leave room for it.
JITTER_S = 0.04


@dataclass(frozen=True)
class Pace:
    """A GCRA cell: slots ``interval`` apart, up to ``burst`` of them at once."""

    interval: float
    burst: int

    @property
    def tolerance(self) -> float:
        return (self.burst - 1) * self.interval


def pace_for(limit: float, burst: int, jitter: float = JITTER_S) -> Pace:
    """Slots such that any 1-second window at the platform holds at most ``limit``.

    GCRA puts at most ``floor(W / interval) + burst`` sends in a window of W seconds;
    the platform's 1-second window is W = 1 + jitter of ours. (The microsecond keeps
    ``W / interval`` just under a whole number, so the floor drops by one.)
    """
    if not 1 <= burst <= limit:
        raise ValueError("burst must be between 1 and the limit")
    return Pace(interval=(1 + jitter) / (limit - burst + 1) + 1e-6, burst=burst)


@dataclass(frozen=True)
class ChannelPace:
    bot: Pace
    chat: Pace


PACES: dict[str, ChannelPace] = {
    name: ChannelPace(
        bot=pace_for(limits.per_bot, burst=3),
        chat=pace_for(limits.per_chat, burst=int(limits.chat_burst)),
    )
    for name, limits in PRESETS.items()
}
