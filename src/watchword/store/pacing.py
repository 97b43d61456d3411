"""Send pacing shared by every worker process: one row per bot and per chat.

A platform's limit (Telegram: 30 messages/s per bot, 1/s per chat) holds for the
bot, not for one worker, so its state lives in the database. Each row is a GCRA
cell: ``tat`` (theoretical arrival time, epoch seconds) moves forward by the
interval on every send. Taking a slot is ONE conditional UPDATE.
"""

from sqlalchemy import Column, Float, Index, String, Table, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.tables import metadata

send_pacing = Table(
    "send_pacing",
    metadata,
    # "<tenant>:<channel>" for a bot, "<tenant>:<channel>:<chat>" for a chat.
    Column("key", String(400), primary_key=True),
    Column("tat", Float, nullable=False),
    Index("ix_send_pacing_tat", "tat"),
)

# A refused slot always asks for some wait, so a caller never spins.
MIN_WAIT_S = 0.005
# tat is a sum of float intervals: compare with a microsecond of slack.
SLACK_S = 1e-6


class PacingRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def take(self, key: str, now: float, interval: float, tolerance: float) -> float:
        """Take one slot and return 0, or return the seconds to wait and take nothing.

        A slot is free while ``tat <= now + tolerance``; taking it sets
        ``tat = max(tat, now) + interval``.
        """
        c = send_pacing.c
        taken = await self.conn.execute(
            update(send_pacing)
            .where(c.key == key, c.tat <= now + tolerance + SLACK_S)
            .values(tat=case((c.tat > now, c.tat + interval), else_=now + interval))
        )
        if taken.rowcount == 1:
            return 0.0
        insert = pg_insert if self.conn.dialect.name == "postgresql" else sqlite_insert
        added = await self.conn.execute(
            insert(send_pacing).values(key=key, tat=now + interval).on_conflict_do_nothing()
        )
        if added.rowcount == 1:
            return 0.0
        tat = (await self.conn.execute(select(c.tat).where(c.key == key))).scalar_one()
        return max(MIN_WAIT_S, float(tat) - tolerance - now)

    async def give_back(self, key: str, interval: float) -> None:
        """Undo a ``take`` of this transaction (the row is ours until commit)."""
        c = send_pacing.c
        await self.conn.execute(
            update(send_pacing).where(c.key == key).values(tat=c.tat - interval)
        )

    async def pause(self, key: str, until: float) -> None:
        """The platform said "retry after": no slot before ``until``."""
        c = send_pacing.c
        done = await self.conn.execute(
            update(send_pacing)
            .where(c.key == key)
            .values(tat=case((c.tat < until, until), else_=c.tat))
        )
        if done.rowcount == 0:
            insert = pg_insert if self.conn.dialect.name == "postgresql" else sqlite_insert
            await self.conn.execute(
                insert(send_pacing).values(key=key, tat=until).on_conflict_do_nothing()
            )

    async def forget(self, before: float) -> int:
        """Drop rows whose slots are long past: a missing row is a fresh, idle one."""
        done = await self.conn.execute(delete(send_pacing).where(send_pacing.c.tat < before))
        return int(done.rowcount)
