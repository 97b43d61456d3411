"""SMS through Twilio's Messages API (2010-04-01).

POST form fields with HTTP Basic auth (AccountSid:AuthToken). A 201 means queued;
the final outcome arrives later at ``StatusCallback``. ``_raise_for`` maps
Twilio's ``{"code", "message", "status"}`` error bodies.
"""

from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

import httpx

from watchword.delivery.channels._http import json_object, post, retry_after_header
from watchword.delivery.channels.base import (
    BadCredentials,
    PermanentError,
    RecipientBlocked,
    TransientError,
)
from watchword.delivery.message import OutboundMessage, Receipt

DEFAULT_BASE_URL = "https://api.twilio.com"

# twilio.com/docs/api/errors
_BLOCKED = {21610}  # the recipient replied STOP
_TRANSIENT = {20429, 20500, 20503, 30001}  # too many requests, internal errors, queue overflow
_AUTH = {20003, 20005}  # authentication failed, account not active


class TwilioSmsChannel:
    """Sends from ``from_number`` or, if given, a ``messaging_service_sid``."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        client: httpx.AsyncClient,
        *,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        status_callback: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        name: str = "sms",
    ) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError("from_number or messaging_service_sid is required")
        self._auth = httpx.BasicAuth(account_sid, auth_token)
        self._client = client
        self._from = from_number
        self._service = messaging_service_sid
        self._callback = status_callback
        self._url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    async def send(self, msg: OutboundMessage) -> Receipt:
        form = {"To": msg.destination, "Body": msg.text}
        if self._service:
            form["MessagingServiceSid"] = self._service
        else:
            assert self._from is not None
            form["From"] = self._from
        if self._callback:
            form["StatusCallback"] = self._callback
        response = await post(self._client, self._url, data=form, auth=self._auth)
        body = json_object(response)
        if response.status_code not in (200, 201) or body is None:
            _raise_for(response, body)
        status = str(body.get("status", "queued"))
        return Receipt(
            provider_message_id=str(body.get("sid", "")),
            status="sent" if status in ("sent", "delivered") else "queued",
            cost=_price(body.get("price")),
            raw_status=status,
        )


def _price(value: Any) -> Decimal | None:
    # Twilio reports the price as a negative string ("-0.00750"), usually null until sent.
    if value is None:
        return None
    try:
        return abs(Decimal(str(value)))
    except InvalidOperation:
        return None


def _raise_for(response: httpx.Response, body: dict[str, Any] | None) -> NoReturn:
    http_status = response.status_code
    code = body.get("code") if body else None
    text = str(body.get("message", "")) if body else f"HTTP {http_status}"
    raw = f"{code} {text}" if code is not None else f"HTTP {http_status}"
    if code in _TRANSIENT or http_status == 429 or http_status >= 500 or body is None:
        raise TransientError(text, retry_after=retry_after_header(response), raw_status=raw)
    if code in _BLOCKED:
        raise RecipientBlocked(text, raw_status=raw)
    if code in _AUTH or http_status == 401:
        raise BadCredentials(text, raw_status=raw)
    # 21211 invalid number, 21614 not SMS-capable, 21608 trial-unverified ...
    raise PermanentError(text, raw_status=raw)
