"""Tenants and their API keys."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.records import ApiKey, Tenant
from watchword.store.tables import api_keys, tenants
from watchword.store.types import new_id

_KEY_COLUMNS = [c for c in api_keys.c if c.name != "key_hash"]


class TenantRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, name: str, now: datetime) -> Tenant:
        tenant = Tenant(id=new_id(), name=name, created_at=now)
        await self.conn.execute(tenants.insert().values(id=tenant.id, name=name, created_at=now))
        return tenant

    async def get(self, tenant_id: str) -> Tenant | None:
        row = (await self.conn.execute(select(tenants).where(tenants.c.id == tenant_id))).first()
        return Tenant(**row._mapping) if row else None

    async def add_key(
        self,
        tenant_id: str,
        key_hash: bytes,
        scope: str,
        label: str | None,
        allowed_networks: list[str] | None,
        now: datetime,
    ) -> ApiKey:
        key = ApiKey(
            id=new_id(),
            tenant_id=tenant_id,
            scope=scope,
            label=label,
            allowed_networks=allowed_networks,
            created_at=now,
            revoked_at=None,
        )
        await self.conn.execute(
            api_keys.insert().values(
                id=key.id,
                tenant_id=tenant_id,
                key_hash=key_hash,
                scope=scope,
                label=label,
                allowed_networks=allowed_networks,
                created_at=now,
            )
        )
        return key

    async def key_by_hash(self, key_hash: bytes) -> ApiKey | None:
        query = select(*_KEY_COLUMNS).where(
            api_keys.c.key_hash == key_hash, api_keys.c.revoked_at.is_(None)
        )
        row = (await self.conn.execute(query)).first()
        return ApiKey(**row._mapping) if row else None

    async def revoke_key(self, key_id: str, now: datetime) -> bool:
        result = await self.conn.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return bool(result.rowcount)
