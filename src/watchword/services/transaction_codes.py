"""The seam to delivery: a code bound to a transaction, on its way to the user.

For delivered kinds (sms, email, bots) ``services.transactions`` computes the
code with ``otp.cwys.delivered_code`` and keeps only a salted hash of it. The
code itself leaves through ``TransactionCodeSender.send``, called inside the
unit of work that creates the transaction, so the delivery feature can write
its outbox row in the same database transaction (raising aborts the creation).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from watchword.otp.cwys import TransactionData
from watchword.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class TransactionCode:
    """What the user's message needs: the data to show and the code bound to it."""

    tenant_id: str
    transaction_id: str
    resource_id: str
    user_id: str
    login: str
    token_id: str
    kind: str  # sms, email, telegram, viber, messenger
    destination: str | None  # phone or e-mail for sms/email; bots find the chat by token
    data: TransactionData
    code: str
    expires_at: datetime

    def text(self) -> str:
        """A plain message that shows every field next to the code (docs/cwys.md section 4)."""
        fields = ", ".join(f"{key}: {value}" for key, value in sorted(self.data.items()))
        return f"Confirm {fields}. Code {self.code}. Do not give it to anyone."


class TransactionCodeSender(Protocol):
    async def send(self, uow: UnitOfWork, message: TransactionCode) -> None: ...


class NoSender:
    """The default until delivery is wired in: the code is kept by no one."""

    async def send(self, uow: UnitOfWork, message: TransactionCode) -> None:
        return None


class ListSender:
    """Keeps the messages in memory; for tests and the console."""

    def __init__(self) -> None:
        self.messages: list[TransactionCode] = []

    async def send(self, uow: UnitOfWork, message: TransactionCode) -> None:
        self.messages.append(message)
