"""Builders for the delivery flow: a member with delivered tokens, channels on the fakes."""

from dataclasses import dataclass
from typing import Any

from tests.conftest import Api
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio

CHAT_ID = "555000111"
PHONE = "+48500100200"


@dataclass
class Member:
    resource_id: str
    user_id: str
    login: str
    tokens: dict[str, str]  # kind -> token id


async def member(
    api: Api,
    kinds: dict[str, str],
    policy: dict[str, Any] | None = None,
    login: str = "alice",
) -> Member:
    """``kinds`` maps a delivered kind to its destination."""
    res = await api.post("/resources", {"name": "Web banking", "policy": policy or {}})
    assert res.status_code == 201, res.text
    user = await api.post("/users", {"login": login, "phone": PHONE})
    assert user.status_code == 201, user.text
    rid, uid = res.json()["id"], user.json()["id"]
    assert (await api.put(f"/resources/{rid}/users/{uid}")).status_code == 204
    tokens = {}
    for kind, destination in kinds.items():
        tok = await api.post("/tokens", {"kind": kind, "user_id": uid, "destination": destination})
        assert tok.status_code == 201, tok.text
        tokens[kind] = tok.json()["token"]["id"]
    return Member(rid, uid, login, tokens)


async def configure_telegram(api: Api, fake: FakeTelegram) -> None:
    r = await api.client.put(
        "/api/v1/channels/telegram",
        json={
            "settings": {"api_base_url": fake.base_url, "price": "0"},
            "credentials": {"bot_token": fake.token},
        },
        headers=api.headers(),
    )
    assert r.status_code == 200, r.text


async def configure_sms(api: Api, fake: FakeTwilio) -> None:
    r = await api.client.put(
        "/api/v1/channels/sms",
        json={
            "settings": {
                "api_base_url": fake.base_url,
                "account_sid": fake.account_sid,
                "from_number": "+15005550006",
                "price": "0.10",
                "sms_prices": {"48": "0.05"},
            },
            "credentials": {"auth_token": fake.auth_token},
        },
        headers=api.headers(),
    )
    assert r.status_code == 200, r.text


async def challenge(api: Api, m: Member, **extra: Any) -> dict[str, Any]:
    r = await api.post("/auth/challenge", {"resource_id": m.resource_id, "login": m.login, **extra})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def verify(api: Api, m: Member, otp: str, **extra: Any) -> dict[str, Any]:
    r = await api.post(
        "/auth/verify", {"resource_id": m.resource_id, "login": m.login, "otp": otp, **extra}
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"
