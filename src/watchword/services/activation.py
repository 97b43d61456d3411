"""Self-activation of a hardware token: the user proves they hold it.

The serial printed on the token is not a secret, so a current code is required.
Failures count and lock exactly as in verify. On success, in one transaction:
the code is accepted (replay refused), the token is given to the user only if
still unassigned (conditional UPDATE), and a delivered order for that token
moves to ``activated``.
"""

from datetime import datetime

from watchword.kinds import TokenState, get_kind
from watchword.orders import OrderAction
from watchword.otp.compare import normalize_code
from watchword.policy.lockout import lock_after
from watchword.policy.model import Lockout
from watchword.services.env import Caller, Env
from watchword.services.orders import OrderEvent, event_of, move
from watchword.services.seeds import open_seed
from watchword.services.verify import ACCEPTED, VerifyResult, reject
from watchword.store.records import Token, User
from watchword.store.tokens import FOREVER
from watchword.store.uow import UnitOfWork

# No resource is named on activation, so the default lockout applies.
LOCKOUT = Lockout()


async def activate(env: Env, caller: Caller, login: str, serial: str, otp: str) -> VerifyResult:
    now = env.clock()
    events: list[OrderEvent] = []
    user_id: str | None = None
    async with env.db.uow() as uow:
        user = await uow.users.by_login(caller.tenant_id, login)
        token = await uow.tokens.by_serial(caller.tenant_id, serial)
        user_id = user.id if user else None
        outcome = await _decide(env, uow, user, token, normalize_code(otp), events)
        await uow.audit.add(
            caller.tenant_id,
            "token.activate",
            now,
            actor=caller.key_id,
            target_type="token",
            target_id=outcome.token_id,
            login=login,
            result=outcome.result,
            reason=outcome.reason,
            detail={"user_id": user_id} if outcome.accepted else None,
        )
    for event in events:
        await env.events.publish(event)
    return outcome


async def _decide(
    env: Env,
    uow: UnitOfWork,
    user: User | None,
    token: Token | None,
    otp: str,
    events: list[OrderEvent],
) -> VerifyResult:
    now = env.clock()
    if user is None:
        return reject("unknown_user")
    # An unknown serial and another user's token look the same to the caller.
    if token is None or token.origin != "hardware" or token.secret is None:
        return reject("unknown_serial")
    if token.user_id is not None:
        return reject("already_assigned", token.id)
    held_for = await uow.batches.reserved_for(token.id)
    if held_for is not None:
        order = await uow.orders.get(token.tenant_id, held_for)
        if order is None or order.user_id != user.id:
            return reject("reserved", token.id)
    if not token.enabled:
        return reject("disabled", token.id)
    if token.locked_at(now):
        return reject("locked", token.id)
    kind = get_kind(token.kind)
    if not kind.has_seed or len(otp) != token.digits or not otp.isdigit():
        return await _failed(uow, token, now)
    state = TokenState(token.digits, token.algorithm, token.period, token.counter, token.drift)
    found = kind.check(state, open_seed(env.keyring, token), otp, now.timestamp())
    if found.replayed:
        return reject("replayed", token.id)
    if not found.matched:
        return await _failed(uow, token, now)
    if not await uow.batches.claim(token.tenant_id, token.id, user.id):
        return reject("already_assigned", token.id)
    if not await uow.tokens.accept(token.id, found.counter, found.drift, now):
        # Same code raced in twice: undo the claim inside this transaction.
        await uow.tokens.update(token.tenant_id, token.id, user_id=None)
        return reject("replayed", token.id)
    order = await uow.orders.delivered_for(token.tenant_id, user.id, token.id)
    if order is not None:
        events.append(event_of(await move(uow, order, OrderAction.ACTIVATE, now, None)))
    return VerifyResult(ACCEPTED, None, token.id)


async def _failed(uow: UnitOfWork, token: Token, now: datetime) -> VerifyResult:
    lock = lock_after(LOCKOUT, LOCKOUT.max_failures, now)
    until = FOREVER if lock is None or lock.until is None else lock.until
    await uow.tokens.record_failures([token.id], LOCKOUT.max_failures, until, now)
    return reject("invalid_otp", token.id)
