"""Linking a Telegram chat by deep link and signed webhook, then the whole loop."""

import json
from datetime import timedelta
from typing import Any

from tests.conftest import Api, Clock
from tests.delivery_flow.setup import challenge, member, verify
from tests.fakes.telegram import FakeTelegram, kicked_update, start_update
from watchword.delivery.worker import Worker

SECRET = "hook-secret-123"
CHAT = 777000111


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


async def link_code(api: Api, user_id: str) -> str:
    r = await api.post(f"/users/{user_id}/links", {"channel": "telegram"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["url"] == f"https://t.me/WatchwordBot?start={body['code']}"
    assert "<svg" in body["qr_svg"]
    return str(body["code"])


async def hook(api: Api, update: dict[str, Any], secret: str = SECRET) -> Any:
    return await api.client.post(
        f"/hooks/telegram/{api.tenant_id}",
        content=json.dumps(update).encode(),
        headers={"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"},
    )


async def telegram_tokens(api: Api, user_id: str) -> list[dict[str, Any]]:
    r = await api.get("/tokens", user_id=user_id, kind="telegram")
    return list(r.json()["items"])


async def test_linked_chat_receives_codes_that_verify(
    api: Api, fake_telegram: FakeTelegram, worker: Worker, frozen: Clock
) -> None:
    await configure(api, fake_telegram)
    m = await member(api, {})
    code = await link_code(api, m.user_id)
    r = await hook(api, start_update(CHAT, code))
    assert r.status_code == 200 and r.json() == {"applied": 1}
    (token,) = await telegram_tokens(api, m.user_id)
    assert token["destination"] == str(CHAT)
    await worker.run_once()
    assert fake_telegram.messages[-1]["chat_id"] == CHAT  # the bot confirms in the chat
    assert "login codes" in fake_telegram.messages[-1]["text"]
    assert frozen.now is not None
    frozen.now += timedelta(seconds=5)
    ch = await challenge(api, m)
    assert ch["token_id"] == token["id"]
    await worker.run_once()
    assert (await verify(api, m, fake_telegram.last_code()))["result"] == "accepted"


async def test_a_link_code_binds_only_once(api: Api, fake_telegram: FakeTelegram) -> None:
    await configure(api, fake_telegram)
    m = await member(api, {})
    code = await link_code(api, m.user_id)
    assert (await hook(api, start_update(CHAT, code))).json() == {"applied": 1}
    again = await hook(api, start_update(CHAT + 1, code, update_id=10005))
    assert again.json() == {"applied": 0}
    assert len(await telegram_tokens(api, m.user_id)) == 1


async def test_an_expired_link_code_binds_nothing(
    api: Api, fake_telegram: FakeTelegram, frozen: Clock
) -> None:
    await configure(api, fake_telegram)
    m = await member(api, {})
    code = await link_code(api, m.user_id)
    assert frozen.now is not None
    frozen.now += timedelta(minutes=11)
    assert (await hook(api, start_update(CHAT, code))).json() == {"applied": 0}
    assert await telegram_tokens(api, m.user_id) == []


async def test_a_forged_webhook_changes_nothing(api: Api, fake_telegram: FakeTelegram) -> None:
    await configure(api, fake_telegram)
    m = await member(api, {})
    code = await link_code(api, m.user_id)
    r = await hook(api, start_update(CHAT, code), secret="guessed")
    assert r.status_code == 403
    assert await telegram_tokens(api, m.user_id) == []
    # The code was not used up by the forgery: the real update still binds.
    assert (await hook(api, start_update(CHAT, code))).json() == {"applied": 1}


async def test_a_webhook_for_an_unconfigured_tenant_is_refused(
    api: Api, other_tenant: Api, fake_telegram: FakeTelegram
) -> None:
    await configure(api, fake_telegram)
    m = await member(api, {})
    code = await link_code(api, m.user_id)
    r = await api.client.post(
        f"/hooks/telegram/{other_tenant.tenant_id}",
        content=json.dumps(start_update(CHAT, code)).encode(),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert r.status_code == 403
    assert await telegram_tokens(api, m.user_id) == []


async def test_blocking_the_bot_makes_the_token_unreachable(
    api: Api, fake_telegram: FakeTelegram
) -> None:
    await configure(api, fake_telegram)
    m = await member(api, {})
    code = await link_code(api, m.user_id)
    await hook(api, start_update(CHAT, code))
    assert (await hook(api, kicked_update(CHAT))).json() == {"applied": 1}
    r = await api.post("/auth/challenge", {"resource_id": m.resource_id, "login": m.login})
    assert r.status_code == 403 and r.json()["error"]["code"] == "no_token"


async def test_links_of_another_tenants_user_are_404(api: Api, other_tenant: Api) -> None:
    m = await member(api, {})
    r = await other_tenant.post(f"/users/{m.user_id}/links", {"channel": "telegram"})
    assert r.status_code == 404


async def test_messenger_handshake_echoes_only_with_the_verify_token(api: Api) -> None:
    r = await api.client.put(
        "/api/v1/channels/messenger",
        json={"credentials": {"page_access_token": "p", "verify_token": "vt-1"}},
        headers=api.headers(),
    )
    assert r.status_code == 200
    url = f"/hooks/messenger/{api.tenant_id}"
    ok = await api.client.get(
        url, params={"hub.mode": "subscribe", "hub.verify_token": "vt-1", "hub.challenge": "42"}
    )
    assert (ok.status_code, ok.text) == (200, "42")
    bad = await api.client.get(
        url, params={"hub.mode": "subscribe", "hub.verify_token": "no", "hub.challenge": "42"}
    )
    assert bad.status_code == 403
