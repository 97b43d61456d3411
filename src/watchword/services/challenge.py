"""The challenge use case: make a one-time code for a delivered token and queue it.

The challenge row (a salted hash of the code) and its first outbox message are
written in one transaction (transactional outbox): either both exist or neither.
A new challenge ends the login's previous live one, so there is one live code.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from watchword.delivery.dispatch import choose_hop, record_refused
from watchword.delivery.outbox import (
    DEFAULT_ORDER,
    MAX_SENDS,
    Hop,
    code_matches,
    enqueue,
    hash_code,
    new_code,
)
from watchword.kinds import DELIVERED_KINDS
from watchword.policy.compiled import CompiledPolicy
from watchword.services.env import Caller, Env
from watchword.services.errors import Forbidden, RateLimited
from watchword.services.ocra_login import issue_ocra, login_token
from watchword.services.verify import (
    ACCEPTED,
    VerifyResult,
    admit,
    count_failure,
    gate_detail,
    parse_request_ip,
    policy_and_subject,
    reject,
)
from watchword.store.records import Token
from watchword.store.types import new_id
from watchword.store.uow import UnitOfWork

SMS_RATE_LIMITED = "sms_rate_limited"


@dataclass(frozen=True)
class ChallengeRequest:
    resource_id: str
    login: str
    token_id: str | None = None
    ip: str | None = None


@dataclass(frozen=True)
class Issued:
    challenge_id: str
    token_id: str
    kind: str
    expires_at: datetime
    challenge: str | None = None  # OCRA: the question the token answers


def route(tokens: list[Token], order: tuple[str, ...]) -> list[Hop]:
    """Reachable delivered tokens in the resource's channel order (console last)."""
    ranked = list(order) + [c for c in DEFAULT_ORDER if c not in order and c == "console"]
    hops = []
    for channel in ranked:
        for t in tokens:
            if t.kind in DELIVERED_KINDS and DELIVERED_KINDS[t.kind].channel == channel:
                if t.destination:
                    hops.append(Hop(t.id, channel, t.destination))
    return hops


async def issue_challenge(env: Env, caller: Caller, req: ChallengeRequest) -> Issued:
    """Raise Forbidden (code = the reason) when the request is not admitted."""
    now = env.clock()
    ip = parse_request_ip(req.ip)
    denied: VerifyResult | None = None
    async with env.db.uow() as uow:
        policy, subject = await policy_and_subject(
            env, uow, caller.tenant_id, req.resource_id, req.login
        )
        gate = admit(
            env,
            policy,
            subject,
            caller,
            req.resource_id,
            req.login,
            ip,
            now,
            "challenge",
            token_id=req.token_id,
            seed_only=False,
        )
        hops: list[Hop] = []
        ocra: Token | None = None
        if isinstance(gate, VerifyResult):
            denied = gate
        else:
            blocked = await uow.reach.unreachable_ids([t.id for t in gate.tokens])
            hops = route(
                [t for t in gate.tokens if t.id not in blocked], policy.policy.delivery.order
            )
            # No code to send: an OCRA token gets a question to answer instead.
            ocra = None if hops else login_token(gate.tokens)
            if not hops and ocra is None:
                denied = reject("no_token")
        if denied is not None or subject.user is None:
            assert denied is not None
            await _audit(
                uow,
                caller,
                req,
                now,
                denied.result,
                denied.reason,
                denied.token_id,
                gate_detail(denied),
            )
        elif ocra is not None:
            asked = await issue_ocra(uow, policy, ocra, req.resource_id, subject.user.id, now)
            issued = Issued(
                asked.challenge_id, ocra.id, ocra.kind, asked.expires_at, asked.question
            )
            detail = {"challenge_id": asked.challenge_id, "channel": "ocra"}
            await _audit(uow, caller, req, now, "sent", None, ocra.id, detail)
        else:
            made = await _create(
                env,
                uow,
                caller,
                req,
                policy,
                subject.user.id,
                subject.user.locale or "en",
                hops,
                now,
            )
            if made is None:
                denied = reject(SMS_RATE_LIMITED, hops[0].token_id)
                await _audit(uow, caller, req, now, denied.result, denied.reason, None, None)
            else:
                issued, channel = made
                detail = {"challenge_id": issued.challenge_id, "channel": channel}
                await _audit(uow, caller, req, now, "sent", None, issued.token_id, detail)
    if denied is not None and denied.reason == SMS_RATE_LIMITED:
        raise RateLimited("too many SMS for this user or destination; try later", SMS_RATE_LIMITED)
    if denied is not None:
        raise Forbidden(f"challenge refused: {denied.reason}", denied.reason)
    return issued


async def _create(
    env: Env,
    uow: UnitOfWork,
    caller: Caller,
    req: ChallengeRequest,
    policy: CompiledPolicy,
    user_id: str,
    locale: str,
    hops: list[Hop],
    now: datetime,
) -> tuple[Issued, str] | None:
    """The challenge and its first message; None when the SMS limits refuse every hop."""
    otp = policy.policy.otp
    delivery = policy.policy.delivery
    choice = await choose_hop(uow, caller.tenant_id, user_id, hops, now)
    if choice.hop is None:
        return None
    first = choice.hop
    await uow.challenges.supersede(caller.tenant_id, req.resource_id, user_id)
    await uow.ocra_challenges.supersede(caller.tenant_id, req.resource_id, user_id)
    code = new_code(otp.digits)
    salt = secrets.token_bytes(16)
    challenge_id = new_id()
    expires_at = now + timedelta(seconds=otp.ttl_s)
    await uow.challenges.add(
        id=challenge_id,
        tenant_id=caller.tenant_id,
        resource_id=req.resource_id,
        user_id=user_id,
        token_id=first.token_id,
        code_hash=hash_code(salt, code),
        salt=salt,
        state="pending",
        sends=1,
        route=[h.as_json() for h in hops],
        fallback_after_s=delivery.fallback_after_s,
        locale=locale,
        created_at=now,
        expires_at=expires_at,
    )
    res = await uow.resources.get(caller.tenant_id, req.resource_id)
    values = {
        "code": code,
        "issuer": res.name if res else "Watchword",
        "minutes": max(1, otp.ttl_s // 60),
    }
    await record_refused(
        uow,
        env.keyring,
        choice.refused,
        tenant_id=caller.tenant_id,
        template="login_code",
        locale=locale,
        values=values,
        now=now,
        challenge_id=challenge_id,
        resource_id=req.resource_id,
    )
    await enqueue(
        uow,
        env.keyring,
        tenant_id=caller.tenant_id,
        hop=first,
        template="login_code",
        locale=locale,
        values=values,
        now=now,
        fallback_after_s=delivery.fallback_after_s,
        challenge_id=challenge_id,
        resource_id=req.resource_id,
    )
    kind = next(t for t in DELIVERED_KINDS.values() if t.channel == first.channel)
    return Issued(challenge_id, first.token_id, kind.name, expires_at), first.channel


async def _audit(
    uow: UnitOfWork,
    caller: Caller,
    req: ChallengeRequest,
    now: datetime,
    result: str,
    reason: str | None,
    token_id: str | None,
    detail: dict[str, Any] | None,
) -> None:
    await uow.audit.add(
        caller.tenant_id,
        "auth.challenge",
        now,
        actor=caller.key_id,
        target_type="token",
        target_id=token_id,
        login=req.login,
        result=result,
        reason=reason,
        ip=req.ip,
        detail=detail or None,
    )


async def check_challenge(
    env: Env,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    tokens: list[Token],
    user_id: str,
    resource_id: str,
    challenge_id: str | None,
    otp: str,
    now: datetime,
) -> tuple[VerifyResult, dict[str, Any] | None]:
    """Check a delivered code: at most one acceptance, by one conditional UPDATE."""
    tenant_id = tokens[0].tenant_id
    if challenge_id is not None:
        ch = await uow.challenges.get(tenant_id, challenge_id)
        if ch is None or ch.user_id != user_id or ch.resource_id != resource_id:
            return reject("no_challenge"), None
    else:
        ch = await uow.challenges.live(tenant_id, resource_id, user_id)
        if ch is None:
            return reject("no_challenge"), None
    token = next((t for t in tokens if t.id == ch.token_id), None)
    if token is None:
        # The challenge's token is locked or disabled since it was sent.
        return reject("locked", ch.token_id), None
    if ch.state == "accepted":
        return reject("replayed", token.id), None
    if ch.state != "pending":
        return reject("superseded", token.id), None
    if ch.expires_at <= now:
        return reject("expired", token.id), None
    if code_matches(ch.salt, ch.code_hash, otp):
        if await uow.challenges.accept(ch.id, now):
            await uow.tokens.accept(token.id, token.counter, 0, now)
            return VerifyResult(ACCEPTED, None, token.id), {"challenge_id": ch.id}
        return reject("replayed", token.id), None
    return await count_failure(env, uow, policy, [token], now, resource_id)


__all__ = ["MAX_SENDS", "ChallengeRequest", "Issued", "check_challenge", "issue_challenge"]
