"""Telegram Bot API: ``sendMessage`` with an inline keyboard.

Auth is the token in the path. Every answer is ``{"ok": ..., ...}`` and the HTTP
status equals ``error_code``; ``_raise_for`` is the one place that maps failures.
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

DEFAULT_BASE_URL = "https://api.telegram.org"
MAX_CALLBACK_DATA = 64  # bytes


class TelegramChannel:
    """``provider_message_id`` is ``"<chat_id>:<message_id>"``: both are needed to edit it."""

    def __init__(
        self,
        token: str,
        client: httpx.AsyncClient,
        *,
        base_url: str = DEFAULT_BASE_URL,
        protect_content: bool = True,
        name: str = "telegram",
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/bot{token}/"
        self._client = client
        self._protect = protect_content  # an OTP should not be forwarded or saved
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    async def send(self, msg: OutboundMessage) -> Receipt:
        payload: dict[str, Any] = {
            "chat_id": _chat_id(msg.destination),
            "text": msg.text,
            "protect_content": self._protect,
        }
        if msg.buttons:
            for b in msg.buttons:
                if not 1 <= len(b.callback_data.encode()) <= MAX_CALLBACK_DATA:
                    raise PermanentError(f"callback_data must be 1-64 bytes: {b.callback_data!r}")
            row = [{"text": b.label, "callback_data": b.callback_data} for b in msg.buttons]
            payload["reply_markup"] = {"inline_keyboard": [row]}
        result = await self._call("sendMessage", payload)
        chat = result.get("chat", {}).get("id", msg.destination)
        return Receipt(
            provider_message_id=f"{chat}:{result.get('message_id')}",
            status="sent",
            raw_status="ok",
        )

    async def answer_callback(self, callback_query_id: str, text: str = "") -> None:
        """Stop the client's spinner after a button tap."""
        await self._call(
            "answerCallbackQuery", {"callback_query_id": callback_query_id, "text": text}
        )

    async def remove_buttons(self, chat_id: str, message_id: int) -> None:
        """Drop the keyboard so a decided transaction cannot be tapped again."""
        await self._call(
            "editMessageReplyMarkup",
            {"chat_id": _chat_id(chat_id), "message_id": message_id, "reply_markup": {}},
        )

    async def _call(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        response = await post(self._client, self._url + method, json=payload)
        body = json_object(response)
        if body is None or body.get("ok") is not True:
            _raise_for(response.status_code, body)
        result = body.get("result")
        return result if isinstance(result, dict) else {}


def _chat_id(destination: str) -> int | str:
    # Numeric ids go as numbers; "@channelname" stays a string.
    try:
        return int(destination)
    except ValueError:
        return destination


def _raise_for(status: int, body: dict[str, Any] | None) -> NoReturn:
    if body is None:  # not the Bot API speaking: a proxy or load balancer page
        if status >= 500 or status == 429:
            raise TransientError(f"HTTP {status}", raw_status=str(status))
        raise PermanentError(f"HTTP {status}", raw_status=str(status))
    code = body.get("error_code", status)
    code = code if isinstance(code, int) else status
    description = str(body.get("description", ""))
    raw = f"{code} {description}".strip()
    if code == 429:
        params = body.get("parameters")
        retry = params.get("retry_after") if isinstance(params, dict) else None
        retry_after = float(retry) if isinstance(retry, int | float) else None
        raise TransientError(description, retry_after=retry_after, raw_status=raw)
    if code >= 500:
        raise TransientError(description, raw_status=raw)
    if code == 403:  # blocked by the user, deactivated, never started the bot
        raise RecipientBlocked(description, raw_status=raw)
    if code in (401, 404):  # bad or revoked token
        raise BadCredentials(description, raw_status=raw)
    raise PermanentError(description, raw_status=raw)
