from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import pytest

from tests.conftest import Api, Clock
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from watchword.delivery.worker import Worker


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


@pytest.fixture
def frozen(clock: Clock) -> Clock:
    """Time stands still unless a test moves it."""
    clock.now = datetime.now(UTC).replace(microsecond=0)
    return clock


@pytest.fixture
def worker(api: Api, http: httpx.AsyncClient, frozen: Clock) -> Worker:
    return Worker(api.env.db, api.env.keyring, api.env.clock, http)
