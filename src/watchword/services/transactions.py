"""Starting a CWYS transaction: pick the token, bind a challenge or code to the data.

How each kind binds (docs/cwys.md):
- ``ocra``: app tokens sign a question derived from the data hash and a fresh
  nonce; device tokens (seed not made by the server) in a resource with a
  ``cwys.keypad_template`` sign digits taken from the data instead.
- delivered kinds: a code bound to data hash and nonce goes out through
  ``env.transaction_codes``; only its salted hash is stored.
- ``hotp``/``totp``: nothing can be bound; refused when ``cwys_required``,
  else started with ``bound: false``.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from watchword.otp.cwys import (
    TransactionData,
    TransactionDataError,
    data_hash,
    delivered_code,
    keypad_challenge,
    ocra_challenge,
    qr_payload,
    validate_data,
)
from watchword.otp.errors import ParameterError
from watchword.otp.ocra import OCRASuite
from watchword.policy.compiled import CompiledPolicy
from watchword.services.env import Caller, Env
from watchword.services.errors import Forbidden, InvalidInput, NotFound
from watchword.services.seeds import open_seed
from watchword.services.transaction_codes import TransactionCode
from watchword.services.verify import (
    VerifyResult,
    admit,
    gate_detail,
    parse_request_ip,
    policy_and_subject,
    reject,
)
from watchword.store.records import Token
from watchword.store.transactions import PENDING, Transaction
from watchword.store.types import new_id
from watchword.store.uow import UnitOfWork

DELIVERED_KINDS = frozenset({"sms", "email", "telegram", "viber", "messenger"})
UNBOUND_KINDS = frozenset({"hotp", "totp"})
NONCE_BYTES = 16
CODE_HASH_LABEL = b"watchword-cwys-code-hash-v1\x00"
# Which token signs when the request names none: the strongest binding first.
_PREFERENCE = {"ocra": 0, **dict.fromkeys(DELIVERED_KINDS, 1), "hotp": 2, "totp": 2}


@dataclass(frozen=True)
class TransactionRequest:
    resource_id: str
    login: str
    data: Any
    token_id: str | None = None
    ip: str | None = None


@dataclass(frozen=True)
class StartedTransaction:
    transaction: Transaction
    qr_payload: str | None


def can_sign(token: Token) -> bool:
    return token.kind in _PREFERENCE


def binds(token: Token) -> bool:
    return token.kind not in UNBOUND_KINDS


def code_hash(transaction_id: str, nonce: bytes, code: str) -> bytes:
    """Salted by transaction and nonce: one table of hashes serves no other row."""
    message = CODE_HASH_LABEL + transaction_id.encode() + b"\x00" + nonce + code.encode()
    return hashlib.sha256(message).digest()


def signable_data(data: object, policy: CompiledPolicy) -> TransactionData:
    """The data as it will be signed; 422 naming the field when it cannot be."""
    try:
        return validate_data(data, policy.policy.required_data_keys)
    except TransactionDataError as exc:
        raise InvalidInput(str(exc), "invalid_data") from None


def pick_token(
    policy: CompiledPolicy, tokens: list[Token], token_id: str | None
) -> Token | VerifyResult:
    if policy.policy.cwys_required:
        tokens = [t for t in tokens if binds(t)]
        if not tokens:
            return reject("kind_denied", token_id)
    # Among delivered kinds, the resource's delivery order (telegram before sms ...).
    order = policy.policy.delivery.order
    rank: dict[str, int] = {kind: i for i, kind in enumerate(order)}
    return min(tokens, key=lambda t: (_PREFERENCE[t.kind], rank.get(t.kind, len(order)), t.id))


async def start_transaction(
    env: Env, caller: Caller, req: TransactionRequest
) -> StartedTransaction:
    now = env.clock()
    ip = parse_request_ip(req.ip)
    refusal: VerifyResult | None = None
    started: StartedTransaction | None = None
    async with env.db.uow() as uow:
        policy, subject = await policy_and_subject(
            env, uow, caller.tenant_id, req.resource_id, req.login
        )
        data = signable_data(req.data, policy)
        gate = admit(
            env,
            policy,
            subject,
            caller,
            req.resource_id,
            req.login,
            ip,
            now,
            "transaction",
            token_id=req.token_id,
            keep=can_sign,
        )
        picked = (
            gate
            if isinstance(gate, VerifyResult)
            else pick_token(policy, gate.tokens, req.token_id)
        )
        if isinstance(picked, VerifyResult):
            refusal = picked
        else:
            assert subject.user is not None
            tx = _new(caller, req, subject.user.id, picked, data, policy, now)
            started, code = _bind(env, policy, picked, tx)
            await uow.transactions.add(started.transaction)
            if code is not None:
                await _send_code(env, uow, picked, started.transaction, code)
        detail = _audit_detail(started.transaction if started else None, data, req)
        await uow.audit.add(
            caller.tenant_id,
            "transaction.create",
            now,
            actor=caller.key_id,
            target_type="transaction",
            target_id=started.transaction.id if started else None,
            login=req.login,
            result="pending" if started else "rejected",
            reason=refusal.reason if refusal else None,
            ip=req.ip,
            detail={**detail, **((refusal and gate_detail(refusal)) or {})},
        )
    if refusal is not None:
        raise Forbidden(f"no transaction: {refusal.reason}", refusal.reason or "rejected")
    assert started is not None
    return started


def _new(
    caller: Caller,
    req: TransactionRequest,
    user_id: str,
    token: Token,
    data: TransactionData,
    policy: CompiledPolicy,
    now: datetime,
) -> Transaction:
    return Transaction(
        id=new_id(),
        tenant_id=caller.tenant_id,
        resource_id=req.resource_id,
        user_id=user_id,
        login=req.login,
        token_id=token.id,
        kind=token.kind,
        mode="unbound",
        bound=False,
        data=data,
        data_hash=data_hash(data),
        nonce=secrets.token_bytes(NONCE_BYTES),
        challenge=None,
        code_hash=None,
        state=PENDING,
        created_at=now,
        expires_at=now + timedelta(seconds=policy.policy.otp.ttl_s),
        decided_at=None,
        ip=req.ip,
        verify_ip=None,
    )


def _bind(
    env: Env, policy: CompiledPolicy, token: Token, tx: Transaction
) -> tuple[StartedTransaction, str | None]:
    """The transaction with its challenge or code hash, and the code to deliver, if one."""
    if token.kind in UNBOUND_KINDS:
        return StartedTransaction(tx, None), None
    if token.kind in DELIVERED_KINDS:
        # A fresh key per transaction: only the hash is kept, so nothing needs the key again.
        code = delivered_code(
            secrets.token_bytes(32), tx.data_hash, tx.nonce, policy.policy.otp.digits
        )
        hashed = code_hash(tx.id, tx.nonce, code)
        return StartedTransaction(
            _replace(tx, mode="delivered", bound=True, code_hash=hashed), None
        ), code
    suite = OCRASuite.parse(token.ocra_suite or "")
    template = policy.policy.cwys.keypad_template
    try:
        if template and token.origin != "generated" and suite.question_format == "N":
            challenge = keypad_challenge(tx.data, template, suite)
            keypad = _replace(tx, mode="keypad", bound=True, challenge=challenge)
            return StartedTransaction(keypad, None), None
        seed = open_seed(env.keyring, token)
        challenge = ocra_challenge(seed, tx.data_hash, tx.nonce, suite)
        payload = qr_payload(tx.id, tx.data, challenge, nonce=tx.nonce)
    except (TransactionDataError, ParameterError) as exc:
        raise InvalidInput(str(exc), "invalid_data") from None
    app = _replace(tx, mode="ocra", bound=True, challenge=challenge)
    return StartedTransaction(app, payload), None


async def _send_code(env: Env, uow: UnitOfWork, token: Token, tx: Transaction, code: str) -> None:
    await env.transaction_codes.send(
        uow,
        TransactionCode(
            tenant_id=tx.tenant_id,
            transaction_id=tx.id,
            resource_id=tx.resource_id,
            user_id=tx.user_id,
            login=tx.login,
            token_id=token.id,
            kind=token.kind,
            destination=token.destination,
            data=tx.data,
            code=code,
            expires_at=tx.expires_at,
        ),
    )


def _replace(tx: Transaction, **changes: Any) -> Transaction:
    values = {name: getattr(tx, name) for name in tx.__slots__}
    return Transaction(**{**values, **changes})


def _audit_detail(
    tx: Transaction | None, data: TransactionData, req: TransactionRequest
) -> dict[str, Any]:
    detail: dict[str, Any] = {"data": data, "data_hash": data_hash(data).hex()}
    if tx is not None:
        detail.update(
            token_id=tx.token_id,
            kind=tx.kind,
            mode=tx.mode,
            bound=tx.bound,
            created_at=tx.created_at.isoformat(),
            expires_at=tx.expires_at.isoformat(),
        )
    elif req.token_id is not None:
        detail["token_id"] = req.token_id
    return detail


async def get_transaction(env: Env, caller: Caller, transaction_id: str) -> Transaction:
    async with env.db.uow() as uow:
        tx = await uow.transactions.get(caller.tenant_id, transaction_id)
    if tx is None:
        raise NotFound("no such transaction")
    return tx
