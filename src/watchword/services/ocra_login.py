"""Logging in with an OCRA token (RFC 6287): the server asks, the token answers.

``POST /auth/challenge`` for a user whose login token is OCRA makes a random
question in the suite's Q format, single use, living ``otp.ttl_s``;
``POST /auth/verify {challenge_id, otp}`` checks the response. Replay: counter
suites move the token's counter (compare-and-set, as HOTP); for time and plain
suites the question itself is the guard: it is accepted once (a conditional
UPDATE), so the token's step counter is not used. Wrong responses count as
failures on the token, with the usual lockout.
"""

import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from watchword.kinds import TokenState
from watchword.kinds.ocra import OCRAKind
from watchword.otp.errors import ParameterError
from watchword.otp.ocra import OCRASuite
from watchword.policy.compiled import CompiledPolicy
from watchword.services.env import Env
from watchword.services.errors import InvalidInput
from watchword.services.seeds import open_seed
from watchword.services.verify import ACCEPTED, VerifyResult, count_failure, reject
from watchword.store.keyring import KeyRing
from watchword.store.records import Token
from watchword.store.types import new_id
from watchword.store.uow import UnitOfWork

_OCRA = OCRAKind()
_ALPHABET = {
    "A": string.ascii_uppercase + string.digits,
    "N": string.digits,
    "H": string.digits + "abcdef",
}


@dataclass(frozen=True)
class OcraIssued:
    challenge_id: str
    token_id: str
    question: str
    expires_at: datetime


def new_question(suite: OCRASuite) -> str:
    """A random question as long as the suite allows, in its format (QA, QN, QH)."""
    alphabet = _ALPHABET[suite.question_format]
    # A leading zero would vanish in QN's decimal-to-hex conversion: no shorter question.
    first = secrets.choice(alphabet[1:] if suite.question_format == "N" else alphabet)
    rest = "".join(secrets.choice(alphabet) for _ in range(suite.question_length - 1))
    return first + rest


def login_suite(token: Token) -> OCRASuite | None:
    """The suite of an OCRA token that can log in: no session input (a login has none)."""
    if token.kind != "ocra" or not token.ocra_suite:
        return None
    try:
        suite = OCRASuite.parse(token.ocra_suite)
    except ParameterError:
        return None
    return suite if suite.session_length is None else None


def login_token(tokens: list[Token]) -> Token | None:
    return next((t for t in tokens if login_suite(t) is not None), None)


async def issue_ocra(
    uow: UnitOfWork,
    policy: CompiledPolicy,
    token: Token,
    resource_id: str,
    user_id: str,
    now: datetime,
) -> OcraIssued:
    suite = login_suite(token)
    assert suite is not None
    await uow.challenges.supersede(token.tenant_id, resource_id, user_id)
    await uow.ocra_challenges.supersede(token.tenant_id, resource_id, user_id)
    issued = OcraIssued(
        new_id(), token.id, new_question(suite), now + timedelta(seconds=policy.policy.otp.ttl_s)
    )
    await uow.ocra_challenges.add(
        id=issued.challenge_id,
        tenant_id=token.tenant_id,
        resource_id=resource_id,
        user_id=user_id,
        token_id=token.id,
        question=issued.question,
        state="pending",
        created_at=now,
        expires_at=issued.expires_at,
    )
    return issued


async def check_ocra_login(
    env: Env,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    tokens: list[Token],
    user_id: str,
    resource_id: str,
    challenge_id: str,
    otp: str,
    now: datetime,
) -> tuple[VerifyResult, dict[str, Any] | None] | None:
    """The decision on an OCRA login challenge; None when the id names none."""
    if not tokens:
        return None
    ch = await uow.ocra_challenges.get(tokens[0].tenant_id, challenge_id)
    if ch is None:
        return None
    if ch.user_id != user_id or ch.resource_id != resource_id:
        return reject("no_challenge"), None
    token = next((t for t in tokens if t.id == ch.token_id), None)
    suite = login_suite(token) if token is not None else None
    if token is None or suite is None:
        return reject("locked", ch.token_id), None
    if ch.state == "accepted":
        return reject("replayed", token.id), None
    if ch.state != "pending":
        return reject("superseded", token.id), None
    if ch.expires_at <= now:
        return reject("expired", token.id), None
    counter = token.counter if suite.counter else 0
    state = TokenState(
        token.digits, token.algorithm, token.period, counter, token.drift, token.ocra_suite
    )
    found = _OCRA.check_response(
        state,
        open_seed(env.keyring, token),
        otp,
        question=ch.question,
        unix_time=now.timestamp(),
        pin_hash=await _pin_hash(uow, env.keyring, token, suite),
    )
    detail = {"challenge_id": ch.id}
    if found.replayed:
        return reject("replayed", token.id), detail
    if not found.matched:
        return await count_failure(env, uow, policy, [token], now, resource_id)
    # The question first: concurrent verifies of it queue on its row, one wins.
    if not await uow.ocra_challenges.accept(ch.id, now):
        return reject("replayed", token.id), detail
    if suite.counter:
        used = await uow.tokens.accept(token.id, found.counter, found.drift, now)
        reason = "replayed"
    else:
        used = await uow.transactions.mark_token_used(token.id, now)
        reason = "locked"
    if not used:
        await uow.ocra_challenges.release(ch.id)
        return reject(reason, token.id), detail
    return VerifyResult(ACCEPTED, None, token.id), detail


async def _pin_hash(
    uow: UnitOfWork, keyring: KeyRing, token: Token, suite: OCRASuite
) -> bytes | None:
    if suite.pin_algorithm is None:
        return None
    sealed = await uow.pins.get(token.id)
    if sealed is None:
        raise InvalidInput("this OCRA token has no PIN on record", "no_pin")
    return keyring.open(sealed, aad=f"token-pin:{token.id}")
