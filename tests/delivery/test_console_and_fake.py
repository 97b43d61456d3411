from datetime import UTC, datetime

import pytest

from watchword.delivery.channels.base import RecipientBlocked, TransientError
from watchword.delivery.channels.console import ConsoleChannel, MemoryConsoleStore
from watchword.delivery.channels.fake import FakeChannel
from watchword.delivery.message import Button, OutboundMessage

AT = datetime(2026, 5, 3, 12, 0, tzinfo=UTC)
MSG = OutboundMessage("console", "ann", "Your ACME code: 481502.", buttons=(Button("OK", "ok"),))


async def test_console_logs_the_message_for_the_admin_pages():
    store = MemoryConsoleStore()
    receipt = await ConsoleChannel(store, clock=lambda: AT).send(MSG)

    [entry] = await store.list()
    assert (entry.at, entry.destination, entry.text, entry.buttons) == (
        AT,
        "ann",
        MSG.text,
        MSG.buttons,
    )
    assert receipt.provider_message_id == f"console-{entry.id}" and receipt.status == "sent"


async def test_console_lists_newest_first_and_filters_by_destination():
    store = MemoryConsoleStore()
    channel = ConsoleChannel(store, clock=lambda: AT)
    for who in ["ann", "bob", "ann"]:
        await channel.send(OutboundMessage("console", who, f"to {who}"))
    assert [e.id for e in await store.list(destination="ann")] == [3, 1]
    assert [e.id for e in await store.list(limit=1)] == [3]


async def test_console_keeps_only_the_newest_entries():
    store = MemoryConsoleStore(max_entries=2)
    channel = ConsoleChannel(store, clock=lambda: AT)
    for i in range(3):
        await channel.send(OutboundMessage("console", "ann", str(i)))
    assert [e.text for e in await store.list()] == ["2", "1"]


async def test_fake_channel_records_sent_messages():
    fake = FakeChannel("telegram")
    receipt = await fake.send(MSG)
    assert fake.sent == [MSG] and receipt.provider_message_id == "telegram-1"


async def test_fake_channel_fails_next_in_order_then_recovers():
    fake = FakeChannel()
    fake.fail_next(TransientError("429", retry_after=3), RecipientBlocked("blocked"))
    with pytest.raises(TransientError):
        await fake.send(MSG)
    with pytest.raises(RecipientBlocked):
        await fake.send(MSG)
    await fake.send(MSG)
    assert len(fake.attempts) == 3 and fake.sent == [MSG]


async def test_fake_channel_fails_always_until_recovered():
    fake = FakeChannel()
    fake.fail_always(TransientError("down"))
    for _ in range(2):
        with pytest.raises(TransientError):
            await fake.send(MSG)
    fake.recover()
    await fake.send(MSG)
    assert fake.sent == [MSG]
