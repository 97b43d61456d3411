import json

import pytest

from tests.fakes import messenger as fb
from tests.fakes import telegram as tg
from tests.fakes import viber as vb
from watchword.delivery import webhooks as wh
from watchword.delivery.message import DeliveryReport
from watchword.delivery.webhooks import ButtonPress, LinkStart, Unsubscribed, WebhookError

VIBER_TOKEN = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f"
APP_SECRET = "app-secret-123"


def raw(update: dict) -> bytes:
    return json.dumps(update).encode()


# --- Telegram ---


def test_telegram_secret_token_header_must_match():
    assert wh.verify_telegram("s3cret-Token_1", "s3cret-Token_1")
    assert not wh.verify_telegram("s3cret-Token_2", "s3cret-Token_1")
    assert not wh.verify_telegram(None, "s3cret-Token_1")


def test_telegram_start_with_payload_is_a_link_start():
    events = wh.parse_telegram(raw(tg.start_update(123456789, "Zm9vYmFy")))
    assert events == [LinkStart("telegram", "123456789", "Zm9vYmFy", event_id="10000")]


def test_telegram_bare_start_links_nothing():
    update = tg.start_update(1, "x")
    update["message"]["text"] = "/start"
    assert wh.parse_telegram(raw(update)) == []


def test_telegram_callback_query_is_a_button_press_with_ids_to_answer():
    [event] = wh.parse_telegram(raw(tg.callback_update(123456789, "tx:8F2K:ok")))
    assert event == ButtonPress(
        "telegram",
        "123456789",
        "tx:8F2K:ok",
        event_id="10001",
        callback_id="4382bfdwdsb323b2d9",
        message_id=42,
    )


def test_telegram_bot_kicked_is_unsubscribed():
    assert wh.parse_telegram(raw(tg.kicked_update(123456789))) == [
        Unsubscribed("telegram", "123456789", event_id="10002")
    ]


def test_telegram_ordinary_text_gives_no_event():
    update = tg.start_update(1, "x")
    update["message"]["text"] = "hello"
    assert wh.parse_telegram(raw(update)) == []


def test_body_that_is_not_json_is_a_webhook_error():
    with pytest.raises(WebhookError):
        wh.parse_telegram(b"<xml/>")
    with pytest.raises(WebhookError):
        wh.parse_viber(b"[1, 2]")


# --- Viber ---


def test_viber_signature_over_the_raw_body_is_accepted():
    body, headers = vb.signed(vb.conversation_started("01234567890A=", "lnk-9QZ"), VIBER_TOKEN)
    assert wh.verify_viber(body, headers["X-Viber-Content-Signature"], VIBER_TOKEN)


def test_viber_forged_body_or_wrong_key_is_rejected():
    body, headers = vb.signed(vb.conversation_started("01234567890A=", "lnk-9QZ"), VIBER_TOKEN)
    signature = headers["X-Viber-Content-Signature"]
    assert not wh.verify_viber(body.replace(b"lnk-9QZ", b"lnk-EVIL"), signature, VIBER_TOKEN)
    assert not wh.verify_viber(body, signature, "another-token")
    assert not wh.verify_viber(body, None, VIBER_TOKEN)


def test_viber_conversation_started_with_context_is_a_link_start():
    body, _ = vb.signed(vb.conversation_started("01234567890A=", "lnk-9QZ"), VIBER_TOKEN)
    assert wh.parse_viber(body) == [
        LinkStart("viber", "01234567890A=", "lnk-9QZ", event_id="4912661846655238145")
    ]


def test_viber_reply_button_text_is_a_button_press():
    body, _ = vb.signed(vb.reply_message("01234567890A=", "tx:8F2K:ok", "tx:8F2K"), VIBER_TOKEN)
    [event] = wh.parse_viber(body)
    assert isinstance(event, ButtonPress) and event.callback_data == "tx:8F2K:ok"
    assert event.chat_id == "01234567890A="


def test_viber_unsubscribed_is_unsubscribed():
    body, _ = vb.signed(vb.unsubscribed("01234567890A="), VIBER_TOKEN)
    assert wh.parse_viber(body) == [
        Unsubscribed("viber", "01234567890A=", event_id="4912661846655238147")
    ]


def test_viber_webhook_probe_gives_no_event():
    assert wh.parse_viber(raw({"event": "webhook", "timestamp": 1, "message_token": 2})) == []


# --- Messenger ---


def test_messenger_signature_is_accepted_and_forgery_rejected():
    body, headers = fb.signed(fb.postback("PSID1", "tx:1:ok"), APP_SECRET)
    signature = headers["X-Hub-Signature-256"]
    assert wh.verify_messenger(body, signature, APP_SECRET)
    assert not wh.verify_messenger(body.replace(b"tx:1:ok", b"tx:2:ok"), signature, APP_SECRET)
    assert not wh.verify_messenger(body, signature.removeprefix("sha256="), APP_SECRET)
    assert not wh.verify_messenger(body, signature, "other-secret")


def test_messenger_signature_covers_escaped_unicode_bytes():
    body, headers = fb.signed(fb.postback("PSID1", "Підтвердити"), APP_SECRET)
    assert b"\\u041f" in body
    assert wh.verify_messenger(body, headers["X-Hub-Signature-256"], APP_SECRET)
    [event] = wh.parse_messenger(body)
    assert isinstance(event, ButtonPress) and event.callback_data == "Підтвердити"


def test_messenger_verify_handshake_echoes_the_challenge_for_the_right_token():
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": "vt"}
    assert wh.messenger_handshake(query, "vt") == "1158201444"
    assert wh.messenger_handshake({**query, "hub.verify_token": "nope"}, "vt") is None
    assert wh.messenger_handshake({**query, "hub.mode": "unsubscribe"}, "vt") is None


def test_messenger_postback_is_a_button_press():
    body, _ = fb.signed(fb.postback("PSID1", "tx:8F2K:ok"), APP_SECRET)
    assert wh.parse_messenger(body) == [ButtonPress("messenger", "PSID1", "tx:8F2K:ok", "m_pb1")]


def test_messenger_get_started_with_referral_is_a_link_start():
    body, _ = fb.signed(fb.postback("PSID1", "GET_STARTED", ref="lnk-9QZ"), APP_SECRET)
    assert wh.parse_messenger(body) == [LinkStart("messenger", "PSID1", "lnk-9QZ", "m_pb1")]


def test_messenger_referral_in_an_existing_thread_is_a_link_start():
    body, _ = fb.signed(fb.referral("PSID1", "lnk-9QZ"), APP_SECRET)
    [event] = wh.parse_messenger(body)
    assert event == LinkStart("messenger", "PSID1", "lnk-9QZ", event_id="PSID1:1458692752478")


def test_messenger_quick_reply_is_a_button_press():
    body, _ = fb.signed(fb.quick_reply("PSID1", "tx:1:no"), APP_SECRET)
    assert wh.parse_messenger(body) == [ButtonPress("messenger", "PSID1", "tx:1:no", "m_qr1")]


def test_messenger_non_page_object_gives_no_events():
    assert wh.parse_messenger(raw({"object": "instagram", "entry": []})) == []


# --- Twilio status callbacks ---

TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_FORM = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Caller", "+14158675309"),
    ("Digits", "1234"),
    ("From", "+14158675309"),
    ("To", "+18005551212"),
]


def test_twilio_signature_matches_the_published_vector():
    # twilio-php tests/Twilio/Unit/Security/RequestValidatorTest.php, token "12345".
    assert wh.verify_twilio(TWILIO_URL, TWILIO_FORM, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345")


def test_twilio_signature_sorts_repeated_parameters():
    form = [
        ("Sid", "CA123"),
        ("SidAccount", "AC123"),
        ("Digits", "5678"),
        ("Digits", "1234"),
        ("Digits", "1234"),
    ]
    assert wh.verify_twilio(TWILIO_URL, form, "IK+Dwps556ElfBT0I3Rgjkr1wJU=", "12345")


def test_twilio_tampered_form_or_url_is_rejected():
    tampered = [*TWILIO_FORM[:2], ("Digits", "9999"), *TWILIO_FORM[3:]]
    assert not wh.verify_twilio(TWILIO_URL, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345")
    assert not wh.verify_twilio(
        TWILIO_URL + "&x=1", TWILIO_FORM, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345"
    )
    assert not wh.verify_twilio(TWILIO_URL, TWILIO_FORM, None, "12345")


def test_twilio_final_status_is_a_delivery_report():
    form = {"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert wh.parse_twilio_status(form) == DeliveryReport(
        "SM1", "undeliverable", "undelivered", "30003"
    )


def test_twilio_in_flight_status_is_no_report():
    assert wh.parse_twilio_status({"MessageSid": "SM1", "MessageStatus": "sent"}) is None
