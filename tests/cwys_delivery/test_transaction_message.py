"""A transaction for a Telegram user: the message shows the data and a code bound to it."""

from datetime import timedelta

from tests.conftest import Api, Clock
from tests.cwys_delivery.setup import PAYMENT, buttons, start, telegram_member, verify
from tests.delivery_flow.setup import CHAT_ID, member
from tests.fakes.telegram import FakeTelegram
from watchword.delivery.worker import Worker
from watchword.store.transaction_buttons import transaction_buttons


async def test_the_message_shows_amount_currency_payee_and_a_code(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx = await start(api, m)
    assert tx["kind"] == "telegram" and tx["token_id"] == m.tokens["telegram"]
    assert await worker.run_once() == 1
    (sent,) = fake_telegram.messages
    assert sent["chat_id"] == int(CHAT_ID)
    for shown in PAYMENT.values():
        assert shown in sent["text"]
    assert len(fake_telegram.last_code()) == 6


async def test_the_message_has_confirm_and_decline_buttons(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    await start(api, m)
    await worker.run_once()
    labels = buttons(fake_telegram)
    assert set(labels) == {"Confirm", "Decline"}
    assert labels["Confirm"].endswith(":c") and labels["Decline"].endswith(":d")
    assert all(len(data.encode()) <= 64 for data in labels.values())


async def test_button_data_is_random_per_transaction_and_stored_only_hashed(
    api: Api, fake_telegram: FakeTelegram, worker: Worker, frozen: Clock
) -> None:
    m = await telegram_member(api, fake_telegram)
    first = await start(api, m)
    await worker.run_once()
    one = buttons(fake_telegram)["Confirm"]
    assert frozen.now is not None
    frozen.now += timedelta(seconds=5)  # the per-chat send limit is one a second
    await start(api, m)
    await worker.run_once()
    two = buttons(fake_telegram)["Confirm"]
    assert one != two and first["transaction_id"] not in one
    token = one.split(":")[1].encode()
    async with api.env.db.uow() as uow:
        rows = await uow.connection.execute(transaction_buttons.select())
        stored = [r.token_hash for r in rows]
        messages = await uow.outbox.recent(api.tenant_id)
    assert len(stored) == 2 and all(token not in bytes(h) for h in stored)
    assert all(token not in m.payload for m in messages)


async def test_the_code_from_the_chat_with_the_same_data_is_accepted(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx = await start(api, m)
    await worker.run_once()
    out = await verify(api, tx["transaction_id"], fake_telegram.last_code(), PAYMENT)
    assert out == {"result": "accepted", "reason": None}


async def test_the_code_with_a_changed_amount_is_a_data_mismatch(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx = await start(api, m)
    await worker.run_once()
    changed = {**PAYMENT, "amount": "1000.50"}
    out = await verify(api, tx["transaction_id"], fake_telegram.last_code(), changed)
    assert out == {"result": "rejected", "reason": "data_mismatch"}


async def test_the_transaction_and_its_message_are_written_together(
    api: Api, fake_telegram: FakeTelegram
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx = await start(api, m)
    async with api.env.db.uow() as uow:
        (queued,) = await uow.outbox.recent(api.tenant_id)
    assert queued.state == "queued" and queued.template == "transaction"
    assert queued.token_id == tx["token_id"] and queued.destination == CHAT_ID


async def test_the_resource_delivery_order_picks_the_signing_channel(
    api: Api, fake_telegram: FakeTelegram
) -> None:
    m = await member(
        api,
        {"sms": "+48500100200", "telegram": CHAT_ID},
        policy={"delivery": {"order": ["telegram", "sms"]}},
    )
    assert (await start(api, m))["kind"] == "telegram"
    other = await member(
        api,
        {"sms": "+48500100201", "telegram": "555000222"},
        policy={"delivery": {"order": ["sms", "telegram"]}},
        login="bob",
    )
    assert (await start(api, other))["kind"] == "sms"
