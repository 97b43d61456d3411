"""Choosing the hop a code goes out on, with the SMS pumping limits applied.

Used wherever a challenge's code is queued: the first send, the worker's
fallback and a resend. An SMS hop the limits refuse is skipped (the route goes on
with the next hop) and leaves a ``failed`` ledger row with reason ``rate_limited``.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from watchword.delivery.outbox import Hop, enqueue
from watchword.delivery.sms_limits import DEFAULT_LIMITS, REFUSED, SmsLimits, admit_sms
from watchword.store.keyring import KeyRing
from watchword.store.uow import UnitOfWork


@dataclass(frozen=True)
class Choice:
    hop: Hop | None
    refused: list[Hop] = field(default_factory=list)  # SMS hops the limits turned away


async def sms_limits_of(uow: UnitOfWork, tenant_id: str) -> SmsLimits:
    cfg = await uow.channels.get(tenant_id, "sms")
    if cfg is None:
        return DEFAULT_LIMITS
    try:
        return SmsLimits.from_settings(cfg.settings)
    except ValueError:  # validated on PUT; a hand-edited row falls back to the defaults
        return DEFAULT_LIMITS


async def choose_hop(
    uow: UnitOfWork,
    tenant_id: str,
    user_id: str,
    hops: Sequence[Hop],
    now: datetime,
    limits: SmsLimits | None = None,
) -> Choice:
    """The first hop that may carry the code now; an SMS hop's sends are counted."""
    refused: list[Hop] = []
    for hop in hops:
        if hop.channel != "sms":
            return Choice(hop, refused)
        if limits is None:
            limits = await sms_limits_of(uow, tenant_id)
        if await admit_sms(uow, tenant_id, user_id, hop.destination, limits, now):
            return Choice(hop, refused)
        refused.append(hop)
    return Choice(None, refused)


async def record_refused(
    uow: UnitOfWork,
    keyring: KeyRing,
    hops: Sequence[Hop],
    *,
    tenant_id: str,
    template: str,
    locale: str,
    values: dict[str, Any],
    now: datetime,
    challenge_id: str | None,
    resource_id: str | None,
) -> None:
    """A ``failed`` ledger row per refused hop: the refusal shows in reports."""
    for hop in hops:
        await enqueue(
            uow,
            keyring,
            tenant_id=tenant_id,
            hop=hop,
            template=template,
            locale=locale,
            values=values,
            now=now,
            fallback_after_s=None,
            challenge_id=challenge_id,
            resource_id=resource_id,
            state="failed",
            last_error=REFUSED,
        )
