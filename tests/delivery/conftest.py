from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.fakes.messenger import FakeMessenger
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from tests.fakes.viber import FakeViber


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def fake_viber() -> Iterator[FakeViber]:
    with FakeViber() as server:
        yield server


@pytest.fixture
def fake_messenger() -> Iterator[FakeMessenger]:
    with FakeMessenger() as server:
        yield server


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as server:
        yield server
