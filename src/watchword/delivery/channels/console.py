"""The "console" channel: messages go to a log the admin pages can list.

It lets a newcomer run everything with no provider. The store is a small
protocol so the in-memory log can later be swapped for a database table.
"""

import asyncio
import itertools
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from watchword.delivery.message import Button, OutboundMessage, Receipt


@dataclass(frozen=True, slots=True)
class ConsoleEntry:
    id: int
    at: datetime
    channel: str
    destination: str
    text: str
    buttons: tuple[Button, ...]


class ConsoleStore(Protocol):
    async def append(
        self, at: datetime, channel: str, destination: str, text: str, buttons: tuple[Button, ...]
    ) -> ConsoleEntry: ...

    async def list(self, *, limit: int = 50, destination: str | None = None) -> list[ConsoleEntry]:
        """Newest first."""
        ...


class MemoryConsoleStore:
    """Keeps the last ``max_entries`` messages; safe to share between tasks."""

    def __init__(self, max_entries: int = 1000) -> None:
        self._entries: deque[ConsoleEntry] = deque(maxlen=max_entries)
        self._ids = itertools.count(1)
        self._lock = asyncio.Lock()

    async def append(
        self, at: datetime, channel: str, destination: str, text: str, buttons: tuple[Button, ...]
    ) -> ConsoleEntry:
        async with self._lock:
            entry = ConsoleEntry(next(self._ids), at, channel, destination, text, buttons)
            self._entries.append(entry)
            return entry

    async def list(self, *, limit: int = 50, destination: str | None = None) -> list[ConsoleEntry]:
        async with self._lock:
            found = [e for e in reversed(self._entries) if destination in (None, e.destination)]
        return found[:limit]


class Clock(Protocol):
    def __call__(self) -> datetime: ...


class ConsoleChannel:
    """Appends to a ConsoleStore; ``clock`` gives the timestamp (injected, not read here)."""

    def __init__(self, store: ConsoleStore, clock: Clock, name: str = "console") -> None:
        self._store = store
        self._clock = clock
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    async def send(self, msg: OutboundMessage) -> Receipt:
        entry = await self._store.append(
            self._clock(), msg.channel, msg.destination, msg.text, msg.buttons
        )
        return Receipt(provider_message_id=f"console-{entry.id}", status="sent", raw_status="ok")
