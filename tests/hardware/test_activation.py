"""POST /tokens/activate: a user proves they hold an unassigned hardware token."""

import asyncio
import base64

import pyotp
import pytest

from tests.conftest import Api
from tests.hardware.setup import (
    ADDRESS,
    FIG6_KEY,
    FIG7_PASSWORD,
    RFC_SECRET,
    member,
    upload_fixture,
    user,
)
from watchword.services.tenants import create_api_key

SERIAL = "987654321"
RFC = pyotp.HOTP(base64.b32encode(RFC_SECRET).decode(), digits=8)


async def activate(api: Api, otp: str, login: str = "alice", key: str | None = None) -> dict:
    r = await api.post("/tokens/activate", {"login": login, "serial": SERIAL, "otp": otp}, key=key)
    assert r.status_code == 200, r.text
    return dict(r.json())


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("rfc6030/figure3.pskcxml", {}),
        ("rfc6030/figure6.pskcxml", {"key": FIG6_KEY}),
        ("rfc6030/figure7.pskcxml", {"password": FIG7_PASSWORD}),
    ],
)
async def test_an_imported_rfc_token_activates_and_then_verifies_the_next_code(
    api: Api, name: str, form: dict[str, str]
) -> None:
    assert (await upload_fixture(api, name, **form)).status_code == 201
    resource_id, user_id = await member(api)
    done = await activate(api, RFC.at(0))
    assert done["result"] == "accepted"
    token = (await api.get(f"/tokens/{done['token_id']}")).json()
    assert token["user_id"] == user_id
    r = await api.post(
        "/auth/verify", {"resource_id": resource_id, "login": "alice", "otp": RFC.at(1)}
    )
    assert r.json()["result"] == "accepted"


async def test_an_auth_scope_key_may_activate(api: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml")
    await user(api)
    issued = await create_api_key(api.env, api.tenant_id, "auth")
    assert (await activate(api, RFC.at(0), key=issued.secret))["result"] == "accepted"


async def test_a_code_ahead_within_the_look_ahead_window_activates(api: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml")
    await user(api)
    assert (await activate(api, RFC.at(3)))["result"] == "accepted"


async def test_the_serial_with_a_wrong_code_is_not_enough(api: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml")
    await user(api)
    done = await activate(api, "00000000")
    assert done == {"result": "rejected", "reason": "invalid_otp", "token_id": done["token_id"]}
    [token] = (await api.get("/tokens", serial=SERIAL)).json()["items"]
    assert token["user_id"] is None and token["fail_count"] == 1


async def test_repeated_wrong_codes_lock_the_token(api: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml")
    await user(api)
    for _ in range(5):
        await activate(api, "00000000")
    assert (await activate(api, RFC.at(0)))["reason"] == "locked"


async def test_a_used_code_cannot_activate_again(api: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml")
    await user(api)
    await user(api, "bob")
    assert (await activate(api, RFC.at(0)))["result"] == "accepted"
    assert (await activate(api, RFC.at(1), login="bob"))["reason"] == "already_assigned"


async def test_two_users_racing_for_one_token_one_wins(api: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml")
    await user(api)
    await user(api, "bob")
    results = await asyncio.gather(activate(api, RFC.at(0)), activate(api, RFC.at(0), login="bob"))
    assert sorted(r["result"] for r in results) == ["accepted", "rejected"]


async def test_an_unknown_serial_is_rejected(api: Api) -> None:
    await user(api)
    assert (await activate(api, RFC.at(0)))["reason"] == "unknown_serial"


async def test_another_tenants_token_cannot_be_activated(api: Api, other_tenant: Api) -> None:
    await upload_fixture(other_tenant, "rfc6030/figure3.pskcxml")
    await user(api)
    assert (await activate(api, RFC.at(0)))["reason"] == "unknown_serial"


async def test_a_token_picked_for_another_users_order_cannot_be_taken(api: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml", model="C100")
    await user(api)
    await user(api, "bob")
    r = await api.post(
        "/orders",
        {
            "login": "bob",
            "model": "C100",
            "shipping_address": ADDRESS,
            "idempotency_key": "b1",
        },
    )
    oid = r.json()["id"]
    await api.post(f"/orders/{oid}/pay")
    assert (await api.post(f"/orders/{oid}/pick")).json()["serial"] == SERIAL
    assert (await activate(api, RFC.at(0)))["reason"] == "reserved"
    assert (await activate(api, RFC.at(0), login="bob"))["result"] == "accepted"
