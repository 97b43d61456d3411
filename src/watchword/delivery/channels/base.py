"""The channel port and the errors every adapter raises.

    DeliveryError                 base; never raised itself
     +-- TransientError           try again later: 429, 5xx, timeouts, connection errors;
     |                            ``retry_after`` (seconds) when the platform said so
     +-- PermanentError           this message will never go through as it is
          +-- RecipientBlocked    the recipient left: blocked the bot, unsubscribed,
          |                       sent STOP, deactivated; drop the binding, fall back
          +-- BadCredentials      the channel's own token/account is refused: every
                                  message would fail; alert the operator

Each adapter translates its platform's error bodies in one function (``_raise_for``
or similar), so the worker only ever sees this tree (httpx ``map_httpcore_exceptions``).
"""

from typing import Protocol

from watchword.delivery.message import OutboundMessage, Receipt


class DeliveryError(Exception):
    """Base of every error a channel raises."""

    def __init__(self, message: str, *, raw_status: str = "") -> None:
        super().__init__(message)
        self.raw_status = raw_status


class TransientError(DeliveryError):
    """The platform may accept the same message later."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, raw_status: str = ""
    ) -> None:
        super().__init__(message, raw_status=raw_status)
        self.retry_after = retry_after


class PermanentError(DeliveryError):
    """Retrying the same message on this channel is pointless."""


class RecipientBlocked(PermanentError):
    """The recipient can no longer be reached through this binding."""


class BadCredentials(PermanentError):
    """The channel's credentials or account are refused by the platform."""


class Channel(Protocol):
    """Send one message; raise a DeliveryError subclass or return a Receipt."""

    @property
    def name(self) -> str: ...

    async def send(self, msg: OutboundMessage) -> Receipt: ...
