"""HOTP/TOTP cannot bind the data: refused under cwys_required, else bound: false."""

from tests.api.setup import enrolled
from tests.conftest import Api
from tests.transactions.setup import sign, start, started


async def test_totp_is_kind_denied_when_the_resource_requires_cwys(api: Api) -> None:
    e = await enrolled(api, policy={"cwys_required": True})
    r = await start(api, e)
    assert r.status_code == 403 and r.json()["error"]["code"] == "kind_denied"


async def test_totp_starts_an_unbound_transaction_otherwise(api: Api) -> None:
    e = await enrolled(api)
    tx = await started(api, e)
    assert tx["bound"] is False and tx["kind"] == "totp" and tx["challenge"] is None


async def test_a_totp_code_signs_an_unbound_transaction_once(api: Api) -> None:
    e = await enrolled(api)
    tx = await started(api, e)
    code = e.totp().now()
    assert (await sign(api, tx, code))["result"] == "accepted"
    # The same code is spent for logins too: the token's step moved.
    r = await api.post(
        "/auth/verify", {"resource_id": e.resource_id, "login": e.login, "otp": code}
    )
    assert r.json()["reason"] == "replayed"


async def test_hotp_signs_through_its_counter(api: Api) -> None:
    e = await enrolled(api, kind="hotp")
    first, second = await started(api, e), await started(api, e)
    assert (await sign(api, first, e.hotp().at(0)))["result"] == "accepted"
    assert (await sign(api, second, e.hotp().at(0)))["reason"] == "replayed"
    assert (await sign(api, second, e.hotp().at(1)))["result"] == "accepted"


async def test_an_ocra_token_is_preferred_to_totp(api: Api) -> None:
    e = await enrolled(api)
    ocra = await api.post("/tokens", {"kind": "ocra", "user_id": e.user_id})
    tx = await started(api, e)
    assert tx["token_id"] == ocra.json()["token"]["id"] and tx["bound"] is True


async def test_cwys_required_picks_the_binding_token_of_two(api: Api) -> None:
    e = await enrolled(api, policy={"cwys_required": True})
    await api.post("/tokens", {"kind": "ocra", "user_id": e.user_id})
    assert (await started(api, e))["kind"] == "ocra"


async def test_naming_the_totp_token_under_cwys_required_is_kind_denied(api: Api) -> None:
    e = await enrolled(api, policy={"cwys_required": True})
    await api.post("/tokens", {"kind": "ocra", "user_id": e.user_id})
    r = await start(api, e, token_id=e.token_id)
    assert r.json()["error"]["code"] == "kind_denied"


async def test_an_unbound_transaction_is_refused_once_cwys_becomes_required(api: Api) -> None:
    e = await enrolled(api)
    tx = await started(api, e)
    await api.patch(f"/resources/{e.resource_id}", {"policy": {"cwys_required": True}})
    assert (await sign(api, tx, e.totp().now()))["reason"] == "kind_denied"
