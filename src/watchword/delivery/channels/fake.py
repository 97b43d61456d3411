"""An in-memory channel for tests of code that sends (the worker, services)."""

from collections import deque
from decimal import Decimal

from watchword.delivery.channels.base import DeliveryError
from watchword.delivery.message import OutboundMessage, Receipt, ReceiptStatus


class FakeChannel:
    """Records every message; fails on demand.

    ``fail_next(e1, e2)`` makes the next two sends raise those errors in order;
    ``fail_always(e)`` makes every send raise ``e`` until ``recover()``.
    Failed attempts are kept in ``attempts`` but not in ``sent``.
    """

    def __init__(
        self, name: str = "fake", *, status: ReceiptStatus = "sent", cost: Decimal | None = None
    ) -> None:
        self._name = name
        self._status: ReceiptStatus = status
        self._cost = cost
        self._next: deque[DeliveryError] = deque()
        self._always: DeliveryError | None = None
        self.sent: list[OutboundMessage] = []
        self.attempts: list[OutboundMessage] = []

    @property
    def name(self) -> str:
        return self._name

    def fail_next(self, *errors: DeliveryError) -> None:
        self._next.extend(errors)

    def fail_always(self, error: DeliveryError) -> None:
        self._always = error

    def recover(self) -> None:
        self._always = None
        self._next.clear()

    async def send(self, msg: OutboundMessage) -> Receipt:
        self.attempts.append(msg)
        if self._next:
            raise self._next.popleft()
        if self._always is not None:
            raise self._always
        self.sent.append(msg)
        return Receipt(
            provider_message_id=f"{self._name}-{len(self.sent)}",
            status=self._status,
            cost=self._cost,
            raw_status="ok",
        )
