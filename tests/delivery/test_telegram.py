import httpx
import pytest

from tests.fakes.server import free_port
from tests.fakes.telegram import FakeTelegram
from watchword.delivery.channels.base import (
    BadCredentials,
    PermanentError,
    RecipientBlocked,
    TransientError,
)
from watchword.delivery.channels.telegram import TelegramChannel
from watchword.delivery.message import Button, OutboundMessage

OTP = OutboundMessage("telegram", "123456789", "Your ACME code: 481502. Valid 5 min.")


def channel(fake: FakeTelegram, http: httpx.AsyncClient) -> TelegramChannel:
    return TelegramChannel(fake.token, http, base_url=fake.base_url)


async def test_sends_the_text_to_the_chat_as_protected_content(fake_telegram, http):
    receipt = await channel(fake_telegram, http).send(OTP)

    sent = fake_telegram.messages[-1]
    assert sent["chat_id"] == 123456789 and sent["protect_content"] is True
    assert fake_telegram.last_code() == "481502"
    assert receipt.provider_message_id == "123456789:42" and receipt.status == "sent"


async def test_buttons_become_one_row_of_inline_keyboard(fake_telegram, http):
    msg = OutboundMessage(
        "telegram",
        "7",
        "Confirm?",
        buttons=(Button("Confirm", "tx:8F2K:ok"), Button("Decline", "tx:8F2K:no")),
    )
    await channel(fake_telegram, http).send(msg)

    assert fake_telegram.messages[-1]["reply_markup"] == {
        "inline_keyboard": [
            [
                {"text": "Confirm", "callback_data": "tx:8F2K:ok"},
                {"text": "Decline", "callback_data": "tx:8F2K:no"},
            ]
        ]
    }


async def test_callback_data_over_64_bytes_is_refused_before_sending(fake_telegram, http):
    msg = OutboundMessage("telegram", "7", "Confirm?", buttons=(Button("Confirm", "x" * 65),))
    with pytest.raises(PermanentError):
        await channel(fake_telegram, http).send(msg)
    assert fake_telegram.calls == []


async def test_bot_blocked_by_the_user_is_recipient_blocked(fake_telegram, http):
    fake_telegram.mode = "blocked"
    with pytest.raises(RecipientBlocked, match="blocked by the user"):
        await channel(fake_telegram, http).send(OTP)


async def test_429_is_transient_with_retry_after(fake_telegram, http):
    fake_telegram.mode = "rate_limited"
    fake_telegram.retry_after = 34
    with pytest.raises(TransientError) as e:
        await channel(fake_telegram, http).send(OTP)
    assert e.value.retry_after == 34


async def test_chat_not_found_is_permanent_but_not_blocked(fake_telegram, http):
    fake_telegram.mode = "chat_not_found"
    with pytest.raises(PermanentError) as e:
        await channel(fake_telegram, http).send(OTP)
    assert not isinstance(e.value, RecipientBlocked)
    assert "chat not found" in e.value.raw_status


async def test_wrong_token_is_bad_credentials(fake_telegram, http):
    ch = TelegramChannel("999:wrong", http, base_url=fake_telegram.base_url)
    with pytest.raises(BadCredentials):
        await ch.send(OTP)


async def test_gateway_error_page_is_transient(fake_telegram, http):
    fake_telegram.mode = "down"
    with pytest.raises(TransientError):
        await channel(fake_telegram, http).send(OTP)


async def test_connection_refused_is_transient(http):
    ch = TelegramChannel("1:x", http, base_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(TransientError):
        await ch.send(OTP)


async def test_answer_callback_and_remove_buttons_call_the_bot_api(fake_telegram, http):
    ch = channel(fake_telegram, http)
    await ch.answer_callback("4382bfdwdsb323b2d9", "Confirmed")
    await ch.remove_buttons("123456789", 42)

    assert fake_telegram.calls == [
        ("answerCallbackQuery", {"callback_query_id": "4382bfdwdsb323b2d9", "text": "Confirmed"}),
        ("editMessageReplyMarkup", {"chat_id": 123456789, "message_id": 42, "reply_markup": {}}),
    ]
