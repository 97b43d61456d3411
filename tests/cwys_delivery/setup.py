"""Builders: a member whose token is a linked Telegram chat, transactions, button presses."""

import json
from typing import Any

from tests.conftest import Api
from tests.delivery_flow.setup import CHAT_ID, Member, member
from tests.fakes.telegram import FakeTelegram, callback_update

SECRET = "hook-secret-456"
PAYMENT = {"amount": "100.50", "currency": "EUR", "payee": "UA213223130000026007233566001"}


async def configure(api: Api, fake: FakeTelegram) -> None:
    r = await api.client.put(
        "/api/v1/channels/telegram",
        json={
            "settings": {"api_base_url": fake.base_url, "bot_username": "WatchwordBot"},
            "credentials": {"bot_token": fake.token, "webhook_secret": SECRET},
        },
        headers=api.headers(),
    )
    assert r.status_code == 200, r.text


async def telegram_member(api: Api, fake: FakeTelegram, **extra: Any) -> Member:
    await configure(api, fake)
    return await member(api, {"telegram": CHAT_ID}, **extra)


async def start(api: Api, m: Member, data: dict[str, Any] | None = None) -> dict[str, Any]:
    body = {"resource_id": m.resource_id, "login": m.login, "data": data or PAYMENT}
    r = await api.post("/transactions", body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def verify(api: Api, tx_id: str, otp: str, data: dict[str, Any]) -> dict[str, Any]:
    r = await api.post(f"/transactions/{tx_id}/verify", {"otp": otp, "data": data})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def state(api: Api, tx_id: str) -> str:
    r = await api.get(f"/transactions/{tx_id}")
    assert r.status_code == 200, r.text
    return str(r.json()["state"])


def buttons(fake: FakeTelegram) -> dict[str, str]:
    """Label -> callback data of the last message's inline keyboard."""
    (row,) = fake.messages[-1]["reply_markup"]["inline_keyboard"]
    return {b["text"]: b["callback_data"] for b in row}


async def press(
    api: Api, data: str, chat_id: str = CHAT_ID, secret: str = SECRET, update_id: int = 20001
) -> Any:
    return await api.client.post(
        f"/hooks/telegram/{api.tenant_id}",
        content=json.dumps(callback_update(int(chat_id), data, update_id)).encode(),
        headers={"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"},
    )
