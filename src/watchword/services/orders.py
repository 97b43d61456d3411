"""Hardware-token orders: create (idempotent), move through the lifecycle, pick stock.

The pure state machine (watchword.orders) decides whether an action is legal;
the store applies it with one UPDATE ``WHERE state = <state we decided from>``,
so two concurrent actions on one order cannot both succeed. Every transition
is audited in the same transaction and published as ``order.<state>``.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from watchword.orders import IllegalTransition, OrderAction, OrderState, step
from watchword.services.env import Caller, Env
from watchword.services.errors import Conflict, NotFound
from watchword.store.hardware import Order
from watchword.store.keyring import Sealed
from watchword.store.records import Page
from watchword.store.types import new_id
from watchword.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """Published on every transition; ``name`` is watchword.orders.EVENTS' name."""

    name: str
    tenant_id: str
    order_id: str
    user_id: str | None
    state: str
    serial: str | None = None
    carrier: str | None = None
    tracking_number: str | None = None


@dataclass(frozen=True)
class OrderRequest:
    model: str
    address: dict[str, Any]
    idempotency_key: str
    login: str | None = None
    user_id: str | None = None


def seal_address(env: Env, order_id: str, address: dict[str, Any]) -> Sealed:
    return env.keyring.seal(json.dumps(address).encode(), aad=f"order:{order_id}")


def open_address(env: Env, order: Order) -> dict[str, Any]:
    plain = env.keyring.open(Sealed(order.address_key_id, order.address), aad=f"order:{order.id}")
    result: dict[str, Any] = json.loads(plain)
    return result


async def create_order(env: Env, caller: Caller, req: OrderRequest) -> tuple[Order, bool]:
    """The order, and whether it was created now (False: the key was used before)."""
    now = env.clock()
    order_id = new_id()
    sealed = seal_address(env, order_id, req.address)
    async with env.db.uow() as uow:
        known = await uow.orders.by_key(caller.tenant_id, req.idempotency_key)
        if known is not None:
            return known, False
        user = (
            await uow.users.get(caller.tenant_id, req.user_id)
            if req.user_id
            else await uow.users.by_login(caller.tenant_id, req.login or "")
        )
        if user is None:
            raise NotFound("no such user")
        added = await uow.orders.add(
            id=order_id,
            tenant_id=caller.tenant_id,
            user_id=user.id,
            model=req.model,
            state=OrderState.AWAITING_PAYMENT.value,
            idempotency_key=req.idempotency_key,
            address=sealed.blob,
            address_key_id=sealed.key_id,
            created_at=now,
            updated_at=now,
        )
        if not added:
            # A concurrent request with the same key created it first.
            known = await uow.orders.by_key(caller.tenant_id, req.idempotency_key)
            assert known is not None
            return known, False
        await audit(uow, caller.tenant_id, caller.key_id, "order.create", order_id, now)
        order = await uow.orders.get(caller.tenant_id, order_id)
    assert order is not None
    return order, True


async def get_order(env: Env, caller: Caller, order_id: str) -> tuple[Order, int]:
    """The order and the stock of its model (what a picker can reserve now)."""
    async with env.db.uow() as uow:
        order = await uow.orders.get(caller.tenant_id, order_id)
        if order is None:
            raise NotFound("no such order")
        return order, await uow.batches.stock_of(caller.tenant_id, order.model)


async def list_orders(
    env: Env, caller: Caller, limit: int, cursor: str | None, state: str | None
) -> Page:
    async with env.db.uow() as uow:
        return await uow.orders.find(caller.tenant_id, limit, cursor, state)


async def act(env: Env, caller: Caller, order_id: str, action: OrderAction, **values: Any) -> Order:
    """Apply one lifecycle action; 409 ``illegal_transition`` or ``out_of_stock``."""
    now = env.clock()
    async with env.db.uow() as uow:
        order = await uow.orders.get(caller.tenant_id, order_id)
        if order is None:
            raise NotFound("no such order")
        moved = await move(uow, order, action, now, caller.key_id, **values)
    await env.events.publish(event_of(moved))
    return moved


async def move(
    uow: UnitOfWork,
    order: Order,
    action: OrderAction,
    now: datetime,
    actor: str | None,
    **values: Any,
) -> Order:
    """Transition ``order`` inside ``uow``; the caller publishes the event after commit."""
    try:
        nxt = step(order.state, action)
    except IllegalTransition as exc:
        raise Conflict(str(exc), exc.code) from None
    if action is OrderAction.PICK:
        held = await uow.batches.reserve(order.tenant_id, order.model, order.id)
        if held is None:
            raise Conflict(f"no {order.model!r} token left in stock", "out_of_stock")
        values = {**values, "token_id": held[0], "serial": held[1]}
    if action in (OrderAction.CANCEL, OrderAction.RETURN):
        await uow.batches.release(order.id)
    if not await uow.orders.move(
        order.tenant_id, order.id, order.state, nxt.state.value, now, **values
    ):
        # Another request moved the order first: our decision is stale.
        raise Conflict(f"the order is no longer {order.state!r}", "illegal_transition")
    await audit(uow, order.tenant_id, actor, nxt.event, order.id, now, {"from": order.state})
    moved = await uow.orders.get(order.tenant_id, order.id)
    assert moved is not None
    return moved


def event_of(order: Order) -> OrderEvent:
    return OrderEvent(
        name=f"order.{order.state}",
        tenant_id=order.tenant_id,
        order_id=order.id,
        user_id=order.user_id,
        state=order.state,
        serial=order.serial,
        carrier=order.carrier,
        tracking_number=order.tracking_number,
    )


async def audit(
    uow: UnitOfWork,
    tenant_id: str,
    actor: str | None,
    action: str,
    order_id: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    await uow.audit.add(
        tenant_id, action, now, actor=actor, target_type="order", target_id=order_id, detail=detail
    )
