"""Confirm/Decline buttons of a CWYS transaction message, and settling from the chat.

A button carries a random per-transaction token; only its SHA-256 is kept here.
Settling is ONE conditional UPDATE on the transaction: it names the transaction
through the token's hash and moves it only while it is pending, unexpired, and
its token is bound to the chat that pressed (kind = channel, destination =
chat id, enabled, not locked), so a press from any other chat changes nothing.
"""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, LargeBinary, Table, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.tables import ID, metadata, tokens
from watchword.store.transactions import PENDING, transactions
from watchword.store.types import UTCDateTime

DECLINED = "declined"

transaction_buttons = Table(
    "transaction_buttons",
    metadata,
    Column("token_hash", LargeBinary(32), primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column(
        "transaction_id",
        ID,
        ForeignKey("transactions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UTCDateTime(), nullable=False),
)


class TransactionButtonRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(
        self, token_hash: bytes, tenant_id: str, transaction_id: str, now: datetime
    ) -> None:
        await self.conn.execute(
            transaction_buttons.insert().values(
                token_hash=token_hash,
                tenant_id=tenant_id,
                transaction_id=transaction_id,
                created_at=now,
            )
        )

    async def transaction_of(self, tenant_id: str, token_hash: bytes) -> str | None:
        query = select(transaction_buttons.c.transaction_id).where(
            transaction_buttons.c.token_hash == token_hash,
            transaction_buttons.c.tenant_id == tenant_id,
        )
        row = (await self.conn.execute(query)).first()
        return str(row.transaction_id) if row else None

    async def settle(
        self,
        tenant_id: str,
        token_hash: bytes,
        channel: str,
        chat_id: str,
        state: str,
        now: datetime,
    ) -> str | None:
        """pending -> ``state`` for the chat's own transaction; its id, or None."""
        named = select(transaction_buttons.c.transaction_id).where(
            transaction_buttons.c.token_hash == token_hash,
            transaction_buttons.c.tenant_id == tenant_id,
        )
        bound_here = select(tokens.c.id).where(
            tokens.c.tenant_id == tenant_id,
            tokens.c.kind == channel,
            tokens.c.destination == chat_id,
            tokens.c.enabled.is_(True),
            or_(tokens.c.locked_until.is_(None), tokens.c.locked_until <= now),
        )
        result = await self.conn.execute(
            update(transactions)
            .where(
                transactions.c.id.in_(named),
                transactions.c.tenant_id == tenant_id,
                transactions.c.state == PENDING,
                transactions.c.expires_at > now,
                transactions.c.token_id.in_(bound_here),
            )
            .values(state=state, decided_at=now)
            .returning(transactions.c.id)
        )
        row = result.first()
        return str(row.id) if row else None
