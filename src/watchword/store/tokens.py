"""Tokens, and the atomic state changes that decide an authentication.

Every decision is one conditional UPDATE: the WHERE clause is the
compare-and-set, so concurrent requests on any number of processes cannot
accept one code twice or lose a failure. Nothing here reads, modifies in
Python and writes back.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store import pg_fast
from watchword.store.paging import page
from watchword.store.records import Page, Token, User
from watchword.store.tables import memberships, resources, tokens, users

# "Locked until an admin unlocks it" is stored as the end of time.
FOREVER = datetime(9999, 12, 31, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Subject:
    """Who is authenticating in a resource, with the tokens they hold."""

    user: User | None
    is_member: bool
    tokens: list[Token]


@dataclass(frozen=True, slots=True)
class FailureOutcome:
    token_id: str
    fail_count: int
    locked_until: datetime | None
    just_locked: bool


# Built once: the hot path binds values into it, SQLAlchemy's compiled cache does the rest.
_SUBJECT = (
    select(
        resources.c.id,
        resources.c.version,
        resources.c.policy,
        users,
        memberships.c.user_id.label("member_id"),
        tokens,
    )
    .select_from(resources)
    .outerjoin(
        users,
        and_(users.c.tenant_id == resources.c.tenant_id, users.c.login == bindparam("login")),
    )
    .outerjoin(
        memberships,
        and_(memberships.c.user_id == users.c.id, memberships.c.resource_id == resources.c.id),
    )
    .outerjoin(tokens, tokens.c.user_id == users.c.id)
    .where(
        resources.c.id == bindparam("resource_id"), resources.c.tenant_id == bindparam("tenant_id")
    )
    .order_by(tokens.c.id)
)
_USER_WIDTH = len(users.c)


@dataclass(frozen=True, slots=True)
class ResourceHead:
    """What verify needs of a resource: its id, policy and the version keying its cache.

    The policy may come as JSON text: it is parsed only when the cache misses.
    """

    id: str
    version: int
    policy: dict[str, Any] | str


def _not_locked(now: datetime) -> Any:
    return or_(tokens.c.locked_until.is_(None), tokens.c.locked_until <= now)


_ACCEPT = (
    update(tokens)
    .where(
        tokens.c.id == bindparam("token_id"),
        tokens.c.counter <= bindparam("counter"),
        tokens.c.enabled.is_(True),
        or_(tokens.c.locked_until.is_(None), tokens.c.locked_until <= bindparam("now")),
    )
    .values(
        counter=bindparam("next"),
        drift=bindparam("drift"),
        fail_count=0,
        locked_until=None,
        last_used_at=bindparam("now"),
    )
)


class TokenRepository:
    def __init__(self, conn: AsyncConnection, fast: pg_fast.PgFast | None = None) -> None:
        self.conn = conn
        self.fast = fast

    async def add(self, **values: Any) -> None:
        await self.conn.execute(tokens.insert().values(**values))

    async def get(self, tenant_id: str, token_id: str) -> Token | None:
        query = select(tokens).where(tokens.c.id == token_id, tokens.c.tenant_id == tenant_id)
        row = (await self.conn.execute(query)).first()
        return Token(**row._mapping) if row else None

    async def serial_exists(self, tenant_id: str, serial: str) -> bool:
        query = select(tokens.c.id).where(
            tokens.c.tenant_id == tenant_id, tokens.c.serial == serial
        )
        return (await self.conn.execute(query)).first() is not None

    async def by_serial(self, tenant_id: str, serial: str) -> Token | None:
        query = select(tokens).where(tokens.c.tenant_id == tenant_id, tokens.c.serial == serial)
        row = (await self.conn.execute(query)).first()
        return Token(**row._mapping) if row else None

    async def find(self, tenant_id: str, limit: int, cursor: str | None, **filters: Any) -> Page:
        query = select(tokens).where(tokens.c.tenant_id == tenant_id)
        for name, value in filters.items():
            if value is None:
                continue
            if name == "assigned":
                query = query.where(
                    tokens.c.user_id.is_not(None) if value else tokens.c.user_id.is_(None)
                )
            else:
                query = query.where(tokens.c[name] == value)
        return await page(self.conn, query, tokens.c.id, Token, limit, cursor)

    async def resource_and_subject(
        self, tenant_id: str, resource_id: str, login: str
    ) -> tuple[ResourceHead | None, Subject]:
        """The resource, and the login's user, membership and tokens, in one query."""
        if self.fast is not None:
            raw = await self.fast.fetch(pg_fast.SUBJECT, tenant_id, resource_id, login)
            found, user, member, held = pg_fast.subject_rows(raw)
            if found is None:
                return None, Subject(user=None, is_member=False, tokens=[])
            head_ = ResourceHead(found[0], found[1], found[2])
            return head_, Subject(user=user, is_member=member, tokens=held)
        params = {"tenant_id": tenant_id, "resource_id": resource_id, "login": login}
        rows = (await self.conn.execute(_SUBJECT, params)).all()
        if not rows:
            return None, Subject(user=None, is_member=False, tokens=[])
        first = rows[0]
        head = ResourceHead(first[0], first[1], first[2])
        if first[3] is None:
            return head, Subject(user=None, is_member=False, tokens=[])
        user = User(*first[3 : 3 + _USER_WIDTH])
        start = 4 + _USER_WIDTH
        held = [Token(*row[start:]) for row in rows if row[start] is not None]
        return head, Subject(user=user, is_member=first[3 + _USER_WIDTH] is not None, tokens=held)

    async def subject(self, tenant_id: str, resource_id: str, login: str) -> Subject:
        """The user, their membership of the resource and their tokens, in one query."""
        return (await self.resource_and_subject(tenant_id, resource_id, login))[1]

    async def update(self, tenant_id: str, token_id: str, **values: Any) -> bool:
        result = await self.conn.execute(
            update(tokens)
            .where(tokens.c.id == token_id, tokens.c.tenant_id == tenant_id)
            .values(**values)
        )
        return bool(result.rowcount)

    async def delete(self, tenant_id: str, token_id: str) -> bool:
        result = await self.conn.execute(
            delete(tokens).where(tokens.c.id == token_id, tokens.c.tenant_id == tenant_id)
        )
        return bool(result.rowcount)

    async def accept(self, token_id: str, counter: int, drift: int, now: datetime) -> bool:
        """Accept the code at ``counter``: only if no code at or after it was accepted yet."""
        params = {
            "token_id": token_id,
            "counter": counter,
            "next": counter + 1,
            "drift": drift,
            "now": now,
        }
        result = await self.conn.execute(_ACCEPT, params)
        return result.rowcount == 1

    async def record_failures(
        self, token_ids: list[str], max_failures: int, lock_until: datetime, now: datetime
    ) -> list[FailureOutcome]:
        """Count one failure on each token; lock those that reach ``max_failures``.

        A token whose temporary lock has run out starts counting again from one.
        Tokens locked right now are left alone (their attempts are already refused).
        """
        expired = and_(tokens.c.locked_until.is_not(None), tokens.c.locked_until <= now)
        new_count = case((expired, 1), else_=tokens.c.fail_count + 1)
        new_lock = case(
            (new_count >= max_failures, lock_until),
            (expired, None),
            else_=tokens.c.locked_until,
        )
        result = await self.conn.execute(
            update(tokens)
            .where(tokens.c.id.in_(token_ids), _not_locked(now))
            .values(fail_count=new_count, locked_until=new_lock)
            .returning(tokens.c.id, tokens.c.fail_count, tokens.c.locked_until)
        )
        return [
            FailureOutcome(
                token_id=row.id,
                fail_count=row.fail_count,
                locked_until=row.locked_until,
                just_locked=row.locked_until is not None and row.locked_until > now,
            )
            for row in result.all()
        ]

    async def set_counter(self, token_id: str, counter: int, drift: int, now: datetime) -> bool:
        """Resync: jump forward (never back) and clear failures."""
        result = await self.conn.execute(
            update(tokens)
            .where(tokens.c.id == token_id, tokens.c.counter <= counter)
            .values(
                counter=counter + 1, drift=drift, fail_count=0, locked_until=None, last_used_at=now
            )
        )
        return result.rowcount == 1

    async def unlock(self, tenant_id: str, token_id: str) -> bool:
        return await self.update(tenant_id, token_id, fail_count=0, locked_until=None)
