"""Channel adapters built from a tenant's stored channel config.

A config is ``settings`` (plain: api_base_url, sender numbers, prices) and
``credentials`` (sealed with the key ring, bound to tenant and channel).
The console channel needs no config at all: it is the embedded default.
"""

import json
import ssl
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from watchword.delivery import sms_limits
from watchword.delivery.channels.base import Channel
from watchword.delivery.channels.console import ConsoleChannel, ConsoleStore
from watchword.delivery.channels.messenger import MessengerChannel
from watchword.delivery.channels.smtp import SmtpChannel
from watchword.delivery.channels.telegram import TelegramChannel
from watchword.delivery.channels.twilio_sms import TwilioSmsChannel
from watchword.delivery.channels.viber import ViberChannel
from watchword.delivery.pricing import PriceTable
from watchword.store.delivery import ChannelConfig
from watchword.store.keyring import KeyRing, Sealed

CHANNELS = ("telegram", "viber", "messenger", "sms", "email", "console")

# Which credential / setting names each channel takes (anything else is refused).
CREDENTIALS: Mapping[str, tuple[str, ...]] = {
    "telegram": ("bot_token", "webhook_secret"),
    "viber": ("auth_token",),
    "messenger": ("page_access_token", "app_secret", "verify_token"),
    "sms": ("auth_token",),
    "email": ("password",),
    "console": (),
}
SETTINGS: Mapping[str, tuple[str, ...]] = {
    "telegram": ("bot_username",),
    "viber": ("sender_name", "bot_uri"),
    "messenger": ("page_id",),
    "sms": (
        "account_sid",
        "from_number",
        "messaging_service_sid",
        "status_callback_url",
        *sms_limits.SETTINGS,
    ),
    "email": ("hostname", "port", "sender", "username", "tls", "tls_ca_pem"),
    "console": (),
}


class NotConfigured(Exception):
    """The tenant has no (usable) config for this channel."""


def seal_credentials(
    keyring: KeyRing, tenant_id: str, channel: str, creds: Mapping[str, str]
) -> Sealed:
    return keyring.seal(json.dumps(dict(creds)).encode(), aad=f"channel:{tenant_id}:{channel}")


def open_credentials(keyring: KeyRing, cfg: ChannelConfig) -> dict[str, str]:
    if cfg.secret is None or cfg.secret_key_id is None:
        return {}
    raw = keyring.open(
        Sealed(cfg.secret_key_id, cfg.secret), aad=f"channel:{cfg.tenant_id}:{cfg.channel}"
    )
    creds: dict[str, str] = json.loads(raw)
    return creds


def price_table(configs: Mapping[str, Mapping[str, Any]]) -> PriceTable:
    """One table from every channel's ``price`` (and ``sms_prices`` for SMS)."""
    channels = {c: Decimal(str(s["price"])) for c, s in configs.items() if s.get("price")}
    sms = configs.get("sms", {})
    return PriceTable(
        channels={c: p for c, p in channels.items() if c != "sms"},
        sms={k.lstrip("+"): Decimal(str(v)) for k, v in (sms.get("sms_prices") or {}).items()},
        sms_default=channels.get("sms"),
        currency=str(sms.get("currency") or "USD"),
    )


def tls_context(ca_pem: Any) -> ssl.SSLContext | None:
    """With ``tls_ca_pem`` (PEM text: a private CA or a relay's self-signed certificate)
    that is the only CA trusted; without it, the system's CAs. A PEM, not a file path:
    tenant admins set it over the API and must not name files on the server."""
    if not ca_pem:
        return None
    return ssl.create_default_context(cadata=str(ca_pem))


def build_channel(
    channel: str,
    settings: Mapping[str, Any],
    creds: Mapping[str, str],
    client: httpx.AsyncClient,
    console: ConsoleStore,
    clock: Callable[[], datetime],
) -> Channel:
    base = settings.get("api_base_url")
    extra: dict[str, Any] = {"base_url": base} if base else {}
    try:
        if channel == "console":
            return ConsoleChannel(console, clock)
        if channel == "telegram":
            return TelegramChannel(creds["bot_token"], client, **extra)
        if channel == "viber":
            return ViberChannel(
                creds["auth_token"], str(settings.get("sender_name", "Watchword")), client, **extra
            )
        if channel == "messenger":
            return MessengerChannel(creds["page_access_token"], client, **extra)
        if channel == "sms":
            return TwilioSmsChannel(
                str(settings["account_sid"]),
                creds["auth_token"],
                client,
                from_number=settings.get("from_number"),
                messaging_service_sid=settings.get("messaging_service_sid"),
                status_callback=settings.get("status_callback_url"),
                **extra,
            )
        if channel == "email":
            return SmtpChannel(
                str(settings["hostname"]),
                int(settings.get("port", 587)),
                str(settings["sender"]),
                username=settings.get("username"),
                password=creds.get("password"),
                tls=settings.get("tls", "starttls"),
                tls_context=tls_context(settings.get("tls_ca_pem")),
            )
    except (KeyError, ValueError, ssl.SSLError) as exc:
        raise NotConfigured(f"{channel}: missing or bad setting {exc}") from None
    raise NotConfigured(f"unknown channel {channel!r}")
