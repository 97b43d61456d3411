"""Facebook Messenger Send API (Graph): ``/<version>/me/messages``.

Buttons go as a button template of postbacks. Outside the 24 h window after the
user's last action only tagged messages are allowed, so the default is
``MESSAGE_TAG`` + ``ACCOUNT_UPDATE``; the linking flow (the user taps the m.me
link) opens the window first. ``_raise_for`` maps Graph's error object.
"""

from typing import Any, NoReturn

import httpx

from watchword.delivery.channels._http import json_object, post
from watchword.delivery.channels.base import (
    BadCredentials,
    PermanentError,
    RecipientBlocked,
    TransientError,
)
from watchword.delivery.message import OutboundMessage, Receipt

DEFAULT_BASE_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v25.0"
MAX_BUTTONS = 3
MAX_TITLE = 20
MAX_TEMPLATE_TEXT = 640

# Graph error codes (messenger-platform/error-codes).
_BLOCKED_CODES = {551}  # this person isn't available right now
_BLOCKED_SUBCODES = {1545041}
_RATE_CODES = {4, 17, 32, 613}
_TEMPORARY_CODES = {1, 2}  # unknown / temporary service error
_TOKEN_CODES = {190}


class MessengerChannel:
    def __init__(
        self,
        page_access_token: str,
        client: httpx.AsyncClient,
        *,
        base_url: str = DEFAULT_BASE_URL,
        api_version: str = DEFAULT_API_VERSION,
        messaging_type: str = "MESSAGE_TAG",
        tag: str | None = "ACCOUNT_UPDATE",
        name: str = "messenger",
    ) -> None:
        self._token = page_access_token
        self._client = client
        self._url = f"{base_url.rstrip('/')}/{api_version}/me/messages"
        self._messaging_type = messaging_type
        self._tag = tag
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    async def send(self, msg: OutboundMessage) -> Receipt:
        payload: dict[str, Any] = {
            "recipient": {"id": msg.destination},
            "messaging_type": self._messaging_type,
            "message": _message(msg),
        }
        if self._messaging_type == "MESSAGE_TAG" and self._tag:
            payload["tag"] = self._tag
        response = await post(
            self._client, self._url, json=payload, params={"access_token": self._token}
        )
        body = json_object(response)
        if response.status_code != 200 or body is None or "error" in body:
            _raise_for(response.status_code, body)
        return Receipt(provider_message_id=str(body.get("message_id", "")), status="sent")


def _message(msg: OutboundMessage) -> dict[str, Any]:
    if not msg.buttons:
        return {"text": msg.text}
    if len(msg.buttons) > MAX_BUTTONS or len(msg.text) > MAX_TEMPLATE_TEXT:
        raise PermanentError("a button template holds at most 3 buttons and 640 characters")
    buttons = [
        {"type": "postback", "title": b.label[:MAX_TITLE], "payload": b.callback_data}
        for b in msg.buttons
    ]
    template = {"template_type": "button", "text": msg.text, "buttons": buttons}
    return {"attachment": {"type": "template", "payload": template}}


def _raise_for(http_status: int, body: dict[str, Any] | None) -> NoReturn:
    error = body.get("error") if body else None
    if not isinstance(error, dict):
        if http_status >= 500 or http_status == 429 or body is None:
            raise TransientError(f"HTTP {http_status}", raw_status=str(http_status))
        raise PermanentError(f"HTTP {http_status}", raw_status=str(http_status))
    code = error.get("code")
    subcode = error.get("error_subcode")
    text = str(error.get("message", ""))
    raw = f"{code}/{subcode} {text}" if subcode else f"{code} {text}"
    if code in _BLOCKED_CODES or subcode in _BLOCKED_SUBCODES:
        raise RecipientBlocked(text, raw_status=raw)
    if code in _RATE_CODES or code in _TEMPORARY_CODES or error.get("is_transient") is True:
        raise TransientError(text, raw_status=raw)
    if code in _TOKEN_CODES:
        raise BadCredentials(text, raw_status=raw)
    if http_status >= 500:
        raise TransientError(text, raw_status=raw)
    # 10/2018278 outside the messaging window, 100/2018001 no such user, bad payloads ...
    raise PermanentError(text, raw_status=raw)
