"""Delivered kinds: the code is bound to the transaction and the message shows the data."""

import pytest

from tests.conftest import Api
from tests.transactions.setup import PAYMENT, Delivered, delivered_user, sign
from watchword.services.transaction_codes import ListSender


@pytest.fixture
def outbox(api: Api) -> ListSender:
    sender = ListSender()
    api.env.transaction_codes = sender
    return sender


async def start(api: Api, d: Delivered, data=PAYMENT) -> dict:  # type: ignore[no-untyped-def]
    r = await api.post(
        "/transactions", {"resource_id": d.resource_id, "login": d.login, "data": data}
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_the_code_goes_to_the_sender_with_the_data(api: Api, outbox: ListSender) -> None:
    d = await delivered_user(api)
    tx = await start(api, d)
    assert tx["kind"] == "sms" and tx["bound"] is True and tx["challenge"] is None
    [message] = outbox.messages
    assert message.transaction_id == tx["transaction_id"]
    assert message.data == PAYMENT and message.destination == "+380501234567"
    assert "100.50" in message.text() and message.code in message.text()


async def test_the_delivered_code_signs_its_transaction(api: Api, outbox: ListSender) -> None:
    tx = await start(api, await delivered_user(api))
    assert (await sign(api, tx, outbox.messages[0].code))["result"] == "accepted"


async def test_the_delivered_code_does_not_sign_changed_data(api: Api, outbox: ListSender) -> None:
    tx = await start(api, await delivered_user(api))
    changed = {**PAYMENT, "payee": "UA213223130000026007233566002"}
    assert (await sign(api, tx, outbox.messages[0].code, changed))["reason"] == "data_mismatch"


async def test_the_code_of_one_transaction_does_not_sign_another(
    api: Api, outbox: ListSender
) -> None:
    d = await delivered_user(api)
    first, second = await start(api, d), await start(api, d)
    codes = [m.code for m in outbox.messages]
    if codes[0] != codes[1]:  # one chance in a million they coincide
        assert (await sign(api, second, codes[0]))["reason"] == "invalid_otp"
    assert (await sign(api, first, codes[0]))["result"] == "accepted"


async def test_the_store_keeps_no_code(api: Api, outbox: ListSender) -> None:
    tx = await start(api, await delivered_user(api))
    code = outbox.messages[0].code
    async with api.env.db.uow() as uow:
        row = await uow.transactions.get(api.tenant_id, tx["transaction_id"])
    assert row is not None and row.code_hash is not None
    assert code.encode() not in row.code_hash and code not in str(row)


async def test_the_code_length_follows_the_policy(api: Api, outbox: ListSender) -> None:
    await start(api, await delivered_user(api, policy={"otp": {"digits": 8}}))
    assert len(outbox.messages[0].code) == 8
