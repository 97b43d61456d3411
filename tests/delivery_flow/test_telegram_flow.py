"""The whole loop on the fake Telegram: challenge, worker, code in chat, verify."""

from datetime import timedelta

from tests.conftest import Api, Clock
from tests.delivery_flow.setup import (
    CHAT_ID,
    challenge,
    configure_telegram,
    member,
    verify,
    wrong,
)
from tests.fakes.telegram import FakeTelegram
from watchword.delivery.worker import Worker


async def test_code_sent_through_telegram_is_accepted(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    await configure_telegram(api, fake_telegram)
    m = await member(api, {"telegram": CHAT_ID})
    ch = await challenge(api, m)
    assert ch["kind"] == "telegram" and ch["token_id"] == m.tokens["telegram"]
    assert await worker.run_once() == 1
    assert fake_telegram.messages[0]["chat_id"] == int(CHAT_ID)
    out = await verify(api, m, fake_telegram.last_code(), challenge_id=ch["challenge_id"])
    assert out == {"result": "accepted", "reason": None, "token_id": m.tokens["telegram"]}


async def test_verify_without_challenge_id_finds_the_live_challenge(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    await configure_telegram(api, fake_telegram)
    m = await member(api, {"telegram": CHAT_ID})
    await challenge(api, m)
    await worker.run_once()
    assert (await verify(api, m, fake_telegram.last_code()))["result"] == "accepted"


async def test_a_delivered_code_is_accepted_once(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    await configure_telegram(api, fake_telegram)
    m = await member(api, {"telegram": CHAT_ID})
    ch = await challenge(api, m)
    await worker.run_once()
    code = fake_telegram.last_code()
    assert (await verify(api, m, code, challenge_id=ch["challenge_id"]))["result"] == "accepted"
    again = await verify(api, m, code, challenge_id=ch["challenge_id"])
    assert (again["result"], again["reason"]) == ("rejected", "replayed")


async def test_wrong_codes_count_failures_and_lock_the_token(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    await configure_telegram(api, fake_telegram)
    m = await member(api, {"telegram": CHAT_ID}, policy={"lockout": {"max_failures": 3}})
    await challenge(api, m)
    await worker.run_once()
    bad = wrong(fake_telegram.last_code())
    reasons = [(await verify(api, m, bad))["reason"] for _ in range(4)]
    assert reasons == ["invalid_otp", "invalid_otp", "invalid_otp", "locked"]
    token = (await api.get(f"/tokens/{m.tokens['telegram']}")).json()
    assert token["fail_count"] == 3 and token["locked_until"] is not None
    # Even the right code is refused now.
    assert (await verify(api, m, fake_telegram.last_code()))["reason"] == "locked"


async def test_an_expired_code_is_refused(
    api: Api, fake_telegram: FakeTelegram, worker: Worker, frozen: Clock
) -> None:
    await configure_telegram(api, fake_telegram)
    m = await member(api, {"telegram": CHAT_ID}, policy={"otp": {"ttl_s": 60}})
    await challenge(api, m)
    await worker.run_once()
    assert frozen.now is not None
    frozen.now += timedelta(seconds=61)
    out = await verify(api, m, fake_telegram.last_code())
    assert (out["result"], out["reason"]) == ("rejected", "expired")


async def test_a_new_challenge_supersedes_the_previous_code(
    api: Api, fake_telegram: FakeTelegram, worker: Worker, frozen: Clock
) -> None:
    await configure_telegram(api, fake_telegram)
    m = await member(api, {"telegram": CHAT_ID})
    first = await challenge(api, m)
    await worker.run_once()
    old_code = fake_telegram.last_code()
    assert frozen.now is not None
    frozen.now += timedelta(seconds=5)  # the per-chat send limit is one a second
    await challenge(api, m)
    await worker.run_once()
    assert len(fake_telegram.messages) == 2
    stale = await verify(api, m, old_code, challenge_id=first["challenge_id"])
    assert stale["reason"] == "superseded"
    assert (await verify(api, m, fake_telegram.last_code()))["result"] == "accepted"


async def test_the_code_is_stored_only_as_a_salted_hash(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    await configure_telegram(api, fake_telegram)
    m = await member(api, {"telegram": CHAT_ID})
    ch = await challenge(api, m)
    await worker.run_once()
    code = fake_telegram.last_code().encode()
    async with api.env.db.uow() as uow:
        row = await uow.challenges.get(api.tenant_id, ch["challenge_id"])
        messages = await uow.outbox.for_challenge(ch["challenge_id"])
    assert row is not None and code not in row.code_hash and len(row.salt) == 16
    assert len(messages) == 1 and code not in messages[0].payload
