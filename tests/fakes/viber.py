"""A fake Viber REST Bot API (/pa/send_message) and signed Viber callbacks."""

import hashlib
import hmac
import itertools
import json
import re
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes.server import ServerThread

STATUS_MESSAGES = {
    0: "ok",
    2: "invalidAuthToken",
    5: "receiverNotRegistered",
    6: "receiverNotSubscribed",
    7: "publicAccountBlocked",
    12: "tooManyRequests",
}


class FakeViber(ServerThread):
    """Answers HTTP 200 with ``status``; set ``status`` to a Viber code to fail, or ``down``."""

    def __init__(
        self, auth_token: str = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f"
    ) -> None:
        self.auth_token = auth_token
        self.status = 0
        self.down = False
        self.messages: list[dict[str, Any]] = []
        self._tokens = itertools.count(5098034272017990000)
        super().__init__(
            Starlette(routes=[Route("/pa/send_message", self._send, methods=["POST"])])
        )

    def last_code(self) -> str:
        m = re.search(r"\b(\d{6,8})\b", self.messages[-1]["text"])
        assert m
        return m.group(1)

    async def _send(self, request: Request) -> Response:
        if self.down:
            return PlainTextResponse("Service Unavailable", status_code=503)
        body: dict[str, Any] = await request.json()
        # The header is the documented way; viberbot puts the token in the body.
        token = request.headers.get("x-viber-auth-token") or body.get("auth_token")
        if token is None:
            return _status(2, "missing_auth_token")
        if token != self.auth_token:
            return _status(2, "invalidAuthToken")
        if self.status != 0:
            return _status(self.status, STATUS_MESSAGES.get(self.status, "error"))
        if not body.get("receiver") or not body.get("sender", {}).get("name"):
            return _status(4, "missingData")
        self.messages.append(body)
        return JSONResponse(
            {
                "status": 0,
                "status_message": "ok",
                "message_token": next(self._tokens),
                "chat_hostname": "SN-CHAT-05_",
            }
        )


def _status(code: int, message: str) -> JSONResponse:
    return JSONResponse({"status": code, "status_message": message})  # HTTP 200 even so


def signed(event: dict[str, Any], auth_token: str) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of a Viber callback."""
    raw = json.dumps(event).encode()
    sig = hmac.new(auth_token.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"X-Viber-Content-Signature": sig, "Content-Type": "application/json"}


def conversation_started(user_id: str, context: str) -> dict[str, Any]:
    return {
        "event": "conversation_started",
        "timestamp": 1457764197627,
        "type": "open",
        "context": context,
        "user": {"id": user_id, "name": "John", "language": "en", "api_version": 1},
        "message_token": 4912661846655238145,
        "subscribed": False,
    }


def reply_message(user_id: str, text: str, tracking_data: str = "") -> dict[str, Any]:
    return {
        "event": "message",
        "timestamp": 1457764197628,
        "message_token": 4912661846655238146,
        "sender": {"id": user_id, "name": "John"},
        "message": {"type": "text", "text": text, "tracking_data": tracking_data},
        "silent": False,
    }


def unsubscribed(user_id: str) -> dict[str, Any]:
    return {
        "event": "unsubscribed",
        "timestamp": 1457764197629,
        "user_id": user_id,
        "message_token": 4912661846655238147,
    }
