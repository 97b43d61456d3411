"""POST /tokens with kind "ocra": a validated suite, a server-made seed, a QR code."""

from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import Api
from tests.transactions.setup import ocra_user


async def enrol(api: Api, **body):  # type: ignore[no-untyped-def]
    return await api.post("/tokens", {"kind": "ocra", **body})


async def test_the_default_suite_is_qn08_sha1_6(api: Api) -> None:
    r = await enrol(api)
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert token["ocra_suite"] == "OCRA-1:HOTP-SHA1-6:QN08" and token["digits"] == 6
    assert token["origin"] == "generated"


async def test_the_enrolment_uri_names_the_suite_for_ocra_apps(api: Api) -> None:
    e = await ocra_user(api, suite="OCRA-1:HOTP-SHA256-8:C-QN08")
    uri = urlparse(e.body["enrollment"]["otpauth_uri"])
    query = parse_qs(uri.query)
    assert uri.scheme == "otpauth" and uri.netloc == "ocra"
    assert query["ocrasuite"] == ["OCRA-1:HOTP-SHA256-8:C-QN08"] and query["counter"] == ["0"]
    assert query["secret"] == [e.secret_b32] and uri.path.endswith(":alice")
    assert e.body["enrollment"]["qr_svg"].lstrip().startswith("<svg")


async def test_the_seed_is_as_long_as_the_suite_hash(api: Api) -> None:
    e = await ocra_user(api, suite="OCRA-1:HOTP-SHA512-8:QN08")
    assert len(e.secret_b32.rstrip("=")) == 103  # 64 bytes in base32


@pytest.mark.parametrize(
    "suite",
    [
        "OCRA-2:HOTP-SHA1-6:QN08",
        "OCRA-1:HOTP-MD5-6:QN08",
        "OCRA-1:HOTP-SHA1-6:C",
        "OCRA-1:HOTP-SHA1-6:QN99",
        "nonsense",
    ],
)
async def test_a_bad_suite_is_422(api: Api, suite: str) -> None:
    r = await enrol(api, ocra_suite=suite)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_suite"


async def test_a_session_suite_is_refused(api: Api) -> None:
    r = await enrol(api, ocra_suite="OCRA-1:HOTP-SHA1-6:QN08-S064")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_suite"


async def test_a_pin_suite_needs_a_pin(api: Api) -> None:
    r = await enrol(api, ocra_suite="OCRA-1:HOTP-SHA1-6:QN08-PSHA1")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_pin"


async def test_a_pin_for_a_suite_without_p_is_refused(api: Api) -> None:
    r = await enrol(api, ocra_pin="1234")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_pin"


async def test_the_pin_is_not_shown(api: Api) -> None:
    r = await enrol(api, ocra_suite="OCRA-1:HOTP-SHA1-6:QN08-PSHA1", ocra_pin="908172")
    assert r.status_code == 201 and "908172" not in r.text


async def test_a_burnt_in_seed_makes_a_programmed_token(api: Api) -> None:
    r = await enrol(api, secret_b32="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    assert r.json()["token"]["origin"] == "programmed"


async def test_a_bare_code_does_not_log_in_with_an_ocra_token(api: Api) -> None:
    # OCRA answers a challenge; without one, /auth/verify has no token to try, and counts nothing.
    e = await ocra_user(api)
    r = await api.post(
        "/auth/verify", {"resource_id": e.resource_id, "login": e.login, "otp": "123456"}
    )
    assert r.json()["reason"] == "no_token"
    assert (await api.get(f"/tokens/{e.token_id}")).json()["fail_count"] == 0
