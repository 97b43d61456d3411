"""Plain records that repositories return (no ORM objects leave the store)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Tenant:
    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    tenant_id: str
    scope: str
    label: str | None
    allowed_networks: list[str] | None
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class Resource:
    id: str
    tenant_id: str
    name: str
    policy: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class User:
    id: str
    tenant_id: str
    login: str
    display_name: str | None
    email: str | None
    phone: str | None
    locale: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Token:
    id: str
    tenant_id: str
    user_id: str | None
    kind: str
    serial: str
    label: str | None
    origin: str
    enabled: bool
    digits: int
    algorithm: str
    period: int
    ocra_suite: str | None
    destination: str | None
    counter: int
    drift: int
    fail_count: int
    locked_until: datetime | None
    secret: bytes | None
    secret_key_id: str | None
    batch_id: str | None
    model: str | None
    created_at: datetime
    last_used_at: datetime | None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: str
    tenant_id: str
    at: datetime
    actor: str | None
    action: str
    target_type: str | None
    target_id: str | None
    login: str | None
    result: str | None
    reason: str | None
    ip: str | None
    detail: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Any]
    next: str | None
