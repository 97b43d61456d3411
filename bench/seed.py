"""Filling the database: the working set through the API, the bulk straight into the tables.

Enrolling a million tokens through the API would take longer than the benchmark, so
the bulk (users, memberships, HOTP tokens) is written with COPY (PostgreSQL) or a
Core executemany (SQLite), the seeds sealed exactly as enrolment seals them.
"""

import asyncio
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
from sqlalchemy import create_engine, text

from watchword.otp.uri import b32decode
from watchword.services.seeds import seal_seed
from watchword.store.keyring import KeyRing
from watchword.store.tables import memberships, tokens, users
from watchword.store.types import new_id

CHUNK = 20_000


@dataclass(frozen=True)
class Target:
    tenant_id: str
    resource_id: str
    keyring: KeyRing


@dataclass(frozen=True)
class Member:
    login: str
    secret: bytes


def bulk_rows(
    target: Target, start: int, count: int
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]:
    """Rows for bulk users ``start .. start+count-1``, CHUNK at a time."""
    now = datetime.now(UTC)
    for base in range(start, start + count, CHUNK):
        us, ms, ts = [], [], []
        for i in range(base, min(base + CHUNK, start + count)):
            uid, tid = new_id(), new_id()
            sealed = seal_seed(target.keyring, tid, secrets.token_bytes(20))
            us.append(
                dict(id=uid, tenant_id=target.tenant_id, login=f"bulk{i:08d}", created_at=now)
            )
            ms.append(dict(resource_id=target.resource_id, user_id=uid, created_at=now))
            ts.append(
                dict(
                    id=tid,
                    tenant_id=target.tenant_id,
                    user_id=uid,
                    kind="hotp",
                    serial=f"BULK{i:08d}",
                    origin="generated",
                    enabled=True,
                    digits=6,
                    algorithm="SHA1",
                    period=30,
                    counter=0,
                    drift=0,
                    fail_count=0,
                    secret=sealed.blob,
                    secret_key_id=sealed.key_id,
                    created_at=now,
                )
            )
        yield us, ms, ts


def _record(table: Any, row: dict[str, Any]) -> tuple[Any, ...]:
    out = []
    for col in table.c:
        value = row.get(col.name)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None)  # columns are naive UTC
        out.append(value)
    return tuple(out)


async def bulk_postgres(dsn: str, target: Target, start: int, count: int) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        for us, ms, ts in bulk_rows(target, start, count):
            async with conn.transaction():
                for table, rows in ((users, us), (memberships, ms), (tokens, ts)):
                    await conn.copy_records_to_table(
                        table.name,
                        records=[_record(table, r) for r in rows],
                        columns=[c.name for c in table.c],
                    )
        await conn.execute("ANALYZE")
        await conn.execute("CHECKPOINT")  # so no checkpoint of the load lands in a timed run
    finally:
        await conn.close()


def bulk_sqlite(path: str, target: Target, start: int, count: int) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        for us, ms, ts in bulk_rows(target, start, count):
            with engine.begin() as conn:
                conn.execute(users.insert(), us)
                conn.execute(memberships.insert(), ms)
                conn.execute(tokens.insert(), ts)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


async def enrol_working_set(base: str, key: str, resource_id: str, count: int) -> list[Member]:
    """``count`` users in the resource, each with one HOTP token enrolled by the API."""
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base + "/api/v1", headers=headers, timeout=60) as c:
        gate = asyncio.Semaphore(16)

        async def one(i: int) -> Member:
            async with gate:
                login = f"user{i:06d}"
                user = (await c.post("/users", json={"login": login})).raise_for_status().json()
                (await c.put(f"/resources/{resource_id}/users/{user['id']}")).raise_for_status()
                body = {"kind": "hotp", "user_id": user["id"]}
                tok = (await c.post("/tokens", json=body)).raise_for_status().json()
                return Member(login, b32decode(tok["enrollment"]["secret_b32"]))

        return list(await asyncio.gather(*(one(i) for i in range(count))))


async def create_resource(base: str, key: str, name: str) -> str:
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base + "/api/v1", headers=headers, timeout=60) as c:
        res = await c.post("/resources", json={"name": name, "policy": {}})
        return str(res.raise_for_status().json()["id"])


# Every rule of a resource policy at work on every request: the staff resource of
# DESIGN.md (kinds, office networks with a deny hole, countries, business hours
# widened to the whole week so the run is not refused at night).
FULL_POLICY: dict[str, Any] = {
    "allowed_kinds": ["hotp", "totp"],
    "ip": {"allow": ["176.36.0.0/16", "10.0.0.0/8"], "deny": ["176.36.99.0/24"]},
    "geo": {"allow": ["UA", "PL"], "unknown": "deny"},
    "schedule": {
        "timezone": "Europe/Kyiv",
        "windows": [
            {
                "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "start": "00:00",
                "end": "24:00",
            }
        ],
    },
    "lockout": {"max_failures": 5, "duration_s": 900},
}
# Addresses the embedded country database puts in UA, inside the allowed network.
FULL_POLICY_IPS = [f"176.36.{i // 250}.{i % 250 + 1}" for i in range(1000)]


async def set_policy(base: str, key: str, resource_id: str, policy: dict[str, Any]) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base + "/api/v1", headers=headers, timeout=60) as c:
        res = await c.patch(f"/resources/{resource_id}", json={"policy": policy})
        res.raise_for_status()
