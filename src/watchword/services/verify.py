"""The verify use case: is this code, from this user, good for this resource now?

One read (resource, then user + membership + tokens), one conditional UPDATE that
decides, one audit row, in one transaction. Concurrent requests with the same code
race on the UPDATE's WHERE clause; exactly one wins.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from watchword.kinds import REGISTRY, TokenState, get_kind
from watchword.otp.compare import normalize_code
from watchword.policy.compiled import CompiledPolicy
from watchword.policy.context import Action, IPAddress, RequestContext
from watchword.policy.engine import evaluate
from watchword.policy.events import TokenLocked
from watchword.policy.lockout import lock_after
from watchword.policy.network import parse_ip
from watchword.services.env import Caller, Env
from watchword.services.errors import InvalidInput, NotFound
from watchword.services.seeds import open_seed
from watchword.store.decisions import AuditDraft
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
    ip = parse_request_ip(req.ip)
    draft = AuditDraft(caller.tenant_id, "auth.verify", caller.key_id, req.login, req.ip)
    async with env.db.decision_uow() as uow:
        policy, subject = await policy_and_subject(
            env, uow, caller.tenant_id, req.resource_id, req.login
        )
        delivered = wants_delivered(subject, req.challenge_id, req.token_id)
        gate = admit(
            env,
            policy,
            subject,
            caller,
            req.resource_id,
            req.login,
            ip,
            now,
            "verify",
            token_id=req.token_id,
            seed_only=not delivered,
        )
        if isinstance(gate, VerifyResult):
            await _audit(uow, draft, now, gate, gate_detail(gate))
            return gate
        if not delivered:
            if gate.country:
                draft.detail["country"] = gate.country
            outcome, detail = await check_code(
                env,
                uow,
                policy,
                gate.tokens,
                normalize_code(req.otp),
                now,
                req.resource_id,
                draft,
            )
            if not draft.written:
                await _audit(uow, draft, now, outcome, detail)
            return outcome
    # A challenge's code is settled in several statements: give them a transaction.
    async with env.db.uow() as tx:
        outcome, detail = await check_delivered(env, tx, policy, gate, subject, req, now)
        await _audit(tx, draft, now, outcome, detail)
    return outcome


async def _audit(
    uow: UnitOfWork,
    draft: AuditDraft,
    now: datetime,
    outcome: VerifyResult,
    detail: dict[str, Any] | None,
) -> None:
    await uow.audit.add(
        draft.tenant_id,
        draft.action,
        now,
        actor=draft.actor,
        target_type="token",
        target_id=outcome.token_id,
        login=draft.login,
        result=outcome.result,
        reason=outcome.reason,
        ip=draft.ip,
        detail={**draft.detail, **(detail or {})} or None,
    )


def wants_delivered(subject: Subject, challenge_id: str | None, token_id: str | None) -> bool:
    """A code from a challenge: named, a delivered token named, or only delivered held."""
    if challenge_id is not None:
        return True
    held = [t for t in subject.tokens if t.kind in REGISTRY]
    if token_id is not None:
        held = [t for t in held if t.id == token_id]
    kinds = [get_kind(t.kind) for t in held]
    return bool(kinds) and not any(k.has_seed for k in kinds)


async def check_delivered(
    env: Env,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    gate: "Admitted",
    subject: Subject,
    req: VerifyRequest,
    now: datetime,
) -> tuple[VerifyResult, dict[str, Any] | None]:
    # Imported here: services.challenge builds on this module's helpers.
    from watchword.services.challenge import check_challenge
    from watchword.services.ocra_login import check_ocra_login

    if req.challenge_id is not None and subject.user is not None:
        asked = await check_ocra_login(
            env,
            uow,
            policy,
            gate.tokens,
            subject.user.id,
            req.resource_id,
            req.challenge_id,
            normalize_code(req.otp),
            now,
        )
        if asked is not None:
            return asked
    tokens = [t for t in gate.tokens if get_kind(t.kind).delivered]
    if not tokens or subject.user is None:
        return reject("no_token"), None
    return await check_challenge(
        env,
        uow,
        policy,
        tokens,
        subject.user.id,
        req.resource_id,
        req.challenge_id,
        normalize_code(req.otp),
        now,
    )


def parse_request_ip(text: str | None) -> IPAddress | None:
    if text is None:
        return None
    try:
        return parse_ip(text)
    except ValueError:
        raise InvalidInput(f"ip: {text!r} is not an IP address", "invalid_ip") from None


async def policy_and_subject(
    env: Env, uow: UnitOfWork, tenant_id: str, resource_id: str, login: str
) -> tuple[CompiledPolicy, Subject]:
    """The resource's compiled policy and who is authenticating there, in one query."""
    head, subject = await uow.tokens.resource_and_subject(tenant_id, resource_id, login)
    if head is None:
        raise NotFound("no such resource")
    return env.policies.get(head.id, head.version, head.policy), subject


async def load_policy(
    env: Env, uow: UnitOfWork, tenant_id: str, resource_id: str
) -> CompiledPolicy:
    res = await uow.resources.get(tenant_id, resource_id)
    if res is None:
        raise NotFound("no such resource")
    return env.policies.get(res.id, res.version, res.policy)


@dataclass(frozen=True)
class Admitted:
    """The request passed the resource's rules; these tokens may be tried."""

    tokens: list[Token]
    country: str | None


@dataclass(frozen=True)
class Denied(VerifyResult):
    rule: str | None = None
    country: str | None = None


def gate_detail(result: VerifyResult) -> dict[str, Any] | None:
    if isinstance(result, Denied):
        return {k: v for k, v in (("rule", result.rule), ("country", result.country)) if v}
    return None


def admit(
    env: Env,
    policy: CompiledPolicy,
    subject: Subject,
    caller: Caller,
    resource_id: str,
    login: str,
    ip: IPAddress | None,
    now: datetime,
    action: Action,
    token_id: str | None = None,
    seed_only: bool = True,
    keep: Callable[[Token], bool] | None = None,
) -> Admitted | VerifyResult:
    """Every check made before a code is looked at: user, rules, tokens, lock.

    ``keep`` chooses the tokens to consider instead of "registered kinds, with a
    seed that checks a bare code" (transactions sign with other kinds too).
    """
    if subject.user is None:
        return reject("unknown_user")
    ctx = RequestContext(
        tenant_id=caller.tenant_id,
        resource_id=resource_id,
        login=login,
        is_member=subject.is_member,
        now=now,
        action=action,
        ip=ip,
    )
    decision = evaluate(policy, ctx, env.country_of)
    if not decision.allowed:
        return Denied(REJECTED, decision.reason, None, decision.rule, decision.country)
    tokens = candidates(subject, token_id, keep)
    if seed_only and keep is None:
        tokens = [t for t in tokens if checks_bare_code(t)]
    if not tokens:
        return reject("no_token")
    tokens = [t for t in tokens if policy.token_allowed(t.kind, t.origin)]
    if not tokens:
        return Denied(REJECTED, "kind_denied", None, "kind", decision.country)
    tokens = [t for t in tokens if t.enabled]
    if not tokens:
        return reject("disabled")
    usable = [t for t in tokens if not t.locked_at(now)]
    if not usable:
        return reject("locked", tokens[0].id)
    return Admitted(usable, decision.country)


def checks_bare_code(token: Token) -> bool:
    # OCRA answers a server challenge: a bare code cannot log in with it, and a
    # wrong login guess must not lock it. It signs transactions (services/sign).
    return get_kind(token.kind).has_seed and token.kind != "ocra"


def candidates(
    subject: Subject, token_id: str | None, keep: Callable[[Token], bool] | None = None
) -> list[Token]:
    held = [t for t in subject.tokens if (keep(t) if keep else t.kind in REGISTRY)]
    if token_id is not None:
        held = [t for t in held if t.id == token_id]
    return held


async def check_code(
    env: Env,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    tokens: list[Token],
    otp: str,
    now: datetime,
    resource_id: str,
    draft: AuditDraft | None = None,
) -> tuple[VerifyResult, dict[str, Any] | None]:
    """Try the code on each token; accept on the first match, else count a failure.

    With a ``draft`` the decision writes its own audit row in the same statement.
    """
    unix = now.timestamp()
    replayed: Token | None = None
    for token in tokens:
        if len(otp) != token.digits or not otp.isdigit():
            continue
        kind = get_kind(token.kind)
        state = TokenState(token.digits, token.algorithm, token.period, token.counter, token.drift)
        found = kind.check(state, open_seed(env.keyring, token), otp, unix)
        if found.matched:
            if draft is not None:
                accepted = await uow.decisions.accept(
                    token.id, found.counter, found.drift, now, draft
                )
            else:
                accepted = await uow.tokens.accept(token.id, found.counter, found.drift, now)
            if accepted:
                return VerifyResult(ACCEPTED, None, token.id), None
            # Another request accepted this very code a moment ago.
            return reject("replayed", token.id), None
        if found.replayed:
            replayed = token
    if replayed is not None:
        # A code already used: refused, but not counted as a guess (it was right once).
        return reject("replayed", replayed.id), None
    return await count_failure(env, uow, policy, tokens, now, resource_id, draft)


async def count_failure(
    env: Env,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    tokens: list[Token],
    now: datetime,
    resource_id: str,
    draft: AuditDraft | None = None,
) -> tuple[VerifyResult, dict[str, Any] | None]:
    """Count one failure on every token tried, locking those that reach the limit."""
    lockout = policy.policy.lockout
    lock = lock_after(lockout, lockout.max_failures, now)
    until = FOREVER if lock is None or lock.until is None else lock.until
    ids = [t.id for t in tokens]
    target = tokens[0].id if len(tokens) == 1 else None
    if draft is not None:
        outcomes = await uow.decisions.fail(ids, lockout.max_failures, until, now, draft, target)
    else:
        outcomes = await uow.tokens.record_failures(ids, lockout.max_failures, until, now)
    if not outcomes:
        # Every token got locked by concurrent failures since we read it.
        return reject("locked", tokens[0].id), None
    for o in outcomes:
        if o.just_locked and o.fail_count == lockout.max_failures:
            owner = next(t.user_id for t in tokens if t.id == o.token_id)
            await env.events.publish(
                TokenLocked(
                    token_id=o.token_id,
                    user_id=owner,
                    resource_id=resource_id,
                    locked_until=None if o.locked_until == FOREVER else o.locked_until,
                    failures=o.fail_count,
                    tenant_id=tokens[0].tenant_id,
                )
            )
    first = outcomes[0]
    return reject("invalid_otp", target), {"fail_count": first.fail_count}
