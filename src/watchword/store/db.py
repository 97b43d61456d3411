"""Engine creation and migrations."""

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).parent / "migrations"


def _ensure_sqlite_folder(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return True


def create_engine(url: str, *, pool_size: int = 20) -> AsyncEngine:
    """An engine whose pool keeps ``pool_size`` connections open.

    Connections beyond the pool are closed on return; on PostgreSQL each new one
    costs a backend process, so size the pool for the concurrency a process sees.
    """
    if _ensure_sqlite_folder(url):
        engine = create_async_engine(
            url, connect_args={"timeout": 30}, pool_size=pool_size, max_overflow=pool_size
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        # No TLS negotiation on every new connection unless the URL asks for it.
        connect_args={} if "ssl" in url else {"ssl": False},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # aiosqlite's driver-level autocommit is off: SQLAlchemy issues BEGIN itself.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(url: str) -> None:
    """Apply every migration (idempotent)."""
    _ensure_sqlite_folder(url)
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run_upgrade, url)
    finally:
        await engine.dispose()


def _run_upgrade(sync_conn: Any, url: str) -> None:
    cfg = alembic_config(url)
    cfg.attributes["connection"] = sync_conn
    command.upgrade(cfg, "head")


async def drop_all(conn: AsyncConnection) -> None:
    from watchword.store.tables import metadata

    await conn.run_sync(metadata.drop_all)
