"""Expiry, lockout and the checks made before any code, as for a login."""

from datetime import timedelta

from tests.conftest import Api, Clock
from tests.transactions.setup import PAYMENT, oath_response, ocra_user, seed_of, sign, started
from watchword.services.tenants import create_api_key

SUITE = "OCRA-1:HOTP-SHA1-6:QN08"


async def right_code(e, tx) -> str:  # type: ignore[no-untyped-def]
    return oath_response(SUITE, seed_of(e), tx["challenge"])


async def test_a_transaction_expires_after_300_seconds_by_default(api: Api, clock: Clock) -> None:
    e = await ocra_user(api)
    clock.now = clock()
    tx = await started(api, e)
    clock.now += timedelta(seconds=301)
    assert await sign(api, tx, await right_code(e, tx)) == {
        "result": "rejected",
        "reason": "expired",
    }


async def test_a_transaction_is_still_good_just_before_it_expires(api: Api, clock: Clock) -> None:
    e = await ocra_user(api)
    clock.now = clock()
    tx = await started(api, e)
    clock.now += timedelta(seconds=299)
    assert (await sign(api, tx, await right_code(e, tx)))["result"] == "accepted"


async def test_the_lifetime_follows_the_policy(api: Api, clock: Clock) -> None:
    e = await ocra_user(api, policy={"otp": {"ttl_s": 60}})
    clock.now = clock()
    tx = await started(api, e)
    clock.now += timedelta(seconds=61)
    assert (await sign(api, tx, await right_code(e, tx)))["reason"] == "expired"


async def test_failures_lock_the_token_like_login_failures(api: Api) -> None:
    e = await ocra_user(api, policy={"lockout": {"max_failures": 3, "duration_s": 900}})
    tx = await started(api, e)
    right = await right_code(e, tx)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    reasons = [(await sign(api, tx, wrong))["reason"] for _ in range(3)]
    assert reasons == ["invalid_otp", "invalid_otp", "invalid_otp"]
    assert await sign(api, tx, right) == {"result": "rejected", "reason": "locked"}
    assert (await api.get(f"/tokens/{e.token_id}")).json()["fail_count"] == 3


async def test_a_data_mismatch_counts_as_a_failure(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    await sign(api, tx, await right_code(e, tx), {**PAYMENT, "amount": "1.00"})
    assert (await api.get(f"/tokens/{e.token_id}")).json()["fail_count"] == 1


async def test_an_accepted_signature_clears_the_failures(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    await sign(api, tx, "000000" if await right_code(e, tx) != "000000" else "111111")
    await sign(api, tx, await right_code(e, tx))
    token = (await api.get(f"/tokens/{e.token_id}")).json()
    assert token["fail_count"] == 0 and token["last_used_at"] is not None


async def test_a_locked_token_starts_no_transaction(api: Api) -> None:
    e = await ocra_user(api, policy={"lockout": {"max_failures": 1, "duration_s": 900}})
    tx = await started(api, e)
    await sign(api, tx, "000000" if await right_code(e, tx) != "000000" else "111111")
    r = await api.post(
        "/transactions", {"resource_id": e.resource_id, "login": e.login, "data": PAYMENT}
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "locked"


async def test_a_disabled_token_cannot_sign(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    await api.patch(f"/tokens/{e.token_id}", {"enabled": False})
    assert (await sign(api, tx, await right_code(e, tx)))["reason"] == "disabled"


async def test_a_user_removed_from_the_resource_cannot_sign(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    await api.delete(f"/resources/{e.resource_id}/users/{e.user_id}")
    assert (await sign(api, tx, await right_code(e, tx)))["reason"] == "not_member"


async def test_a_kind_no_longer_allowed_cannot_sign(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    await api.patch(f"/resources/{e.resource_id}", {"policy": {"allowed_kinds": ["totp"]}})
    assert (await sign(api, tx, await right_code(e, tx)))["reason"] == "kind_denied"


async def test_an_unknown_login_starts_no_transaction(api: Api) -> None:
    e = await ocra_user(api)
    r = await api.post(
        "/transactions", {"resource_id": e.resource_id, "login": "mallory", "data": PAYMENT}
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "unknown_user"


async def test_a_non_member_starts_no_transaction(api: Api) -> None:
    e = await ocra_user(api)
    await api.post("/users", {"login": "carol"})
    r = await api.post(
        "/transactions", {"resource_id": e.resource_id, "login": "carol", "data": PAYMENT}
    )
    assert r.json()["error"]["code"] == "not_member"


async def test_an_unknown_resource_is_404(api: Api) -> None:
    r = await api.post("/transactions", {"resource_id": "nope", "login": "alice", "data": PAYMENT})
    assert r.status_code == 404


async def test_an_auth_scope_key_may_start_and_sign(api: Api) -> None:
    e = await ocra_user(api)
    key = await _auth_key(api)
    r = await api.post(
        "/transactions", {"resource_id": e.resource_id, "login": e.login, "data": PAYMENT}, key=key
    )
    assert r.status_code == 201
    tx = r.json()
    assert (await sign(api, tx, await right_code(e, tx), key=key))["result"] == "accepted"
    assert (await api.get(f"/transactions/{tx['transaction_id']}", key=key)).status_code == 403


async def _auth_key(api: Api) -> str:
    return (await create_api_key(api.env, api.tenant_id, "auth")).secret


async def test_the_resource_ip_rule_judges_the_start(api: Api) -> None:
    e = await ocra_user(api, policy={"ip": {"allow": ["198.51.100.0/24"]}})
    body = {"resource_id": e.resource_id, "login": e.login, "data": PAYMENT}
    assert (await api.post("/transactions", {**body, "ip": "198.51.100.7"})).status_code == 201
    r = await api.post("/transactions", {**body, "ip": "203.0.113.7"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "ip_denied"


async def test_the_resource_ip_rule_judges_the_verify(api: Api) -> None:
    e = await ocra_user(api, policy={"ip": {"allow": ["198.51.100.0/24"]}})
    tx = await started(api, e, ip="198.51.100.7")
    assert (await sign(api, tx, await right_code(e, tx), ip="203.0.113.7"))["reason"] == "ip_denied"
    assert (await sign(api, tx, await right_code(e, tx), ip="198.51.100.7"))["result"] == "accepted"
