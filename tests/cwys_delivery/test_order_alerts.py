"""Order events on the user's channel: a shipped token's tracking number in Telegram."""

from tests.conftest import Api
from tests.cwys_delivery.setup import configure
from tests.delivery_flow.setup import CHAT_ID
from tests.fakes.telegram import FakeTelegram
from tests.hardware.setup import order, upload_fixture, user
from watchword.delivery.worker import Worker
from watchword.services.alerts import LockAlertSink

SHIP = {"carrier": "DHL", "tracking_number": "JD0123456789"}


async def ordered(api: Api, kinds: dict[str, str]) -> str:
    """An order of alice's, paid and picked: ready to ship."""
    await upload_fixture(api, "rfc6030/figure3.pskcxml", model="C100")
    uid = await user(api)
    for kind, destination in kinds.items():
        r = await api.post("/tokens", {"kind": kind, "user_id": uid, "destination": destination})
        assert r.status_code == 201, r.text
    oid = str((await order(api, model="C100"))["id"])
    for action in ("pay", "pick"):
        assert (await api.post(f"/orders/{oid}/{action}")).status_code == 200
    return oid


async def test_a_shipped_order_sends_the_tracking_number_to_the_users_telegram(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    sink = LockAlertSink(api.env.db, api.env.keyring, api.env.clock)
    api.env.events = sink
    await configure(api, fake_telegram)
    oid = await ordered(api, {"telegram": CHAT_ID})
    assert (await api.post(f"/orders/{oid}/ship", SHIP)).status_code == 200
    await sink.drain()
    assert await worker.run_once() == 1
    (sent,) = fake_telegram.messages
    assert sent["chat_id"] == int(CHAT_ID)
    assert "shipped" in sent["text"] and "DHL JD0123456789" in sent["text"]
    assert "987654321" in sent["text"]  # the serial picked for the order


async def test_other_order_steps_send_nothing(
    api: Api, fake_telegram: FakeTelegram, worker: Worker
) -> None:
    sink = LockAlertSink(api.env.db, api.env.keyring, api.env.clock)
    api.env.events = sink
    await configure(api, fake_telegram)
    await ordered(api, {"telegram": CHAT_ID})
    await sink.drain()
    assert await worker.run_once() == 0


async def test_without_a_delivered_token_the_shipment_goes_to_the_users_email(api: Api) -> None:
    sink = LockAlertSink(api.env.db, api.env.keyring, api.env.clock)
    api.env.events = sink
    oid = await ordered(api, {})
    await api.post(f"/orders/{oid}/ship", SHIP)
    await sink.drain()
    async with api.env.db.uow() as uow:
        (queued,) = await uow.outbox.recent(api.tenant_id)
    assert (queued.channel, queued.destination) == ("email", "alice@example.com")
    assert queued.template == "token_shipped"
