"""Telegram refusing or down: the same code goes by SMS, and the ledger shows both."""

from datetime import timedelta
from typing import Any

from tests.conftest import Api, Clock
from tests.delivery_flow.setup import (
    CHAT_ID,
    PHONE,
    challenge,
    configure_sms,
    configure_telegram,
    member,
    verify,
)
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from watchword.delivery.worker import Worker

BOTH = {"telegram": CHAT_ID, "sms": PHONE}


async def ledger(api: Api, challenge_id: str) -> list[tuple[str, str]]:
    async with api.env.db.uow() as uow:
        rows = await uow.outbox.for_challenge(challenge_id)
    return [(r.channel, r.state) for r in rows]


async def report(api: Api, frozen: Clock) -> dict[str, Any]:
    assert frozen.now is not None
    start = (frozen.now - timedelta(hours=1)).isoformat()
    end = (frozen.now + timedelta(hours=1)).isoformat()
    r = await api.get("/reports/delivery", **{"from": start, "to": end})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_blocked_bot_falls_back_to_sms_with_the_same_code(
    api: Api, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    await configure_telegram(api, fake_telegram)
    await configure_sms(api, fake_twilio)
    m = await member(api, BOTH)
    fake_telegram.mode = "blocked"
    ch = await challenge(api, m)
    assert ch["kind"] == "telegram"
    await worker.run_once()
    assert fake_twilio.messages[0]["To"] == PHONE
    assert await ledger(api, ch["challenge_id"]) == [("telegram", "failed"), ("sms", "sent")]
    out = await verify(api, m, fake_twilio.last_code(), challenge_id=ch["challenge_id"])
    assert out["result"] == "accepted" and out["token_id"] == m.tokens["sms"]


async def test_a_blocked_chat_is_skipped_by_later_challenges(
    api: Api, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    await configure_telegram(api, fake_telegram)
    await configure_sms(api, fake_twilio)
    m = await member(api, BOTH)
    fake_telegram.mode = "blocked"
    await challenge(api, m)
    await worker.run_once()
    assert (await challenge(api, m))["kind"] == "sms"


async def test_telegram_down_falls_back_after_fallback_after_s(
    api: Api, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio, worker: Worker, frozen: Clock
) -> None:
    await configure_telegram(api, fake_telegram)
    await configure_sms(api, fake_twilio)
    m = await member(api, BOTH, policy={"delivery": {"order": ["telegram", "sms"]}})
    fake_telegram.mode = "down"
    ch = await challenge(api, m)
    await worker.run_once()
    assert fake_twilio.messages == []  # a 502 is retried first
    assert await ledger(api, ch["challenge_id"]) == [("telegram", "queued")]
    assert frozen.now is not None
    frozen.now += timedelta(seconds=31)
    await worker.run_once()
    assert await ledger(api, ch["challenge_id"]) == [("telegram", "failed"), ("sms", "sent")]
    assert (await verify(api, m, fake_twilio.last_code()))["result"] == "accepted"


async def test_the_ledger_prices_both_attempts_and_compares_with_all_sms(
    api: Api, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio, worker: Worker, frozen: Clock
) -> None:
    await configure_telegram(api, fake_telegram)
    await configure_sms(api, fake_twilio)
    m = await member(api, BOTH)
    await challenge(api, m)
    await worker.run_once()  # telegram delivers
    fake_telegram.mode = "blocked"
    assert frozen.now is not None
    frozen.now += timedelta(seconds=5)
    await challenge(api, m)
    await worker.run_once()  # telegram refuses, SMS delivers
    body = await report(api, frozen)
    usage = {c["channel"]: c for c in body["channels"]}
    assert usage["telegram"]["by_state"]["sent"] == 1
    assert usage["telegram"]["by_state"]["failed"] == 1
    assert usage["sms"]["by_state"]["sent"] == 1
    assert usage["sms"]["cost"] == "0.05"  # the +48 prefix price
    assert body["total_cost"] == "0.05"
    # Two messages went out; as SMS, the bot chat id is priced at the default rate.
    assert body["all_sms_cost"] == "0.15"


async def test_a_429_is_retried_after_retry_after(
    api: Api, fake_telegram: FakeTelegram, worker: Worker, frozen: Clock
) -> None:
    await configure_telegram(api, fake_telegram)
    m = await member(api, {"telegram": CHAT_ID}, policy={"delivery": {"fallback_after_s": 120}})
    fake_telegram.mode = "rate_limited"
    fake_telegram.retry_after = 34
    ch = await challenge(api, m)
    await worker.run_once()
    calls = len(fake_telegram.calls)
    assert frozen.now is not None
    frozen.now += timedelta(seconds=20)
    fake_telegram.mode = "ok"
    await worker.run_once()
    assert len(fake_telegram.calls) == calls  # not before retry_after
    frozen.now += timedelta(seconds=15)
    await worker.run_once()
    assert len(fake_telegram.messages) == 1
    assert await ledger(api, ch["challenge_id"]) == [("telegram", "sent")]
    async with api.env.db.uow() as uow:
        (row,) = await uow.outbox.for_challenge(ch["challenge_id"])
    assert row.attempts == 2


async def test_no_more_than_five_sends_per_challenge(api: Api, worker: Worker) -> None:
    # Six delivered tokens, every channel failing: the route stops after five sends.
    m = await member(
        api,
        {
            "telegram": "1",
            "viber": "v1",
            "messenger": "p1",
            "sms": PHONE,
            "email": "a@b.example",
            "console": PHONE,
        },
    )
    ch = await challenge(api, m)
    await worker.run_once()  # nothing but console is configured: every bot hop fails
    rows = await ledger(api, ch["challenge_id"])
    assert len(rows) == 5
    assert all(state == "failed" for _, state in rows)
