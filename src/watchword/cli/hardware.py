"""`watchword tokens import`: load a vendor seed file into a tenant's inventory."""

import asyncio
from pathlib import Path
from typing import Any

from watchword.cli.admin import opened
from watchword.config import Settings
from watchword.services import inventory
from watchword.services.env import Caller
from watchword.services.errors import InvalidInput, NotFound, TooLarge


async def import_file(
    settings: Settings,
    tenant_id: str,
    path: Path,
    key_hex: str | None,
    password: str | None,
    vendor: str | None,
    model: str | None,
) -> dict[str, Any]:
    req = inventory.ImportRequest(
        data=await asyncio.to_thread(read, path),
        filename=path.name,
        key_hex=key_hex,
        password=password,
        vendor=vendor,
        model=model,
    )
    async with opened(settings) as env:
        async with env.db.uow() as uow:
            if await uow.tenants.get(tenant_id) is None:
                raise NotFound("no such tenant")
        caller = Caller(tenant_id=tenant_id, key_id="cli", scope="admin")
        result = await inventory.import_tokens(env, caller, req)
    return {
        "batch_id": result.batch_id,
        "imported": result.imported,
        "serials": result.serials,
        "skipped": [{"serial": s.serial, "reason": s.reason} for s in result.skipped],
    }


def read(path: Path) -> bytes:
    try:
        if path.stat().st_size > inventory.MAX_FILE_BYTES:
            raise TooLarge(f"{path} exceeds {inventory.MAX_FILE_BYTES} bytes", "too_large")
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", "unreadable") from None
