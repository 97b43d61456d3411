"""What the CLI commands do; each opens the environment, runs a use case, closes it."""

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from watchword.bootstrap import build_env, build_keyring
from watchword.cli.workers import reuseport_supported, run_workers
from watchword.config import Settings
from watchword.services import tenants
from watchword.services.env import Env
from watchword.services.rotation import key_census, rotate_all
from watchword.store.db import upgrade as db_upgrade
from watchword.store.keyring import add_key_to_file, load_or_create_key_file


@asynccontextmanager
async def opened(settings: Settings) -> AsyncIterator[Env]:
    env = build_env(settings)
    try:
        yield env
    finally:
        await env.db.dispose()


async def upgrade(settings: Settings) -> None:
    await db_upgrade(settings.database_url)


async def _embedded_upgrade(settings: Settings) -> None:
    # The embedded default migrates by itself; PostgreSQL is migrated on purpose.
    if settings.is_sqlite:
        await upgrade(settings)


async def create_tenant(settings: Settings, name: str) -> dict[str, Any]:
    await _embedded_upgrade(settings)
    async with opened(settings) as env:
        tenant, issued = await tenants.create_tenant(env, name)
    return {"tenant": {"id": tenant.id, "name": tenant.name}, "api_key": issued.secret}


async def create_api_key(
    settings: Settings,
    tenant_id: str,
    scope: str,
    label: str | None,
    networks: list[str] | None,
) -> dict[str, Any]:
    async with opened(settings) as env:
        issued = await tenants.create_api_key(env, tenant_id, scope, label, networks)
    return {"id": issued.key.id, "scope": issued.key.scope, "api_key": issued.secret}


async def revoke_api_key(settings: Settings, key_id: str) -> None:
    async with opened(settings) as env:
        await tenants.revoke_api_key(env, key_id)


async def rotate_keys(settings: Settings) -> dict[str, Any]:
    if not settings.master_key:
        load_or_create_key_file(settings.key_file)
        add_key_to_file(settings.key_file)
    async with opened(settings) as env:
        env.keyring = build_keyring(settings)
        counts = await rotate_all(env)
    return {
        "current_key_id": env.keyring.current_id,
        "reencrypted": sum(counts.values()),
        "by_kind": counts,
    }


async def key_status(settings: Settings) -> dict[str, Any]:
    """Per kind, values under each key id; an old key may be dropped when it has none."""
    async with opened(settings) as env:
        census = await key_census(env)
    in_use = {k for by_key in census.values() for k in by_key}
    return {
        "current_key_id": env.keyring.current_id,
        "configured_key_ids": env.keyring.key_ids,
        "unused_key_ids": [
            k for k in env.keyring.key_ids if k not in in_use and k != env.keyring.current_id
        ],
        "by_kind": census,
    }


async def demo_tenant(settings: Settings) -> str | None:
    """On the first run of the embedded default, make a demo tenant; its key is shown once."""
    marker = settings.data_dir / "demo-tenant.json"
    if marker.exists():
        return None
    result = await create_tenant(settings, "Demo")
    marker.write_text(json.dumps({"tenant": result["tenant"]}))
    return str(result["api_key"])


def serve(settings: Settings, host: str, port: int, workers: int, demo: bool) -> int:
    import uvicorn

    asyncio.run(_embedded_upgrade(settings))
    if demo:
        key = asyncio.run(demo_tenant(settings))
        if key:
            print(f"\n  Demo tenant created. Its admin API key (shown once):\n\n    {key}\n")
    options: dict[str, Any] = dict(
        log_level=settings.log_level, access_log=False, proxy_headers=False
    )
    if workers > 1:
        _metrics_folder(settings)
    if workers > 1 and reuseport_supported():
        return run_workers(host, port, workers, options)
    uvicorn.run(
        "watchword.bootstrap:build_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **options,
    )
    return 0


def _metrics_folder(settings: Settings) -> None:
    """Several processes share their Prometheus samples through files in one folder,
    emptied at each start (samples of processes that are gone must not count)."""
    import shutil

    folder = settings.data_dir / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(folder))


def human(result: Any) -> str:
    if isinstance(result, dict):
        return "\n".join(
            f"{k}: {json.dumps(v) if isinstance(v, dict) else v}" for k, v in result.items()
        )
    return str(result)
