"""/orders: create, pay, pick, ship, deliver, activate; refusals and races."""

import asyncio
import base64

import httpx
import pyotp
import pytest

from tests.conftest import Api
from tests.hardware.setup import ADDRESS, RFC_SECRET, order, upload_fixture, user
from watchword.orders import TRANSITIONS, OrderAction, OrderState
from watchword.services.events import ListSink
from watchword.store.hardware import orders as orders_table

SHIP = {"carrier": "DHL", "tracking_number": "JD0123"}


async def act(api: Api, order_id: str, action: str) -> httpx.Response:
    body = SHIP if action == "ship" else None
    return await api.post(f"/orders/{order_id}/{action}", body)


async def test_an_order_is_created_awaiting_payment(api: Api) -> None:
    await user(api)
    created = await order(api)
    assert created["state"] == "awaiting_payment" and created["serial"] is None


async def test_the_same_idempotency_key_returns_the_same_order_with_200(api: Api) -> None:
    await user(api)
    first = await order(api)
    body = {"login": "alice", "model": "C200", "shipping_address": ADDRESS, "idempotency_key": "k1"}
    again = await api.post("/orders", body)
    assert again.status_code == 200 and again.json()["id"] == first["id"]


async def test_concurrent_creation_with_one_key_makes_one_order(api: Api) -> None:
    await user(api)
    body = {"login": "alice", "model": "C200", "shipping_address": ADDRESS, "idempotency_key": "x"}
    results = await asyncio.gather(*(api.post("/orders", body) for _ in range(5)))
    assert len({r.json()["id"] for r in results}) == 1
    assert (await api.get("/orders")).json()["items"].__len__() == 1


async def test_the_address_is_stored_encrypted_and_shown_to_the_admin(api: Api) -> None:
    await user(api)
    created = await order(api)
    async with api.env.db.uow() as uow:
        row = (await uow.connection.execute(orders_table.select())).first()
    assert row is not None and b"Springfield" not in row.address
    got = (await api.get(f"/orders/{created['id']}")).json()
    assert got["shipping_address"]["city"] == "Springfield"
    listed = (await api.get("/orders")).json()["items"][0]
    assert listed["shipping_address"] is None


async def test_the_whole_path_ends_in_activation_by_the_user(api: Api) -> None:
    sink = ListSink()
    api.env.events = sink
    await upload_fixture(api, "rfc6030/figure3.pskcxml", model="C100")
    await user(api)
    oid = (await order(api, model="C100"))["id"]
    for action, state in [("pay", "paid"), ("pick", "picked"), ("ship", "shipped")]:
        r = await act(api, oid, action)
        assert r.status_code == 200, r.text
        assert r.json()["state"] == state
    assert (await api.get(f"/orders/{oid}")).json()["serial"] == "987654321"
    assert (await act(api, oid, "deliver")).json()["state"] == "delivered"
    hotp = pyotp.HOTP(base64.b32encode(RFC_SECRET).decode(), digits=8)
    done = await api.post(
        "/tokens/activate", {"login": "alice", "serial": "987654321", "otp": hotp.at(0)}
    )
    assert done.json()["result"] == "accepted"
    final = (await api.get(f"/orders/{oid}")).json()
    assert final["state"] == "activated" and final["carrier"] == "DHL"
    names = [e.name for e in sink.events]
    assert names == [
        "order.paid",
        "order.picked",
        "order.shipped",
        "order.delivered",
        "order.activated",
    ]
    audit = (await api.get("/audit", action="order.activated")).json()["items"]
    assert len(audit) == 1


async def test_an_order_without_stock_stays_paid_and_shows_no_stock(api: Api) -> None:
    await user(api)
    oid = (await order(api, model="NONE"))["id"]
    await act(api, oid, "pay")
    r = await act(api, oid, "pick")
    assert r.status_code == 409 and r.json()["error"]["code"] == "out_of_stock"
    got = (await api.get(f"/orders/{oid}")).json()
    assert got["state"] == "paid" and got["stock"] == 0
    pick_list = (await api.get("/orders", state="paid")).json()["items"]
    assert [o["id"] for o in pick_list] == [oid]


async def test_a_picked_token_leaves_the_stock_and_cancel_puts_it_back(api: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml", model="C100")
    await user(api)
    oid = (await order(api, model="C100"))["id"]
    await act(api, oid, "pay")
    await act(api, oid, "pick")
    assert (await api.get("/inventory/stock")).json() == {"models": {}}
    await act(api, oid, "cancel")
    assert (await api.get("/inventory/stock")).json() == {"models": {"C100": 1}}


async def test_two_concurrent_picks_of_the_last_token_one_wins(api: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml", model="C100")
    await user(api)
    ids = [(await order(api, model="C100", key=f"k{i}"))["id"] for i in range(2)]
    for oid in ids:
        await act(api, oid, "pay")
    results = await asyncio.gather(*(act(api, oid, "pick") for oid in ids))
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["error"]["code"] == "out_of_stock"


async def test_concurrent_picks_of_one_order_reserve_one_token(api: Api) -> None:
    await upload_fixture(api, "feitian/c200-mixed.pskcxml")
    await user(api)
    oid = (await order(api))["id"]
    await act(api, oid, "pay")
    results = await asyncio.gather(*(act(api, oid, "pick") for _ in range(4)))
    assert sorted(r.status_code for r in results) == [200, 409, 409, 409]
    assert (await api.get("/inventory/stock")).json() == {"models": {"C200": 3}}


PATH = ["pay", "pick", "ship", "deliver"]


def illegal_pairs() -> list[tuple[OrderState, OrderAction]]:
    reachable = [
        OrderState.AWAITING_PAYMENT,
        OrderState.PAID,
        OrderState.PICKED,
        OrderState.SHIPPED,
        OrderState.DELIVERED,
        OrderState.CANCELLED,
        OrderState.RETURNED,
    ]
    api_actions = [a for a in OrderAction if a is not OrderAction.ACTIVATE]
    return [(s, a) for s in reachable for a in api_actions if (s, a) not in TRANSITIONS]


async def order_in(api: Api, state: OrderState) -> str:
    oid = str((await order(api, model="C200"))["id"])
    steps = {
        OrderState.AWAITING_PAYMENT: [],
        OrderState.PAID: PATH[:1],
        OrderState.PICKED: PATH[:2],
        OrderState.SHIPPED: PATH[:3],
        OrderState.DELIVERED: PATH[:4],
        OrderState.CANCELLED: ["cancel"],
        OrderState.RETURNED: [*PATH[:3], "return"],
    }[state]
    for action in steps:
        r = await act(api, oid, action)
        assert r.status_code == 200, r.text
    return oid


@pytest.mark.parametrize(("state", "action"), illegal_pairs())
async def test_every_illegal_transition_is_409(
    api: Api, state: OrderState, action: OrderAction
) -> None:
    await upload_fixture(api, "feitian/c200-mixed.pskcxml")
    await user(api)
    oid = await order_in(api, state)
    r = await act(api, oid, action.value)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "illegal_transition"
    assert (await api.get(f"/orders/{oid}")).json()["state"] == state.value


async def test_another_tenants_order_is_404(api: Api, other_tenant: Api) -> None:
    await user(api)
    oid = (await order(api))["id"]
    assert (await other_tenant.get(f"/orders/{oid}")).status_code == 404
    assert (await other_tenant.post(f"/orders/{oid}/pay")).status_code == 404
    assert (await other_tenant.get("/orders")).json()["items"] == []


async def test_an_order_for_an_unknown_login_is_404(api: Api) -> None:
    body = {"login": "ghost", "model": "C200", "shipping_address": ADDRESS, "idempotency_key": "g"}
    assert (await api.post("/orders", body)).status_code == 404
