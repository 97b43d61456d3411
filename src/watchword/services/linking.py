"""Binding a bot chat to a user: one-time link codes and the bots' webhooks.

The admin asks for a link (deep link + QR) for a user; the user opens it, the
platform posts a webhook carrying the code; we check the signature on the raw
body, use the code once, create the token bound to that chat and confirm in it.
"""

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from watchword.delivery import links
from watchword.delivery.outbox import Hop, enqueue
from watchword.delivery.registry import open_credentials
from watchword.delivery.webhooks import (
    ButtonPress,
    Event,
    LinkStart,
    Unsubscribed,
    WebhookError,
    messenger_handshake,
    parse_messenger,
    parse_telegram,
    parse_viber,
    verify_messenger,
    verify_telegram,
    verify_viber,
)
from watchword.services.delivered_enrol import add_delivered_token
from watchword.services.env import Caller, Env
from watchword.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from watchword.services.transaction_delivery import handle_press
from watchword.store.uow import UnitOfWork

LINK_TTL = timedelta(minutes=10)
BOT_CHANNELS = ("telegram", "viber", "messenger")
LINKED_TEXT = "This chat now receives your {issuer} login codes."


@dataclass(frozen=True)
class Link:
    channel: str
    code: str
    url: str
    qr_svg: str
    expires_at: datetime


def hash_link_code(code: str) -> bytes:
    return hashlib.sha256(code.encode()).digest()


async def create_link(env: Env, caller: Caller, user_id: str, channel: str) -> Link:
    if channel not in BOT_CHANNELS:
        raise InvalidInput(f"channel must be one of {', '.join(BOT_CHANNELS)}")
    now = env.clock()
    code = secrets.token_urlsafe(24)  # 32 characters of A-Za-z0-9_-: fits every platform
    async with env.db.uow() as uow:
        if await uow.users.get(caller.tenant_id, user_id) is None:
            raise NotFound("no such user")
        cfg = await uow.channels.get(caller.tenant_id, channel)
        settings = cfg.settings if cfg else {}
        try:
            if channel == "telegram":
                url = links.telegram_link(str(settings["bot_username"]), code)
            elif channel == "viber":
                url = links.viber_link(str(settings["bot_uri"]), code)
            else:
                url = links.messenger_link(str(settings["page_id"]), code)
        except (KeyError, ValueError):
            raise Conflict(
                f"configure the {channel} channel's bot name first", "channel_not_configured"
            ) from None
        expires_at = now + LINK_TTL
        await uow.links.add(
            code_hash=hash_link_code(code),
            tenant_id=caller.tenant_id,
            user_id=user_id,
            channel=channel,
            created_at=now,
            expires_at=expires_at,
        )
        await uow.audit.add(
            caller.tenant_id,
            "link.create",
            now,
            actor=caller.key_id,
            target_type="user",
            target_id=user_id,
            detail={"channel": channel},
        )
    return Link(channel, code, url, links.qr_svg(url), expires_at)


async def handle_webhook(
    env: Env, tenant_id: str, channel: str, raw_body: bytes, headers: Mapping[str, str]
) -> int:
    """Check the signature, then apply the events; returns how many changed something."""
    async with env.db.uow() as uow:
        if await uow.tenants.get(tenant_id) is None:
            raise NotFound("no such tenant")
        cfg = await uow.channels.get(tenant_id, channel)
    creds = open_credentials(env.keyring, cfg) if cfg else {}
    if not _signed(channel, raw_body, headers, creds):
        raise Forbidden("webhook signature does not match", "bad_signature")
    try:
        events = _parse(channel, raw_body)
    except WebhookError as exc:
        raise InvalidInput(str(exc), "bad_webhook") from None
    changed = 0
    for event in events:
        if isinstance(event, ButtonPress):  # Confirm/Decline of a CWYS transaction
            changed += await handle_press(env, tenant_id, event, cfg.settings if cfg else {}, creds)
            continue
        async with env.db.uow() as uow:
            changed += await _apply(env, uow, tenant_id, event)
    return changed


async def handshake(env: Env, tenant_id: str, query: Mapping[str, str]) -> str:
    """Messenger's GET subscription check: the hub.challenge to echo."""
    async with env.db.uow() as uow:
        cfg = await uow.channels.get(tenant_id, "messenger")
    token = open_credentials(env.keyring, cfg).get("verify_token", "") if cfg else ""
    answer = messenger_handshake(query, token) if token else None
    if answer is None:
        raise Forbidden("verify token does not match", "bad_signature")
    return answer


def _signed(channel: str, raw: bytes, headers: Mapping[str, str], creds: dict[str, str]) -> bool:
    if channel == "telegram":
        secret = creds.get("webhook_secret")
        return bool(secret) and verify_telegram(
            headers.get("x-telegram-bot-api-secret-token"), str(secret)
        )
    if channel == "viber":
        token = creds.get("auth_token")
        return bool(token) and verify_viber(
            raw, headers.get("x-viber-content-signature"), str(token)
        )
    secret = creds.get("app_secret")
    return bool(secret) and verify_messenger(raw, headers.get("x-hub-signature-256"), str(secret))


def _parse(channel: str, raw: bytes) -> list[Event]:
    if channel == "telegram":
        return parse_telegram(raw)
    if channel == "viber":
        return parse_viber(raw)
    return parse_messenger(raw)


async def _apply(env: Env, uow: UnitOfWork, tenant_id: str, event: Event) -> int:
    now = env.clock()
    if isinstance(event, LinkStart):
        user_id = await uow.links.consume(
            tenant_id, event.channel, hash_link_code(event.link_code), now
        )
        user = await uow.users.get(tenant_id, user_id) if user_id else None
        if user is None:
            return 0  # unknown, used or expired code: nothing happens
        held = await uow.tokens.find(
            tenant_id, 1, None, user_id=user.id, kind=event.channel, destination=event.chat_id
        )
        if held.items:
            token_id = held.items[0].id
            await uow.reach.clear(token_id)  # linked again after blocking the bot
        else:
            token = await add_delivered_token(
                uow, tenant_id, user.id, user.login, event.channel, event.chat_id, now, None
            )
            token_id = token.id
        tenant = await uow.tenants.get(tenant_id)
        await enqueue(
            uow,
            env.keyring,
            tenant_id=tenant_id,
            hop=Hop(token_id, event.channel, event.chat_id),
            template="text",
            locale=user.locale or "en",
            values={"text": LINKED_TEXT.format(issuer=tenant.name if tenant else "Watchword")},
            now=now,
            fallback_after_s=None,
        )
        return 1
    if isinstance(event, Unsubscribed):
        found = await uow.tokens.find(
            tenant_id, 100, None, kind=event.channel, destination=event.chat_id
        )
        for token in found.items:
            await uow.reach.mark(tenant_id, token.id, "unsubscribed", now)
        return len(found.items)
    return 0
