"""The delivery worker: claim due outbox rows, send them, record what happened.

Claiming is a compare-and-set (``queued`` -> ``sending`` with a lease), after
``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so any number of workers
can run. The platforms' send limits are paced in the database (store/pacing.py),
so they hold for a bot however many workers send for it. The send itself happens
outside any transaction. A message that cannot
go (permanent error, blocked recipient, channel not configured, or still failing
at its ``fallback_at``) is marked failed and the SAME code is queued on the next
hop of its challenge's route.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx

from watchword.delivery.channels.base import (
    Channel,
    DeliveryError,
    PermanentError,
    RecipientBlocked,
    TransientError,
)
from watchword.delivery.channels.console import ConsoleStore, MemoryConsoleStore
from watchword.delivery.dispatch import choose_hop, record_refused
from watchword.delivery.message import Button, OutboundMessage
from watchword.delivery.outbox import MAX_SENDS, enqueue, following, open_payload
from watchword.delivery.pricing import PriceTable
from watchword.delivery.ratelimit import PACES, ChannelPace
from watchword.delivery.registry import NotConfigured, build_channel, open_credentials, price_table
from watchword.delivery.templates import render
from watchword.store.delivery import LEASE_LAPSED, OutboxMessage
from watchword.store.keyring import KeyRing
from watchword.store.uow import Database

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
FORGET_PACING = timedelta(hours=1)  # slot rows idle this long are dropped
MAX_BACKOFF_S = 300.0
PRUNE_EVERY = timedelta(hours=1)
MAX_PASSES = 10  # a fallback queues a new due row; follow it within one run


def backoff(attempts: int) -> float:
    """1, 2, 4 ... seconds, capped."""
    return float(min(MAX_BACKOFF_S, 2 ** max(0, attempts - 1)))


class Worker:
    def __init__(
        self,
        db: Database,
        keyring: KeyRing,
        clock: Callable[[], datetime],
        client: httpx.AsyncClient,
        *,
        console: ConsoleStore | None = None,
        batch: int = 20,
    ) -> None:
        self._db = db
        self._keyring = keyring
        self._clock = clock
        self._client = client
        self._console = console or MemoryConsoleStore()
        self._batch = batch
        self._pruned_at: datetime | None = None
        self._tidied_at: datetime | None = None
        self._held: dict[str, int] = {}  # messages held back per bot in this run

    async def run_once(self) -> int:
        """Send everything due now; return how many messages were handled."""
        handled = 0
        await self._prune_counters(self._clock())
        await self._tidy(self._clock())
        self._held = {}
        for _ in range(MAX_PASSES):
            now = self._clock()
            async with self._db.uow() as uow:
                due = await uow.outbox.due(now, self._batch)
                lease = now + LEASE
                claimed = [i for i in due if await uow.outbox.claim(i, now, lease)]
            if not claimed:
                break
            for message_id in claimed:
                await self._deliver(message_id, lease)
                handled += 1
        return handled

    async def _prune_counters(self, now: datetime) -> None:
        # The SMS limit counters of windows that are over are no longer needed.
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        async with self._db.uow() as uow:
            await uow.send_counters.prune(now)

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Loop until ``stop`` is set; errors are logged, never fatal."""
        while not stop.is_set():
            pause = interval
            try:
                # A backlog is worked off without pauses; when idle, wake for the
                # next row due (a message held back for the rate limit, a retry).
                pause = 0.0 if await self.run_once() else await self._idle_for(interval)
            except Exception:
                log.exception("delivery worker pass failed")
            if pause > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=pause)

    async def _idle_for(self, interval: float) -> float:
        async with self._db.uow() as uow:
            due = await uow.outbox.next_due()
        if due is None:
            return interval
        return min(interval, max(0.005, (due - self._clock()).total_seconds()))

    async def _deliver(self, message_id: str, lease: datetime) -> None:
        now = self._clock()
        async with self._db.uow() as uow:
            # The batch was claimed together; a full lease from now covers this send
            # (the HTTP client's timeout is far shorter), and if the lease lapsed
            # meanwhile and another worker took the row, it is theirs to send.
            if not await uow.outbox.renew(message_id, lease, now + LEASE):
                return
            msg = await uow.outbox.get(message_id)
            assert msg is not None
            challenge = (
                await uow.challenges.get(msg.tenant_id, msg.challenge_id)
                if msg.challenge_id
                else None
            )
            configs = {c.channel: c for c in await uow.channels.all(msg.tenant_id)}
        if challenge is not None and (challenge.state != "pending" or challenge.expires_at <= now):
            await self._finish(msg, "failed", last_error="challenge closed before sending")
            return
        cfg = configs.get(msg.channel)
        prices = price_table({c: cfg.settings for c, cfg in configs.items()})
        try:
            if cfg is None and msg.channel != "console":
                raise NotConfigured(f"channel {msg.channel} is not configured")
            settings = cfg.settings if cfg else {}
            creds = open_credentials(self._keyring, cfg) if cfg else {}
            channel = build_channel(
                msg.channel, settings, creds, self._client, self._console, self._clock
            )
        except NotConfigured as exc:
            await self._fall_back(msg, str(exc), blocked=False)
            return
        pace = PACES.get(msg.channel)
        if pace is not None:
            wait = await self._take_slot(msg, pace, now)
            if wait > 0:  # the platform's limit: come back later, attempt not spent
                # Held-back rows of one bot get successive slots, not one moment
                # they would all be claimed at again.
                ahead = self._held.get(bot_key(msg), 0)
                self._held[bot_key(msg)] = ahead + 1
                await self._finish(
                    msg,
                    "queued",
                    next_attempt_at=now + timedelta(seconds=wait + ahead * pace.bot.interval),
                    attempts=msg.attempts - 1,
                )
                return
        await self._send(msg, channel, prices, now)

    async def _send(
        self,
        msg: OutboxMessage,
        channel: Channel,
        prices: PriceTable,
        now: datetime,
    ) -> None:
        values = open_payload(self._keyring, msg)
        text = message_text(msg, values)
        outbound = OutboundMessage(
            channel=msg.channel,
            destination=msg.destination,
            text=text,
            # Confirm/Decline of a transaction message: [[label, callback data], ...].
            buttons=tuple(
                Button(str(label), str(data)) for label, data in values.get("buttons", ())
            ),
            locale=msg.locale,
            idempotency_key=msg.id,
            subject=f"{values.get('issuer', 'Watchword')} code",
        )
        try:
            receipt = await channel.send(outbound)
        except TransientError as exc:
            retry = exc.retry_after if exc.retry_after is not None else backoff(msg.attempts)
            if exc.retry_after is not None and msg.channel in PACES:
                async with self._db.uow() as uow:  # the whole bot waits, in every worker
                    await uow.pacing.pause(bot_key(msg), now.timestamp() + exc.retry_after)
            again = now + timedelta(seconds=retry)
            if msg.fallback_at is not None and again >= msg.fallback_at:
                await self._fall_back(msg, _error(exc), blocked=False)
            else:
                await self._finish(msg, "queued", next_attempt_at=again, last_error=_error(exc))
            return
        except RecipientBlocked as exc:
            await self._fall_back(msg, _error(exc), blocked=True)
            return
        except PermanentError as exc:
            await self._fall_back(msg, _error(exc), blocked=False)
            return
        price = (
            receipt.cost if receipt.cost is not None else prices.price(msg.channel, msg.destination)
        )
        await self._finish(
            msg,
            "sent",
            provider_id=receipt.provider_message_id[:128],
            sent_at=now,
            price=str(price) if price is not None else None,
            currency=prices.currency,
            country=country_of(msg, prices),
            # A lapsed lease taken over stays on the ledger: possibly two sends.
            last_error=msg.last_error if msg.last_error == LEASE_LAPSED else None,
        )

    async def _take_slot(self, msg: OutboxMessage, pace: ChannelPace, now: datetime) -> float:
        """A slot of the chat and of the bot, both or neither: 0, or seconds to wait."""
        t = now.timestamp()
        chat = f"{bot_key(msg)}:{msg.destination}"
        async with self._db.uow() as uow:
            # Always chat row, then bot row: two workers never lock them crosswise.
            wait = await uow.pacing.take(chat, t, pace.chat.interval, pace.chat.tolerance)
            if wait > 0:
                return wait
            wait = await uow.pacing.take(bot_key(msg), t, pace.bot.interval, pace.bot.tolerance)
            if wait > 0:
                await uow.pacing.give_back(chat, pace.chat.interval)
            return wait

    async def _tidy(self, now: datetime) -> None:
        if self._tidied_at is not None and now - self._tidied_at < timedelta(minutes=1):
            return
        self._tidied_at = now
        async with self._db.uow() as uow:
            await uow.pacing.forget((now - FORGET_PACING).timestamp())

    async def _finish(self, msg: OutboxMessage, state: str, **values: object) -> None:
        async with self._db.uow() as uow:
            await uow.outbox.finish(msg.id, state, lease=msg.lease_until, **values)

    async def _fall_back(self, msg: OutboxMessage, error: str, *, blocked: bool) -> None:
        """Fail this row and queue the same code on the next reachable hop, atomically."""
        now = self._clock()
        async with self._db.uow() as uow:
            done = await uow.outbox.finish(
                msg.id, "failed", lease=msg.lease_until, last_error=error[:255]
            )
            if not done:
                return  # another worker took the row over after our lease ran out
            if blocked and msg.token_id:
                await uow.reach.mark(msg.tenant_id, msg.token_id, error, now)
            if msg.challenge_id is None:
                return
            ch = await uow.challenges.get(msg.tenant_id, msg.challenge_id)
            if ch is None or ch.state != "pending" or ch.expires_at <= now:
                return
            if ch.sends >= MAX_SENDS:
                log.warning("challenge %s: send limit reached after %s", ch.id, error)
                return
            skip = await uow.reach.unreachable_ids([h["token_id"] for h in ch.route])
            rest = following(ch.route, msg.token_id, skip | {msg.token_id or ""})
            choice = await choose_hop(uow, msg.tenant_id, ch.user_id, rest, now)
            values = open_payload(self._keyring, msg)
            await record_refused(
                uow,
                self._keyring,
                choice.refused,
                tenant_id=msg.tenant_id,
                template=msg.template,
                locale=msg.locale,
                values=values,
                now=now,
                challenge_id=ch.id,
                resource_id=msg.resource_id,
            )
            hop = choice.hop
            if hop is None or not await uow.challenges.count_send(ch.id, MAX_SENDS):
                log.warning("challenge %s: no channel left after %s", ch.id, error)
                return
            await enqueue(
                uow,
                self._keyring,
                tenant_id=msg.tenant_id,
                hop=hop,
                template=msg.template,
                locale=msg.locale,
                values=values,
                now=now,
                fallback_after_s=ch.fallback_after_s,
                challenge_id=ch.id,
                resource_id=msg.resource_id,
            )
            await uow.challenges.retarget(ch.id, hop.token_id)


def bot_key(msg: OutboxMessage) -> str:
    """Each tenant's channel config is its own bot (page, sender): its limit's key."""
    return f"{msg.tenant_id}:{msg.channel}"


def message_text(msg: OutboxMessage, values: dict[str, Any]) -> str:
    """Template "text" carries its text ready-made (bot confirmations); others render."""
    if msg.template == "text":
        return str(values["text"])
    return render(msg.template, msg.locale, **values)


def country_of(msg: OutboxMessage, prices: PriceTable) -> str | None:
    """For SMS, the calling-code prefix that priced the message (the cost ledger's key)."""
    if msg.channel != "sms":
        return None
    digits = msg.destination.lstrip("+")
    for length in range(min(len(digits), 7), 0, -1):
        if digits[:length] in prices.sms:
            return digits[:length]
    return None


def _error(exc: DeliveryError) -> str:
    return f"{type(exc).__name__}: {exc.raw_status or exc}"[:255]
