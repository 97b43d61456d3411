"""A short-lived per-process cache of API-key lookups.

Every request carries a key; looking it up costs a database round trip (and a
transaction) before the real work. Entries live ``ttl`` seconds, so a revoked key
stops working on other processes within that time, and at once on the process
that revoked it.
"""

import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class TTLCache(Generic[T]):
    def __init__(
        self,
        ttl: float = 5.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: dict[bytes, tuple[float, T]] = {}

    def get(self, key: bytes) -> T | None:
        hit = self._entries.get(key)
        if hit is None:
            return None
        if hit[0] <= self._clock():
            del self._entries[key]
            return None
        return hit[1]

    def put(self, key: bytes, value: T) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[key] = (self._clock() + self.ttl, value)

    def clear(self) -> None:
        self._entries.clear()
