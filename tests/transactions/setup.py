"""Builders for transaction tests; codes come from ``oath``, an independent OCRA."""

import base64
from dataclasses import dataclass
from typing import Any

import oath

from tests.api.setup import Enrolled, enrolled
from tests.conftest import Api
from watchword.store.types import new_id

PAYMENT = {"amount": "100.50", "currency": "EUR", "payee": "UA213223130000026007233566001"}


def seed_of(e: Enrolled) -> bytes:
    return base64.b32decode(e.secret_b32 + "=" * (-len(e.secret_b32) % 8))


def oath_response(suite: str, key: bytes, question: str, **inputs: Any) -> str:
    """The response an RFC 6287 token gives, computed by the ``oath`` package."""
    names = {"counter": "C", "pin": "P", "time_step": "T_precomputed"}
    extra = {names[k]: v for k, v in inputs.items()}
    return str(oath.str2ocrasuite(suite)(key, Q=question, **extra))


async def ocra_user(
    api: Api,
    suite: str = "OCRA-1:HOTP-SHA1-6:QN08",
    policy: dict[str, Any] | None = None,
    **token: Any,
) -> Enrolled:
    return await enrolled(api, kind="ocra", policy=policy, ocra_suite=suite, **token)


async def start(
    api: Api, e: Enrolled, data: dict[str, Any] | None = None, key: str | None = None, **extra: Any
):  # type: ignore[no-untyped-def]
    body = {
        "resource_id": e.resource_id,
        "login": e.login,
        "data": PAYMENT if data is None else data,
        **extra,
    }
    return await api.post("/transactions", body, key=key)


async def started(
    api: Api, e: Enrolled, data: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    r = await start(api, e, data, **extra)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def sign(
    api: Api,
    tx: dict[str, Any],
    otp: str,
    data: dict[str, Any] | None = None,
    key: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body = {"otp": otp, "data": PAYMENT if data is None else data, **extra}
    r = await api.post(f"/transactions/{tx['transaction_id']}/verify", body, key=key)
    assert r.status_code == 200, r.text
    return dict(r.json())


@dataclass
class Delivered:
    resource_id: str
    user_id: str
    login: str
    token_id: str


async def delivered_user(
    api: Api, kind: str = "sms", policy: dict[str, Any] | None = None
) -> Delivered:
    """A member holding an SMS (or bot) token, written straight to the store:
    enrolment of delivered kinds belongs to the delivery feature."""
    res = await api.post("/resources", {"name": "Web banking", "policy": policy or {}})
    user = await api.post("/users", {"login": "bob", "phone": "+380501234567"})
    rid, uid = res.json()["id"], user.json()["id"]
    assert (await api.put(f"/resources/{rid}/users/{uid}")).status_code == 204
    token_id = new_id()
    now = api.env.clock()
    async with api.env.db.uow() as uow:
        await uow.tokens.add(
            id=token_id,
            tenant_id=api.tenant_id,
            user_id=uid,
            kind=kind,
            serial=f"SMS{token_id[:8]}",
            origin="generated",
            enabled=True,
            digits=6,
            algorithm="SHA1",
            period=0,
            destination="+380501234567",
            counter=0,
            drift=0,
            fail_count=0,
            created_at=now,
        )
    return Delivered(rid, uid, "bob", token_id)
