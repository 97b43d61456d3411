"""Enrolment of delivered tokens (sms, email, console, bots): no seed, a destination."""

import re
from datetime import datetime

from watchword.kinds import DELIVERED_KINDS
from watchword.services.enrol import new_serial
from watchword.services.env import Caller, Env
from watchword.services.errors import InvalidInput, NotFound
from watchword.store.records import Token
from watchword.store.types import new_id
from watchword.store.uow import UnitOfWork

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
CHAT_ID = re.compile(r"^[A-Za-z0-9_=+/@.:-]{1,128}$")


def check_destination(kind: str, destination: str | None) -> str:
    if destination is None:
        raise InvalidInput(f"a {kind} token needs a destination", "destination_required")
    if kind == "sms" and not E164.match(destination):
        raise InvalidInput("destination must be an E.164 phone number (+48...)", "bad_destination")
    if kind == "email" and not EMAIL.match(destination):
        raise InvalidInput("destination must be an e-mail address", "bad_destination")
    if kind == "console" and not (E164.match(destination) or EMAIL.match(destination)):
        raise InvalidInput("destination must be a phone number or e-mail", "bad_destination")
    if DELIVERED_KINDS[kind].bot and not CHAT_ID.match(destination):
        raise InvalidInput("destination must be the chat id", "bad_destination")
    return destination


async def enrol_delivered_token(
    env: Env,
    caller: Caller,
    kind: str,
    user_id: str | None,
    destination: str | None,
    label: str | None = None,
) -> Token:
    if kind not in DELIVERED_KINDS:
        raise InvalidInput(f"kind {kind!r} is not a delivered kind", "unsupported_kind")
    if user_id is None:
        raise InvalidInput("a delivered token belongs to a user: user_id is required")
    dest = check_destination(kind, destination)
    now = env.clock()
    async with env.db.uow() as uow:
        user = await uow.users.get(caller.tenant_id, user_id)
        if user is None:
            raise NotFound("no such user")
        token = await add_delivered_token(
            uow, caller.tenant_id, user.id, user.login, kind, dest, now, caller.key_id, label
        )
    return token


async def add_delivered_token(
    uow: UnitOfWork,
    tenant_id: str,
    user_id: str,
    login: str,
    kind: str,
    destination: str,
    now: datetime,
    actor: str | None,
    label: str | None = None,
    digits: int = 6,
) -> Token:
    """Insert the token and its audit row in the caller's transaction."""
    token_id = new_id()
    await uow.tokens.add(
        id=token_id,
        tenant_id=tenant_id,
        user_id=user_id,
        kind=kind,
        serial=new_serial(kind),
        label=label,
        origin="generated",
        enabled=True,
        digits=digits,
        algorithm="SHA256",
        period=0,
        destination=destination,
        counter=0,
        drift=0,
        fail_count=0,
        created_at=now,
    )
    await uow.audit.add(
        tenant_id,
        "token.enrol",
        now,
        actor=actor,
        target_type="token",
        target_id=token_id,
        login=login,
        detail={"kind": kind},
    )
    token = await uow.tokens.get(tenant_id, token_id)
    assert token is not None
    return token
