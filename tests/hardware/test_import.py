"""POST /tokens/import: vendor seed files become unassigned hardware tokens."""

import pytest

from tests.conftest import Api
from tests.hardware.setup import (
    FIG6_KEY,
    FIG7_PASSWORD,
    csv_file,
    token_count,
    upload,
    upload_fixture,
)
from watchword.services.tenants import create_api_key

FIGURES = [
    ("rfc6030/figure3.pskcxml", {}),
    ("rfc6030/figure6.pskcxml", {"key": FIG6_KEY}),
    ("rfc6030/figure7.pskcxml", {"password": FIG7_PASSWORD}),
]


@pytest.mark.parametrize(("name", "form"), FIGURES)
async def test_rfc6030_figures_import_as_one_unassigned_hardware_token(
    api: Api, name: str, form: dict[str, str]
) -> None:
    r = await upload_fixture(api, name, **form)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["imported"] == 1 and body["serials"] == ["987654321"] and body["skipped"] == []
    [token] = (await api.get("/tokens", serial="987654321")).json()["items"]
    assert token["origin"] == "hardware" and token["user_id"] is None
    assert token["batch_id"] == body["batch_id"] and token["digits"] == 8


async def test_a_seed_under_128_bits_is_skipped_as_too_short(api: Api) -> None:
    r = await upload_fixture(api, "rfc6030/figure2.pskcxml")
    assert r.status_code == 201, r.text
    assert r.json()["imported"] == 0
    assert r.json()["skipped"] == [{"serial": "12345678", "reason": "secret_too_short"}]


async def test_a_serial_the_tenant_has_is_skipped_not_overwritten(api: Api) -> None:
    first = await upload_fixture(api, "rfc6030/figure3.pskcxml")
    again = await upload_fixture(api, "rfc6030/figure6.pskcxml", key=FIG6_KEY)
    assert again.status_code == 201
    assert again.json()["skipped"] == [{"serial": "987654321", "reason": "serial_exists"}]
    [token] = (await api.get("/tokens", serial="987654321")).json()["items"]
    assert token["batch_id"] == first.json()["batch_id"]


async def test_another_tenant_may_import_the_same_serial(api: Api, other_tenant: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml")
    r = await upload_fixture(other_tenant, "rfc6030/figure3.pskcxml")
    assert r.json()["imported"] == 1


async def test_a_vendor_batch_keeps_model_and_lists_skipped_records(api: Api) -> None:
    r = await upload_fixture(api, "feitian/c200-mixed.pskcxml")
    body = r.json()
    assert body["imported"] == 4
    assert body["skipped"] == [{"serial": "FT0003001", "reason": "unsupported_algorithm"}]
    assert await token_count(api, model="C200", assigned="false") == 4
    assert await token_count(api, batch_id=body["batch_id"]) == 4


async def test_the_form_model_overrides_the_files(api: Api) -> None:
    await upload_fixture(api, "rfc6030/figure3.pskcxml", model="OTP-C100")
    assert await token_count(api, model="OTP-C100") == 1


async def test_a_csv_file_imports(api: Api) -> None:
    data = csv_file([("CSV-1", "3132333435363738393031323334353637383930"), ("CSV-2", "00" * 20)])
    r = await upload(api, data, "seeds.csv", model="CSV")
    assert r.status_code == 201, r.text
    assert r.json()["serials"] == ["CSV-1", "CSV-2"]


async def test_inventory_stock_counts_unassigned_tokens_per_model(api: Api) -> None:
    await upload_fixture(api, "feitian/c200-mixed.pskcxml")
    await upload_fixture(api, "rfc6030/figure3.pskcxml", model="C100")
    r = await api.get("/inventory/stock")
    assert r.json() == {"models": {"C200": 4, "C100": 1}}


async def test_import_needs_an_admin_key(api: Api) -> None:
    issued = await create_api_key(api.env, api.tenant_id, "auth")
    r = await upload(api, b"serial,secret\nX,00", "x.csv", api_key=issued.secret)
    assert r.status_code == 403
    assert await token_count(api) == 0


async def test_inventory_and_stock_are_per_tenant(api: Api, other_tenant: Api) -> None:
    await upload_fixture(api, "feitian/c200-mixed.pskcxml")
    assert (await other_tenant.get("/inventory/stock")).json() == {"models": {}}
    assert await token_count(other_tenant, assigned="false") == 0
