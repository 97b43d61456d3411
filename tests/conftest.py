"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL.

PostgreSQL tests create and drop their own database on 127.0.0.1:5432. They skip
when the server is unreachable, except in CI (CI=true), where they fail.
"""

import base64
import os
import secrets
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
import pytest

from watchword.api.app import create_app
from watchword.services.env import Env
from watchword.services.tenants import create_tenant
from watchword.store.db import create_engine, upgrade
from watchword.store.keyring import KeyRing
from watchword.store.uow import Database

PG_ADMIN_DSN = os.environ.get("WATCHWORD_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=3).close()
    except OSError:
        return False
    return True


_PG_OK: bool | None = None


def require_pg() -> None:
    global _PG_OK
    if _PG_OK is None:
        _PG_OK = pg_available()
    if not _PG_OK:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL on 127.0.0.1:5432 is unreachable (required in CI)")
        pytest.skip("PostgreSQL on 127.0.0.1:5432 is unreachable")


async def create_pg_database() -> tuple[str, str]:
    name = f"ww_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]
    return name, f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://")


async def drop_pg_database(name: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'watchword.db'}"
        await upgrade(url)
        yield url
        return
    require_pg()
    name, url = await create_pg_database()
    try:
        await upgrade(url)
        yield url
    finally:
        await drop_pg_database(name)


@pytest.fixture
def master_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


class Clock:
    """A settable clock: tests move time instead of sleeping."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def __call__(self) -> datetime:
        return self.now if self.now is not None else datetime.now(UTC)


@pytest.fixture
async def env(db_url: str, master_key: str) -> AsyncIterator[Env]:
    engine = create_engine(db_url, pool_size=20)
    environment = Env(
        db=Database(engine), keyring=KeyRing([base64.b64decode(master_key)]), clock=Clock()
    )
    yield environment
    await engine.dispose()


@dataclass
class Api:
    """An HTTP client on the app, holding one tenant's admin key."""

    client: httpx.AsyncClient
    env: Env
    tenant_id: str
    admin_key: str

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.admin_key}"}

    async def post(self, path: str, json: object = None, key: str | None = None) -> httpx.Response:
        return await self.client.post(f"/api/v1{path}", json=json, headers=self.headers(key))

    async def get(self, path: str, key: str | None = None, **params: object) -> httpx.Response:
        return await self.client.get(f"/api/v1{path}", params=params, headers=self.headers(key))

    async def patch(self, path: str, json: object, key: str | None = None) -> httpx.Response:
        return await self.client.patch(f"/api/v1{path}", json=json, headers=self.headers(key))

    async def put(self, path: str, key: str | None = None) -> httpx.Response:
        return await self.client.put(f"/api/v1{path}", headers=self.headers(key))

    async def delete(self, path: str, key: str | None = None) -> httpx.Response:
        return await self.client.delete(f"/api/v1{path}", headers=self.headers(key))


@pytest.fixture
async def api(env: Env) -> AsyncIterator[Api]:
    tenant, issued = await create_tenant(env, "Acme Pay")
    app = create_app(env)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Api(client=client, env=env, tenant_id=tenant.id, admin_key=issued.secret)


@pytest.fixture
async def other_tenant(api: Api) -> Api:
    tenant, issued = await create_tenant(api.env, "Other Bank")
    return Api(client=api.client, env=api.env, tenant_id=tenant.id, admin_key=issued.secret)


@pytest.fixture
def clock(env: Env) -> Clock:
    assert isinstance(env.clock, Clock)
    return env.clock


MakeUser = Callable[..., object]
