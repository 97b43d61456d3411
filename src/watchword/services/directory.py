"""Resources (groups of users with a policy), users and memberships."""

from typing import Any

from sqlalchemy.exc import IntegrityError

from watchword.services.env import Caller, Env
from watchword.services.errors import Conflict, NotFound
from watchword.services.policies import parse_policy
from watchword.store.records import Page, Resource, User


async def create_resource(
    env: Env, caller: Caller, name: str, policy: dict[str, Any] | None
) -> Resource:
    document = parse_policy(policy).model_dump(mode="json", exclude_unset=True)
    now = env.clock()
    async with env.db.uow() as uow:
        res = await uow.resources.add(caller.tenant_id, name, document, now)
        await _audit(uow, caller, "resource.create", "resource", res.id, now)
    return res


async def get_resource(env: Env, caller: Caller, resource_id: str) -> Resource:
    async with env.db.uow() as uow:
        res = await uow.resources.get(caller.tenant_id, resource_id)
    if res is None:
        raise NotFound("no such resource")
    return res


async def list_resources(env: Env, caller: Caller, limit: int, cursor: str | None) -> Page:
    async with env.db.uow() as uow:
        return await uow.resources.find(caller.tenant_id, limit, cursor)


async def update_resource(
    env: Env, caller: Caller, resource_id: str, changes: dict[str, Any]
) -> Resource:
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = changes["name"]
    if "policy" in changes:
        values["policy"] = parse_policy(changes["policy"]).model_dump(
            mode="json", exclude_unset=True
        )
    now = env.clock()
    async with env.db.uow() as uow:
        if not await uow.resources.update(caller.tenant_id, resource_id, now, **values):
            raise NotFound("no such resource")
        await _audit(uow, caller, "resource.update", "resource", resource_id, now, sorted(values))
        res = await uow.resources.get(caller.tenant_id, resource_id)
    assert res is not None
    return res


async def delete_resource(env: Env, caller: Caller, resource_id: str) -> None:
    now = env.clock()
    async with env.db.uow() as uow:
        if not await uow.resources.delete(caller.tenant_id, resource_id):
            raise NotFound("no such resource")
        await _audit(uow, caller, "resource.delete", "resource", resource_id, now)


async def create_user(env: Env, caller: Caller, login: str, **fields: Any) -> User:
    now = env.clock()
    try:
        async with env.db.uow() as uow:
            if await uow.users.by_login(caller.tenant_id, login):
                raise Conflict(f"login {login!r} exists", "login_taken")
            user = await uow.users.add(caller.tenant_id, login, now, **fields)
            await _audit(uow, caller, "user.create", "user", user.id, now)
    except IntegrityError:
        # Two concurrent creations: the unique constraint decides.
        raise Conflict(f"login {login!r} exists", "login_taken") from None
    return user


async def get_user(env: Env, caller: Caller, user_id: str) -> User:
    async with env.db.uow() as uow:
        user = await uow.users.get(caller.tenant_id, user_id)
    if user is None:
        raise NotFound("no such user")
    return user


async def list_users(
    env: Env, caller: Caller, limit: int, cursor: str | None, login: str | None
) -> Page:
    async with env.db.uow() as uow:
        return await uow.users.find(caller.tenant_id, limit, cursor, login)


async def update_user(env: Env, caller: Caller, user_id: str, changes: dict[str, Any]) -> User:
    now = env.clock()
    try:
        async with env.db.uow() as uow:
            if "login" in changes:
                other = await uow.users.by_login(caller.tenant_id, changes["login"])
                if other is not None and other.id != user_id:
                    raise Conflict(f"login {changes['login']!r} exists", "login_taken")
            if changes and not await uow.users.update(caller.tenant_id, user_id, **changes):
                raise NotFound("no such user")
            user = await uow.users.get(caller.tenant_id, user_id)
            if user is None:
                raise NotFound("no such user")
            await _audit(uow, caller, "user.update", "user", user_id, now, sorted(changes))
    except IntegrityError:
        raise Conflict("login exists", "login_taken") from None
    return user


async def delete_user(env: Env, caller: Caller, user_id: str) -> None:
    now = env.clock()
    async with env.db.uow() as uow:
        if not await uow.users.delete(caller.tenant_id, user_id):
            raise NotFound("no such user")
        await _audit(uow, caller, "user.delete", "user", user_id, now)


async def set_membership(
    env: Env, caller: Caller, resource_id: str, user_id: str, member: bool
) -> None:
    now = env.clock()
    async with env.db.uow() as uow:
        if await uow.resources.get(caller.tenant_id, resource_id) is None:
            raise NotFound("no such resource")
        if await uow.users.get(caller.tenant_id, user_id) is None:
            raise NotFound("no such user")
        if member:
            await uow.resources.add_member(resource_id, user_id, now)
        elif not await uow.resources.remove_member(resource_id, user_id):
            raise NotFound("the user is not a member of this resource")
        action = "membership.add" if member else "membership.remove"
        await _audit(uow, caller, action, "resource", resource_id, now, {"user_id": user_id})


async def _audit(
    uow: Any,
    caller: Caller,
    action: str,
    target_type: str,
    target_id: str,
    now: Any,
    detail: Any = None,
) -> None:
    await uow.audit.add(
        caller.tenant_id,
        action,
        now,
        actor=caller.key_id,
        target_type=target_type,
        target_id=target_id,
        detail={"fields": detail} if isinstance(detail, list) else detail,
    )
