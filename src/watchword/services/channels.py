"""Channel configs per tenant, the console log, and the delivery cost report."""

import ssl
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from watchword.delivery.outbox import open_payload
from watchword.delivery.registry import (
    CHANNELS,
    CREDENTIALS,
    SETTINGS,
    open_credentials,
    price_table,
    seal_credentials,
    tls_context,
)
from watchword.delivery.sms_limits import SmsLimits
from watchword.delivery.worker import message_text
from watchword.services.env import Caller, Env
from watchword.services.errors import InvalidInput, NotFound
from watchword.store.delivery import ChannelConfig

STATES = ("queued", "sending", "sent", "delivered", "failed")


@dataclass(frozen=True)
class ChannelView:
    """A config as admins see it: settings, and only the *names* of credentials set."""

    channel: str
    settings: dict[str, Any]
    credentials_set: list[str]
    updated_at: datetime | None


async def put_channel(
    env: Env,
    caller: Caller,
    channel: str,
    settings: dict[str, Any],
    credentials: dict[str, str],
) -> ChannelView:
    if channel not in CHANNELS:
        raise NotFound("no such channel")
    allowed = {*SETTINGS[channel], "api_base_url", "price", "sms_prices", "currency"}
    unknown = sorted(set(settings) - allowed) + sorted(set(credentials) - set(CREDENTIALS[channel]))
    if unknown:
        raise InvalidInput(f"unknown fields for {channel}: {', '.join(unknown)}")
    try:
        price_table({channel: settings})
    except (ArithmeticError, ValueError, AttributeError):
        raise InvalidInput("price and sms_prices must be decimal numbers") from None
    _check_settings(settings)
    if channel == "sms":
        try:
            SmsLimits.from_settings(settings)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
    now = env.clock()
    sealed = seal_credentials(env.keyring, caller.tenant_id, channel, credentials)
    async with env.db.uow() as uow:
        await uow.channels.put(
            caller.tenant_id,
            channel,
            settings=settings,
            secret=sealed.blob,
            secret_key_id=sealed.key_id,
            updated_at=now,
        )
        await uow.audit.add(
            caller.tenant_id,
            "channel.configure",
            now,
            actor=caller.key_id,
            target_type="channel",
            target_id=channel,
            detail={"credentials": sorted(credentials)},
        )
    return ChannelView(channel, settings, sorted(credentials), now)


def _check_settings(settings: dict[str, Any]) -> None:
    url = settings.get("status_callback_url")
    if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        raise InvalidInput("status_callback_url must be the public http(s) URL of the hook")
    try:
        tls_context(settings.get("tls_ca_pem"))
    except ssl.SSLError:
        raise InvalidInput("tls_ca_pem must be PEM certificates", "bad_certificate") from None


async def list_channels(env: Env, caller: Caller) -> list[ChannelView]:
    async with env.db.uow() as uow:
        configs = await uow.channels.all(caller.tenant_id)
    views = [_view(env, c) for c in configs]
    if not any(v.channel == "console" for v in views):
        views.append(ChannelView("console", {}, [], None))  # works with no config
    return views


def _view(env: Env, cfg: ChannelConfig) -> ChannelView:
    names = sorted(open_credentials(env.keyring, cfg))
    return ChannelView(cfg.channel, dict(cfg.settings), names, cfg.updated_at)


@dataclass(frozen=True)
class ConsoleMessage:
    id: str
    at: datetime
    destination: str
    text: str
    state: str


async def console_messages(env: Env, caller: Caller, limit: int = 50) -> list[ConsoleMessage]:
    """What the console channel 'sent': rendered from the outbox, newest first."""
    async with env.db.uow() as uow:
        rows = await uow.outbox.recent(caller.tenant_id, channel="console", limit=limit)
    return [
        ConsoleMessage(
            m.id,
            m.sent_at or m.created_at,
            m.destination,
            message_text(m, open_payload(env.keyring, m)),
            m.state,
        )
        for m in rows
    ]


@dataclass(frozen=True)
class ChannelUsage:
    channel: str
    messages: int
    by_state: dict[str, int]
    cost: Decimal


@dataclass(frozen=True)
class DeliveryReport:
    start: datetime
    end: datetime
    currency: str
    channels: list[ChannelUsage]
    total_cost: Decimal
    # What the same messages (the ones that went out) would have cost all as SMS.
    all_sms_cost: Decimal
    unpriced: int


async def delivery_report(
    env: Env, caller: Caller, start: datetime, end: datetime
) -> DeliveryReport:
    if end <= start:
        raise InvalidInput("'to' must be after 'from'")
    async with env.db.uow() as uow:
        rows = await uow.outbox.between(caller.tenant_id, start, end)
        configs = {c.channel: c.settings for c in await uow.channels.all(caller.tenant_id)}
    prices = price_table(configs)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATES, 0))
    costs: dict[str, Decimal] = defaultdict(Decimal)
    all_sms = Decimal(0)
    unpriced = 0
    for m in rows:
        counts[m.channel][m.state] = counts[m.channel].get(m.state, 0) + 1
        costs[m.channel] += Decimal(m.price) if m.price else Decimal(0)
        if m.state in ("sent", "delivered"):
            as_sms = prices.price("sms", _phone_of(m.destination))
            if as_sms is None:
                unpriced += 1
            else:
                all_sms += as_sms
    usage = [ChannelUsage(c, sum(counts[c].values()), counts[c], costs[c]) for c in sorted(counts)]
    return DeliveryReport(
        start, end, prices.currency, usage, sum(costs.values(), Decimal(0)), all_sms, unpriced
    )


def _phone_of(destination: str) -> str:
    # Bot chat ids have no country: they are priced at the SMS default rate.
    return destination if destination.startswith("+") else ""
