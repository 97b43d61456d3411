"""SMS pumping limits: at most N SMS per user per window, M per destination prefix.

SMS pumping is fraud on our bill: a bot requests codes to ranges of premium
numbers whose operators share the termination fee. Two counters stop it: one per
user, one per calling code (per tenant). Both live in the database
(store/send_counters.py), so every process sees the same counts; windows are
fixed (aligned to the Unix epoch), which is simple and never lets more than the
limit through inside one window.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from watchword.store.uow import UnitOfWork

REFUSED = "rate_limited"  # last_error of the ledger row of a refused SMS hop

# The channel settings (PUT /channels/sms) and their defaults.
DEFAULTS: Mapping[str, int] = {
    "limit_per_user": 10,
    "limit_per_user_window_s": 3600,
    "limit_per_prefix": 200,
    "limit_per_prefix_window_s": 600,
}
SETTINGS = tuple(DEFAULTS)
MAX_WINDOW_S = 7 * 86400

# E.164 country calling codes are prefix-free: 1 and 7 are one digit, these are
# two, and every other assigned code has three (ITU-T E.164 assignment list).
_TWO_DIGIT = frozenset(
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 "
    "60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98".split()
)


@dataclass(frozen=True, slots=True)
class SmsLimits:
    per_user: int
    per_user_window_s: int
    per_prefix: int
    per_prefix_window_s: int

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "SmsLimits":
        """The limits a tenant set, defaults for the rest; ValueError when malformed."""
        values = {}
        for name, default in DEFAULTS.items():
            value = settings.get(name)
            if value is None:
                value = default
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive integer")
            if name.endswith("_window_s") and value > MAX_WINDOW_S:
                raise ValueError(f"{name} must be at most {MAX_WINDOW_S} seconds")
            values[name.removeprefix("limit_")] = value
        return cls(**values)


DEFAULT_LIMITS = SmsLimits.from_settings({})


def calling_code(number: str) -> str:
    """The country calling code of an E.164 number (``"+48500..."`` -> ``"48"``)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if digits[:1] in ("1", "7"):
        return digits[:1]
    if digits[:2] in _TWO_DIGIT:
        return digits[:2]
    return digits[:3] or "?"


def window_start(now: datetime, window_s: int) -> datetime:
    seconds = int(now.timestamp()) // window_s * window_s
    return datetime.fromtimestamp(seconds, UTC)


async def admit_sms(
    uow: UnitOfWork,
    tenant_id: str,
    user_id: str,
    destination: str,
    limits: SmsLimits,
    now: datetime,
) -> bool:
    """Count one SMS against both limits, or count nothing and return False.

    The prefix counter is taken first, always, so two transactions lock the
    shared row before the per-user one and cannot deadlock each other.
    """
    prefix = calling_code(destination)
    p_start = window_start(now, limits.per_prefix_window_s)
    p_end = p_start + timedelta(seconds=limits.per_prefix_window_s)
    took_prefix = await uow.send_counters.take(
        tenant_id,
        "prefix",
        prefix,
        limits.per_prefix_window_s,
        p_start,
        p_end,
        limits.per_prefix,
    )
    if not took_prefix:
        return False
    u_start = window_start(now, limits.per_user_window_s)
    u_end = u_start + timedelta(seconds=limits.per_user_window_s)
    if await uow.send_counters.take(
        tenant_id, "user", user_id, limits.per_user_window_s, u_start, u_end, limits.per_user
    ):
        return True
    await uow.send_counters.give_back(
        tenant_id, "prefix", prefix, limits.per_prefix_window_s, p_start
    )
    return False
