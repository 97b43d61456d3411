"""Putting messages in the outbox: sealed payloads, routes, prices (no I/O but the UoW).

The code a user types exists in clear only inside a sealed payload on an outbox
row (key ring, bound to the row id); the challenge keeps a salted hash.
"""

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from watchword.store.delivery import OutboxMessage
from watchword.store.keyring import KeyRing, Sealed
from watchword.store.types import new_id
from watchword.store.uow import UnitOfWork

MAX_SENDS = 5
DEFAULT_ORDER = ("telegram", "viber", "messenger", "sms", "email", "console")


@dataclass(frozen=True, slots=True)
class Hop:
    """One place the code may go: a token, its channel and its address there."""

    token_id: str
    channel: str
    destination: str

    def as_json(self) -> dict[str, str]:
        return {"token_id": self.token_id, "channel": self.channel, "destination": self.destination}


def new_code(digits: int) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def hash_code(salt: bytes, code: str) -> bytes:
    return hmac.new(salt, code.encode(), hashlib.sha256).digest()


def code_matches(salt: bytes, code_hash: bytes, otp: str) -> bool:
    return hmac.compare_digest(hash_code(salt, otp), code_hash)


def seal_payload(keyring: KeyRing, message_id: str, values: dict[str, Any]) -> Sealed:
    return keyring.seal(json.dumps(values).encode(), aad=f"outbox:{message_id}")


def open_payload(keyring: KeyRing, msg: OutboxMessage) -> dict[str, Any]:
    raw = keyring.open(Sealed(msg.payload_key_id, msg.payload), aad=f"outbox:{msg.id}")
    values: dict[str, Any] = json.loads(raw)
    return values


def following(route: list[dict[str, str]], current: str | None, skip: set[str]) -> list[Hop]:
    """The entries after ``current`` (or all), in order, without unreachable tokens."""
    start = 0
    for i, hop in enumerate(route):
        if hop["token_id"] == current:
            start = i + 1
    return [
        Hop(h["token_id"], h["channel"], h["destination"])
        for h in route[start:]
        if h["token_id"] not in skip
    ]


def next_hop(route: list[dict[str, str]], current: str | None, skip: set[str]) -> Hop | None:
    """The entry after ``current`` (or the first), skipping unreachable tokens."""
    rest = following(route, current, skip)
    return rest[0] if rest else None


async def enqueue(
    uow: UnitOfWork,
    keyring: KeyRing,
    *,
    tenant_id: str,
    hop: Hop,
    template: str,
    locale: str,
    values: dict[str, Any],
    now: datetime,
    fallback_after_s: int | None,
    challenge_id: str | None = None,
    resource_id: str | None = None,
    state: str = "queued",
    last_error: str | None = None,
) -> str:
    """Add one message (queued, or a ``failed`` ledger row for a refused hop); the
    caller's transaction commits it with its cause."""
    message_id = new_id()
    sealed = seal_payload(keyring, message_id, values)
    fallback_at = now + timedelta(seconds=fallback_after_s) if fallback_after_s else None
    await uow.outbox.add(
        id=message_id,
        tenant_id=tenant_id,
        challenge_id=challenge_id,
        resource_id=resource_id,
        token_id=hop.token_id,
        channel=hop.channel,
        destination=hop.destination,
        template=template,
        locale=locale,
        payload=sealed.blob,
        payload_key_id=sealed.key_id,
        state=state,
        attempts=0,
        next_attempt_at=now,
        fallback_at=fallback_at,
        last_error=last_error,
        created_at=now,
    )
    return message_id
