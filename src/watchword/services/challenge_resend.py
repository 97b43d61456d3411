"""Re-sending a live challenge's code: the SAME code, never a second one.

A resend goes on the channel the code went to last (``next=False``) or on the
next channel of the challenge's route, takes one of the challenge's
``MAX_SENDS`` sends (a conditional UPDATE), and passes the SMS pumping limits
like any send. It touches no token: the failure count stays what it was.
Refusals roll back every write (counters included) and are audited afterwards.
"""

from dataclasses import dataclass
from datetime import datetime

from watchword.delivery.dispatch import choose_hop, record_refused
from watchword.delivery.outbox import MAX_SENDS, Hop, enqueue, following, open_payload
from watchword.kinds import DELIVERED_KINDS
from watchword.services.challenge import SMS_RATE_LIMITED
from watchword.services.env import Caller, Env
from watchword.services.errors import Conflict, NotFound, RateLimited, ServiceError
from watchword.store.delivery import Challenge
from watchword.store.uow import UnitOfWork

SEND_LIMIT = "send_limit"
CLOSED = "challenge_closed"
EXPIRED = "challenge_expired"
NO_CHANNEL = "no_channel_left"


@dataclass(frozen=True)
class Resent:
    challenge_id: str
    token_id: str
    kind: str
    channel: str
    sends: int
    expires_at: datetime


async def resend_challenge(
    env: Env, caller: Caller, challenge_id: str, *, next_channel: bool = False
) -> Resent:
    now = env.clock()
    try:
        async with env.db.uow() as uow:
            resent = await _resend(env, uow, caller, challenge_id, next_channel, now)
            await _audit(uow, caller, challenge_id, now, "sent", None, resent)
    except (Conflict, RateLimited) as refusal:
        async with env.db.uow() as uow:
            await _audit(uow, caller, challenge_id, now, "rejected", refusal, None)
        raise
    return resent


async def _resend(
    env: Env, uow: UnitOfWork, caller: Caller, challenge_id: str, next_channel: bool, now: datetime
) -> Resent:
    ch = await uow.challenges.get(caller.tenant_id, challenge_id)
    if ch is None:
        raise NotFound("no such challenge")
    _check_open(ch, now)
    if ch.sends >= MAX_SENDS:
        raise RateLimited(f"at most {MAX_SENDS} sends per challenge", SEND_LIMIT)
    messages = await uow.outbox.for_challenge(ch.id)
    if not messages:
        raise Conflict("the challenge has no message to send again", NO_CHANNEL)
    last = messages[-1]
    values = open_payload(env.keyring, last)
    skip = await uow.reach.unreachable_ids([h["token_id"] for h in ch.route])
    hops = following(ch.route, ch.token_id, skip)
    if not next_channel:
        hops = [h for h in _current(ch) if h.token_id not in skip] + hops
    choice = await choose_hop(uow, caller.tenant_id, ch.user_id, hops, now)
    if choice.hop is None:
        if choice.refused:
            raise RateLimited("too many SMS for this user or destination", SMS_RATE_LIMITED)
        raise Conflict("no channel left to send the code on", NO_CHANNEL)
    if not await uow.challenges.count_send(ch.id, MAX_SENDS):
        # A concurrent resend or fallback took the last send, or the challenge closed.
        fresh = await uow.challenges.get(caller.tenant_id, ch.id)
        assert fresh is not None
        _check_open(fresh, now)
        raise RateLimited(f"at most {MAX_SENDS} sends per challenge", SEND_LIMIT)
    await record_refused(
        uow,
        env.keyring,
        choice.refused,
        tenant_id=caller.tenant_id,
        template=last.template,
        locale=last.locale,
        values=values,
        now=now,
        challenge_id=ch.id,
        resource_id=ch.resource_id,
    )
    hop = choice.hop
    await enqueue(
        uow,
        env.keyring,
        tenant_id=caller.tenant_id,
        hop=hop,
        template=last.template,
        locale=last.locale,
        values=values,
        now=now,
        fallback_after_s=ch.fallback_after_s,
        challenge_id=ch.id,
        resource_id=ch.resource_id,
    )
    if hop.token_id != ch.token_id:
        await uow.challenges.retarget(ch.id, hop.token_id)
    kind = next(k.name for k in DELIVERED_KINDS.values() if k.channel == hop.channel)
    return Resent(ch.id, hop.token_id, kind, hop.channel, ch.sends + 1, ch.expires_at)


def _check_open(ch: Challenge, now: datetime) -> None:
    if ch.state != "pending":
        raise Conflict(f"the challenge is {ch.state}", CLOSED)
    if ch.expires_at <= now:
        raise Conflict("the challenge has expired", EXPIRED)


def _current(ch: Challenge) -> list[Hop]:
    return [
        Hop(h["token_id"], h["channel"], h["destination"])
        for h in ch.route
        if h["token_id"] == ch.token_id
    ][:1]


async def _audit(
    uow: UnitOfWork,
    caller: Caller,
    challenge_id: str,
    now: datetime,
    result: str,
    refusal: ServiceError | None,
    resent: Resent | None,
) -> None:
    detail: dict[str, object] = {"challenge_id": challenge_id}
    if resent is not None:
        detail.update(channel=resent.channel, sends=resent.sends)
    await uow.audit.add(
        caller.tenant_id,
        "auth.resend",
        now,
        actor=caller.key_id,
        target_type="token",
        target_id=resent.token_id if resent else None,
        result=result,
        reason=refusal.code if refusal else None,
        detail=detail,
    )
