"""The audit log: one row per decision and per admin change."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.paging import page
from watchword.store.records import AuditEntry, Page
from watchword.store.tables import audit
from watchword.store.types import new_id

# One statement for every row, so its compiled form is cached once.
_INSERT = audit.insert()
_EMPTY: dict[str, Any] = {c.name: None for c in audit.c}


class AuditRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, tenant_id: str, action: str, now: datetime, **fields: Any) -> None:
        row = {
            **_EMPTY,
            **fields,
            "id": new_id(),
            "tenant_id": tenant_id,
            "at": now,
            "action": action,
        }
        await self.conn.execute(_INSERT, row)

    async def find(
        self, tenant_id: str, limit: int, cursor: str | None, action: str | None = None
    ) -> Page:
        query = select(audit).where(audit.c.tenant_id == tenant_id)
        if action:
            query = query.where(audit.c.action == action)
        return await page(self.conn, query, audit.c.id, AuditEntry, limit, cursor)
