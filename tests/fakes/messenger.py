"""A fake Graph API Send endpoint (/<version>/me/messages) and signed Messenger webhooks."""

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

PAGE_ID = "1067280970047460"


class FakeMessenger(ServerThread):
    """Set ``error`` to a Graph error object ({code, error_subcode?, message}) to fail."""

    def __init__(self, page_token: str = "EAAG-page-token") -> None:
        self.page_token = page_token
        self.error: dict[str, Any] | None = None
        self.down = False
        self.messages: list[dict[str, Any]] = []
        self.versions: list[str] = []
        self._mids = itertools.count(1)
        super().__init__(
            Starlette(routes=[Route("/{version}/me/messages", self._send, methods=["POST"])])
        )

    def last_code(self) -> str:
        message = self.messages[-1]["message"]
        text = message.get("text") or message["attachment"]["payload"]["text"]
        m = re.search(r"\b(\d{6,8})\b", text)
        assert m
        return str(m.group(1))

    async def _send(self, request: Request) -> Response:
        if self.down:
            return PlainTextResponse("Bad Gateway", status_code=502)
        self.versions.append(request.path_params["version"])
        if request.query_params.get("access_token") != self.page_token:
            return _graph_error(190, "Invalid OAuth access token.")
        if self.error is not None:
            return JSONResponse(
                {"error": {"type": "OAuthException", "fbtrace_id": "AbC", **self.error}},
                status_code=400,
            )
        body: dict[str, Any] = await request.json()
        if "messaging_type" not in body or "id" not in body.get("recipient", {}):
            return _graph_error(100, "(#100) The parameter recipient is required")
        self.messages.append(body)
        return JSONResponse(
            {"recipient_id": body["recipient"]["id"], "message_id": f"m_AG5Hz2U{next(self._mids)}"}
        )


def _graph_error(code: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "x"}},
        status_code=400,
    )


def signed(payload: dict[str, Any], app_secret: str) -> tuple[bytes, dict[str, str]]:
    """Raw body and headers as Meta sends them (escaped-unicode JSON, sha256= signature)."""
    raw = json.dumps(payload, ensure_ascii=True).encode()
    sig = hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"X-Hub-Signature-256": f"sha256={sig}", "Content-Type": "application/json"}


def _entry(psid: str, event: dict[str, Any]) -> dict[str, Any]:
    messaging = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": 1458692752478,
        **event,
    }
    return {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": 1458692752478, "messaging": [messaging]}],
    }


def postback(psid: str, payload: str, ref: str | None = None) -> dict[str, Any]:
    pb: dict[str, Any] = {"mid": "m_pb1", "title": "Confirm", "payload": payload}
    if ref is not None:
        pb["referral"] = {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"}
    return _entry(psid, {"postback": pb})


def referral(psid: str, ref: str) -> dict[str, Any]:
    return _entry(psid, {"referral": {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"}})


def quick_reply(psid: str, payload: str) -> dict[str, Any]:
    return _entry(
        psid, {"message": {"mid": "m_qr1", "text": "Confirm", "quick_reply": {"payload": payload}}}
    )
