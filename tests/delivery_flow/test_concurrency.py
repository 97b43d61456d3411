"""A delivered code sent fifty times at once is accepted once; two workers send once."""

import asyncio

import httpx

from tests.conftest import Api
from tests.delivery_flow.setup import PHONE, challenge, member
from tests.delivery_flow.test_console_and_api import code_in
from watchword.delivery.worker import Worker

N = 50


async def test_one_delivered_code_sent_fifty_times_is_accepted_once(
    api: Api, worker: Worker
) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    await worker.run_once()
    (msg,) = (await api.get("/console/messages")).json()["items"]
    body = {
        "resource_id": m.resource_id,
        "login": m.login,
        "otp": code_in(msg["text"]),
        "challenge_id": ch["challenge_id"],
    }
    responses = await asyncio.gather(*(api.post("/auth/verify", body) for _ in range(N)))
    results = [r.json() for r in responses]
    assert sum(r["result"] == "accepted" for r in results) == 1
    assert {r["reason"] for r in results if r["result"] == "rejected"} == {"replayed"}


async def test_two_workers_send_each_message_once(
    api: Api, worker: Worker, http: httpx.AsyncClient
) -> None:
    other = Worker(api.env.db, api.env.keyring, api.env.clock, http)
    for i in range(5):
        m = await member(api, {"console": PHONE}, login=f"user{i}")
        await challenge(api, m)
    counts = await asyncio.gather(worker.run_once(), other.run_once())
    assert sum(counts) == 5
    assert len((await api.get("/console/messages")).json()["items"]) == 5
