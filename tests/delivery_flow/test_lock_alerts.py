"""A token locked after too many wrong codes: the user hears about it on their channel."""

from tests.conftest import Api
from tests.delivery_flow.setup import PHONE, challenge, member, verify
from watchword.delivery.worker import Worker
from watchword.services.alerts import LockAlertSink


async def test_a_lock_sends_an_alert_to_the_users_channel(api: Api, worker: Worker) -> None:
    sink = LockAlertSink(api.env.db, api.env.keyring, api.env.clock)
    api.env.events = sink
    m = await member(api, {"console": PHONE}, policy={"lockout": {"max_failures": 2}})
    await challenge(api, m)
    await worker.run_once()
    for _ in range(2):
        await verify(api, m, "99999999")  # not the code
    await sink.drain()
    await worker.run_once()
    texts = [msg["text"] for msg in (await api.get("/console/messages")).json()["items"]]
    assert any("was locked" in t for t in texts)
    serial = (await api.get(f"/tokens/{m.tokens['console']}")).json()["serial"]
    assert any(serial in t for t in texts)


async def test_no_alert_without_a_lock(api: Api, worker: Worker) -> None:
    sink = LockAlertSink(api.env.db, api.env.keyring, api.env.clock)
    api.env.events = sink
    m = await member(api, {"console": PHONE}, policy={"lockout": {"max_failures": 3}})
    await challenge(api, m)
    await worker.run_once()
    await verify(api, m, "99999999")
    await sink.drain()
    await worker.run_once()
    assert len((await api.get("/console/messages")).json()["items"]) == 1
