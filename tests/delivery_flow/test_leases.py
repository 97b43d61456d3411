"""Leases: a worker whose lease lapsed and was taken over can no longer act on the row."""

from datetime import timedelta

import httpx

from tests.conftest import Api, Clock
from tests.delivery_flow.setup import PHONE, challenge, member
from watchword.delivery.worker import LEASE, Worker
from watchword.store.delivery import LEASE_LAPSED, OutboxMessage


async def queued(api: Api) -> OutboxMessage:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    async with api.env.db.uow() as uow:
        (msg,) = await uow.outbox.for_challenge(ch["challenge_id"])
    return msg


async def test_a_lapsed_lease_is_taken_over_and_noted_on_the_ledger(
    api: Api, frozen: Clock
) -> None:
    msg = await queued(api)
    assert frozen.now is not None
    now = frozen.now
    async with api.env.db.uow() as uow:
        assert await uow.outbox.claim(msg.id, now, now + timedelta(seconds=60))
        assert not await uow.outbox.claim(msg.id, now, now + timedelta(seconds=60))
        later = now + timedelta(seconds=61)
        assert await uow.outbox.claim(msg.id, later, later + timedelta(seconds=60))
        row = await uow.outbox.get(msg.id)
    assert row is not None and row.attempts == 2 and row.last_error == LEASE_LAPSED


async def test_the_old_holder_can_neither_renew_nor_finish(api: Api, frozen: Clock) -> None:
    msg = await queued(api)
    assert frozen.now is not None
    now = frozen.now
    first, second = now + timedelta(seconds=60), now + timedelta(seconds=121)
    async with api.env.db.uow() as uow:
        await uow.outbox.claim(msg.id, now, first)
        await uow.outbox.claim(msg.id, now + timedelta(seconds=61), second)
        assert not await uow.outbox.renew(msg.id, first, first + timedelta(seconds=60))
        assert not await uow.outbox.finish(msg.id, "queued", lease=first)
        assert await uow.outbox.finish(msg.id, "sent", lease=second)
        row = await uow.outbox.get(msg.id)
    assert row is not None and row.state == "sent"


async def test_a_worker_does_not_send_a_row_taken_over_after_its_lease_lapsed(
    api: Api, worker: Worker, http: httpx.AsyncClient, frozen: Clock
) -> None:
    # Worker A claimed a batch, then took longer than the lease to reach this row
    # (slow sends before it); worker B took the row over and sent it.
    msg = await queued(api)
    assert frozen.now is not None
    lease = frozen.now + LEASE
    async with api.env.db.uow() as uow:
        assert await uow.outbox.claim(msg.id, frozen.now, lease)
    frozen.now += LEASE + timedelta(seconds=1)
    other = Worker(api.env.db, api.env.keyring, api.env.clock, http)
    assert await other.run_once() == 1
    await worker._deliver(msg.id, lease)  # A reaches the row at last
    assert len((await api.get("/console/messages")).json()["items"]) == 1


async def test_the_next_due_row_tells_an_idle_worker_when_to_wake(api: Api, frozen: Clock) -> None:
    async with api.env.db.uow() as uow:
        assert await uow.outbox.next_due() is None
    msg = await queued(api)
    async with api.env.db.uow() as uow:
        assert await uow.outbox.next_due() == msg.next_attempt_at
