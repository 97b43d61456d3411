"""POST /auth/verify: decisions and their reasons."""

from datetime import timedelta

import pyotp

from tests.api.setup import enrolled, verify
from tests.conftest import Api, Clock


async def test_current_totp_code_is_accepted(api: Api) -> None:
    e = await enrolled(api)
    out = await verify(api, e, e.totp().now())
    assert out == {"result": "accepted", "reason": None, "token_id": e.token_id}


async def test_same_totp_code_twice_is_replayed(api: Api) -> None:
    e = await enrolled(api)
    code = e.totp().now()
    await verify(api, e, code)
    assert (await verify(api, e, code))["reason"] == "replayed"


async def test_wrong_code_is_invalid_otp(api: Api) -> None:
    e = await enrolled(api)
    out = await verify(api, e, "000000" if e.totp().now() != "000000" else "111111")
    assert out["result"] == "rejected" and out["reason"] == "invalid_otp"


async def test_hotp_codes_ahead_are_accepted_in_order(api: Api) -> None:
    e = await enrolled(api, kind="hotp")
    assert (await verify(api, e, e.hotp().at(4)))["result"] == "accepted"
    assert (await verify(api, e, e.hotp().at(2)))["reason"] == "replayed"
    assert (await verify(api, e, e.hotp().at(5)))["result"] == "accepted"


async def test_sha256_eight_digit_token_accepts_independent_code(api: Api) -> None:
    e = await enrolled(api, digits=8, algorithm="SHA256", period=60)
    import hashlib

    code = pyotp.TOTP(e.secret_b32, digits=8, digest=hashlib.sha256, interval=60).now()
    assert (await verify(api, e, code))["result"] == "accepted"


async def test_unknown_login_is_unknown_user(api: Api) -> None:
    e = await enrolled(api)
    r = await api.post("/auth/verify", {"resource_id": e.resource_id, "login": "mallory", "otp": "123456"})
    assert r.json()["reason"] == "unknown_user"


async def test_user_outside_the_resource_is_not_member(api: Api) -> None:
    e = await enrolled(api)
    await api.delete(f"/resources/{e.resource_id}/users/{e.user_id}")
    assert (await verify(api, e, e.totp().now()))["reason"] == "not_member"


async def test_member_without_tokens_has_no_token(api: Api) -> None:
    e = await enrolled(api)
    await api.delete(f"/tokens/{e.token_id}")
    assert (await verify(api, e, "123456"))["reason"] == "no_token"


async def test_disabled_token_is_refused(api: Api) -> None:
    e = await enrolled(api)
    await api.patch(f"/tokens/{e.token_id}", {"enabled": False})
    assert (await verify(api, e, e.totp().now()))["reason"] == "disabled"


async def test_kind_outside_allowed_kinds_is_kind_denied(api: Api) -> None:
    e = await enrolled(api, policy={"allowed_kinds": ["hotp"]})
    assert (await verify(api, e, e.totp().now()))["reason"] == "kind_denied"


async def test_fifth_failure_locks_and_right_code_is_then_refused(api: Api) -> None:
    e = await enrolled(api)
    for _ in range(5):
        assert (await verify(api, e, "999999x"[:6]))["result"] == "rejected"
    token = (await api.get(f"/tokens/{e.token_id}")).json()
    assert token["fail_count"] == 5 and token["locked_until"] is not None
    assert (await verify(api, e, e.totp().now()))["reason"] == "locked"


async def test_lock_runs_out_after_duration(api: Api, clock: Clock) -> None:
    e = await enrolled(api, kind="hotp", policy={"lockout": {"max_failures": 2, "duration_s": 60}})
    for _ in range(2):
        await verify(api, e, "000000" if e.hotp().at(0) != "000000" else "111111")
    assert (await verify(api, e, e.hotp().at(0)))["reason"] == "locked"
    clock.now = clock() + timedelta(seconds=61)
    assert (await verify(api, e, e.hotp().at(0)))["result"] == "accepted"


async def test_success_resets_the_failure_count(api: Api) -> None:
    e = await enrolled(api, kind="hotp")
    await verify(api, e, "000000" if e.hotp().at(0) != "000000" else "111111")
    await verify(api, e, e.hotp().at(0))
    assert (await api.get(f"/tokens/{e.token_id}")).json()["fail_count"] == 0


async def test_permanent_lock_needs_unlock(api: Api, clock: Clock) -> None:
    e = await enrolled(api, kind="hotp", policy={"lockout": {"max_failures": 1, "duration_s": None}})
    await verify(api, e, "000000" if e.hotp().at(0) != "000000" else "111111")
    clock.now = clock() + timedelta(days=365)
    assert (await verify(api, e, e.hotp().at(0)))["reason"] == "locked"
    assert (await api.post(f"/tokens/{e.token_id}/unlock")).status_code == 200
    assert (await verify(api, e, e.hotp().at(0)))["result"] == "accepted"


async def test_auth_scope_key_may_verify(api: Api) -> None:
    from watchword.services.tenants import create_api_key

    e = await enrolled(api)
    issued = await create_api_key(api.env, api.tenant_id, "auth")
    assert (await verify(api, e, e.totp().now(), key=issued.secret))["result"] == "accepted"


async def test_every_decision_is_audited(api: Api) -> None:
    e = await enrolled(api)
    await verify(api, e, e.totp().now(), ip="203.0.113.9")
    items = (await api.get("/audit", action="auth.verify")).json()["items"]
    assert [(a["result"], a["login"], a["ip"]) for a in items] == [("accepted", "alice", "203.0.113.9")]


async def test_resync_accepts_two_consecutive_far_codes(api: Api) -> None:
    e = await enrolled(api, kind="hotp")
    r = await api.post(f"/tokens/{e.token_id}/resync", {"otp1": e.hotp().at(300), "otp2": e.hotp().at(301)})
    assert r.status_code == 200
    assert (await verify(api, e, e.hotp().at(302)))["result"] == "accepted"


async def test_resync_with_wrong_codes_is_422(api: Api) -> None:
    e = await enrolled(api, kind="hotp")
    r = await api.post(f"/tokens/{e.token_id}/resync", {"otp1": e.hotp().at(300), "otp2": e.hotp().at(303)})
    assert r.status_code == 422 and r.json()["error"]["code"] == "resync_failed"


async def test_token_id_limits_the_check_to_that_token(api: Api) -> None:
    e = await enrolled(api, kind="hotp")
    other = (await api.post("/tokens", {"kind": "hotp", "user_id": e.user_id})).json()["token"]["id"]
    out = await verify(api, e, e.hotp().at(0), token_id=other)
    assert out["result"] == "rejected" and out["token_id"] == other
