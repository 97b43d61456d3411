"""What the worker hands to a channel, and what a channel hands back."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

ReceiptStatus = Literal["sent", "queued"]
ReportState = Literal["delivered", "undeliverable", "expired", "rejected", "unknown"]


class Button(NamedTuple):
    """A Confirm/Decline style button; ``callback_data`` comes back in a ButtonPress."""

    label: str
    callback_data: str


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """One message to one recipient on one channel.

    ``destination`` is whatever the channel addresses people by: a Telegram chat id,
    a Viber user id, a Messenger PSID, an E.164 phone number or an e-mail address.
    ``idempotency_key`` is the outbox row's key; adapters pass it on where the
    platform can use it (Viber ``tracking_data``, the e-mail Message-ID).
    """

    channel: str
    destination: str
    text: str
    html: str | None = None
    buttons: tuple[Button, ...] = ()
    locale: str = "en"
    idempotency_key: str = ""
    subject: str | None = None  # e-mail only


@dataclass(frozen=True, slots=True)
class Receipt:
    """The platform accepted the message.

    ``status`` is "sent" when the platform says it has handed it on (bots, SMTP),
    "queued" when delivery is still pending (SMS gateways; a DeliveryReport follows).
    ``cost`` is what the provider itself reported, if anything; otherwise the
    worker prices the message from ``delivery.pricing``.
    """

    provider_message_id: str
    status: ReceiptStatus
    cost: Decimal | None = None
    raw_status: str = ""


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A later delivery outcome for a message a Receipt was given for (SMPP receipts)."""

    provider_message_id: str
    state: ReportState
    raw_status: str
    error_code: str = ""
