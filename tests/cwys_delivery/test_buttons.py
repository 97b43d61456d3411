"""Confirm/Decline from the chat: one conditional UPDATE, only by the bound chat, once."""

from datetime import timedelta

from tests.conftest import Api, Clock
from tests.cwys_delivery.setup import (
    PAYMENT,
    buttons,
    press,
    start,
    state,
    telegram_member,
    verify,
)
from tests.delivery_flow.setup import CHAT_ID, Member
from tests.fakes.telegram import FakeTelegram
from watchword.delivery.worker import Worker


async def sent(
    api: Api, m: Member, fake: FakeTelegram, worker: Worker
) -> tuple[str, dict[str, str]]:
    tx = await start(api, m)
    await worker.run_once()
    return str(tx["transaction_id"]), buttons(fake)


async def test_confirm_accepts_the_transaction_without_a_code(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx_id, keys = await sent(api, m, fake_telegram, worker)
    r = await press(api, keys["Confirm"])
    assert r.status_code == 200 and r.json() == {"applied": 1}
    assert await state(api, tx_id) == "accepted"


async def test_decline_declines_the_transaction_and_its_code_no_longer_signs(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx_id, keys = await sent(api, m, fake_telegram, worker)
    code = fake_telegram.last_code()
    assert (await press(api, keys["Decline"])).json() == {"applied": 1}
    assert await state(api, tx_id) == "declined"
    out = await verify(api, tx_id, code, PAYMENT)
    assert out == {"result": "rejected", "reason": "declined"}


async def test_the_bot_answers_the_press_and_removes_the_buttons(
    api: Api, fake_telegram: FakeTelegram, worker: Worker, frozen: Clock
) -> None:
    m = await telegram_member(api, fake_telegram)
    _, keys = await sent(api, m, fake_telegram, worker)
    await press(api, keys["Confirm"])
    calls = dict(fake_telegram.calls)
    assert calls["answerCallbackQuery"]["text"] == "Confirmed"
    assert calls["editMessageReplyMarkup"]["message_id"] == 42
    assert frozen.now is not None
    frozen.now += timedelta(seconds=2)
    await worker.run_once()
    assert fake_telegram.messages[-1]["text"] == "Confirmed"


async def test_a_press_from_another_chat_changes_nothing(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx_id, keys = await sent(api, m, fake_telegram, worker)
    r = await press(api, keys["Confirm"], chat_id="999111222")
    assert r.status_code == 200 and r.json() == {"applied": 0}
    assert await state(api, tx_id) == "pending"
    assert "editMessageReplyMarkup" not in dict(fake_telegram.calls)


async def test_a_forged_signature_changes_nothing(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx_id, keys = await sent(api, m, fake_telegram, worker)
    r = await press(api, keys["Confirm"], secret="not-the-secret")
    assert r.status_code == 403 and r.json()["error"]["code"] == "bad_signature"
    assert await state(api, tx_id) == "pending"


async def test_guessed_callback_data_changes_nothing(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx_id, keys = await sent(api, m, fake_telegram, worker)
    for data in (f"tx:{tx_id}:c", "tx:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:c", keys["Confirm"] + "x"):
        assert (await press(api, data)).json() == {"applied": 0}
    assert await state(api, tx_id) == "pending"


async def test_a_press_after_expiry_changes_nothing(
    api: Api, fake_telegram: FakeTelegram, worker: Worker, frozen: Clock
) -> None:
    m = await telegram_member(api, fake_telegram, policy={"otp": {"ttl_s": 60}})
    tx_id, keys = await sent(api, m, fake_telegram, worker)
    assert frozen.now is not None
    frozen.now += timedelta(seconds=61)
    assert (await press(api, keys["Confirm"])).json() == {"applied": 0}
    assert await state(api, tx_id) == "expired"
    assert dict(fake_telegram.calls)["answerCallbackQuery"]["text"] != "Confirmed"


async def test_a_press_on_a_settled_transaction_changes_nothing(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx_id, keys = await sent(api, m, fake_telegram, worker)
    assert (await press(api, keys["Confirm"])).json() == {"applied": 1}
    assert (await press(api, keys["Decline"], update_id=20002)).json() == {"applied": 0}
    assert (await press(api, keys["Confirm"], update_id=20003)).json() == {"applied": 0}
    assert await state(api, tx_id) == "accepted"


async def test_a_transaction_confirmed_in_the_chat_cannot_be_verified_again(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx_id, keys = await sent(api, m, fake_telegram, worker)
    await press(api, keys["Confirm"])
    out = await verify(api, tx_id, fake_telegram.last_code(), PAYMENT)
    assert out == {"result": "rejected", "reason": "replayed"}


async def test_presses_are_audited_with_their_chat_and_outcome(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    m = await telegram_member(api, fake_telegram)
    tx_id, keys = await sent(api, m, fake_telegram, worker)
    await press(api, keys["Confirm"], chat_id="999111222")
    await press(api, keys["Confirm"], update_id=20002)
    rows = (await api.get("/audit")).json()["items"]
    confirms = [r for r in rows if r["action"] == "transaction.confirm"]
    seen = {(r["actor"], r["result"], r["reason"], r["target_id"]) for r in confirms}
    assert seen == {
        ("telegram:999111222", "rejected", "wrong_chat", tx_id),
        (f"telegram:{CHAT_ID}", "accepted", None, tx_id),
    }
