"""A `watchword worker` killed (SIGKILL) while Telegram holds its sendMessage.

Telegram has no idempotency key: the message may have reached the chat although
the worker never heard back. The next worker sends it again once the lease lapses,
with the SAME code (sealed on the row), so the user never holds two live codes;
the row shows two attempts and LEASE_LAPSED. Nothing queued is lost.
"""

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from starlette.requests import Request
from starlette.responses import Response

from tests.conftest import Api
from tests.delivery_flow.setup import Member, challenge, configure_telegram, member, verify
from tests.fakes.telegram import FakeTelegram
from watchword.store.delivery import LEASE_LAPSED, outbox

ROOT = Path(__file__).resolve().parents[2]
CHATS = ("7001", "7002", "7003")


class HoldingTelegram(FakeTelegram):
    """While ``holding``, sendMessage is received (the chat shows it) but not answered."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = False
        self.arrived: list[dict[str, Any]] = []  # what users saw, answered or not

    async def _method(self, request: Request) -> Response:
        if request.path_params["method"] == "sendMessage":
            self.arrived.append(await request.json())
            while self.holding:
                await asyncio.sleep(0.02)
        return await super()._method(request)

    def codes(self, chat: str) -> list[str]:
        return [
            re.search(r"\b(\d{6,8})\b", m["text"]).group(1)  # type: ignore[union-attr]
            for m in self.arrived
            if str(m["chat_id"]) == chat
        ]


@pytest.fixture
def fake() -> Iterator[HoldingTelegram]:
    with HoldingTelegram() as server:
        yield server


def start_worker(db_url: str, master_key: str, data_dir: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        WATCHWORD_DATABASE_URL=db_url,
        WATCHWORD_MASTER_KEY=master_key,
        WATCHWORD_DATA_DIR=str(data_dir),
    )
    return subprocess.Popen([sys.executable, "-m", "watchword.cli.main", "worker"], env=env)


async def until(check: Callable[[], bool], timeout: float = 30) -> None:
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


async def test_a_worker_killed_mid_send_loses_nothing_and_resends_only_the_same_code(
    api: Api, fake: HoldingTelegram, db_url: str, master_key: str, tmp_path: Path
) -> None:
    await configure_telegram(api, fake)
    members: list[Member] = []
    challenge_ids = []
    for i, chat in enumerate(CHATS):
        members.append(await member(api, {"telegram": chat}, login=f"user{i}"))
        challenge_ids.append((await challenge(api, members[-1]))["challenge_id"])
    fake.holding = True
    first = start_worker(db_url, master_key, tmp_path)
    try:
        await until(lambda: len(fake.arrived) == 1)
        first.send_signal(signal.SIGKILL)
    finally:
        stop(first)
    in_flight = str(fake.arrived[0]["chat_id"])
    fake.holding = False

    second = start_worker(db_url, master_key, tmp_path)
    try:
        # The dead worker's leases still run: the new one leaves those rows alone.
        await asyncio.sleep(2.5)
        assert len(fake.arrived) == 1
        # Let the lease run out (as 60 s would), then everything goes.
        async with api.env.db.uow() as uow:
            await uow.connection.execute(
                update(outbox)
                .where(outbox.c.state == "sending")
                .values(lease_until=outbox.c.created_at)
            )
        await until(lambda: len(fake.arrived) == len(CHATS) + 1)
        await asyncio.sleep(1.5)  # a second resend would show up by now
    finally:
        stop(second)

    assert len(fake.arrived) == len(CHATS) + 1
    for chat in CHATS:
        codes = fake.codes(chat)
        assert len(codes) == (2 if chat == in_flight else 1)
        assert len(set(codes)) == 1  # never two different codes for one challenge
    async with api.env.db.uow() as uow:
        rows = [await uow.outbox.for_challenge(c) for c in challenge_ids]
    assert all(len(r) == 1 and r[0].state == "sent" for r in rows)
    # Every row was claimed by the dead worker (one batch), so each shows the takeover.
    assert all(r[0].attempts == 2 and r[0].last_error == LEASE_LAPSED for r in rows)
    for m, ch_id, chat in zip(members, challenge_ids, CHATS, strict=True):
        out = await verify(api, m, fake.codes(chat)[0], challenge_id=ch_id)
        assert out["result"] == "accepted"
