"""Hostile or broken seed files through the API: a clear 4xx and nothing imported."""

import pytest

from tests.conftest import Api
from tests.hardware.setup import FIG6_KEY, token_count, upload, upload_fixture

REFUSED = [
    ("invalid/external-entity.pskcxml", {}, "external_entity"),
    ("invalid/billion-laughs.pskcxml", {}, "entity_declaration"),
    ("invalid/figure6-altered-mac.pskcxml", {"key": FIG6_KEY}, "mac_mismatch"),
    ("rfc6030/figure7.pskcxml", {"password": "not-qwerty"}, "wrong_password"),
    ("rfc6030/figure6.pskcxml", {"key": "00" * 16}, "wrong_key"),
    ("rfc6030/figure6.pskcxml", {}, "key_required"),
    ("invalid/truncated.pskcxml", {}, "truncated"),
    ("invalid/not-xml.pskcxml", {}, "not_xml"),
]


@pytest.mark.parametrize(("name", "form", "code"), REFUSED)
async def test_a_refused_file_is_a_422_with_the_parsers_code_and_imports_nothing(
    api: Api, name: str, form: dict[str, str], code: str
) -> None:
    r = await upload_fixture(api, name, **form)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == code
    assert await token_count(api) == 0


async def test_a_50_mb_file_is_refused_with_413(api: Api) -> None:
    r = await upload(api, b"A" * (50 * 1024 * 1024), "huge.pskcxml")
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"
    assert await token_count(api) == 0


async def test_a_file_over_1_mib_is_accepted_on_the_import_route(api: Api) -> None:
    rows = "\n".join(f"SER{i:07d},{i:040x}" for i in range(21_000))
    data = f"serial,secret\n{rows}\n".encode()
    assert len(data) > 1024 * 1024
    r = await upload(api, data, "big.csv")
    assert r.status_code == 201, r.text
    assert r.json()["imported"] == 21_000


async def test_other_routes_keep_the_1_mib_body_limit(api: Api) -> None:
    r = await api.post("/users", {"login": "x", "display_name": "y" * (2 * 1024 * 1024)})
    assert r.status_code == 413


async def test_an_empty_upload_is_refused(api: Api) -> None:
    r = await upload(api, b"", "empty.csv")
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "empty"
