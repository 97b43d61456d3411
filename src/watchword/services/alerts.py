"""Lock alerts: an EventSink that turns TokenLocked into a message on the user's channel.

``publish`` is called inside the verify transaction, so the alert is queued from a
task that opens its own unit of work (on SQLite it waits for the verify commit).
Bots are preferred (a linked chat), then the other delivered channels.
"""

import asyncio
from collections.abc import Callable
from datetime import datetime

from watchword.delivery.outbox import DEFAULT_ORDER, Hop, enqueue
from watchword.kinds import DELIVERED_KINDS
from watchword.policy.events import TokenLocked
from watchword.services.events import EventSink, NullSink
from watchword.store.keyring import KeyRing
from watchword.store.uow import Database


class LockAlertSink:
    def __init__(
        self,
        db: Database,
        keyring: KeyRing,
        clock: Callable[[], datetime],
        inner: EventSink | None = None,
    ) -> None:
        self._db = db
        self._keyring = keyring
        self._clock = clock
        self._inner = inner or NullSink()
        self._tasks: set[asyncio.Task[None]] = set()

    async def publish(self, event: object) -> None:
        await self._inner.publish(event)
        if isinstance(event, TokenLocked) and event.user_id and event.tenant_id:
            task = asyncio.create_task(self._alert(event))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for alerts still being queued (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _alert(self, event: TokenLocked) -> None:
        assert event.tenant_id is not None and event.user_id is not None
        now = self._clock()
        async with self._db.uow() as uow:
            locked = await uow.tokens.get(event.tenant_id, event.token_id)
            user = await uow.users.get(event.tenant_id, event.user_id)
            if locked is None or user is None:
                return
            held = await uow.tokens.find(event.tenant_id, 100, None, user_id=user.id)
            delivered = [
                t for t in held.items if t.kind in DELIVERED_KINDS and t.enabled and t.destination
            ]
            blocked = await uow.reach.unreachable_ids([t.id for t in delivered])
            ranked = sorted(
                (t for t in delivered if t.id not in blocked),
                key=lambda t: DEFAULT_ORDER.index(DELIVERED_KINDS[t.kind].channel),
            )
            if not ranked:
                return
            target = ranked[0]
            tenant = await uow.tenants.get(event.tenant_id)
            await enqueue(
                uow,
                self._keyring,
                tenant_id=event.tenant_id,
                hop=Hop(target.id, DELIVERED_KINDS[target.kind].channel, str(target.destination)),
                template="token_locked",
                locale=user.locale or "en",
                values={"issuer": tenant.name if tenant else "Watchword", "serial": locked.serial},
                now=now,
                fallback_after_s=None,
                resource_id=event.resource_id,
            )
