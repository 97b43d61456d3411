"""Another tenant's key sees nothing of a transaction: 404 on every endpoint."""

from tests.conftest import Api
from tests.transactions.setup import PAYMENT, oath_response, ocra_user, seed_of, sign, started


async def test_another_tenant_cannot_read_a_transaction(api: Api, other_tenant: Api) -> None:
    tx = await started(api, await ocra_user(api))
    r = await other_tenant.get(f"/transactions/{tx['transaction_id']}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


async def test_another_tenant_cannot_verify_a_transaction(api: Api, other_tenant: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    otp = oath_response("OCRA-1:HOTP-SHA1-6:QN08", seed_of(e), tx["challenge"])
    r = await other_tenant.post(
        f"/transactions/{tx['transaction_id']}/verify", {"otp": otp, "data": PAYMENT}
    )
    assert r.status_code == 404
    # ... and the owner can still sign it: nothing was spent.
    assert (await sign(api, tx, otp))["result"] == "accepted"


async def test_another_tenant_cannot_start_one_in_a_foreign_resource(
    api: Api, other_tenant: Api
) -> None:
    e = await ocra_user(api)
    r = await other_tenant.post(
        "/transactions", {"resource_id": e.resource_id, "login": e.login, "data": PAYMENT}
    )
    assert r.status_code == 404


async def test_another_tenant_cannot_name_a_foreign_token(api: Api, other_tenant: Api) -> None:
    e = await ocra_user(api)
    mine = await ocra_user(other_tenant)
    r = await other_tenant.post(
        "/transactions",
        {
            "resource_id": mine.resource_id,
            "login": mine.login,
            "data": PAYMENT,
            "token_id": e.token_id,
        },
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "no_token"
