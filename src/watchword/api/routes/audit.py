"""/audit (admin)."""

from typing import Annotated

from fastapi import APIRouter, Query

from watchword.api.deps import AdminDep, EnvDep
from watchword.api.routes.paging import Cursor, Limit
from watchword.api.schemas import AuditOut, ListOut

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=ListOut[AuditOut])
async def list_(
    env: EnvDep,
    caller: AdminDep,
    action: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> ListOut[AuditOut]:
    async with env.db.uow() as uow:
        page = await uow.audit.find(caller.tenant_id, limit, cursor, action)
    return ListOut[AuditOut](items=[AuditOut.of(a) for a in page.items], next=page.next)
