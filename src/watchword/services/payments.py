"""Payment-provider webhooks: a signed callback marks an order paid.

Signature: ``X-Watchword-Signature: sha256=<hex>`` where the hex is
HMAC-SHA256(tenant secret, "<timestamp>." + raw body) and the timestamp is
``X-Watchword-Timestamp`` (Unix seconds). Refused: a bad signature, a timestamp
more than five minutes from our clock, and an event id already seen (replay).
Paying an order that is already paid (a second event for the same payment)
changes nothing and answers ``already_paid``.
"""

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from watchword.orders import OrderAction, OrderState
from watchword.services.env import Caller, Env
from watchword.services.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from watchword.services.orders import event_of, move
from watchword.store.keyring import Sealed

MAX_SKEW_S = 300
ACTOR = "payment-webhook"
PAID_OR_LATER = {
    OrderState.PAID,
    OrderState.PICKED,
    OrderState.SHIPPED,
    OrderState.DELIVERED,
    OrderState.ACTIVATED,
}


@dataclass(frozen=True)
class HookResult:
    status: str  # "paid" | "already_paid"
    order_id: str


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={mac}"


def _aad(tenant_id: str) -> str:
    return f"payment-webhook:{tenant_id}"


async def set_secret(env: Env, caller: Caller, secret: str | None) -> str:
    """Store the tenant's webhook secret (generated when none is given); shown once."""
    text = secret or secrets.token_urlsafe(32)
    if len(text) < 16:
        raise InvalidInput("the webhook secret must be at least 16 characters", "weak_secret")
    sealed = env.keyring.seal(text.encode(), aad=_aad(caller.tenant_id))
    now = env.clock()
    async with env.db.uow() as uow:
        await uow.payments.set_secret(caller.tenant_id, sealed.blob, sealed.key_id, now)
        await uow.audit.add(caller.tenant_id, "settings.payment_webhook", now, actor=caller.key_id)
    return text


async def handle(
    env: Env, tenant_id: str, body: bytes, timestamp: str | None, signature: str | None
) -> HookResult:
    now = env.clock()
    if not timestamp or not timestamp.isdigit():
        raise Unauthenticated("missing or bad X-Watchword-Timestamp", "bad_timestamp")
    if abs(now.timestamp() - int(timestamp)) > MAX_SKEW_S:
        raise Unauthenticated("the timestamp is too old or in the future", "stale_timestamp")
    async with env.db.uow() as uow:
        stored = await uow.payments.secret(tenant_id)
    if stored is None:
        raise NotFound("no payment webhook for this tenant")
    key = env.keyring.open(Sealed(stored[1], stored[0]), aad=_aad(tenant_id))
    if not signature or not hmac.compare_digest(sign(key, timestamp, body), signature):
        raise Unauthenticated("the signature does not match", "bad_signature")
    event_id, order_id = _parse(body)
    async with env.db.uow() as uow:
        if not await uow.payments.consume_event(tenant_id, event_id, order_id, now):
            raise Conflict("this event id was already processed", "replayed_event")
        order = await uow.orders.get(tenant_id, order_id)
        if order is None:
            raise NotFound("no such order")
        if order.state in PAID_OR_LATER:
            return HookResult("already_paid", order.id)
        moved = await move(uow, order, OrderAction.PAY, now, ACTOR, **{})
    await env.events.publish(event_of(moved))
    return HookResult("paid", moved.id)


def _parse(body: bytes) -> tuple[str, str]:
    try:
        data: Any = json.loads(body)
    except ValueError:
        raise InvalidInput("the body is not JSON", "invalid_json") from None
    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object")
    event_id, order_id = data.get("event_id"), data.get("order_id")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= 128:
        raise InvalidInput("event_id: a string of 1..128 characters is required")
    if not isinstance(order_id, str) or not order_id:
        raise InvalidInput("order_id: required")
    if data.get("type", "payment.succeeded") != "payment.succeeded":
        raise InvalidInput("type: only payment.succeeded is handled", "unsupported_event")
    return event_id, order_id
