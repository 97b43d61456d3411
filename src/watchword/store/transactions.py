"""CWYS transactions: what was asked to be signed, and its single-use state.

A transaction is ``pending`` until one verify accepts it; the acceptance is one
conditional UPDATE on the state (and the expiry), so of any number of
concurrent verifies exactly one can win.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.tables import ID, metadata, tokens
from watchword.store.types import JSONText, UTCDateTime

PENDING = "pending"
ACCEPTED = "accepted"

transactions = Table(
    "transactions",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("resource_id", ID, ForeignKey("resources.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("login", String(255), nullable=False),
    Column("token_id", ID, ForeignKey("tokens.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    # ocra (challenge from the data hash), keypad (digits from the data),
    # delivered (code bound to the data), unbound (HOTP/TOTP: nothing bound).
    Column("mode", String(16), nullable=False),
    Column("bound", Boolean, nullable=False),
    Column("data", JSONText(), nullable=False),
    Column("data_hash", LargeBinary(32), nullable=False),
    Column("nonce", LargeBinary(32), nullable=False),
    Column("challenge", String(128)),
    # Delivered kinds: a salted hash of the code, never the code itself.
    Column("code_hash", LargeBinary(32)),
    Column("state", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("decided_at", UTCDateTime()),
    Column("ip", String(64)),
    Column("verify_ip", String(64)),
    Index("ix_transactions_tenant", "tenant_id", "id"),
)


@dataclass(frozen=True, slots=True)
class Transaction:
    id: str
    tenant_id: str
    resource_id: str
    user_id: str
    login: str
    token_id: str
    kind: str
    mode: str
    bound: bool
    data: dict[str, Any]
    data_hash: bytes
    nonce: bytes
    challenge: str | None
    code_hash: bytes | None
    state: str
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    ip: str | None
    verify_ip: str | None

    def expired_at(self, now: datetime) -> bool:
        return self.expires_at <= now

    def state_at(self, now: datetime) -> str:
        """What an admin sees: a pending transaction past its lifetime is expired."""
        if self.state == PENDING and self.expired_at(now):
            return "expired"
        return self.state


class TransactionRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, tx: Transaction) -> None:
        values = {name: getattr(tx, name) for name in tx.__slots__}
        await self.conn.execute(transactions.insert().values(**values))

    async def get(self, tenant_id: str, transaction_id: str) -> Transaction | None:
        query = select(transactions).where(
            transactions.c.id == transaction_id, transactions.c.tenant_id == tenant_id
        )
        row = (await self.conn.execute(query)).first()
        return Transaction(**row._mapping) if row else None

    async def claim(self, transaction_id: str, now: datetime, verify_ip: str | None) -> bool:
        """Move a pending, unexpired transaction to accepted; False if another got it."""
        result = await self.conn.execute(
            update(transactions)
            .where(
                transactions.c.id == transaction_id,
                transactions.c.state == PENDING,
                transactions.c.expires_at > now,
            )
            .values(state=ACCEPTED, decided_at=now, verify_ip=verify_ip)
        )
        return result.rowcount == 1

    async def release(self, transaction_id: str) -> None:
        """Undo ``claim`` inside the same database transaction (the code turned out wrong).

        The row is still locked by our own UPDATE, so no other request saw it accepted.
        """
        await self.conn.execute(
            update(transactions)
            .where(transactions.c.id == transaction_id, transactions.c.state == ACCEPTED)
            .values(state=PENDING, decided_at=None, verify_ip=None)
        )

    async def mark_token_used(self, token_id: str, now: datetime) -> bool:
        """A signature by a token whose replay guard is the transaction itself.

        Clears failures like an accepted login, but only while the token is
        enabled and not locked at this very moment (the WHERE clause decides).
        """
        result = await self.conn.execute(
            update(tokens)
            .where(
                tokens.c.id == token_id,
                tokens.c.enabled.is_(True),
                or_(tokens.c.locked_until.is_(None), tokens.c.locked_until <= now),
            )
            .values(fail_count=0, locked_until=None, last_used_at=now)
        )
        return result.rowcount == 1
