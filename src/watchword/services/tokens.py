"""Token administration: read, change, assign, resync, unlock, delete."""

from typing import Any

from watchword.kinds import TokenState, get_kind
from watchword.otp.compare import normalize_code
from watchword.services.env import Caller, Env
from watchword.services.errors import Conflict, InvalidInput, NotFound
from watchword.services.seeds import open_seed
from watchword.store.records import Page, Token

EDITABLE = ("label", "enabled")


async def get_token(env: Env, caller: Caller, token_id: str) -> Token:
    async with env.db.uow() as uow:
        token = await uow.tokens.get(caller.tenant_id, token_id)
    if token is None:
        raise NotFound("no such token")
    return token


async def list_tokens(
    env: Env, caller: Caller, limit: int, cursor: str | None, **filters: Any
) -> Page:
    async with env.db.uow() as uow:
        return await uow.tokens.find(caller.tenant_id, limit, cursor, **filters)


async def update_token(env: Env, caller: Caller, token_id: str, changes: dict[str, Any]) -> Token:
    values = {k: v for k, v in changes.items() if k in EDITABLE}
    return await _change(env, caller, token_id, "token.update", values)


async def delete_token(env: Env, caller: Caller, token_id: str) -> None:
    now = env.clock()
    async with env.db.uow() as uow:
        if not await uow.tokens.delete(caller.tenant_id, token_id):
            raise NotFound("no such token")
        await uow.audit.add(
            caller.tenant_id,
            "token.delete",
            now,
            actor=caller.key_id,
            target_type="token",
            target_id=token_id,
        )


async def assign(env: Env, caller: Caller, token_id: str, user_id: str) -> Token:
    now = env.clock()
    async with env.db.uow() as uow:
        if await uow.users.get(caller.tenant_id, user_id) is None:
            raise NotFound("no such user")
        token = await uow.tokens.get(caller.tenant_id, token_id)
        if token is None:
            raise NotFound("no such token")
        if token.user_id is not None and token.user_id != user_id:
            raise Conflict("the token is assigned to another user; unassign it first", "assigned")
        await uow.tokens.update(caller.tenant_id, token_id, user_id=user_id)
        await uow.audit.add(
            caller.tenant_id,
            "token.assign",
            now,
            actor=caller.key_id,
            target_type="token",
            target_id=token_id,
            detail={"user_id": user_id},
        )
        updated = await uow.tokens.get(caller.tenant_id, token_id)
    assert updated is not None
    return updated


async def unassign(env: Env, caller: Caller, token_id: str) -> Token:
    return await _change(env, caller, token_id, "token.unassign", {"user_id": None})


async def unlock(env: Env, caller: Caller, token_id: str) -> Token:
    return await _change(
        env, caller, token_id, "token.unlock", {"fail_count": 0, "locked_until": None}
    )


async def resync(env: Env, caller: Caller, token_id: str, otp1: str, otp2: str) -> Token:
    now = env.clock()
    token = await get_token(env, caller, token_id)
    kind = get_kind(token.kind)
    if not kind.has_seed or token.secret is None:
        raise InvalidInput("only HOTP/TOTP tokens can be resynchronised", "unsupported_kind")
    state = TokenState(token.digits, token.algorithm, token.period, token.counter, token.drift)
    found = kind.resync(
        state,
        open_seed(env.keyring, token),
        normalize_code(otp1),
        normalize_code(otp2),
        now.timestamp(),
    )
    async with env.db.uow() as uow:
        ok = found.matched and await uow.tokens.set_counter(
            token.id, found.counter, found.drift, now
        )
        await uow.audit.add(
            caller.tenant_id,
            "token.resync",
            now,
            actor=caller.key_id,
            target_type="token",
            target_id=token.id,
            result="accepted" if ok else "rejected",
        )
    if not ok:
        raise InvalidInput("the two codes are not consecutive codes of this token", "resync_failed")
    return await get_token(env, caller, token_id)


async def _change(
    env: Env, caller: Caller, token_id: str, action: str, values: dict[str, Any]
) -> Token:
    now = env.clock()
    async with env.db.uow() as uow:
        found = await uow.tokens.get(caller.tenant_id, token_id)
        if found is None:
            raise NotFound("no such token")
        if values:
            await uow.tokens.update(caller.tenant_id, token_id, **values)
        await uow.audit.add(
            caller.tenant_id,
            action,
            now,
            actor=caller.key_id,
            target_type="token",
            target_id=token_id,
            detail={"fields": sorted(values)} if values else None,
        )
        token = await uow.tokens.get(caller.tenant_id, token_id)
    assert token is not None
    return token
