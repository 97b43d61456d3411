"""Challenges (delivered codes), the outbox / cost ledger, and channel configs.

A challenge holds only a salted hash of its code; the code itself travels sealed
(key ring) on its outbox rows, one row per channel tried, which double as the
cost ledger. Every state change is one conditional UPDATE.
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
    case,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.tables import ID, metadata
from watchword.store.types import JSONText, UTCDateTime

challenges = Table(
    "challenges",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("resource_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("token_id", ID, nullable=False),
    Column("code_hash", LargeBinary(32), nullable=False),
    Column("salt", LargeBinary(16), nullable=False),
    # pending -> accepted | superseded | failed (no channel left)
    Column("state", String(16), nullable=False),
    Column("sends", Integer, nullable=False, default=0),
    # Where the code may go, in order: [{"token_id", "channel", "destination"}, ...];
    # the worker walks it on fallback (the same code, never a second one).
    Column("route", JSONText(), nullable=False),
    Column("fallback_after_s", Integer, nullable=False),
    Column("locale", String(8), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
    Index("ix_challenges_user", "tenant_id", "resource_id", "user_id", "state"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("challenge_id", ID),
    Column("resource_id", ID),
    Column("token_id", ID),
    Column("channel", String(16), nullable=False),
    Column("destination", String(320), nullable=False),
    Column("country", String(8)),
    Column("template", String(32), nullable=False),
    Column("locale", String(8), nullable=False),
    # The values the template is rendered with (the code among them), sealed.
    Column("payload", LargeBinary, nullable=False),
    Column("payload_key_id", String(16), nullable=False),
    # queued -> sending -> sent | delivered | failed
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("lease_until", UTCDateTime()),
    # Give up on this channel and try the next one after this moment.
    Column("fallback_at", UTCDateTime()),
    Column("provider_id", String(128)),
    Column("price", String(32)),
    Column("currency", String(8)),
    Column("last_error", String(255)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime()),
    Index("ix_outbox_due", "state", "next_attempt_at"),
    Index("ix_outbox_tenant", "tenant_id", "created_at"),
)

channel_configs = Table(
    "channel_configs",
    metadata,
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("settings", JSONText(), nullable=False),
    Column("secret", LargeBinary),
    Column("secret_key_id", String(16)),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# A token the platform told us can no longer be reached (blocked bot, STOP).
unreachable = Table(
    "unreachable_tokens",
    metadata,
    Column("token_id", ID, primary_key=True),
    Column("tenant_id", ID, nullable=False),
    Column("reason", String(255)),
    Column("at", UTCDateTime(), nullable=False),
)

# One-time link codes (deep link /start payloads): only a hash is kept.
link_codes = Table(
    "link_codes",
    metadata,
    Column("code_hash", LargeBinary(32), primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
)


# last_error of a row taken over from a worker that stopped holding it mid-claim.
LEASE_LAPSED = "lease lapsed: the previous worker may have sent it (same code)"


@dataclass(frozen=True, slots=True)
class Challenge:
    id: str
    tenant_id: str
    resource_id: str
    user_id: str
    token_id: str
    code_hash: bytes
    salt: bytes
    state: str
    sends: int
    route: list[dict[str, str]]
    fallback_after_s: int
    locale: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: str
    tenant_id: str
    challenge_id: str | None
    resource_id: str | None
    token_id: str | None
    channel: str
    destination: str
    country: str | None
    template: str
    locale: str
    payload: bytes
    payload_key_id: str
    state: str
    attempts: int
    next_attempt_at: datetime
    lease_until: datetime | None
    fallback_at: datetime | None
    provider_id: str | None
    price: str | None
    currency: str | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    tenant_id: str
    channel: str
    settings: dict[str, Any]
    secret: bytes | None
    secret_key_id: str | None
    updated_at: datetime


class ChallengeRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, **values: Any) -> None:
        await self.conn.execute(challenges.insert().values(**values))

    async def get(self, tenant_id: str, challenge_id: str) -> Challenge | None:
        query = select(challenges).where(
            challenges.c.id == challenge_id, challenges.c.tenant_id == tenant_id
        )
        row = (await self.conn.execute(query)).first()
        return Challenge(**row._mapping) if row else None

    async def live(self, tenant_id: str, resource_id: str, user_id: str) -> Challenge | None:
        query = (
            select(challenges)
            .where(
                challenges.c.tenant_id == tenant_id,
                challenges.c.resource_id == resource_id,
                challenges.c.user_id == user_id,
                challenges.c.state == "pending",
            )
            .order_by(challenges.c.created_at.desc())
            .limit(1)
        )
        row = (await self.conn.execute(query)).first()
        return Challenge(**row._mapping) if row else None

    async def supersede(self, tenant_id: str, resource_id: str, user_id: str) -> list[str]:
        """End every live challenge of this user here: one live code per login."""
        result = await self.conn.execute(
            update(challenges)
            .where(
                challenges.c.tenant_id == tenant_id,
                challenges.c.resource_id == resource_id,
                challenges.c.user_id == user_id,
                challenges.c.state == "pending",
            )
            .values(state="superseded")
            .returning(challenges.c.id)
        )
        return [r.id for r in result.all()]

    async def accept(self, challenge_id: str, now: datetime) -> bool:
        """The one decision: pending and unexpired -> accepted, at most once."""
        result = await self.conn.execute(
            update(challenges)
            .where(
                challenges.c.id == challenge_id,
                challenges.c.state == "pending",
                challenges.c.expires_at > now,
            )
            .values(state="accepted", used_at=now)
        )
        return result.rowcount == 1

    async def count_send(self, challenge_id: str, max_sends: int) -> bool:
        """Take one send from the challenge's allowance (pending ones only)."""
        result = await self.conn.execute(
            update(challenges)
            .where(
                challenges.c.id == challenge_id,
                challenges.c.state == "pending",
                challenges.c.sends < max_sends,
            )
            .values(sends=challenges.c.sends + 1)
        )
        return result.rowcount == 1

    async def retarget(self, challenge_id: str, token_id: str) -> None:
        await self.conn.execute(
            update(challenges).where(challenges.c.id == challenge_id).values(token_id=token_id)
        )

    async def fail(self, challenge_id: str) -> None:
        await self.conn.execute(
            update(challenges)
            .where(challenges.c.id == challenge_id, challenges.c.state == "pending")
            .values(state="failed")
        )


class OutboxRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, **values: Any) -> None:
        await self.conn.execute(outbox.insert().values(**values))

    async def get(self, message_id: str) -> OutboxMessage | None:
        row = (await self.conn.execute(select(outbox).where(outbox.c.id == message_id))).first()
        return OutboxMessage(**row._mapping) if row else None

    async def due(self, now: datetime, limit: int) -> list[str]:
        """Ids of messages to send now: queued and due, or sending with a lapsed lease."""
        ready = (outbox.c.state == "queued") & (outbox.c.next_attempt_at <= now)
        lapsed = (outbox.c.state == "sending") & (outbox.c.lease_until <= now)
        query = select(outbox.c.id).where(ready | lapsed).order_by(outbox.c.next_attempt_at)
        query = query.limit(limit)
        if self.conn.dialect.name == "postgresql":
            # Workers skip rows another worker's transaction holds.
            query = query.with_for_update(skip_locked=True)
        return [r.id for r in (await self.conn.execute(query)).all()]

    async def claim(self, message_id: str, now: datetime, lease_until: datetime) -> bool:
        """Compare-and-set claim: only one worker moves a row to 'sending'. Taking over
        a lapsed lease notes it in last_error: the dead holder may have sent already."""
        ready = (outbox.c.state == "queued") & (outbox.c.next_attempt_at <= now)
        lapsed = (outbox.c.state == "sending") & (outbox.c.lease_until <= now)
        result = await self.conn.execute(
            update(outbox)
            .where(outbox.c.id == message_id, ready | lapsed)
            .values(
                state="sending",
                lease_until=lease_until,
                attempts=outbox.c.attempts + 1,
                last_error=case(
                    (outbox.c.state == "sending", LEASE_LAPSED), else_=outbox.c.last_error
                ),
            )
        )
        return result.rowcount == 1

    async def next_due(self) -> datetime | None:
        """When the earliest queued row falls due (None: nothing queued)."""
        query = select(func.min(outbox.c.next_attempt_at)).where(outbox.c.state == "queued")
        value = (await self.conn.execute(query)).scalar_one_or_none()
        return UTCDateTime().process_result_value(value, self.conn.dialect) if value else None

    async def renew(self, message_id: str, lease: datetime, lease_until: datetime) -> bool:
        """Extend our own lease right before a send; False: another worker holds the row."""
        result = await self.conn.execute(
            update(outbox)
            .where(
                outbox.c.id == message_id,
                outbox.c.state == "sending",
                outbox.c.lease_until == lease,
            )
            .values(lease_until=lease_until)
        )
        return result.rowcount == 1

    async def finish(
        self, message_id: str, state: str, *, lease: datetime | None = None, **values: Any
    ) -> bool:
        """Record an attempt's outcome; only the worker holding the claim does this
        (``lease``: the holder's lease, so a worker whose lease was taken over
        cannot overwrite what the new holder does)."""
        query = update(outbox).where(outbox.c.id == message_id, outbox.c.state == "sending")
        if lease is not None:
            query = query.where(outbox.c.lease_until == lease)
        result = await self.conn.execute(query.values(state=state, lease_until=None, **values))
        return result.rowcount == 1

    async def report(
        self,
        tenant_id: str,
        channel: str,
        provider_id: str,
        state: str,
        since: datetime,
        last_error: str | None = None,
    ) -> bool:
        """A provider's delivery receipt: ``sent`` -> delivered | failed, once. ``since``
        bounds created_at so the tenant index finds the row without a full scan."""
        result = await self.conn.execute(
            update(outbox)
            .where(
                outbox.c.tenant_id == tenant_id,
                outbox.c.created_at >= since,
                outbox.c.channel == channel,
                outbox.c.provider_id == provider_id,
                outbox.c.state == "sent",
            )
            .values(state=state, last_error=last_error)
        )
        return result.rowcount == 1

    async def recent(
        self, tenant_id: str, *, channel: str | None = None, limit: int = 50
    ) -> list[OutboxMessage]:
        query = select(outbox).where(outbox.c.tenant_id == tenant_id)
        if channel is not None:
            query = query.where(outbox.c.channel == channel)
        query = query.order_by(outbox.c.created_at.desc(), outbox.c.id.desc()).limit(limit)
        return [OutboxMessage(**r._mapping) for r in (await self.conn.execute(query)).all()]

    async def for_challenge(self, challenge_id: str) -> list[OutboxMessage]:
        query = select(outbox).where(outbox.c.challenge_id == challenge_id)
        query = query.order_by(outbox.c.created_at, outbox.c.id)
        return [OutboxMessage(**r._mapping) for r in (await self.conn.execute(query)).all()]

    async def between(self, tenant_id: str, start: datetime, end: datetime) -> list[OutboxMessage]:
        query = select(outbox).where(
            outbox.c.tenant_id == tenant_id,
            outbox.c.created_at >= start,
            outbox.c.created_at < end,
        )
        return [OutboxMessage(**r._mapping) for r in (await self.conn.execute(query)).all()]

    async def count(self, tenant_id: str) -> int:
        query = select(func.count()).select_from(outbox).where(outbox.c.tenant_id == tenant_id)
        return int((await self.conn.execute(query)).scalar_one())


class ChannelConfigRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def get(self, tenant_id: str, channel: str) -> ChannelConfig | None:
        query = select(channel_configs).where(
            channel_configs.c.tenant_id == tenant_id, channel_configs.c.channel == channel
        )
        row = (await self.conn.execute(query)).first()
        return ChannelConfig(**row._mapping) if row else None

    async def all(self, tenant_id: str) -> list[ChannelConfig]:
        query = select(channel_configs).where(channel_configs.c.tenant_id == tenant_id)
        query = query.order_by(channel_configs.c.channel)
        return [ChannelConfig(**r._mapping) for r in (await self.conn.execute(query)).all()]

    async def put(self, tenant_id: str, channel: str, **values: Any) -> None:
        done = await self.conn.execute(
            update(channel_configs)
            .where(channel_configs.c.tenant_id == tenant_id, channel_configs.c.channel == channel)
            .values(**values)
        )
        if done.rowcount == 0:
            await self.conn.execute(
                channel_configs.insert().values(tenant_id=tenant_id, channel=channel, **values)
            )


class ReachRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def unreachable_ids(self, token_ids: list[str]) -> set[str]:
        if not token_ids:
            return set()
        query = select(unreachable.c.token_id).where(unreachable.c.token_id.in_(token_ids))
        return {r.token_id for r in (await self.conn.execute(query)).all()}

    async def mark(self, tenant_id: str, token_id: str, reason: str, now: datetime) -> None:
        if await self.unreachable_ids([token_id]):
            return
        await self.conn.execute(
            unreachable.insert().values(
                token_id=token_id, tenant_id=tenant_id, reason=reason[:255], at=now
            )
        )

    async def clear(self, token_id: str) -> None:
        await self.conn.execute(unreachable.delete().where(unreachable.c.token_id == token_id))


class LinkCodeRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, **values: Any) -> None:
        await self.conn.execute(link_codes.insert().values(**values))

    async def consume(
        self, tenant_id: str, channel: str, code_hash: bytes, now: datetime
    ) -> str | None:
        """Use a link code once: the user id, or None (unknown, used or expired)."""
        result = await self.conn.execute(
            update(link_codes)
            .where(
                link_codes.c.code_hash == code_hash,
                link_codes.c.tenant_id == tenant_id,
                link_codes.c.channel == channel,
                link_codes.c.used_at.is_(None),
                link_codes.c.expires_at > now,
            )
            .values(used_at=now)
            .returning(link_codes.c.user_id)
        )
        row = result.first()
        return str(row.user_id) if row else None
