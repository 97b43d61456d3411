"""The composition root: settings -> engine -> key ring -> environment -> app.

Nothing here runs at import time; every process (API worker, CLI, worker) calls
these functions once.
"""

import asyncio
import contextlib

import httpx
from fastapi import FastAPI

from watchword.api.app import create_app
from watchword.config import Settings
from watchword.delivery.worker import Worker
from watchword.policy.geo import country_lookup
from watchword.services.alerts import LockAlertSink
from watchword.services.env import Env
from watchword.services.transaction_delivery import OutboxTransactionSender
from watchword.store.db import create_engine
from watchword.store.keyring import KeyRing, load_or_create_key_file, parse_keys
from watchword.store.uow import Database


def build_keyring(settings: Settings) -> KeyRing:
    if settings.master_key:
        return KeyRing(parse_keys(settings.master_key))
    return KeyRing(load_or_create_key_file(settings.key_file))


def build_env(settings: Settings) -> Env:
    engine = create_engine(settings.database_url, pool_size=settings.db_pool_size)
    env = Env(
        db=Database(engine),
        keyring=build_keyring(settings),
        country_of=country_lookup(str(settings.geoip_db) if settings.geoip_db else None),
        trusted_proxies=settings.trusted_proxies,
    )
    env.events = LockAlertSink(env.db, env.keyring, env.clock)
    env.transaction_codes = OutboxTransactionSender(env.keyring, env.clock)
    return env


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    env = build_env(settings)
    app = create_app(env, max_body_bytes=settings.max_body_bytes)
    if settings.inprocess_worker:
        attach_worker(app, env)
    app.router.add_event_handler("shutdown", env.db.dispose)
    return app


def build_worker(env: Env, client: httpx.AsyncClient) -> Worker:
    return Worker(env.db, env.keyring, env.clock, client)


def attach_worker(app: FastAPI, env: Env) -> None:
    """Run the delivery worker as a task of the app's lifespan (the embedded default)."""
    stop = asyncio.Event()
    running: list[tuple[asyncio.Task[None], httpx.AsyncClient]] = []

    async def start() -> None:
        client = httpx.AsyncClient(timeout=10)
        task = asyncio.create_task(build_worker(env, client).run(stop))
        running.append((task, client))

    async def shutdown() -> None:
        stop.set()
        for task, client in running:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, timeout=15)
            await client.aclose()

    app.router.add_event_handler("startup", start)
    app.router.add_event_handler("shutdown", shutdown)


async def run_worker(settings: Settings, once: bool = False) -> int:
    """The `watchword worker` command: send until interrupted (or one pass)."""
    env = build_env(settings)
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            worker = build_worker(env, client)
            if once:
                return await worker.run_once()
            stop = asyncio.Event()
            await worker.run(stop)
            return 0
    finally:
        await env.db.dispose()
