"""When a run of failures locks a token, and until when (pure)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from watchword.policy.model import Lockout


@dataclass(frozen=True, slots=True)
class Lock:
    until: datetime | None  # None: until an admin unlocks the token


def lock_after(rule: Lockout, failures: int, now: datetime) -> Lock | None:
    """The lock that ``failures`` consecutive failures earn, or None.

    The store applies it in the same conditional UPDATE that counts the failure.
    """
    if failures < rule.max_failures:
        return None
    if rule.duration_s is None:
        return Lock(None)
    return Lock(now + timedelta(seconds=rule.duration_s))
