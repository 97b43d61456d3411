"""/orders: hardware-token orders and their lifecycle (admin)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from watchword.api.deps import AdminDep, EnvDep
from watchword.api.routes.paging import Cursor, Limit
from watchword.api.schemas import ListOut
from watchword.api.schemas_hardware import OrderIn, OrderOut, ShipIn
from watchword.orders import OrderAction, OrderState
from watchword.services import orders

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("", status_code=201, response_model=OrderOut)
async def create(body: OrderIn, env: EnvDep, caller: AdminDep, response: Response) -> OrderOut:
    req = orders.OrderRequest(
        model=body.model,
        address=body.shipping_address.model_dump(),
        idempotency_key=body.idempotency_key,
        login=body.login,
        user_id=body.user_id,
    )
    order, created = await orders.create_order(env, caller, req)
    if not created:
        response.status_code = 200
    return OrderOut.of(order)


@router.get("", response_model=ListOut[OrderOut])
async def list_(
    env: EnvDep,
    caller: AdminDep,
    state: Annotated[OrderState | None, Query()] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> ListOut[OrderOut]:
    page = await orders.list_orders(env, caller, limit, cursor, state.value if state else None)
    return ListOut[OrderOut](items=[OrderOut.of(o) for o in page.items], next=page.next)


@router.get("/{order_id}", response_model=OrderOut)
async def get(order_id: str, env: EnvDep, caller: AdminDep) -> OrderOut:
    order, stock = await orders.get_order(env, caller, order_id)
    # Only this admin read shows the address in clear.
    return OrderOut.of(order, orders.open_address(env, order), stock)


async def _act(env: EnvDep, caller: AdminDep, order_id: str, action: OrderAction) -> OrderOut:
    return OrderOut.of(await orders.act(env, caller, order_id, action))


@router.post("/{order_id}/pay", response_model=OrderOut)
async def pay(order_id: str, env: EnvDep, caller: AdminDep) -> OrderOut:
    return await _act(env, caller, order_id, OrderAction.PAY)


@router.post("/{order_id}/pick", response_model=OrderOut)
async def pick(order_id: str, env: EnvDep, caller: AdminDep) -> OrderOut:
    return await _act(env, caller, order_id, OrderAction.PICK)


@router.post("/{order_id}/ship", response_model=OrderOut)
async def ship(order_id: str, body: ShipIn, env: EnvDep, caller: AdminDep) -> OrderOut:
    order = await orders.act(
        env,
        caller,
        order_id,
        OrderAction.SHIP,
        carrier=body.carrier,
        tracking_number=body.tracking_number,
    )
    return OrderOut.of(order)


@router.post("/{order_id}/deliver", response_model=OrderOut)
async def deliver(order_id: str, env: EnvDep, caller: AdminDep) -> OrderOut:
    return await _act(env, caller, order_id, OrderAction.DELIVER)


@router.post("/{order_id}/cancel", response_model=OrderOut)
async def cancel(order_id: str, env: EnvDep, caller: AdminDep) -> OrderOut:
    return await _act(env, caller, order_id, OrderAction.CANCEL)


@router.post("/{order_id}/return", response_model=OrderOut)
async def return_(order_id: str, env: EnvDep, caller: AdminDep) -> OrderOut:
    return await _act(env, caller, order_id, OrderAction.RETURN)
