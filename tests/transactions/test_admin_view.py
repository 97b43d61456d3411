"""GET /transactions/{id} shows the state and the data, never a code; the audit keeps all."""

from datetime import timedelta

from tests.conftest import Api, Clock
from tests.transactions.setup import (
    PAYMENT,
    delivered_user,
    oath_response,
    ocra_user,
    seed_of,
    sign,
    started,
)
from watchword.services.transaction_codes import ListSender


async def test_a_new_transaction_reads_pending_with_its_data(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e, ip="203.0.113.7")
    view = (await api.get(f"/transactions/{tx['transaction_id']}")).json()
    assert view["state"] == "pending" and view["data"] == PAYMENT
    assert (
        view["login"] == "alice" and view["token_id"] == e.token_id and view["ip"] == "203.0.113.7"
    )


async def test_a_signed_transaction_reads_accepted(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    await sign(api, tx, oath_response("OCRA-1:HOTP-SHA1-6:QN08", seed_of(e), tx["challenge"]))
    view = (await api.get(f"/transactions/{tx['transaction_id']}")).json()
    assert view["state"] == "accepted" and view["decided_at"] is not None


async def test_an_old_pending_transaction_reads_expired(api: Api, clock: Clock) -> None:
    e = await ocra_user(api)
    clock.now = clock()
    tx = await started(api, e)
    clock.now += timedelta(seconds=400)
    assert (await api.get(f"/transactions/{tx['transaction_id']}")).json()["state"] == "expired"


async def test_the_view_of_a_delivered_transaction_holds_no_code(api: Api) -> None:
    outbox = ListSender()
    api.env.transaction_codes = outbox
    d = await delivered_user(api)
    r = await api.post(
        "/transactions", {"resource_id": d.resource_id, "login": d.login, "data": PAYMENT}
    )
    view = (await api.get(f"/transactions/{r.json()['transaction_id']}")).text
    assert outbox.messages[0].code not in view and "code" not in view


async def test_the_audit_keeps_data_hash_result_and_times(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    await sign(
        api,
        tx,
        oath_response("OCRA-1:HOTP-SHA1-6:QN08", seed_of(e), tx["challenge"]),
        ip="203.0.113.9",
    )
    created = (await api.get("/audit", action="transaction.create")).json()["items"]
    verified = (await api.get("/audit", action="transaction.verify")).json()["items"]
    assert created[0]["detail"]["data"] == PAYMENT and created[0]["detail"]["expires_at"]
    assert verified[0]["result"] == "accepted" and verified[0]["ip"] == "203.0.113.9"
    assert verified[0]["detail"]["data_hash"] == verified[0]["detail"]["signed_hash"]
    assert verified[0]["target_id"] == tx["transaction_id"]


async def test_a_refused_start_is_audited(api: Api) -> None:
    e = await ocra_user(api)
    await api.post(
        "/transactions", {"resource_id": e.resource_id, "login": "mallory", "data": PAYMENT}
    )
    [entry] = (await api.get("/audit", action="transaction.create")).json()["items"]
    assert entry["result"] == "rejected" and entry["reason"] == "unknown_user"
