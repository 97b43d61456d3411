"""Data that cannot be signed is a 422 naming the problem, and starts nothing."""

import pytest

from tests.conftest import Api
from tests.transactions.setup import PAYMENT, ocra_user, started

BAD = {
    "float amount": {**PAYMENT, "amount": 100.5},
    "nested object": {**PAYMENT, "payee": {"iban": "UA21"}},
    "array": {**PAYMENT, "items": ["a"]},
    "missing payee": {"amount": "100.50", "currency": "EUR"},
    "boolean": {**PAYMENT, "urgent": True},
    "null": {**PAYMENT, "note": None},
    "signed amount": {**PAYMENT, "amount": "-1"},
    "bidi override": {**PAYMENT, "payee": "UA21\u202e1006"},
    "empty": {},
}


@pytest.mark.parametrize("case", list(BAD))
async def test_bad_data_is_422(api: Api, case: str) -> None:
    e = await ocra_user(api)
    r = await api.post(
        "/transactions", {"resource_id": e.resource_id, "login": e.login, "data": BAD[case]}
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_data"


async def test_the_error_names_the_missing_field(api: Api) -> None:
    e = await ocra_user(api)
    r = await api.post(
        "/transactions",
        {"resource_id": e.resource_id, "login": e.login, "data": BAD["missing payee"]},
    )
    assert "payee" in r.json()["error"]["message"]


async def test_a_resource_may_require_other_fields(api: Api) -> None:
    e = await ocra_user(api, policy={"required_data_keys": ["amount", "iban"]})
    r = await api.post(
        "/transactions", {"resource_id": e.resource_id, "login": e.login, "data": PAYMENT}
    )
    assert r.status_code == 422 and "iban" in r.json()["error"]["message"]


async def test_data_that_is_not_an_object_is_422(api: Api) -> None:
    e = await ocra_user(api)
    r = await api.post(
        "/transactions", {"resource_id": e.resource_id, "login": e.login, "data": "100.50 EUR"}
    )
    assert r.status_code == 422


async def test_bad_data_at_verify_is_422(api: Api) -> None:
    tx = await started(api, await ocra_user(api))
    r = await api.post(
        f"/transactions/{tx['transaction_id']}/verify",
        {"otp": "123456", "data": BAD["float amount"]},
    )
    assert r.status_code == 422


async def test_refused_data_leaves_no_transaction(api: Api) -> None:
    e = await ocra_user(api)
    await api.post(
        "/transactions",
        {"resource_id": e.resource_id, "login": e.login, "data": BAD["float amount"]},
    )
    assert (await api.get("/audit", action="transaction.create")).json()["items"] == []
