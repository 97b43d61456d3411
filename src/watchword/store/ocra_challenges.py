"""OCRA login challenges: the server's question, single use, for one login.

The question is not secret (the user types it into the token), so it is kept in
clear. Accepting is ONE conditional UPDATE (pending and unexpired -> accepted);
for time and plain suites that is the whole replay guard.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, String, Table, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.tables import ID, metadata
from watchword.store.types import UTCDateTime

PENDING = "pending"

ocra_challenges = Table(
    "ocra_challenges",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("resource_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("token_id", ID, nullable=False),
    Column("question", String(64), nullable=False),
    # pending -> accepted | superseded
    Column("state", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
    Index("ix_ocra_challenges_user", "tenant_id", "resource_id", "user_id", "state"),
)


@dataclass(frozen=True, slots=True)
class OcraChallenge:
    id: str
    tenant_id: str
    resource_id: str
    user_id: str
    token_id: str
    question: str
    state: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


class OcraChallengeRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, **values: Any) -> None:
        await self.conn.execute(ocra_challenges.insert().values(**values))

    async def get(self, tenant_id: str, challenge_id: str) -> OcraChallenge | None:
        c = ocra_challenges.c
        query = select(ocra_challenges).where(c.id == challenge_id, c.tenant_id == tenant_id)
        row = (await self.conn.execute(query)).first()
        return OcraChallenge(**row._mapping) if row else None

    async def supersede(self, tenant_id: str, resource_id: str, user_id: str) -> None:
        """End the user's live question here: one live challenge per login."""
        c = ocra_challenges.c
        await self.conn.execute(
            update(ocra_challenges)
            .where(
                c.tenant_id == tenant_id,
                c.resource_id == resource_id,
                c.user_id == user_id,
                c.state == PENDING,
            )
            .values(state="superseded")
        )

    async def accept(self, challenge_id: str, now: datetime) -> bool:
        c = ocra_challenges.c
        result = await self.conn.execute(
            update(ocra_challenges)
            .where(c.id == challenge_id, c.state == PENDING, c.expires_at > now)
            .values(state="accepted", used_at=now)
        )
        return result.rowcount == 1

    async def release(self, challenge_id: str) -> None:
        """Undo ``accept`` in this transaction (the token's own check refused)."""
        c = ocra_challenges.c
        await self.conn.execute(
            update(ocra_challenges)
            .where(c.id == challenge_id, c.state == "accepted")
            .values(state=PENDING, used_at=None)
        )
