"""Verify and parse inbound webhooks (pure: raw body and headers in, events out).

Bots (Telegram, Viber, Messenger) give LinkStart / ButtonPress / Unsubscribed events;
Twilio status callbacks give DeliveryReports.

Signatures are checked on the raw body bytes, before parsing, in constant time.
Parsing keeps only what the linking and confirmation flows need; anything else
gives no event. ``event_id`` is the platform's id for deduplicating redeliveries.

    WebhookError           ValueError: the body is not the platform's JSON
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from watchword.delivery.message import DeliveryReport, ReportState


class WebhookError(ValueError):
    """The body could not be parsed as the platform's webhook JSON."""


@dataclass(frozen=True, slots=True)
class LinkStart:
    """The user opened a deep link carrying ``link_code``: bind ``chat_id`` to them."""

    channel: str
    chat_id: str
    link_code: str
    event_id: str = ""


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """The user tapped Confirm/Decline. ``callback_id``/``message_id``: Telegram only."""

    channel: str
    chat_id: str
    callback_data: str
    event_id: str = ""
    callback_id: str | None = None
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Unsubscribed:
    """The user blocked the bot or unsubscribed: drop the binding."""

    channel: str
    chat_id: str
    event_id: str = ""


Event = LinkStart | ButtonPress | Unsubscribed


# --- signatures ---


def verify_telegram(header: str | None, secret_token: str) -> bool:
    """``X-Telegram-Bot-Api-Secret-Token`` carries the secret itself (no HMAC)."""
    return header is not None and hmac.compare_digest(header.encode(), secret_token.encode())


def verify_viber(raw_body: bytes, signature: str | None, auth_token: str) -> bool:
    """``X-Viber-Content-Signature`` = hex HMAC-SHA256(key=auth token, msg=raw body)."""
    if not signature:
        return False
    expected = hmac.new(auth_token.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())


def verify_messenger(raw_body: bytes, signature: str | None, app_secret: str) -> bool:
    """``X-Hub-Signature-256`` = "sha256=" + hex HMAC-SHA256(app secret, raw body)."""
    if not signature or not signature.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature[7:].strip().lower().encode())


def messenger_handshake(query: Mapping[str, str], verify_token: str) -> str | None:
    """The GET subscription check: the challenge to echo with 200, or None for 403."""
    token = query.get("hub.verify_token", "")
    if query.get("hub.mode") != "subscribe" or not token:
        return None
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return query.get("hub.challenge", "")


def verify_twilio(
    url: str, form: Iterable[tuple[str, str]], signature: str | None, auth_token: str
) -> bool:
    """``X-Twilio-Signature`` = base64 HMAC-SHA1(auth token, full URL + each POST name+value,
    sorted). ``form`` is the decoded body as (name, value) pairs, repeats included."""
    if not signature:
        return False
    data = url + "".join(k + v for k, v in sorted(set(form)))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return hmac.compare_digest(base64.b64encode(digest), signature.strip().encode())


_TWILIO_FINAL: dict[str, ReportState] = {
    "delivered": "delivered",
    "undelivered": "undeliverable",
    "failed": "rejected",
    "canceled": "rejected",
}


def parse_twilio_status(form: Mapping[str, str]) -> DeliveryReport | None:
    """A Twilio status callback as a DeliveryReport; None while the message is in flight."""
    status = form.get("MessageStatus", "")
    state = _TWILIO_FINAL.get(status)
    sid = form.get("MessageSid", "")
    if state is None or not sid:
        return None
    return DeliveryReport(sid, state, status, form.get("ErrorCode", ""))


# --- parsing ---


def _load(raw_body: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as e:
        raise WebhookError(f"not JSON: {e}") from e
    if not isinstance(body, dict):
        raise WebhookError("not a JSON object")
    return body


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_telegram(raw_body: bytes) -> list[Event]:
    update = _load(raw_body)
    event_id = str(update.get("update_id", ""))
    message = _obj(update.get("message"))
    text = message.get("text")
    if isinstance(text, str) and (text == "/start" or text.startswith(("/start ", "/start@"))):
        command, _, code = text.partition(" ")
        chat = _obj(message.get("chat")).get("id")
        if code.strip() and chat is not None and command.split("@")[0] == "/start":
            return [LinkStart("telegram", str(chat), code.strip(), event_id)]
        return []
    query = _obj(update.get("callback_query"))
    if query:
        qmessage = _obj(query.get("message"))
        chat = _obj(qmessage.get("chat")).get("id") or _obj(query.get("from")).get("id")
        data = query.get("data")
        if chat is None or not isinstance(data, str):
            return []
        mid = qmessage.get("message_id")
        return [
            ButtonPress(
                "telegram",
                str(chat),
                data,
                event_id,
                callback_id=str(query.get("id", "")) or None,
                message_id=mid if isinstance(mid, int) else None,
            )
        ]
    member = _obj(update.get("my_chat_member"))
    if _obj(member.get("new_chat_member")).get("status") == "kicked":
        chat = _obj(member.get("chat")).get("id")
        if chat is not None:
            return [Unsubscribed("telegram", str(chat), event_id)]
    return []


def parse_viber(raw_body: bytes) -> list[Event]:
    body = _load(raw_body)
    kind = body.get("event")
    event_id = str(body.get("message_token", ""))
    if kind == "conversation_started":
        user = _obj(body.get("user")).get("id")
        context = body.get("context")
        if isinstance(user, str) and isinstance(context, str) and context:
            return [LinkStart("viber", user, context, event_id)]
    elif kind == "message":
        sender = _obj(body.get("sender")).get("id")
        text = _obj(body.get("message")).get("text")
        # A reply-button tap arrives as a text message whose text is the ActionBody, so
        # typed text looks the same: the caller must match callback_data to a pending one.
        if isinstance(sender, str) and isinstance(text, str):
            return [ButtonPress("viber", sender, text, event_id)]
    elif kind == "unsubscribed":
        user = body.get("user_id")
        if isinstance(user, str):
            return [Unsubscribed("viber", user, event_id)]
    return []


def parse_messenger(raw_body: bytes) -> list[Event]:
    body = _load(raw_body)
    if body.get("object") != "page":
        return []
    events: list[Event] = []
    for entry in body.get("entry") or []:
        for item in _obj(entry).get("messaging") or []:
            event = _messenger_event(_obj(item))
            if event is not None:
                events.append(event)
    return events


def _messenger_event(item: dict[str, Any]) -> Event | None:
    psid = _obj(item.get("sender")).get("id")
    if not isinstance(psid, str):
        return None
    fallback_id = f"{psid}:{item.get('timestamp', '')}"  # referrals carry no mid
    postback = _obj(item.get("postback"))
    referral = _obj(postback.get("referral")) or _obj(item.get("referral"))
    ref = referral.get("ref")
    if isinstance(ref, str) and ref:
        return LinkStart("messenger", psid, ref, str(postback.get("mid") or fallback_id))
    if isinstance(postback.get("payload"), str):
        return ButtonPress(
            "messenger", psid, postback["payload"], str(postback.get("mid") or fallback_id)
        )
    message = _obj(item.get("message"))
    payload = _obj(message.get("quick_reply")).get("payload")
    if isinstance(payload, str):
        return ButtonPress("messenger", psid, payload, str(message.get("mid") or fallback_id))
    return None
