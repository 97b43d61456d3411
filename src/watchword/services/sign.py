"""Verifying a CWYS transaction: the data must be what was signed, the code must fit it.

Order of the checks: already accepted (replayed), expired, the same checks as a
login and the resource rules (services.verify.admit), the data hash, then the code. The decision is
one conditional UPDATE on the transaction's state (pending -> accepted), made
in the same database transaction as the token's own compare-and-set and the
audit row, so of any number of concurrent verifies exactly one is accepted.

Replay: counter suites (OCRA C, HOTP) move the token's counter as a login does.
For OCRA time and plain suites the guard is the transaction itself: its
question is fresh and it is accepted once, so the token's step counter is not
used and one token may sign several transactions within one time step.
"""

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from watchword.kinds import TokenState
from watchword.kinds.ocra import OCRAKind
from watchword.otp.compare import normalize_code
from watchword.otp.cwys import TransactionDataError, data_hash, validate_data
from watchword.otp.ocra import OCRASuite
from watchword.policy.compiled import CompiledPolicy
from watchword.services.env import Caller, Env
from watchword.services.errors import InvalidInput, NotFound
from watchword.services.seeds import open_seed
from watchword.services.transactions import can_sign, code_hash
from watchword.services.verify import (
    ACCEPTED,
    VerifyResult,
    admit,
    check_code,
    count_failure,
    gate_detail,
    load_policy,
    parse_request_ip,
    reject,
)
from watchword.store.keyring import KeyRing
from watchword.store.records import Token
from watchword.store.transaction_buttons import DECLINED
from watchword.store.transactions import Transaction
from watchword.store.uow import UnitOfWork

_OCRA = OCRAKind()


@dataclass(frozen=True)
class SignRequest:
    otp: str
    data: Any
    ip: str | None = None


async def verify_transaction(
    env: Env, caller: Caller, transaction_id: str, req: SignRequest
) -> VerifyResult:
    now = env.clock()
    try:
        # Structure only: a missing or extra field is a mismatch, not bad input.
        presented = validate_data(req.data)
    except TransactionDataError as exc:
        raise InvalidInput(str(exc), "invalid_data") from None
    async with env.db.uow() as uow:
        tx = await uow.transactions.get(caller.tenant_id, transaction_id)
        if tx is None:
            raise NotFound("no such transaction")
        policy = await load_policy(env, uow, caller.tenant_id, tx.resource_id)
        outcome, detail = await _decide(env, uow, caller, policy, tx, presented, req, now)
        await uow.audit.add(
            caller.tenant_id,
            "transaction.verify",
            now,
            actor=caller.key_id,
            target_type="transaction",
            target_id=tx.id,
            login=tx.login,
            result=outcome.result,
            reason=outcome.reason,
            ip=req.ip,
            detail={
                "token_id": tx.token_id,
                "data": presented,
                "data_hash": data_hash(presented).hex(),
                "signed_hash": tx.data_hash.hex(),
                "created_at": tx.created_at.isoformat(),
                "expires_at": tx.expires_at.isoformat(),
                **(detail or {}),
            },
        )
    return VerifyResult(outcome.result, outcome.reason, outcome.token_id)


async def _decide(
    env: Env,
    uow: UnitOfWork,
    caller: Caller,
    policy: CompiledPolicy,
    tx: Transaction,
    presented: dict[str, Any],
    req: SignRequest,
    now: datetime,
) -> tuple[VerifyResult, dict[str, Any] | None]:
    if tx.state == ACCEPTED:
        return reject("replayed", tx.token_id), None
    if tx.state == DECLINED:  # the user declined it from the chat
        return reject("declined", tx.token_id), None
    if tx.expired_at(now):
        return reject("expired", tx.token_id), None
    subject = await uow.tokens.subject(tx.tenant_id, tx.resource_id, tx.login)
    gate = admit(
        env,
        policy,
        subject,
        caller,
        tx.resource_id,
        tx.login,
        parse_request_ip(req.ip),
        now,
        "transaction",
        token_id=tx.token_id,
        keep=can_sign,
    )
    if isinstance(gate, VerifyResult):
        return gate, gate_detail(gate)
    if policy.policy.cwys_required and not tx.bound:
        # The policy changed since the transaction started.
        return reject("kind_denied", tx.token_id), {"rule": "cwys_required"}
    token = gate.tokens[0]
    if not hmac.compare_digest(data_hash(presented), tx.data_hash):
        failed, detail = await count_failure(env, uow, policy, [token], now, tx.resource_id)
        return _as(failed, "data_mismatch"), detail
    # Claim first: concurrent verifies of this transaction queue on its row.
    if not await uow.transactions.claim(tx.id, now, req.ip):
        return reject("replayed", tx.token_id), None
    if tx.mode == "unbound":
        outcome, detail = await check_code(
            env, uow, policy, [token], normalize_code(req.otp), now, tx.resource_id
        )
    else:
        outcome, detail = await _check_bound(env, uow, policy, tx, token, req.otp, now)
    if not outcome.accepted:
        await uow.transactions.release(tx.id)
    return outcome, detail


async def _check_bound(
    env: Env,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    tx: Transaction,
    token: Token,
    otp: str,
    now: datetime,
) -> tuple[VerifyResult, dict[str, Any] | None]:
    otp = normalize_code(otp)
    if tx.mode == "delivered":
        matched = tx.code_hash is not None and hmac.compare_digest(
            code_hash(tx.id, tx.nonce, otp), tx.code_hash
        )
        if matched:
            return await _used(uow, token, now)
        return await count_failure(env, uow, policy, [token], now, tx.resource_id)
    suite = OCRASuite.parse(token.ocra_suite or "")
    # Non-counter suites: the transaction is the replay guard (see the module docstring).
    counter = token.counter if suite.counter else 0
    state = TokenState(
        token.digits, token.algorithm, token.period, counter, token.drift, token.ocra_suite
    )
    found = _OCRA.check_response(
        state,
        open_seed(env.keyring, token),
        otp,
        question=tx.challenge or "",
        unix_time=now.timestamp(),
        pin_hash=await _pin_hash(uow, env.keyring, token, suite),
    )
    if found.replayed:
        return reject("replayed", token.id), None
    if not found.matched:
        return await count_failure(env, uow, policy, [token], now, tx.resource_id)
    if suite.counter:
        if await uow.tokens.accept(token.id, found.counter, found.drift, now):
            return VerifyResult(ACCEPTED, None, token.id), None
        return reject("replayed", token.id), None
    return await _used(uow, token, now)


async def _used(
    uow: UnitOfWork, token: Token, now: datetime
) -> tuple[VerifyResult, dict[str, Any] | None]:
    if await uow.transactions.mark_token_used(token.id, now):
        return VerifyResult(ACCEPTED, None, token.id), None
    # Locked or disabled by a concurrent request since we read it.
    return reject("locked", token.id), None


async def _pin_hash(
    uow: UnitOfWork, keyring: KeyRing, token: Token, suite: OCRASuite
) -> bytes | None:
    if suite.pin_algorithm is None:
        return None
    sealed = await uow.pins.get(token.id)
    if sealed is None:
        raise InvalidInput("this OCRA token has no PIN on record", "no_pin")
    return keyring.open(sealed, aad=f"token-pin:{token.id}")


def _as(outcome: VerifyResult, reason: str) -> VerifyResult:
    """A counted failure reported under ``reason`` (unless the count locked the token)."""
    if outcome.reason == "locked":
        return outcome
    return VerifyResult(outcome.result, reason, outcome.token_id)
