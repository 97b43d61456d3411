import pytest

from watchword.delivery.channels.base import (
    BadCredentials,
    PermanentError,
    RecipientBlocked,
    TransientError,
)
from watchword.delivery.channels.messenger import MessengerChannel
from watchword.delivery.message import Button, OutboundMessage

PSID = "6543210987654321"
OTP = OutboundMessage("messenger", PSID, "Your ACME code: 481502.")


def channel(fake, http, **kw):
    return MessengerChannel(kw.pop("token", fake.page_token), http, base_url=fake.base_url, **kw)


async def test_sends_tagged_account_update_text_by_default(fake_messenger, http):
    receipt = await channel(fake_messenger, http).send(OTP)

    sent = fake_messenger.messages[-1]
    assert sent == {
        "recipient": {"id": PSID},
        "messaging_type": "MESSAGE_TAG",
        "tag": "ACCOUNT_UPDATE",
        "message": {"text": "Your ACME code: 481502."},
    }
    assert receipt.provider_message_id == "m_AG5Hz2U1"


async def test_response_messaging_type_has_no_tag(fake_messenger, http):
    await channel(fake_messenger, http, messaging_type="RESPONSE", tag=None).send(OTP)
    sent = fake_messenger.messages[-1]
    assert sent["messaging_type"] == "RESPONSE" and "tag" not in sent


async def test_api_version_is_part_of_the_path(fake_messenger, http):
    await channel(fake_messenger, http, api_version="v19.0").send(OTP)
    assert fake_messenger.versions == ["v19.0"]


async def test_buttons_become_a_postback_button_template(fake_messenger, http):
    msg = OutboundMessage(
        "messenger",
        PSID,
        "Confirm?",
        buttons=(Button("Confirm", "tx:1:ok"), Button("Decline", "tx:1:no")),
    )
    await channel(fake_messenger, http).send(msg)

    assert fake_messenger.messages[-1]["message"] == {
        "attachment": {
            "type": "template",
            "payload": {
                "template_type": "button",
                "text": "Confirm?",
                "buttons": [
                    {"type": "postback", "title": "Confirm", "payload": "tx:1:ok"},
                    {"type": "postback", "title": "Decline", "payload": "tx:1:no"},
                ],
            },
        }
    }


async def test_more_than_three_buttons_are_refused_before_sending(fake_messenger, http):
    msg = OutboundMessage(
        "messenger", PSID, "?", buttons=tuple(Button(str(i), str(i)) for i in range(4))
    )
    with pytest.raises(PermanentError):
        await channel(fake_messenger, http).send(msg)
    assert fake_messenger.messages == []


@pytest.mark.parametrize(
    "error",
    [
        {
            "code": 551,
            "error_subcode": 1545041,
            "message": "This person isn't available right now.",
        },
        {"code": 200, "error_subcode": 1545041, "message": "Message Not Sent"},
    ],
)
async def test_unavailable_person_is_recipient_blocked(fake_messenger, http, error):
    fake_messenger.error = error
    with pytest.raises(RecipientBlocked):
        await channel(fake_messenger, http).send(OTP)


@pytest.mark.parametrize("code", [613, 4, 2])
async def test_rate_limits_and_temporary_errors_are_transient(fake_messenger, http, code):
    fake_messenger.error = {
        "code": code,
        "message": "Calls to this api have exceeded the rate limit.",
    }
    with pytest.raises(TransientError):
        await channel(fake_messenger, http).send(OTP)


async def test_outside_the_messaging_window_is_permanent_not_blocked(fake_messenger, http):
    fake_messenger.error = {
        "code": 10,
        "error_subcode": 2018278,
        "message": "outside of allowed window",
    }
    with pytest.raises(PermanentError) as e:
        await channel(fake_messenger, http).send(OTP)
    assert not isinstance(e.value, RecipientBlocked)
    assert e.value.raw_status.startswith("10/2018278")


async def test_bad_page_token_is_bad_credentials(fake_messenger, http):
    with pytest.raises(BadCredentials):
        await channel(fake_messenger, http, token="forged").send(OTP)


async def test_bad_gateway_is_transient(fake_messenger, http):
    fake_messenger.down = True
    with pytest.raises(TransientError):
        await channel(fake_messenger, http).send(OTP)
