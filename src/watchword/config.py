"""Settings, read once from the environment at startup and validated."""

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ConfigError(Exception):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("./watchword-data")
    database_url: str = ""
    master_key: str | None = None
    geoip_db: Path | None = None
    trusted_proxies: tuple[Network, ...] = field(default_factory=tuple)
    # Run the delivery worker inside the API process (embedded default).
    inprocess_worker: bool = True
    max_body_bytes: int = 1024 * 1024
    # Database connections each process keeps open.
    db_pool_size: int = 20
    log_level: str = "info"

    @property
    def key_file(self) -> Path:
        return self.data_dir / "master.key"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        data_dir = Path(env.get("WATCHWORD_DATA_DIR", "./watchword-data"))
        url = env.get("WATCHWORD_DATABASE_URL") or f"sqlite:///{data_dir / 'watchword.db'}"
        proxies: list[Network] = []
        for item in env.get("WATCHWORD_TRUSTED_PROXIES", "").split(","):
            if item.strip():
                try:
                    proxies.append(ipaddress.ip_network(item.strip(), strict=False))
                except ValueError:
                    raise ConfigError(f"WATCHWORD_TRUSTED_PROXIES: bad network {item!r}") from None
        geoip = env.get("WATCHWORD_GEOIP_DB")
        return cls(
            data_dir=data_dir,
            database_url=normalize_url(url),
            master_key=env.get("WATCHWORD_MASTER_KEY") or None,
            geoip_db=Path(geoip) if geoip else None,
            trusted_proxies=tuple(proxies),
            inprocess_worker=env.get("WATCHWORD_INPROCESS_WORKER", "1") not in ("0", "false"),
            log_level=env.get("WATCHWORD_LOG_LEVEL", "info"),
            db_pool_size=_positive_int(env, "WATCHWORD_DB_POOL_SIZE", 20),
        )


def normalize_url(url: str) -> str:
    """Accept the usual URL spellings and pick the async driver for each database."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url.split("://", 1)[1]
    if url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        return url
    raise ConfigError("WATCHWORD_DATABASE_URL must be a postgresql:// or sqlite:/// URL")


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name)
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"{name} must be a positive integer")
    return int(text)
