"""Transaction messages through the delivery outbox, and settling them from the chat.

``OutboxTransactionSender`` is the real ``TransactionCodeSender``: inside the unit
of work that creates the transaction it queues the ``transaction`` template
(amount, currency, payee, code) on the transaction's token, so the transaction
and its message commit together (transactional outbox). On the bots the message
carries Confirm/Decline buttons whose callback data is ``tx:<token>:c|d``: the
token is 24 random bytes, per transaction, and only its hash is stored.

A press settles the transaction by one conditional UPDATE (store/
transaction_buttons.py): only the chat bound to the transaction's token, only
while pending and unexpired. The bot then answers: a follow-up message through
the outbox and, on Telegram, answerCallbackQuery and the keyboard removed.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from watchword.delivery.channels.base import DeliveryError
from watchword.delivery.channels.telegram import DEFAULT_BASE_URL, TelegramChannel
from watchword.delivery.outbox import DEFAULT_ORDER, enqueue
from watchword.delivery.templates import button_labels
from watchword.delivery.webhooks import ButtonPress
from watchword.services.challenge import route
from watchword.services.env import Env
from watchword.services.errors import Conflict
from watchword.services.transaction_codes import TransactionCode
from watchword.store.keyring import KeyRing
from watchword.store.records import Token
from watchword.store.transaction_buttons import DECLINED
from watchword.store.transactions import ACCEPTED
from watchword.store.uow import UnitOfWork

log = logging.getLogger(__name__)

BUTTON_CHANNELS = frozenset({"telegram", "viber", "messenger"})
SHOWN_FIELDS = ("amount", "currency", "payee")
PREFIX = "tx"
ACTIONS = {"c": ACCEPTED, "d": DECLINED}
ANSWERS = {ACCEPTED: "Confirmed", DECLINED: "Declined"}
NOT_OPEN = "This request is no longer open."


def hash_button_token(token: str) -> bytes:
    return hashlib.sha256(b"watchword-tx-button-v1\x00" + token.encode()).digest()


def callback_data(token: str, action: str) -> str:
    return f"{PREFIX}:{token}:{action}"


def parse_callback(data: str) -> tuple[str, str] | None:
    """(button token, new state) of ``tx:<token>:c|d``; None for anything else."""
    prefix, _, rest = data.partition(":")
    token, _, action = rest.rpartition(":")
    if prefix != PREFIX or not token or action not in ACTIONS:
        return None
    return token, ACTIONS[action]


class OutboxTransactionSender:
    """Queues the transaction's message in the caller's unit of work."""

    def __init__(self, keyring: KeyRing, clock: Callable[[], datetime]) -> None:
        self._keyring = keyring
        self._clock = clock

    async def send(self, uow: UnitOfWork, message: TransactionCode) -> None:
        now = self._clock()
        token = await uow.tokens.get(message.tenant_id, message.token_id)
        hops = route([token], DEFAULT_ORDER) if token is not None else []
        if not hops:
            raise Conflict("the signing token has no address to send to", "no_destination")
        hop = hops[0]
        user = await uow.users.get(message.tenant_id, message.user_id)
        locale = (user.locale if user else None) or "en"
        res = await uow.resources.get(message.tenant_id, message.resource_id)
        values: dict[str, Any] = {"issuer": res.name if res else "Watchword"}
        if all(name in message.data for name in SHOWN_FIELDS):
            template = "transaction"
            # As signed, not reformatted: the user confirms exactly what was signed.
            values.update({k: str(message.data[k]) for k in SHOWN_FIELDS}, code=message.code)
        else:
            template, values["text"] = "text", message.text()
        if hop.channel in BUTTON_CHANNELS:
            secret = secrets.token_urlsafe(24)
            await uow.transaction_buttons.add(
                hash_button_token(secret), message.tenant_id, message.transaction_id, now
            )
            confirm, decline = button_labels(locale)
            values["buttons"] = [
                [confirm, callback_data(secret, "c")],
                [decline, callback_data(secret, "d")],
            ]
        await enqueue(
            uow,
            self._keyring,
            tenant_id=message.tenant_id,
            hop=hop,
            template=template,
            locale=locale,
            values=values,
            now=now,
            fallback_after_s=None,
            resource_id=message.resource_id,
        )


async def handle_press(
    env: Env,
    tenant_id: str,
    event: ButtonPress,
    settings: dict[str, Any],
    creds: dict[str, str],
) -> int:
    """Settle the pressed transaction if this chat may; 1 if it changed, else 0."""
    parsed = parse_callback(event.callback_data)
    if parsed is None:
        return 0  # typed text on Viber, or a button of another flow
    secret, state = parsed
    settled = await _settle(env, tenant_id, event, hash_button_token(secret), state)
    if event.channel == "telegram" and event.callback_id:
        await _answer_telegram(event, settings, creds, ANSWERS[state] if settled else NOT_OPEN)
    return 1 if settled else 0


async def _settle(
    env: Env, tenant_id: str, event: ButtonPress, token_hash: bytes, state: str
) -> str | None:
    now = env.clock()
    async with env.db.uow() as uow:
        tx_id = await uow.transaction_buttons.transaction_of(tenant_id, token_hash)
        if tx_id is None:
            return None  # no such button: nothing to record
        settled = await uow.transaction_buttons.settle(
            tenant_id, token_hash, event.channel, event.chat_id, state, now
        )
        tx = await uow.transactions.get(tenant_id, tx_id)
        assert tx is not None
        token = await uow.tokens.get(tenant_id, tx.token_id)
        if settled is not None and state == ACCEPTED and token is not None:
            await uow.transactions.mark_token_used(token.id, now)
        reason = None if settled else _why_not(tx.state, tx.expired_at(now))
        await uow.audit.add(
            tenant_id,
            "transaction.confirm" if state == ACCEPTED else "transaction.decline",
            now,
            actor=f"{event.channel}:{event.chat_id}"[:64],
            target_type="transaction",
            target_id=tx.id,
            login=tx.login,
            result=("accepted" if state == ACCEPTED else "declined") if settled else "rejected",
            reason=reason or ("declined" if settled and state == DECLINED else None),
            detail={
                "token_id": tx.token_id,
                "channel": event.channel,
                "data": tx.data,
                "data_hash": tx.data_hash.hex(),
                "expires_at": tx.expires_at.isoformat(),
            },
        )
        if settled is not None and token is not None:
            await _follow_up(env, uow, token, tx.resource_id, ANSWERS[state], now)
    return settled


def _why_not(state: str, expired: bool) -> str:
    if state != "pending":
        return "replayed" if state == ACCEPTED else state
    return "expired" if expired else "wrong_chat"


async def _follow_up(
    env: Env, uow: UnitOfWork, token: Token, resource_id: str, text: str, now: datetime
) -> None:
    hops = route([token], DEFAULT_ORDER)
    if not hops:
        return
    await enqueue(
        uow,
        env.keyring,
        tenant_id=token.tenant_id,
        hop=hops[0],
        template="text",
        locale="en",
        values={"text": text},
        now=now,
        fallback_after_s=None,
        resource_id=resource_id,
    )


async def _answer_telegram(
    event: ButtonPress, settings: dict[str, Any], creds: dict[str, str], text: str
) -> None:
    """Stop the spinner and drop the keyboard; best effort, after the decision committed."""
    bot_token = creds.get("bot_token")
    if not bot_token or event.callback_id is None:
        return
    base = str(settings.get("api_base_url") or DEFAULT_BASE_URL)
    async with httpx.AsyncClient(timeout=5) as client:
        bot = TelegramChannel(bot_token, client, base_url=base)
        try:
            await bot.answer_callback(event.callback_id, text)
            if event.message_id is not None and text != NOT_OPEN:
                await bot.remove_buttons(event.chat_id, event.message_id)
        except (DeliveryError, httpx.HTTPError) as exc:
            log.warning("telegram answer to a button press failed: %s", exc)
