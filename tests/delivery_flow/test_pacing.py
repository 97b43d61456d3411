"""Telegram's limits hold for the bot, however many workers send for it."""

from datetime import timedelta

import httpx

from tests.conftest import Api, Clock
from tests.delivery_flow.setup import challenge, configure_telegram, member
from tests.fakes.telegram import FakeTelegram
from watchword.delivery.ratelimit import PACES
from watchword.delivery.worker import Worker

BURST = PACES["telegram"].bot.burst


async def queue_logins(api: Api, count: int) -> None:
    for i in range(count):
        m = await member(api, {"telegram": str(7000 + i)}, login=f"user{i}")
        await challenge(api, m)


async def test_two_workers_share_one_bots_burst(
    api: Api, fake_telegram: FakeTelegram, worker: Worker, http: httpx.AsyncClient
) -> None:
    # Each worker's memory would allow a burst of its own; the database allows one.
    await configure_telegram(api, fake_telegram)
    await queue_logins(api, 8)
    other = Worker(api.env.db, api.env.keyring, api.env.clock, http)
    await worker.run_once()
    await other.run_once()
    assert len(fake_telegram.messages) == BURST


async def test_held_back_messages_go_when_their_slot_comes(
    api: Api, fake_telegram: FakeTelegram, worker: Worker, frozen: Clock
) -> None:
    await configure_telegram(api, fake_telegram)
    await queue_logins(api, 8)
    await worker.run_once()
    assert frozen.now is not None
    for _ in range(2):  # at a standing clock, each moment allows one burst
        frozen.now += timedelta(seconds=1)
        await worker.run_once()
    assert len(fake_telegram.messages) == 8
    assert len({m["chat_id"] for m in fake_telegram.messages}) == 8


async def test_a_retry_after_holds_the_bot_for_every_worker(
    api: Api, fake_telegram: FakeTelegram, worker: Worker, http: httpx.AsyncClient
) -> None:
    await configure_telegram(api, fake_telegram)
    fake_telegram.mode = "rate_limited"
    await queue_logins(api, 1)
    await worker.run_once()
    fake_telegram.mode = "ok"
    await queue_logins_for_another_chat(api)
    other = Worker(api.env.db, api.env.keyring, api.env.clock, http)
    await other.run_once()
    assert fake_telegram.messages == []


async def queue_logins_for_another_chat(api: Api) -> None:
    m = await member(api, {"telegram": "8000"}, login="bob")
    await challenge(api, m)
