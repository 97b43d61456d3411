"""The console channel with no config, the admin endpoints, refusals, tenant isolation."""

import re

from tests.conftest import Api
from tests.delivery_flow.setup import PHONE, challenge, configure_telegram, member, verify
from tests.fakes.telegram import FakeTelegram
from watchword.delivery.worker import Worker
from watchword.services.tenants import create_api_key


def code_in(text: str) -> str:
    found = re.search(r"\b(\d{6,10})\b", text)
    assert found, text
    return found.group(1)


async def test_console_channel_works_with_no_config(api: Api, worker: Worker) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    assert ch["kind"] == "console"
    await worker.run_once()
    r = await api.get("/console/messages")
    assert r.status_code == 200
    (msg,) = r.json()["items"]
    assert msg["destination"] == PHONE and msg["state"] == "sent"
    assert "Web banking" in msg["text"]
    assert (await verify(api, m, code_in(msg["text"])))["result"] == "accepted"


async def test_codes_have_the_policy_digits(api: Api, worker: Worker) -> None:
    m = await member(api, {"console": PHONE}, policy={"otp": {"digits": 8}})
    await challenge(api, m)
    await worker.run_once()
    (msg,) = (await api.get("/console/messages")).json()["items"]
    assert len(code_in(msg["text"])) == 8


async def test_challenge_creates_exactly_one_queued_message(api: Api) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    async with api.env.db.uow() as uow:
        rows = await uow.outbox.for_challenge(ch["challenge_id"])
    assert [(r.channel, r.state) for r in rows] == [("console", "queued")]


async def test_channel_list_never_shows_secrets(api: Api, fake_telegram: FakeTelegram) -> None:
    await configure_telegram(api, fake_telegram)
    r = await api.get("/channels")
    assert r.status_code == 200
    assert fake_telegram.token not in r.text
    tg = next(c for c in r.json() if c["channel"] == "telegram")
    assert tg["credentials_set"] == ["bot_token"]
    assert tg["settings"]["api_base_url"] == fake_telegram.base_url


async def test_channel_credentials_are_encrypted_at_rest(
    api: Api, fake_telegram: FakeTelegram
) -> None:
    await configure_telegram(api, fake_telegram)
    async with api.env.db.uow() as uow:
        cfg = await uow.channels.get(api.tenant_id, "telegram")
    assert cfg is not None and cfg.secret is not None
    assert fake_telegram.token.encode() not in cfg.secret


async def test_unknown_channel_fields_are_refused(api: Api) -> None:
    r = await api.client.put(
        "/api/v1/channels/sms",
        json={"credentials": {"password": "x"}},
        headers=api.headers(),
    )
    assert r.status_code == 422


async def test_challenge_for_an_unknown_user_is_403_with_the_reason(api: Api) -> None:
    m = await member(api, {"console": PHONE})
    r = await api.post("/auth/challenge", {"resource_id": m.resource_id, "login": "mallory"})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "unknown_user"


async def test_challenge_from_a_denied_address_is_403_ip_denied(api: Api) -> None:
    m = await member(api, {"console": PHONE}, policy={"ip": {"deny": ["203.0.113.0/24"]}})
    r = await api.post(
        "/auth/challenge", {"resource_id": m.resource_id, "login": m.login, "ip": "203.0.113.7"}
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "ip_denied"


async def test_challenge_without_a_delivered_token_is_403_no_token(api: Api) -> None:
    m = await member(api, {})
    r = await api.post("/auth/challenge", {"resource_id": m.resource_id, "login": m.login})
    assert r.status_code == 403 and r.json()["error"]["code"] == "no_token"


async def test_sms_destination_must_be_e164(api: Api) -> None:
    m = await member(api, {})
    r = await api.post("/tokens", {"kind": "sms", "user_id": m.user_id, "destination": "0500"})
    assert r.status_code == 422


async def test_other_tenants_cannot_challenge_or_read(
    api: Api, other_tenant: Api, worker: Worker
) -> None:
    m = await member(api, {"console": PHONE})
    r = await other_tenant.post("/auth/challenge", {"resource_id": m.resource_id, "login": m.login})
    assert r.status_code == 404
    await challenge(api, m)
    await worker.run_once()
    assert (await other_tenant.get("/console/messages")).json()["items"] == []
    assert [c["channel"] for c in (await other_tenant.get("/channels")).json()] == ["console"]


async def test_auth_scope_keys_cannot_configure_channels(api: Api) -> None:
    issued = await create_api_key(api.env, api.tenant_id, "auth")
    r = await api.get("/channels", key=issued.secret)
    assert r.status_code == 403


async def test_auth_scope_keys_may_challenge(api: Api) -> None:
    m = await member(api, {"console": PHONE})
    issued = await create_api_key(api.env, api.tenant_id, "auth")
    r = await api.post(
        "/auth/challenge", {"resource_id": m.resource_id, "login": m.login}, key=issued.secret
    )
    assert r.status_code == 200


async def test_a_new_challenge_does_not_reset_the_failure_count(api: Api, worker: Worker) -> None:
    m = await member(api, {"console": PHONE})
    await challenge(api, m)
    await worker.run_once()
    assert (await verify(api, m, "99999999"))["reason"] == "invalid_otp"
    await challenge(api, m)
    token = (await api.get(f"/tokens/{m.tokens['console']}")).json()
    assert token["fail_count"] == 1


async def test_a_delivered_code_verifies_beside_an_app_token_when_named(
    api: Api, worker: Worker
) -> None:
    m = await member(api, {"console": PHONE})
    app = await api.post("/tokens", {"kind": "totp", "user_id": m.user_id})
    assert app.status_code == 201
    ch = await challenge(api, m)
    await worker.run_once()
    (msg,) = (await api.get("/console/messages")).json()["items"]
    out = await verify(api, m, code_in(msg["text"]), token_id=ch["token_id"])
    assert out["result"] == "accepted"
