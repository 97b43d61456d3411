"""Enrolment of app tokens (HOTP/TOTP): the server makes the seed and shows it once."""

import secrets
from dataclasses import dataclass
from typing import Any

import segno

from watchword.otp.uri import b32decode, b32encode, key_uri
from watchword.services.env import Caller, Env
from watchword.services.errors import InvalidInput, NotFound
from watchword.services.seeds import SEED_BYTES, seal_seed
from watchword.store.records import Token
from watchword.store.types import new_id

SEED_KINDS = ("hotp", "totp")
DIGITS = (6, 8)
PERIODS = (30, 60)


@dataclass(frozen=True)
class TokenRequest:
    kind: str
    user_id: str | None = None
    label: str | None = None
    digits: int = 6
    period: int = 30
    algorithm: str = "SHA1"
    secret_b32: str | None = None
    resource_id: str | None = None


@dataclass(frozen=True)
class Enrollment:
    secret_b32: str
    otpauth_uri: str
    qr_svg: str


def new_serial(kind: str) -> str:
    return f"{kind.upper()}{secrets.token_hex(6).upper()}"


def qr_svg(data: str) -> str:
    return str(segno.make(data, error="m").svg_inline(scale=4))


async def enrol_seed_token(env: Env, caller: Caller, req: TokenRequest) -> tuple[Token, Enrollment]:
    if req.kind not in SEED_KINDS:
        raise InvalidInput(f"kind {req.kind!r} is not enrolled this way", "unsupported_kind")
    if req.digits not in DIGITS:
        raise InvalidInput("digits must be 6 or 8")
    if req.period not in PERIODS:
        raise InvalidInput("period must be 30 or 60")
    if req.algorithm not in SEED_BYTES:
        raise InvalidInput("algorithm must be SHA1, SHA256 or SHA512")
    origin = "generated"
    if req.secret_b32 is not None:
        try:
            seed = b32decode(req.secret_b32)
        except ValueError:
            raise InvalidInput("secret_b32 is not base32") from None
        if len(seed) < 16:
            raise InvalidInput("secret_b32 must hold at least 128 bits (RFC 4226)")
        origin = "programmed"
    else:
        seed = secrets.token_bytes(SEED_BYTES[req.algorithm])
    stored = await store_seed_token(
        env,
        caller,
        SeedToken(
            kind=req.kind,
            seed=seed,
            origin=origin,
            user_id=req.user_id,
            label=req.label,
            resource_id=req.resource_id,
            digits=req.digits,
            algorithm=req.algorithm,
            period=req.period,
        ),
    )
    token = stored.token
    uri = key_uri(
        kind=req.kind,
        secret=seed,
        issuer=stored.issuer,
        account=stored.account,
        digits=req.digits,
        algorithm=req.algorithm,
        period=req.period,
        counter=0,
    )
    return token, Enrollment(secret_b32=b32encode(seed), otpauth_uri=uri, qr_svg=qr_svg(uri))


@dataclass(frozen=True)
class SeedToken:
    """A token with a seed, ready to be sealed and stored (HOTP, TOTP, OCRA)."""

    kind: str
    seed: bytes
    origin: str
    user_id: str | None
    label: str | None
    resource_id: str | None
    digits: int
    algorithm: str
    period: int
    ocra_suite: str | None = None
    pin_hash: bytes | None = None


@dataclass(frozen=True)
class StoredToken:
    token: Token
    seed: bytes
    issuer: str
    account: str  # the login, or the serial of an unassigned token


async def store_seed_token(env: Env, caller: Caller, new: SeedToken) -> StoredToken:
    """Seal the seed under the token's id and store the token and its audit row."""
    now = env.clock()
    token_id = new_id()
    sealed = seal_seed(env.keyring, token_id, new.seed)
    async with env.db.uow() as uow:
        account: str | None = None
        if new.user_id is not None:
            user = await uow.users.get(caller.tenant_id, new.user_id)
            if user is None:
                raise NotFound("no such user")
            account = user.login
        issuer = await _issuer(uow, caller, new.resource_id)
        serial = new_serial(new.kind)
        await uow.tokens.add(
            id=token_id,
            tenant_id=caller.tenant_id,
            user_id=new.user_id,
            kind=new.kind,
            serial=serial,
            label=new.label,
            origin=new.origin,
            enabled=True,
            digits=new.digits,
            algorithm=new.algorithm,
            period=new.period,
            ocra_suite=new.ocra_suite,
            counter=0,
            drift=0,
            fail_count=0,
            secret=sealed.blob,
            secret_key_id=sealed.key_id,
            created_at=now,
        )
        if new.pin_hash is not None:
            await uow.pins.set(
                token_id, env.keyring.seal(new.pin_hash, aad=f"token-pin:{token_id}")
            )
        detail: dict[str, Any] = {"kind": new.kind, "origin": new.origin}
        if new.ocra_suite:
            detail["ocra_suite"] = new.ocra_suite
        await uow.audit.add(
            caller.tenant_id,
            "token.enrol",
            now,
            actor=caller.key_id,
            target_type="token",
            target_id=token_id,
            login=account,
            detail=detail,
        )
        token = await uow.tokens.get(caller.tenant_id, token_id)
    assert token is not None
    return StoredToken(token, new.seed, issuer, account or serial)


async def _issuer(uow: Any, caller: Caller, resource_id: str | None) -> str:
    if resource_id is not None:
        res = await uow.resources.get(caller.tenant_id, resource_id)
        if res is None:
            raise NotFound("no such resource")
        return str(res.name)
    tenant = await uow.tenants.get(caller.tenant_id)
    return str(tenant.name) if tenant else "Watchword"
