"""Keyset paging on time-ordered ids: ``?limit=&cursor=`` where cursor is the last id."""

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.records import Page

MAX_LIMIT = 500


async def page(
    conn: AsyncConnection,
    query: Select[Any],
    id_column: Any,
    record: type,
    limit: int,
    cursor: str | None,
) -> Page:
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor:
        query = query.where(id_column > cursor)
    rows = (await conn.execute(query.order_by(id_column).limit(limit + 1))).mappings().all()
    items = [record(**row) for row in rows[:limit]]
    return Page(items=items, next=items[-1].id if len(rows) > limit else None)
