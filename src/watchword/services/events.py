"""Domain events that use cases publish (token locked, order shipped ...).

The sink is a port: the delivery layer plugs in one that turns events into
messages for the user's channel.
"""

from typing import Protocol


class EventSink(Protocol):
    async def publish(self, event: object) -> None: ...


class NullSink:
    async def publish(self, event: object) -> None:
        return None


class ListSink:
    """Keeps events in memory; for tests and the console."""

    def __init__(self) -> None:
        self.events: list[object] = []

    async def publish(self, event: object) -> None:
        self.events.append(event)
