"""Enrolment of OCRA tokens (RFC 6287): a suite, a seed, and a QR code for the app.

The server makes the seed (origin ``generated``: an app, enrolled by the QR
code of ``otpauth://ocra/...``) unless ``secret_b32`` brings the seed of a
programmable device (origin ``programmed``). Suites with a PIN (P) need the
PIN here; its hash is kept sealed like the seed. Session suites (S) are not
offered: Watchword has no session information to put into them.
"""

import secrets
from dataclasses import dataclass
from typing import Any

from watchword.otp.errors import ParameterError
from watchword.otp.ocra import OCRASuite, hash_pin, ocra_key_uri
from watchword.otp.uri import b32decode, b32encode
from watchword.services.enrol import Enrollment, _issuer, new_serial, qr_svg
from watchword.services.env import Caller, Env
from watchword.services.errors import InvalidInput, NotFound
from watchword.services.seeds import SEED_BYTES, seal_seed
from watchword.store.records import Token
from watchword.store.types import new_id

DEFAULT_SUITE = "OCRA-1:HOTP-SHA1-6:QN08"


@dataclass(frozen=True)
class OCRATokenRequest:
    suite: str = DEFAULT_SUITE
    user_id: str | None = None
    label: str | None = None
    secret_b32: str | None = None
    pin: str | None = None
    resource_id: str | None = None


def parse_suite(text: str) -> OCRASuite:
    """A suite Watchword can check: 422 ``invalid_suite`` otherwise."""
    try:
        suite = OCRASuite.parse(text)
    except ParameterError as exc:
        raise InvalidInput(str(exc), "invalid_suite") from None
    if suite.session_length is not None:
        raise InvalidInput(
            "OCRA suites with session information (S) are not supported", "invalid_suite"
        )
    return suite


def _seed(req: OCRATokenRequest, suite: OCRASuite) -> tuple[bytes, str]:
    if req.secret_b32 is None:
        return secrets.token_bytes(SEED_BYTES[suite.algorithm]), "generated"
    try:
        seed = b32decode(req.secret_b32)
    except ValueError:
        raise InvalidInput("secret_b32 is not base32") from None
    if len(seed) < 16:
        raise InvalidInput("secret_b32 must hold at least 128 bits (RFC 4226)")
    return seed, "programmed"


def _pin_hash(req: OCRATokenRequest, suite: OCRASuite) -> bytes | None:
    if suite.pin_algorithm is None:
        if req.pin is not None:
            raise InvalidInput(f"suite {suite.text} has no PIN input (P)", "invalid_pin")
        return None
    if req.pin is None or not req.pin.isdigit() or not 4 <= len(req.pin) <= 16:
        raise InvalidInput(f"suite {suite.text} needs ocra_pin: 4 to 16 digits", "invalid_pin")
    return hash_pin(suite, req.pin)


async def enrol_ocra_token(
    env: Env, caller: Caller, req: OCRATokenRequest
) -> tuple[Token, Enrollment]:
    suite = parse_suite(req.suite)
    seed, origin = _seed(req, suite)
    pin_hash = _pin_hash(req, suite)
    now = env.clock()
    token_id = new_id()
    sealed = seal_seed(env.keyring, token_id, seed)
    async with env.db.uow() as uow:
        account: str | None = None
        if req.user_id is not None:
            user = await uow.users.get(caller.tenant_id, req.user_id)
            if user is None:
                raise NotFound("no such user")
            account = user.login
        issuer = await _issuer(uow, caller, req.resource_id)
        serial = new_serial("ocra")
        values: dict[str, Any] = dict(
            id=token_id,
            tenant_id=caller.tenant_id,
            user_id=req.user_id,
            kind="ocra",
            serial=serial,
            label=req.label,
            origin=origin,
            enabled=True,
            digits=suite.digits,
            algorithm=suite.algorithm,
            period=suite.time_step_seconds or 0,
            ocra_suite=suite.text,
            counter=0,
            drift=0,
            fail_count=0,
            secret=sealed.blob,
            secret_key_id=sealed.key_id,
            created_at=now,
        )
        await uow.tokens.add(**values)
        if pin_hash is not None:
            await uow.pins.set(token_id, env.keyring.seal(pin_hash, aad=f"token-pin:{token_id}"))
        await uow.audit.add(
            caller.tenant_id,
            "token.enrol",
            now,
            actor=caller.key_id,
            target_type="token",
            target_id=token_id,
            login=account,
            detail={"kind": "ocra", "origin": origin, "ocra_suite": suite.text},
        )
        token = await uow.tokens.get(caller.tenant_id, token_id)
    assert token is not None
    uri = ocra_key_uri(secret=seed, issuer=issuer, account=account or serial, suite=suite)
    return token, Enrollment(secret_b32=b32encode(seed), otpauth_uri=uri, qr_svg=qr_svg(uri))
