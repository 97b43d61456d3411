"""A fake Telegram Bot API: /bot<token>/<method> with the real envelope and errors."""

import itertools
import re
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes.server import ServerThread

Mode = Literal["ok", "blocked", "rate_limited", "chat_not_found", "down"]
BOT_ID = 987654321


class FakeTelegram(ServerThread):
    """Records every call; ``mode`` switches the answer to one of the platform's errors."""

    def __init__(self, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.mode: Mode = "ok"
        self.retry_after = 34
        self.messages: list[dict[str, Any]] = []  # sendMessage bodies
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._ids = itertools.count(42)
        app = Starlette(routes=[Route("/bot{token}/{method}", self._method, methods=["POST"])])
        super().__init__(app)

    def last_code(self) -> str:
        """The digits of the last OTP sent (what the user would type)."""
        m = re.search(r"\b(\d{6,8})\b", self.messages[-1]["text"])
        assert m, self.messages[-1]["text"]
        return m.group(1)

    async def _method(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        if self.mode == "down":
            return PlainTextResponse("<html>502 Bad Gateway</html>", status_code=502)
        body: dict[str, Any] = await request.json()
        method = request.path_params["method"]
        self.calls.append((method, body))
        if self.mode == "rate_limited":
            return _error(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                parameters={"retry_after": self.retry_after},
            )
        if self.mode == "blocked":
            return _error(403, "Forbidden: bot was blocked by the user")
        if self.mode == "chat_not_found":
            return _error(400, "Bad Request: chat not found")
        if method != "sendMessage":
            return JSONResponse({"ok": True, "result": True})
        self.messages.append(body)
        return JSONResponse(
            {
                "ok": True,
                "result": {
                    "message_id": next(self._ids),
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Watchword"},
                    "chat": {"id": body["chat_id"], "type": "private"},
                    "date": 1746268800,
                    "text": body["text"],
                },
            }
        )


def _error(code: int, description: str, **extra: Any) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error_code": code, "description": description, **extra}, status_code=code
    )


# --- webhook bodies as Telegram sends them ---


def start_update(chat_id: int, payload: str, update_id: int = 10000) -> dict[str, Any]:
    text = f"/start {payload}"
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ann"},
            "chat": {"id": chat_id, "type": "private"},
            "date": 1746268700,
            "text": text,
            "entities": [{"offset": 0, "length": 6, "type": "bot_command"}],
        },
    }


def callback_update(chat_id: int, data: str, update_id: int = 10001) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": "4382bfdwdsb323b2d9",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ann"},
            "message": {
                "message_id": 42,
                "chat": {"id": chat_id, "type": "private"},
                "date": 1746268800,
                "text": "Confirm?",
            },
            "chat_instance": "-812345",
            "data": data,
        },
    }


def kicked_update(chat_id: int, update_id: int = 10002) -> dict[str, Any]:
    member = {"user": {"id": BOT_ID, "is_bot": True, "first_name": "Watchword"}}
    return {
        "update_id": update_id,
        "my_chat_member": {
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ann"},
            "date": 1746268900,
            "old_chat_member": {**member, "status": "member"},
            "new_chat_member": {**member, "status": "kicked", "until_date": 0},
        },
    }
