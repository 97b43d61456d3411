"""Builders for API tests: a resource with a member holding an enrolled token."""

from dataclasses import dataclass
from typing import Any

import pyotp

from tests.conftest import Api


@dataclass
class Enrolled:
    resource_id: str
    user_id: str
    login: str
    token_id: str
    secret_b32: str
    body: dict[str, Any]

    def totp(self) -> pyotp.TOTP:
        return pyotp.TOTP(self.secret_b32)

    def hotp(self) -> pyotp.HOTP:
        return pyotp.HOTP(self.secret_b32)


async def enrolled(
    api: Api, kind: str = "totp", login: str = "alice", policy: dict[str, Any] | None = None,
    **token: Any,
) -> Enrolled:
    res = await api.post("/resources", {"name": "Web banking", "policy": policy or {}})
    assert res.status_code == 201, res.text
    user = await api.post("/users", {"login": login, "email": f"{login}@example.com"})
    assert user.status_code == 201, user.text
    rid, uid = res.json()["id"], user.json()["id"]
    assert (await api.put(f"/resources/{rid}/users/{uid}")).status_code == 204
    tok = await api.post("/tokens", {"kind": kind, "user_id": uid, **token})
    assert tok.status_code == 201, tok.text
    body = tok.json()
    return Enrolled(rid, uid, login, body["token"]["id"], body["enrollment"]["secret_b32"], body)


async def verify(api: Api, e: Enrolled, otp: str, key: str | None = None, **extra: Any) -> dict[str, Any]:
    r = await api.post(
        "/auth/verify", {"resource_id": e.resource_id, "login": e.login, "otp": otp, **extra}, key=key
    )
    assert r.status_code == 200, r.text
    return dict(r.json())
