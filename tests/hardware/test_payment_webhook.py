"""POST /hooks/payments/{tenant_id}: signed, fresh, never replayed, idempotent."""

import json
import time

import httpx

from tests.conftest import Api
from tests.hardware.setup import order, user
from watchword.services.payments import sign

SECRET = "whsec_0123456789abcdef"


async def configure(api: Api, secret: str = SECRET) -> None:
    r = await api.client.put(
        "/api/v1/settings/payment-webhook", json={"secret": secret}, headers=api.headers()
    )
    assert r.status_code == 200, r.text


async def hook(
    api: Api,
    body: dict[str, str],
    *,
    secret: str = SECRET,
    at: float | None = None,
    tenant_id: str | None = None,
) -> httpx.Response:
    raw = json.dumps(body).encode()
    stamp = str(int(time.time() if at is None else at))
    return await api.client.post(
        f"/hooks/payments/{tenant_id or api.tenant_id}",
        content=raw,
        headers={
            "Content-Type": "application/json",
            "X-Watchword-Timestamp": stamp,
            "X-Watchword-Signature": sign(secret.encode(), stamp, raw),
        },
    )


async def unpaid(api: Api) -> str:
    await configure(api)
    await user(api)
    return str((await order(api))["id"])


async def state(api: Api, oid: str) -> str:
    return str((await api.get(f"/orders/{oid}")).json()["state"])


async def test_a_signed_callback_marks_the_order_paid(api: Api) -> None:
    oid = await unpaid(api)
    r = await hook(api, {"event_id": "ev1", "order_id": oid})
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "paid", "order_id": oid}
    assert await state(api, oid) == "paid"


async def test_a_second_event_for_a_paid_order_changes_nothing(api: Api) -> None:
    oid = await unpaid(api)
    await hook(api, {"event_id": "ev1", "order_id": oid})
    r = await hook(api, {"event_id": "ev2", "order_id": oid})
    assert r.status_code == 200 and r.json()["status"] == "already_paid"
    assert len((await api.get("/audit", action="order.paid")).json()["items"]) == 1


async def test_a_replayed_event_id_is_refused(api: Api) -> None:
    oid = await unpaid(api)
    await hook(api, {"event_id": "ev1", "order_id": oid})
    r = await hook(api, {"event_id": "ev1", "order_id": oid})
    assert r.status_code == 409 and r.json()["error"]["code"] == "replayed_event"


async def test_a_forged_signature_is_refused(api: Api) -> None:
    oid = await unpaid(api)
    r = await hook(api, {"event_id": "ev1", "order_id": oid}, secret="not-the-secret-at-all")
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_signature"
    assert await state(api, oid) == "awaiting_payment"


async def test_a_tampered_body_is_refused(api: Api) -> None:
    oid = await unpaid(api)
    raw = json.dumps({"event_id": "ev1", "order_id": oid}).encode()
    stamp = str(int(time.time()))
    r = await api.client.post(
        f"/hooks/payments/{api.tenant_id}",
        content=raw + b" ",
        headers={
            "X-Watchword-Timestamp": stamp,
            "X-Watchword-Signature": sign(SECRET.encode(), stamp, raw),
        },
    )
    assert r.status_code == 401


async def test_an_old_timestamp_is_refused(api: Api) -> None:
    oid = await unpaid(api)
    r = await hook(api, {"event_id": "ev1", "order_id": oid}, at=time.time() - 301)
    assert r.status_code == 401 and r.json()["error"]["code"] == "stale_timestamp"
    assert await state(api, oid) == "awaiting_payment"


async def test_a_refused_event_id_can_be_delivered_again_correctly(api: Api) -> None:
    oid = await unpaid(api)
    await hook(api, {"event_id": "ev1", "order_id": oid}, secret="not-the-secret-at-all")
    assert (await hook(api, {"event_id": "ev1", "order_id": oid})).json()["status"] == "paid"


async def test_another_tenants_order_cannot_be_paid_with_our_secret(
    api: Api, other_tenant: Api
) -> None:
    await configure(api)
    await user(other_tenant)
    theirs = (await order(other_tenant))["id"]
    r = await hook(api, {"event_id": "ev1", "order_id": theirs})
    assert r.status_code == 404
    assert await state(other_tenant, theirs) == "awaiting_payment"


async def test_a_tenant_without_a_secret_is_404(api: Api) -> None:
    r = await hook(api, {"event_id": "ev1", "order_id": "x"})
    assert r.status_code == 404


async def test_a_generated_secret_is_returned_once(api: Api) -> None:
    r = await api.client.put("/api/v1/settings/payment-webhook", json={}, headers=api.headers())
    assert r.status_code == 200 and len(r.json()["secret"]) >= 32
