import pytest

from watchword.delivery.channels.base import (
    BadCredentials,
    PermanentError,
    RecipientBlocked,
    TransientError,
)
from watchword.delivery.channels.viber import ViberChannel
from watchword.delivery.message import Button, OutboundMessage

USER = "01234567890A="
OTP = OutboundMessage("viber", USER, "Your ACME code: 481502.", idempotency_key="ob-17")


def channel(fake, http, token=None):
    return ViberChannel(token or fake.auth_token, "ACME 2FA", http, base_url=fake.base_url)


async def test_sends_text_with_sender_name_and_tracking_data(fake_viber, http):
    receipt = await channel(fake_viber, http).send(OTP)

    sent = fake_viber.messages[-1]
    assert sent["receiver"] == USER and sent["type"] == "text"
    assert sent["sender"] == {"name": "ACME 2FA"} and sent["tracking_data"] == "ob-17"
    assert fake_viber.last_code() == "481502"
    assert receipt.provider_message_id == "5098034272017990000"


async def test_buttons_become_a_reply_keyboard_splitting_six_columns(fake_viber, http):
    msg = OutboundMessage(
        "viber",
        USER,
        "Confirm?",
        buttons=(Button("Confirm", "tx:1:ok"), Button("Decline", "tx:1:no")),
    )
    await channel(fake_viber, http).send(msg)

    keyboard = fake_viber.messages[-1]["keyboard"]
    assert keyboard["Type"] == "keyboard"
    assert [
        (b["ActionType"], b["ActionBody"], b["Text"], b["Columns"]) for b in keyboard["Buttons"]
    ] == [
        ("reply", "tx:1:ok", "Confirm", 3),
        ("reply", "tx:1:no", "Decline", 3),
    ]
    assert fake_viber.messages[-1]["min_api_version"] >= 3


async def test_sender_name_is_cut_to_28_characters(fake_viber, http):
    ch = ViberChannel(fake_viber.auth_token, "A" * 40, http, base_url=fake_viber.base_url)
    await ch.send(OTP)
    assert fake_viber.messages[-1]["sender"]["name"] == "A" * 28


async def test_status_6_not_subscribed_is_recipient_blocked(fake_viber, http):
    fake_viber.status = 6
    with pytest.raises(RecipientBlocked, match="receiverNotSubscribed"):
        await channel(fake_viber, http).send(OTP)


async def test_status_12_too_many_requests_is_transient(fake_viber, http):
    fake_viber.status = 12
    with pytest.raises(TransientError) as e:
        await channel(fake_viber, http).send(OTP)
    assert e.value.retry_after is None


async def test_wrong_auth_token_is_bad_credentials(fake_viber, http):
    with pytest.raises(BadCredentials):
        await channel(fake_viber, http, token="forged").send(OTP)


async def test_account_blocked_is_bad_credentials(fake_viber, http):
    fake_viber.status = 7
    with pytest.raises(BadCredentials):
        await channel(fake_viber, http).send(OTP)


async def test_receiver_not_registered_is_permanent(fake_viber, http):
    fake_viber.status = 5
    with pytest.raises(PermanentError) as e:
        await channel(fake_viber, http).send(OTP)
    assert type(e.value) is PermanentError


async def test_service_unavailable_is_transient(fake_viber, http):
    fake_viber.down = True
    with pytest.raises(TransientError):
        await channel(fake_viber, http).send(OTP)
