"""The verify use case: is this code, from this user, good for this resource now?

One read (resource, then user + membership + tokens), one conditional UPDATE that
decides, one audit row, in one transaction. Concurrent requests with the same code
race on the UPDATE's WHERE clause; exactly one wins.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from watchword.kinds import TokenState, get_kind
from watchword.otp.compare import normalize_code
from watchword.policy.model import Policy
from watchword.services.env import Caller, Env
from watchword.services.errors import NotFound
from watchword.services.events import TokenLocked
from watchword.services.seeds import open_seed
from watchword.store.records import Token
from watchword.store.tokens import FOREVER, Subject
from watchword.store.uow import UnitOfWork

Result = Literal["accepted", "rejected"]
ACCEPTED: Result = "accepted"
REJECTED: Result = "rejected"


@dataclass(frozen=True)
class VerifyRequest:
    resource_id: str
    login: str
    otp: str
    token_id: str | None = None
    challenge_id: str | None = None
    ip: str | None = None


@dataclass(frozen=True)
class VerifyResult:
    result: Result
    reason: str | None = None
    token_id: str | None = None

    @property
    def accepted(self) -> bool:
        return self.result == ACCEPTED


def reject(reason: str, token_id: str | None = None) -> VerifyResult:
    return VerifyResult(REJECTED, reason, token_id)


async def verify(env: Env, caller: Caller, req: VerifyRequest) -> VerifyResult:
    now = env.clock()
    async with env.db.uow() as uow:
        policy = await load_policy(env, uow, caller.tenant_id, req.resource_id)
        subject = await uow.tokens.subject(caller.tenant_id, req.resource_id, req.login)
        outcome, detail = await _decide(env, uow, policy, subject, req, now)
        await uow.audit.add(
            caller.tenant_id,
            "auth.verify",
            now,
            actor=caller.key_id,
            target_type="token",
            target_id=outcome.token_id,
            login=req.login,
            result=outcome.result,
            reason=outcome.reason,
            ip=req.ip,
            detail=detail,
        )
    return outcome


async def load_policy(env: Env, uow: UnitOfWork, tenant_id: str, resource_id: str) -> Policy:
    res = await uow.resources.get(tenant_id, resource_id)
    if res is None:
        raise NotFound("no such resource")
    return env.policies.get(res.id, res.version, res.policy)


def candidates(subject: Subject, token_id: str | None) -> list[Token]:
    held = [t for t in subject.tokens if get_kind_or_none(t.kind) is not None]
    if token_id is not None:
        held = [t for t in held if t.id == token_id]
    return held


def get_kind_or_none(name: str) -> Any:
    try:
        return get_kind(name)
    except ValueError:
        return None


async def _decide(
    env: Env,
    uow: UnitOfWork,
    policy: Policy,
    subject: Subject,
    req: VerifyRequest,
    now: datetime,
) -> tuple[VerifyResult, dict[str, Any] | None]:
    if subject.user is None:
        return reject("unknown_user"), None
    if not subject.is_member:
        return reject("not_member"), None
    tokens = [t for t in candidates(subject, req.token_id) if get_kind(t.kind).has_seed]
    if not tokens:
        return reject("no_token"), None
    if policy.allowed_kinds is not None:
        tokens = [t for t in tokens if t.kind in policy.allowed_kinds]
        if not tokens:
            return reject("kind_denied"), {"rule": "allowed_kinds"}
    tokens = [t for t in tokens if t.enabled]
    if not tokens:
        return reject("disabled"), None
    usable = [t for t in tokens if not t.locked_at(now)]
    if not usable:
        return reject("locked", tokens[0].id), None
    return await check_code(env, uow, policy, usable, normalize_code(req.otp), now, req)


async def check_code(
    env: Env,
    uow: UnitOfWork,
    policy: Policy,
    tokens: list[Token],
    otp: str,
    now: datetime,
    req: VerifyRequest,
) -> tuple[VerifyResult, dict[str, Any] | None]:
    unix = now.timestamp()
    replayed: Token | None = None
    for token in tokens:
        if len(otp) != token.digits or not otp.isdigit():
            continue
        kind = get_kind(token.kind)
        state = TokenState(token.digits, token.algorithm, token.period, token.counter, token.drift)
        found = kind.check(state, open_seed(env.keyring, token), otp, unix)
        if found.matched:
            if await uow.tokens.accept(token.id, found.counter, found.drift, now):
                return VerifyResult(ACCEPTED, None, token.id), None
            # Another request accepted this very code a moment ago.
            return reject("replayed", token.id), None
        if found.replayed:
            replayed = token
    if replayed is not None:
        # A code already used: refused, but not counted as a guess (it was right once).
        return reject("replayed", replayed.id), None
    return await count_failure(env, uow, policy, tokens, now, req)


async def count_failure(
    env: Env,
    uow: UnitOfWork,
    policy: Policy,
    tokens: list[Token],
    now: datetime,
    req: VerifyRequest,
) -> tuple[VerifyResult, dict[str, Any] | None]:
    lockout = policy.lockout
    until = FOREVER if lockout.duration_s is None else now + timedelta(seconds=lockout.duration_s)
    outcomes = await uow.tokens.record_failures(
        [t.id for t in tokens], lockout.max_failures, until, now
    )
    if not outcomes:
        # Every token got locked by concurrent failures since we read it.
        return reject("locked", tokens[0].id), None
    for o in outcomes:
        if o.just_locked and o.fail_count == lockout.max_failures:
            owner = next(t.user_id for t in tokens if t.id == o.token_id)
            await env.events.publish(
                TokenLocked(
                    tenant_id=tokens[0].tenant_id,
                    token_id=o.token_id,
                    user_id=owner,
                    resource_id=req.resource_id,
                    locked_until=o.locked_until,
                    failures=o.fail_count,
                )
            )
    first = outcomes[0]
    return reject("invalid_otp", tokens[0].id if len(tokens) == 1 else None), {
        "fail_count": first.fail_count
    }
