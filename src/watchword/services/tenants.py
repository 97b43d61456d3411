"""Tenants and API keys: keys are 256-bit random, shown once, stored as SHA-256."""

import hashlib
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime

from watchword.policy.model import IPNetwork
from watchword.services.env import Caller, Env
from watchword.services.errors import InvalidInput, NotFound, Unauthenticated
from watchword.store.records import ApiKey, Tenant
from watchword.store.uow import UnitOfWork

SCOPES = ("admin", "auth")
KEY_PREFIX = "ww_"


def hash_key(api_key: str) -> bytes:
    return hashlib.sha256(api_key.encode()).digest()


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str


async def create_tenant(env: Env, name: str) -> tuple[Tenant, IssuedKey]:
    if not name.strip():
        raise InvalidInput("tenant name must not be empty")
    now = env.clock()
    async with env.db.uow() as uow:
        tenant = await uow.tenants.add(name.strip(), now)
        issued = await _issue(uow, tenant.id, "admin", "initial admin key", None, now)
        await uow.audit.add(
            tenant.id, "tenant.create", now, target_type="tenant", target_id=tenant.id
        )
    return tenant, issued


async def create_api_key(
    env: Env,
    tenant_id: str,
    scope: str,
    label: str | None = None,
    allowed_networks: list[str] | None = None,
) -> IssuedKey:
    if scope not in SCOPES:
        raise InvalidInput(f"scope must be one of {', '.join(SCOPES)}")
    networks = None
    if allowed_networks:
        try:
            networks = [str(ipaddress.ip_network(n, strict=False)) for n in allowed_networks]
        except ValueError as exc:
            raise InvalidInput(f"allowed network: {exc}") from None
    now = env.clock()
    async with env.db.uow() as uow:
        if await uow.tenants.get(tenant_id) is None:
            raise NotFound("no such tenant")
        issued = await _issue(uow, tenant_id, scope, label, networks, now)
        await uow.audit.add(
            tenant_id,
            "apikey.create",
            now,
            target_type="api_key",
            target_id=issued.key.id,
            detail={"scope": scope},
        )
    return issued


async def _issue(
    uow: UnitOfWork,
    tenant_id: str,
    scope: str,
    label: str | None,
    networks: list[str] | None,
    now: datetime,
) -> IssuedKey:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = await uow.tenants.add_key(tenant_id, hash_key(secret), scope, label, networks, now)
    return IssuedKey(key=key, secret=secret)


async def revoke_api_key(env: Env, key_id: str) -> None:
    async with env.db.uow() as uow:
        if not await uow.tenants.revoke_key(key_id, env.clock()):
            raise NotFound("no such active API key")
    env.api_keys.clear()


async def authenticate(env: Env, api_key: str | None) -> tuple[Caller, list[IPNetwork]]:
    """The caller of a key, and the source networks the key is limited to (empty: any)."""
    if not api_key:
        raise Unauthenticated("an API key is required: Authorization: Bearer <key>", "no_api_key")
    digest = hash_key(api_key)
    cached = env.api_keys.get(digest)
    if cached is not None:
        return cached
    async with env.db.uow() as uow:
        key = await uow.tenants.key_by_hash(digest)
    if key is None:
        raise Unauthenticated("the API key is not valid", "bad_api_key")
    networks = [ipaddress.ip_network(n) for n in key.allowed_networks or []]
    found = Caller(tenant_id=key.tenant_id, key_id=key.id, scope=key.scope), networks
    env.api_keys.put(digest, found)
    return found
