"""Errors in the contract's shape: {"error": {"code", "message"}} with the right status."""

from tests.api.setup import enrolled
from tests.conftest import Api


def assert_error(r, status: int, code: str | None = None) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


async def test_missing_key_is_401(api: Api) -> None:
    r = await api.client.get("/api/v1/users")
    assert_error(r, 401, "no_api_key")


async def test_wrong_key_is_401(api: Api) -> None:
    assert_error(await api.get("/users", key="ww_not-a-key"), 401, "bad_api_key")


async def test_revoked_key_is_401(api: Api) -> None:
    from watchword.services.tenants import create_api_key, revoke_api_key

    issued = await create_api_key(api.env, api.tenant_id, "admin")
    await revoke_api_key(api.env, issued.key.id)
    assert_error(await api.get("/users", key=issued.secret), 401)


async def test_auth_scope_cannot_administer(api: Api) -> None:
    from watchword.services.tenants import create_api_key

    issued = await create_api_key(api.env, api.tenant_id, "auth")
    assert_error(await api.post("/users", {"login": "x"}, key=issued.secret), 403, "scope")


async def test_duplicate_login_is_409(api: Api) -> None:
    await api.post("/users", {"login": "alice"})
    assert_error(await api.post("/users", {"login": "alice"}), 409, "login_taken")


async def test_unknown_field_is_422_and_creates_nothing(api: Api) -> None:
    assert_error(await api.post("/users", {"login": "alice", "admin": True}), 422, "invalid_input")
    assert (await api.get("/users")).json()["items"] == []


async def test_wrong_type_is_422(api: Api) -> None:
    assert_error(await api.post("/tokens", {"kind": "totp", "digits": "six"}), 422)


async def test_unsupported_digits_is_422(api: Api) -> None:
    assert_error(await api.post("/tokens", {"kind": "totp", "digits": 7}), 422)


async def test_bad_policy_is_422(api: Api) -> None:
    r = await api.post("/resources", {"name": "x", "policy": {"lockout": {"max_failures": 0}}})
    assert_error(r, 422, "invalid_policy")


async def test_body_over_one_mebibyte_is_413(api: Api) -> None:
    r = await api.client.post(
        "/api/v1/users", content=b'{"login": "' + b"a" * (1024 * 1024) + b'"}',
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    assert_error(r, 413, "too_large")


async def test_malformed_json_is_422(api: Api) -> None:
    r = await api.client.post(
        "/api/v1/users", content=b"{not json", headers={**api.headers(), "Content-Type": "application/json"}
    )
    assert_error(r, 422)


async def test_unknown_resource_on_verify_is_404(api: Api) -> None:
    r = await api.post("/auth/verify", {"resource_id": "nope", "login": "a", "otp": "123456"})
    assert_error(r, 404)


async def test_seed_is_never_shown_after_enrolment(api: Api) -> None:
    e = await enrolled(api)
    shown = (await api.get(f"/tokens/{e.token_id}")).text + (await api.get("/tokens")).text
    assert e.secret_b32 not in shown and "secret" not in shown


async def test_key_revoked_after_use_is_refused_at_once(api: Api) -> None:
    from watchword.services.tenants import create_api_key, revoke_api_key

    issued = await create_api_key(api.env, api.tenant_id, "admin")
    assert (await api.get("/users", key=issued.secret)).status_code == 200
    await revoke_api_key(api.env, issued.key.id)
    assert_error(await api.get("/users", key=issued.secret), 401)
