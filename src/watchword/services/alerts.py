"""User alerts: an EventSink that turns events into a message on the user's channel.

- ``TokenLocked`` (too many wrong codes): the ``token_locked`` template.
- ``OrderEvent`` ``order.shipped``: the ``token_shipped`` template (carrier and
  tracking number), so the user knows their hardware token is on its way.

``publish`` may be called inside the caller's transaction (verify), so each
alert is queued from a task that opens its own unit of work (on SQLite it
waits for that commit). The target is the user's reachable delivered token in
delivery order (bots first); without one, the user's e-mail, else the console.
"""

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from watchword.delivery.outbox import DEFAULT_ORDER, Hop, enqueue
from watchword.kinds import DELIVERED_KINDS
from watchword.policy.events import TokenLocked
from watchword.services.events import EventSink, NullSink
from watchword.services.orders import OrderEvent
from watchword.store.keyring import KeyRing
from watchword.store.records import User
from watchword.store.uow import Database, UnitOfWork

# Order events that tell the user something: event name -> template.
ORDER_TEMPLATES = {"order.shipped": "token_shipped"}


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
            self._spawn(self._lock_alert(event))
        elif isinstance(event, OrderEvent) and event.user_id and event.name in ORDER_TEMPLATES:
            self._spawn(self._order_alert(event))

    async def drain(self) -> None:
        """Wait for alerts still being queued (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _spawn(self, work: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _lock_alert(self, event: TokenLocked) -> None:
        assert event.tenant_id is not None and event.user_id is not None
        async with self._db.uow() as uow:
            locked = await uow.tokens.get(event.tenant_id, event.token_id)
            user = await uow.users.get(event.tenant_id, event.user_id)
            if locked is None or user is None:
                return
            await self._notify(
                uow, user, "token_locked", {"serial": locked.serial}, event.resource_id
            )

    async def _order_alert(self, event: OrderEvent) -> None:
        assert event.user_id is not None
        async with self._db.uow() as uow:
            user = await uow.users.get(event.tenant_id, event.user_id)
            if user is None:
                return
            tracking = " ".join(p for p in (event.carrier, event.tracking_number) if p)
            values = {"serial": event.serial or "", "tracking": tracking or "-"}
            await self._notify(uow, user, ORDER_TEMPLATES[event.name], values, None)

    async def _notify(
        self,
        uow: UnitOfWork,
        user: User,
        template: str,
        values: dict[str, Any],
        resource_id: str | None,
    ) -> None:
        hop = await self._target(uow, user)
        if hop is None:
            return
        tenant = await uow.tenants.get(user.tenant_id)
        await enqueue(
            uow,
            self._keyring,
            tenant_id=user.tenant_id,
            hop=hop,
            template=template,
            locale=user.locale or "en",
            values={"issuer": tenant.name if tenant else "Watchword", **values},
            now=self._clock(),
            fallback_after_s=None,
            resource_id=resource_id,
        )

    async def _target(self, uow: UnitOfWork, user: User) -> Hop | None:
        held = await uow.tokens.find(user.tenant_id, 100, None, user_id=user.id)
        delivered = [
            t for t in held.items if t.kind in DELIVERED_KINDS and t.enabled and t.destination
        ]
        blocked = await uow.reach.unreachable_ids([t.id for t in delivered])
        ranked = sorted(
            (t for t in delivered if t.id not in blocked),
            key=lambda t: DEFAULT_ORDER.index(DELIVERED_KINDS[t.kind].channel),
        )
        if ranked:
            target = ranked[0]
            channel = DELIVERED_KINDS[target.kind].channel
            return Hop(target.id, channel, str(target.destination))
        if user.email:
            return Hop("", "email", user.email)
        return Hop("", "console", user.login)
