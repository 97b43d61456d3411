"""Enrolment of OCRA tokens (RFC 6287): a suite, a seed, and a QR code for the app.

The server makes the seed (origin ``generated``: an app, enrolled by the QR
code of ``otpauth://ocra/...``) unless ``secret_b32`` brings the seed of a
programmable device (origin ``programmed``). Suites with a PIN (P) need the
PIN here; its hash is kept sealed like the seed. Session suites (S) are not
offered: Watchword has no session information to put into them.
"""

import secrets
from dataclasses import dataclass

from watchword.otp.errors import ParameterError
from watchword.otp.ocra import OCRASuite, hash_pin, ocra_key_uri
from watchword.otp.uri import b32decode, b32encode
from watchword.services.enrol import Enrollment, SeedToken, qr_svg, store_seed_token
from watchword.services.env import Caller, Env
from watchword.services.errors import InvalidInput
from watchword.services.seeds import SEED_BYTES
from watchword.store.records import Token

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
    stored = await store_seed_token(
        env,
        caller,
        SeedToken(
            kind="ocra",
            seed=seed,
            origin=origin,
            user_id=req.user_id,
            label=req.label,
            resource_id=req.resource_id,
            digits=suite.digits,
            algorithm=suite.algorithm,
            period=suite.time_step_seconds or 0,
            ocra_suite=suite.text,
            pin_hash=pin_hash,
        ),
    )
    token = stored.token
    uri = ocra_key_uri(secret=seed, issuer=stored.issuer, account=stored.account, suite=suite)
    return token, Enrollment(secret_b32=b32encode(seed), otpauth_uri=uri, qr_svg=qr_svg(uri))
