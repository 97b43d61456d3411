"""Builders for the abuse tests: SMS configured with limits, the ledger of a challenge."""

from typing import Any

from tests.conftest import Api
from tests.fakes.twilio import FakeTwilio


async def configure_sms(api: Api, fake: FakeTwilio, **limits: int) -> None:
    r = await api.client.put(
        "/api/v1/channels/sms",
        json={
            "settings": {
                "api_base_url": fake.base_url,
                "account_sid": fake.account_sid,
                "from_number": "+15005550006",
                "price": "0.10",
                **limits,
            },
            "credentials": {"auth_token": fake.auth_token},
        },
        headers=api.headers(),
    )
    assert r.status_code == 200, r.text


async def ledger(api: Api, challenge_id: str) -> list[tuple[str, str, str | None]]:
    async with api.env.db.uow() as uow:
        rows = await uow.outbox.for_challenge(challenge_id)
    return [(r.channel, r.state, r.last_error) for r in rows]


async def try_challenge(api: Api, resource_id: str, login: str) -> Any:
    return await api.post("/auth/challenge", {"resource_id": resource_id, "login": login})


async def resend(api: Api, challenge_id: str, **body: Any) -> Any:
    return await api.post(f"/auth/challenge/{challenge_id}/resend", body or None)
