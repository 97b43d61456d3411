"""Resources, users and memberships: the tenant's directory."""

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.paging import page
from watchword.store.records import Page, Resource, User
from watchword.store.tables import memberships, resources, users
from watchword.store.types import new_id


class ResourceRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(
        self, tenant_id: str, name: str, policy: dict[str, Any], now: datetime
    ) -> Resource:
        res = Resource(
            id=new_id(),
            tenant_id=tenant_id,
            name=name,
            policy=policy,
            version=1,
            created_at=now,
            updated_at=now,
        )
        await self.conn.execute(resources.insert().values(**_fields(res)))
        return res

    async def get(self, tenant_id: str, resource_id: str) -> Resource | None:
        query = select(resources).where(
            resources.c.id == resource_id, resources.c.tenant_id == tenant_id
        )
        row = (await self.conn.execute(query)).first()
        return Resource(**row._mapping) if row else None

    async def version(self, tenant_id: str, resource_id: str) -> int | None:
        query = select(resources.c.version).where(
            resources.c.id == resource_id, resources.c.tenant_id == tenant_id
        )
        return (await self.conn.execute(query)).scalar()

    async def find(self, tenant_id: str, limit: int, cursor: str | None) -> Page:
        query = select(resources).where(resources.c.tenant_id == tenant_id)
        return await page(self.conn, query, resources.c.id, Resource, limit, cursor)

    async def update(self, tenant_id: str, resource_id: str, now: datetime, **values: Any) -> bool:
        result = await self.conn.execute(
            update(resources)
            .where(resources.c.id == resource_id, resources.c.tenant_id == tenant_id)
            .values(**values, updated_at=now, version=resources.c.version + 1)
        )
        return bool(result.rowcount)

    async def delete(self, tenant_id: str, resource_id: str) -> bool:
        result = await self.conn.execute(
            delete(resources).where(
                resources.c.id == resource_id, resources.c.tenant_id == tenant_id
            )
        )
        return bool(result.rowcount)

    async def add_member(self, resource_id: str, user_id: str, now: datetime) -> None:
        exists = await self.is_member(resource_id, user_id)
        if not exists:
            await self.conn.execute(
                memberships.insert().values(
                    resource_id=resource_id, user_id=user_id, created_at=now
                )
            )

    async def remove_member(self, resource_id: str, user_id: str) -> bool:
        result = await self.conn.execute(
            delete(memberships).where(
                memberships.c.resource_id == resource_id, memberships.c.user_id == user_id
            )
        )
        return bool(result.rowcount)

    async def is_member(self, resource_id: str, user_id: str) -> bool:
        query = select(memberships.c.user_id).where(
            memberships.c.resource_id == resource_id, memberships.c.user_id == user_id
        )
        return (await self.conn.execute(query)).first() is not None


class UserRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, tenant_id: str, login: str, now: datetime, **fields: Any) -> User:
        user = User(
            id=new_id(),
            tenant_id=tenant_id,
            login=login,
            created_at=now,
            display_name=fields.get("display_name"),
            email=fields.get("email"),
            phone=fields.get("phone"),
            locale=fields.get("locale"),
        )
        await self.conn.execute(users.insert().values(**_fields(user)))
        return user

    async def get(self, tenant_id: str, user_id: str) -> User | None:
        query = select(users).where(users.c.id == user_id, users.c.tenant_id == tenant_id)
        row = (await self.conn.execute(query)).first()
        return User(**row._mapping) if row else None

    async def by_login(self, tenant_id: str, login: str) -> User | None:
        query = select(users).where(users.c.login == login, users.c.tenant_id == tenant_id)
        row = (await self.conn.execute(query)).first()
        return User(**row._mapping) if row else None

    async def find(
        self, tenant_id: str, limit: int, cursor: str | None, login: str | None = None
    ) -> Page:
        query = select(users).where(users.c.tenant_id == tenant_id)
        if login is not None:
            query = query.where(users.c.login == login)
        return await page(self.conn, query, users.c.id, User, limit, cursor)

    async def update(self, tenant_id: str, user_id: str, **values: Any) -> bool:
        result = await self.conn.execute(
            update(users)
            .where(users.c.id == user_id, users.c.tenant_id == tenant_id)
            .values(**values)
        )
        return bool(result.rowcount)

    async def delete(self, tenant_id: str, user_id: str) -> bool:
        result = await self.conn.execute(
            delete(users).where(users.c.id == user_id, users.c.tenant_id == tenant_id)
        )
        return bool(result.rowcount)


def _fields(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__slots__}
