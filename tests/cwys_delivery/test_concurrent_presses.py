"""Many presses and verifies at once: the transaction is settled exactly once."""

import asyncio

from tests.conftest import Api
from tests.cwys_delivery.setup import PAYMENT, buttons, press, start, state, telegram_member
from tests.fakes.telegram import FakeTelegram
from watchword.delivery.worker import Worker


async def test_concurrent_confirms_and_verifies_settle_the_transaction_once(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx = await start(api, m)
    await worker.run_once()
    confirm, code = buttons(fake_telegram)["Confirm"], fake_telegram.last_code()
    tx_id = tx["transaction_id"]
    presses = [press(api, confirm, update_id=30000 + i) for i in range(10)]
    verifies = [
        api.post(f"/transactions/{tx_id}/verify", {"otp": code, "data": PAYMENT}) for _ in range(10)
    ]
    results = await asyncio.gather(*presses, *verifies)
    applied = sum(r.json()["applied"] for r in results[:10])
    accepted = sum(r.json()["result"] == "accepted" for r in results[10:])
    assert applied + accepted == 1
    assert await state(api, tx_id) == "accepted"
