"""Lockout arithmetic and the TokenLocked event."""

from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta

import pytest

from watchword.policy.events import TokenLocked
from watchword.policy.lockout import Lock, lock_after
from watchword.policy.model import Lockout

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def test_failures_below_the_limit_do_not_lock() -> None:
    assert lock_after(Lockout(), 4, NOW) is None


def test_reaching_the_limit_locks_for_the_duration() -> None:
    assert lock_after(Lockout(), 5, NOW) == Lock(NOW + timedelta(seconds=900))
    assert lock_after(Lockout(max_failures=3, duration_s=60), 7, NOW) == Lock(
        NOW + timedelta(seconds=60)
    )


def test_no_duration_locks_until_unlocked() -> None:
    assert lock_after(Lockout(duration_s=None), 5, NOW) == Lock(None)


def test_token_locked_event_is_a_frozen_value() -> None:
    event = TokenLocked("tok1", "usr1", "res1", NOW + timedelta(seconds=900), 5)
    assert event == TokenLocked("tok1", "usr1", "res1", NOW + timedelta(seconds=900), 5)
    with pytest.raises(FrozenInstanceError):
        event.failures = 6  # type: ignore[misc]
