"""The verify path's statements sent straight through asyncpg (PostgreSQL only).

Verify is the one call that runs thousands of times a second. Its reads and its
decision (decisions.py) are single statements in autocommit, so they need nothing
of SQLAlchemy but the pooled connection: skipping its execution layer (and the
greenlet hop per statement) takes a third off the CPU a verify costs. The SQL is
written from the same table definitions and means exactly what the portable
statements in tokens.py and decisions.py mean; the suite runs both.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.records import Token, User
from watchword.store.tables import tokens, users

_USER_COLS = ", ".join(f"u.{c.name}" for c in users.c)
_TOKEN_COLS = ", ".join(f"t.{c.name}" for c in tokens.c)
_USER_WIDTH = len(users.c)

SUBJECT = f"""
SELECT r.id, r.version, r.policy, {_USER_COLS}, m.user_id, {_TOKEN_COLS}
FROM resources r
LEFT JOIN users u ON u.tenant_id = r.tenant_id AND u.login = $3
LEFT JOIN memberships m ON m.user_id = u.id AND m.resource_id = r.id
LEFT JOIN tokens t ON t.user_id = u.id
WHERE r.id = $2 AND r.tenant_id = $1
ORDER BY t.id
"""  # noqa: S608 (column lists come from the table definitions, values are bound)

_AUDIT_INSERT = """INSERT INTO audit (id, tenant_id, at, actor, action, target_type, target_id,
                   login, result, reason, ip, detail)"""

ACCEPT = f"""
WITH acc AS (
    UPDATE tokens SET counter = $2 + 1, drift = $3, fail_count = 0, locked_until = NULL,
           last_used_at = $4
    WHERE id = $1 AND counter <= $2 AND enabled AND (locked_until IS NULL OR locked_until <= $4)
    RETURNING id
)
{_AUDIT_INSERT}
SELECT $5, $6, $4, $7, $8, 'token', $1, $9,
       CASE WHEN EXISTS (SELECT 1 FROM acc) THEN 'accepted' ELSE 'rejected' END,
       CASE WHEN EXISTS (SELECT 1 FROM acc) THEN NULL ELSE 'replayed' END,
       $10, $11
RETURNING result
"""  # noqa: S608

FAIL = f"""
WITH f AS (
    UPDATE tokens SET
        fail_count = CASE WHEN locked_until IS NOT NULL AND locked_until <= $4 THEN 1
                          ELSE fail_count + 1 END,
        locked_until = CASE
            WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= $4 THEN 1
                       ELSE fail_count + 1 END) >= $2 THEN $3
            WHEN locked_until IS NOT NULL AND locked_until <= $4 THEN NULL
            ELSE locked_until END
    WHERE id = ANY($1::varchar[]) AND (locked_until IS NULL OR locked_until <= $4)
    RETURNING id, fail_count, locked_until
), a AS (
    {_AUDIT_INSERT}
    SELECT $5, $6, $4, $7, $8, 'token', $9, $10, 'rejected',
           CASE WHEN EXISTS (SELECT 1 FROM f) THEN 'invalid_otp' ELSE 'locked' END, $11,
           CASE WHEN EXISTS (SELECT 1 FROM f)
                THEN jsonb_set($12::text::jsonb, '{{fail_count}}',
                               to_jsonb((SELECT max(fail_count) FROM f)))::text
                ELSE $12::text END
)
SELECT id, fail_count, locked_until FROM f
"""  # noqa: S608

_TOKEN_TIMES = [
    i for i, c in enumerate(tokens.c) if c.name in ("locked_until", "created_at", "last_used_at")
]
_USER_TIMES = [i for i, c in enumerate(users.c) if c.name == "created_at"]


def naive(value: datetime) -> datetime:
    """The columns hold naive UTC (types.UTCDateTime); asyncpg binds what it is given."""
    return value.astimezone(UTC).replace(tzinfo=None)


def aware(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


def _with_times(values: tuple[Any, ...] | list[Any], positions: list[int]) -> list[Any]:
    out = list(values)
    for i in positions:
        out[i] = aware(out[i])
    return out


class PgFast:
    """The raw driver connection under a unit of work's (autocommit) connection."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        self._driver: Any = None

    async def driver(self) -> Any:
        if self._driver is None:
            raw = await self._conn.get_raw_connection()
            self._driver = raw.driver_connection
        return self._driver

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        return list(await (await self.driver()).fetch(sql, *args))

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return await (await self.driver()).fetchval(sql, *args)


def subject_rows(
    rows: list[Any],
) -> tuple[tuple[str, int, str] | None, User | None, bool, list[Token]]:
    """Split the SUBJECT rows into (resource head, user, is_member, tokens)."""
    if not rows:
        return None, None, False, []
    first = rows[0]
    head = (first[0], first[1], first[2])
    if first[3] is None:
        return head, None, False, []
    user = User(*_with_times(first[3 : 3 + _USER_WIDTH], _USER_TIMES))
    start = 4 + _USER_WIDTH
    held = [
        Token(*_with_times(row[start:], _TOKEN_TIMES)) for row in rows if row[start] is not None
    ]
    return head, user, first[3 + _USER_WIDTH] is not None, held
