"""Viber REST Bot API: ``/pa/send_message`` with a reply keyboard.

Viber answers HTTP 200 even on failure; the outcome is the body's ``status``
(0 = ok). ``_raise_for`` is the one place that maps it.
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

DEFAULT_BASE_URL = "https://chatapi.viber.com"
MAX_SENDER_NAME = 28
KEYBOARD_COLUMNS = 6  # a row is six columns wide

# Status codes (developers.viber.com rest-bot-api#error-codes).
STATUS_OK = 0
_BLOCKED = {6}  # receiverNotSubscribed: the user left the bot
_ACCOUNT = {2, 7, 8, 9, 10}  # bad token; account blocked, not found, suspended; no webhook
_TRANSIENT = {12}  # tooManyRequests (no retry_after given)


class ViberChannel:
    def __init__(
        self,
        auth_token: str,
        sender_name: str,
        client: httpx.AsyncClient,
        *,
        base_url: str = DEFAULT_BASE_URL,
        name: str = "viber",
    ) -> None:
        self._token = auth_token
        self._sender = sender_name[:MAX_SENDER_NAME]
        self._client = client
        self._url = f"{base_url.rstrip('/')}/pa/send_message"
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    async def send(self, msg: OutboundMessage) -> Receipt:
        payload: dict[str, Any] = {
            "receiver": msg.destination,
            "type": "text",
            "text": msg.text,
            "sender": {"name": self._sender},
        }
        if msg.idempotency_key:
            payload["tracking_data"] = msg.idempotency_key  # echoed back in the user's reply
        if msg.buttons:
            width = max(1, KEYBOARD_COLUMNS // len(msg.buttons))
            payload["min_api_version"] = 3
            payload["keyboard"] = {
                "Type": "keyboard",
                "Buttons": [
                    {
                        "Columns": width,
                        "Rows": 1,
                        "ActionType": "reply",
                        "ActionBody": b.callback_data,
                        "Text": b.label,
                        "Silent": True,
                    }
                    for b in msg.buttons
                ],
            }
        response = await post(
            self._client, self._url, json=payload, headers={"X-Viber-Auth-Token": self._token}
        )
        body = json_object(response)
        status = body.get("status") if body else None
        if body is None or status != STATUS_OK or response.status_code != 200:
            _raise_for(response.status_code, body)
        return Receipt(
            provider_message_id=str(body.get("message_token", "")),
            status="sent",
            raw_status=str(body.get("status_message", "ok")),
        )


def _raise_for(http_status: int, body: dict[str, Any] | None) -> NoReturn:
    if body is None or http_status >= 500 or http_status == 429:
        # Not Viber's status envelope: a gateway page or an overload answer.
        raise TransientError(f"HTTP {http_status}", raw_status=str(http_status))
    status = body.get("status")
    text = str(body.get("status_message", ""))
    raw = f"{status} {text}".strip()
    if status in _TRANSIENT:
        raise TransientError(text, raw_status=raw)
    if status in _BLOCKED:
        raise RecipientBlocked(text, raw_status=raw)
    if status in _ACCOUNT:
        raise BadCredentials(text, raw_status=raw)
    raise PermanentError(text or f"HTTP {http_status}", raw_status=raw)
