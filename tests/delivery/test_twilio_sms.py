from decimal import Decimal

import pytest

from watchword.delivery.channels.base import (
    BadCredentials,
    PermanentError,
    RecipientBlocked,
    TransientError,
)
from watchword.delivery.channels.twilio_sms import TwilioSmsChannel
from watchword.delivery.message import OutboundMessage

OTP = OutboundMessage("sms", "+48500100200", "ACME code: 481502")


def channel(fake, http, **kw):
    kw.setdefault("from_number", "+15005550006")
    token = kw.pop("token", fake.auth_token)
    return TwilioSmsChannel(fake.account_sid, token, http, base_url=fake.base_url, **kw)


async def test_posts_the_form_with_basic_auth_and_is_queued(fake_twilio, http):
    receipt = await channel(fake_twilio, http, status_callback="https://ww.example/cb").send(OTP)

    assert fake_twilio.messages[-1] == {
        "To": "+48500100200",
        "From": "+15005550006",
        "Body": "ACME code: 481502",
        "StatusCallback": "https://ww.example/cb",
    }
    assert fake_twilio.last_code() == "481502"
    assert receipt.status == "queued" and receipt.raw_status == "queued"
    assert receipt.provider_message_id.startswith("SM") and receipt.cost is None


async def test_messaging_service_replaces_from(fake_twilio, http):
    ch = channel(fake_twilio, http, from_number=None, messaging_service_sid="MG123")
    await ch.send(OTP)
    assert fake_twilio.messages[-1]["MessagingServiceSid"] == "MG123"
    assert "From" not in fake_twilio.messages[-1]


async def test_reported_price_becomes_a_positive_cost(fake_twilio, http):
    fake_twilio.price = "-0.00750"
    receipt = await channel(fake_twilio, http).send(OTP)
    assert receipt.cost == Decimal("0.00750")


async def test_21610_unsubscribed_is_recipient_blocked(fake_twilio, http):
    fake_twilio.error_code = 21610
    with pytest.raises(RecipientBlocked) as e:
        await channel(fake_twilio, http).send(OTP)
    assert e.value.raw_status.startswith("21610")


async def test_20429_is_transient_with_retry_after_header(fake_twilio, http):
    fake_twilio.error_code = 20429
    fake_twilio.retry_after = "7"
    with pytest.raises(TransientError) as e:
        await channel(fake_twilio, http).send(OTP)
    assert e.value.retry_after == 7.0


async def test_invalid_number_is_permanent(fake_twilio, http):
    fake_twilio.error_code = 21211
    with pytest.raises(PermanentError) as e:
        await channel(fake_twilio, http).send(OTP)
    assert type(e.value) is PermanentError


async def test_wrong_auth_token_is_bad_credentials(fake_twilio, http):
    with pytest.raises(BadCredentials):
        await channel(fake_twilio, http, token="forged").send(OTP)


async def test_server_error_is_transient(fake_twilio, http):
    fake_twilio.down = True
    with pytest.raises(TransientError):
        await channel(fake_twilio, http).send(OTP)


def test_a_sender_is_required(http):
    with pytest.raises(ValueError):
        TwilioSmsChannel("AC1", "t", http)
