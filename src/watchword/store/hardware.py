"""Hardware tokens: import batches, orders, stock reservations, payment webhooks.

Every state change is one conditional UPDATE (or an INSERT guarded by a unique
key): an order moves only from the state it was read in, a token is reserved
for at most one order, a payment event id is consumed at most once.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.paging import page
from watchword.store.records import Page
from watchword.store.tables import ID, metadata, tokens
from watchword.store.types import JSONText, UTCDateTime

token_batches = Table(
    "token_batches",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("vendor", String(100)),
    Column("model", String(100)),
    Column("filename", String(255)),
    Column("count", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_token_batches_tenant", "tenant_id", "id"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="SET NULL")),
    Column("model", String(100), nullable=False),
    Column("state", String(24), nullable=False),
    Column("idempotency_key", String(128), nullable=False),
    # The shipping address, sealed under the key ring with aad "order:<id>".
    Column("address", LargeBinary, nullable=False),
    Column("address_key_id", String(16), nullable=False),
    Column("token_id", ID),
    Column("serial", String(64)),
    Column("carrier", String(100)),
    Column("tracking_number", String(100)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("tenant_id", "idempotency_key"),
    Index("ix_orders_tenant_state", "tenant_id", "state", "id"),
)

# A token held for an order: the primary key makes a second reservation impossible.
token_reservations = Table(
    "token_reservations",
    metadata,
    Column("token_id", ID, ForeignKey("tokens.id", ondelete="CASCADE"), primary_key=True),
    Column("order_id", ID, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("tenant_id", ID, nullable=False),
    UniqueConstraint("order_id"),
)

payment_secrets = Table(
    "payment_secrets",
    metadata,
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
    Column("secret", LargeBinary, nullable=False),
    Column("secret_key_id", String(16), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Event ids already processed: the primary key refuses a replay.
payment_events = Table(
    "payment_events",
    metadata,
    Column("tenant_id", ID, primary_key=True),
    Column("event_id", String(128), primary_key=True),
    Column("order_id", ID),
    Column("received_at", UTCDateTime(), nullable=False),
    Column("detail", JSONText()),
)


@dataclass(frozen=True, slots=True)
class Batch:
    id: str
    tenant_id: str
    vendor: str | None
    model: str | None
    filename: str | None
    count: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    tenant_id: str
    user_id: str | None
    model: str
    state: str
    idempotency_key: str
    address: bytes
    address_key_id: str
    token_id: str | None
    serial: str | None
    carrier: str | None
    tracking_number: str | None
    created_at: datetime
    updated_at: datetime


def _in_stock(tenant_id: str) -> Any:
    """Unassigned hardware tokens not held for an order."""
    held = exists().where(token_reservations.c.token_id == tokens.c.id)
    return (
        (tokens.c.tenant_id == tenant_id)
        & (tokens.c.origin == "hardware")
        & tokens.c.user_id.is_(None)
        & ~held
    )


class BatchRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, **values: Any) -> None:
        await self.conn.execute(token_batches.insert().values(**values))

    async def existing_serials(self, tenant_id: str, serials: list[str]) -> set[str]:
        found: set[str] = set()
        # Chunked: parameter limits differ between SQLite and PostgreSQL.
        for start in range(0, len(serials), 500):
            chunk = serials[start : start + 500]
            query = select(tokens.c.serial).where(
                tokens.c.tenant_id == tenant_id, tokens.c.serial.in_(chunk)
            )
            found.update(r.serial for r in (await self.conn.execute(query)).all())
        return found

    async def add_tokens(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.conn.execute(tokens.insert(), rows)

    async def stock(self, tenant_id: str) -> dict[str, int]:
        query = (
            select(tokens.c.model, func.count())
            .where(_in_stock(tenant_id))
            .group_by(tokens.c.model)
        )
        return {row[0] or "": int(row[1]) for row in (await self.conn.execute(query)).all()}

    async def stock_of(self, tenant_id: str, model: str) -> int:
        query = select(func.count()).where(_in_stock(tenant_id), tokens.c.model == model)
        return int((await self.conn.execute(query)).scalar_one())

    async def reserve(self, tenant_id: str, model: str, order_id: str) -> tuple[str, str] | None:
        """Hold one token of ``model`` for the order; None when none is left.

        Two pickers may choose the same token; the primary key lets one insert
        win and the loser tries the next one (in a savepoint, so PostgreSQL's
        transaction survives the refused insert).
        """
        for _ in range(5):
            query = (
                select(tokens.c.id, tokens.c.serial)
                .where(_in_stock(tenant_id), tokens.c.model == model)
                .order_by(tokens.c.id)
                .limit(1)
            )
            row = (await self.conn.execute(query)).first()
            if row is None:
                return None
            try:
                async with self.conn.begin_nested():
                    await self.conn.execute(
                        token_reservations.insert().values(
                            token_id=row.id, order_id=order_id, tenant_id=tenant_id
                        )
                    )
            except IntegrityError:
                continue
            return row.id, row.serial
        return None

    async def release(self, order_id: str) -> None:
        await self.conn.execute(
            token_reservations.delete().where(token_reservations.c.order_id == order_id)
        )

    async def reserved_for(self, token_id: str) -> str | None:
        query = select(token_reservations.c.order_id).where(
            token_reservations.c.token_id == token_id
        )
        return (await self.conn.execute(query)).scalar_one_or_none()

    async def claim(self, tenant_id: str, token_id: str, user_id: str) -> bool:
        """Give an unassigned token to a user: only if nobody got it first."""
        result = await self.conn.execute(
            update(tokens)
            .where(
                tokens.c.id == token_id,
                tokens.c.tenant_id == tenant_id,
                tokens.c.user_id.is_(None),
            )
            .values(user_id=user_id)
        )
        return result.rowcount == 1


class OrderRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, **values: Any) -> bool:
        """Insert; False when the idempotency key is already used by this tenant."""
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(orders.insert().values(**values))
        except IntegrityError:
            return False
        return True

    async def get(self, tenant_id: str, order_id: str) -> Order | None:
        query = select(orders).where(orders.c.id == order_id, orders.c.tenant_id == tenant_id)
        row = (await self.conn.execute(query)).first()
        return Order(**row._mapping) if row else None

    async def by_key(self, tenant_id: str, key: str) -> Order | None:
        query = select(orders).where(
            orders.c.tenant_id == tenant_id, orders.c.idempotency_key == key
        )
        row = (await self.conn.execute(query)).first()
        return Order(**row._mapping) if row else None

    async def find(
        self, tenant_id: str, limit: int, cursor: str | None, state: str | None = None
    ) -> Page:
        query = select(orders).where(orders.c.tenant_id == tenant_id)
        if state:
            query = query.where(orders.c.state == state)
        return await page(self.conn, query, orders.c.id, Order, limit, cursor)

    async def move(
        self, tenant_id: str, order_id: str, expected: str, new: str, now: datetime, **values: Any
    ) -> bool:
        """The transition: one UPDATE that succeeds only from the state it was decided in."""
        result = await self.conn.execute(
            update(orders)
            .where(
                orders.c.id == order_id,
                orders.c.tenant_id == tenant_id,
                orders.c.state == expected,
            )
            .values(state=new, updated_at=now, **values)
        )
        return result.rowcount == 1

    async def delivered_for(self, tenant_id: str, user_id: str, token_id: str) -> Order | None:
        query = select(orders).where(
            orders.c.tenant_id == tenant_id,
            orders.c.user_id == user_id,
            orders.c.token_id == token_id,
            orders.c.state == "delivered",
        )
        row = (await self.conn.execute(query)).first()
        return Order(**row._mapping) if row else None


class PaymentRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def set_secret(self, tenant_id: str, blob: bytes, key_id: str, now: datetime) -> None:
        done = await self.conn.execute(
            update(payment_secrets)
            .where(payment_secrets.c.tenant_id == tenant_id)
            .values(secret=blob, secret_key_id=key_id, updated_at=now)
        )
        if done.rowcount == 0:
            await self.conn.execute(
                payment_secrets.insert().values(
                    tenant_id=tenant_id, secret=blob, secret_key_id=key_id, updated_at=now
                )
            )

    async def secret(self, tenant_id: str) -> tuple[bytes, str] | None:
        query = select(payment_secrets.c.secret, payment_secrets.c.secret_key_id).where(
            payment_secrets.c.tenant_id == tenant_id
        )
        row = (await self.conn.execute(query)).first()
        return (row.secret, row.secret_key_id) if row else None

    async def consume_event(
        self, tenant_id: str, event_id: str, order_id: str | None, now: datetime
    ) -> bool:
        """Record the event id; False when it was seen before (a replay)."""
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(
                    payment_events.insert().values(
                        tenant_id=tenant_id, event_id=event_id, order_id=order_id, received_at=now
                    )
                )
        except IntegrityError:
            return False
        return True
