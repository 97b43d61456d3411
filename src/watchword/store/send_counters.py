"""Send counters: how many SMS a user, or a destination prefix, got in a fixed window.

One row per (tenant, scope, key, window length, window start). Taking a send is
ONE statement, an upsert whose update only runs while the count is below the
limit (``INSERT ... ON CONFLICT DO UPDATE ... WHERE count < limit RETURNING``),
so concurrent takers in any number of processes never exceed the limit: on
PostgreSQL the conflicting row is locked and re-checked, on SQLite writers are
serialised by the database lock.
"""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.tables import ID, metadata
from watchword.store.types import UTCDateTime

send_counters = Table(
    "send_counters",
    metadata,
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
    Column("scope", String(16), primary_key=True),  # "user" | "prefix"
    Column("key", String(64), primary_key=True),
    Column("window_s", Integer, primary_key=True),
    Column("window_start", UTCDateTime(), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Index("ix_send_counters_expires", "expires_at"),
)


class SendCounterRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def take(
        self,
        tenant_id: str,
        scope: str,
        key: str,
        window_s: int,
        window_start: datetime,
        expires_at: datetime,
        limit: int,
    ) -> bool:
        """Count one send in the window if fewer than ``limit`` were counted; else False."""
        if limit < 1:
            return False
        insert = postgresql.insert if self.conn.dialect.name == "postgresql" else sqlite.insert
        stmt = insert(send_counters).values(
            tenant_id=tenant_id,
            scope=scope,
            key=key,
            window_s=window_s,
            window_start=window_start,
            count=1,
            expires_at=expires_at,
        )
        upsert = stmt.on_conflict_do_update(
            index_elements=["tenant_id", "scope", "key", "window_s", "window_start"],
            set_={"count": send_counters.c.count + 1},
            where=send_counters.c.count < limit,
        ).returning(send_counters.c.count)
        return (await self.conn.execute(upsert)).first() is not None

    async def give_back(
        self, tenant_id: str, scope: str, key: str, window_s: int, window_start: datetime
    ) -> None:
        """Undo a take in this transaction (the other limit refused the send)."""
        c = send_counters.c
        await self.conn.execute(
            update(send_counters)
            .where(
                c.tenant_id == tenant_id,
                c.scope == scope,
                c.key == key,
                c.window_s == window_s,
                c.window_start == window_start,
                c.count > 0,
            )
            .values(count=c.count - 1)
        )

    async def count(
        self, tenant_id: str, scope: str, key: str, window_s: int, window_start: datetime
    ) -> int:
        c = send_counters.c
        row = (
            await self.conn.execute(
                send_counters.select().where(
                    c.tenant_id == tenant_id,
                    c.scope == scope,
                    c.key == key,
                    c.window_s == window_s,
                    c.window_start == window_start,
                )
            )
        ).first()
        return int(row._mapping["count"]) if row else 0

    async def prune(self, now: datetime) -> int:
        """Drop the rows of windows that are over."""
        result = await self.conn.execute(
            delete(send_counters).where(send_counters.c.expires_at <= now)
        )
        return int(result.rowcount)
