"""A fake Twilio Messages API: /2010-04-01/Accounts/{sid}/Messages.json, Basic auth, form body."""

import base64
import itertools
import re
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes.server import ServerThread

ERRORS = {
    21211: (400, "The 'To' number is not a valid phone number."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21614: (400, "'To' number is not a valid mobile number"),
    20429: (429, "Too Many Requests"),
}


class FakeTwilio(ServerThread):
    """Set ``error_code`` to one of ERRORS to fail; ``price`` to report a price."""

    def __init__(self, account_sid: str = "AC" + "0" * 32, auth_token: str = "tw-token") -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.error_code: int | None = None
        self.retry_after: str | None = None
        self.price: str | None = None
        self.down = False
        self.messages: list[dict[str, str]] = []
        self._sids = itertools.count(1)
        route = Route("/2010-04-01/Accounts/{sid}/Messages.json", self._create, methods=["POST"])
        super().__init__(Starlette(routes=[route]))

    def last_code(self) -> str:
        m = re.search(r"\b(\d{6,8})\b", self.messages[-1]["Body"])
        assert m
        return m.group(1)

    async def _create(self, request: Request) -> Response:
        if self.down:
            return PlainTextResponse("upstream error", status_code=503)
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if (
            request.headers.get("authorization") != f"Basic {expected}"
            or request.path_params["sid"] != self.account_sid
        ):
            return _error(20003, 401, "Authenticate")
        form = {k: str(v) for k, v in (await request.form()).items()}
        if self.error_code is not None:
            status, message = ERRORS[self.error_code]
            headers = {"Retry-After": self.retry_after} if self.retry_after else None
            return _error(self.error_code, status, message, headers)
        if (
            "To" not in form
            or "Body" not in form
            or not ("From" in form or "MessagingServiceSid" in form)
        ):
            return _error(21604, 400, "A 'To' phone number is required.")
        self.messages.append(form)
        sid = f"SM{next(self._sids):032x}"
        body: dict[str, Any] = {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": form["To"],
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form["Body"],
            "status": "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            "price": self.price,
            "price_unit": "USD",
            "error_code": None,
            "error_message": None,
        }
        return JSONResponse(body, status_code=201)


def _error(code: int, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status_code=status,
        headers=headers,
    )
