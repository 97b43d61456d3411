"""OCRA keypad tokens: the challenge is digits the user reads in the data."""

import base64

from tests.conftest import Api
from tests.transactions.setup import PAYMENT, oath_response, ocra_user, sign, started

SUITE = "OCRA-1:HOTP-SHA1-6:QN10"
SEED = bytes(range(20))
KEYPAD = {"cwys": {"keypad_template": "{payee:last4}{amount}"}}


async def device(api: Api, policy=KEYPAD):  # type: ignore[no-untyped-def]
    # A programmable device: its seed is burnt in, so it has a keypad, not a camera.
    return await ocra_user(
        api, suite=SUITE, policy=policy, secret_b32=base64.b32encode(SEED).decode()
    )


async def test_a_device_token_gets_the_digits_of_the_template(api: Api) -> None:
    tx = await started(api, await device(api))
    assert tx["challenge"] == "600110050"
    assert tx["qr_payload"] is None


async def test_the_response_to_the_keypad_digits_is_accepted(api: Api) -> None:
    tx = await started(api, await device(api))
    assert (await sign(api, tx, oath_response(SUITE, SEED, "600110050")))["result"] == "accepted"


async def test_a_changed_amount_fails_even_with_the_right_response(api: Api) -> None:
    tx = await started(api, await device(api))
    otp = oath_response(SUITE, SEED, "600110050")
    assert (await sign(api, tx, otp, {**PAYMENT, "amount": "100.51"}))["reason"] == "data_mismatch"


async def test_an_app_token_in_a_keypad_resource_still_gets_a_hashed_challenge(api: Api) -> None:
    e = await ocra_user(api, suite=SUITE, policy=KEYPAD)
    tx = await started(api, e)
    assert tx["challenge"] != "600110050" and tx["qr_payload"] is not None


async def test_a_device_without_a_template_gets_a_hashed_challenge(api: Api) -> None:
    tx = await started(api, await device(api, policy={}))
    assert len(tx["challenge"]) == 10 and tx["challenge"] != "600110050"


async def test_data_without_the_template_field_is_refused(api: Api) -> None:
    policy = {"cwys": {"keypad_template": "{iban:last4}{amount}"}, "required_data_keys": ["amount"]}
    e = await device(api, policy=policy)
    r = await api.post(
        "/transactions", {"resource_id": e.resource_id, "login": e.login, "data": {"amount": "5"}}
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_data"
    assert "iban" in r.json()["error"]["message"]


async def test_a_malformed_template_is_refused_in_the_policy(api: Api) -> None:
    r = await api.post(
        "/resources", {"name": "x", "policy": {"cwys": {"keypad_template": "{payee:middle}"}}}
    )
    assert r.status_code == 422
