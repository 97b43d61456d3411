"""No code accepted twice, no failure lost: 50 concurrent requests on one token."""

import asyncio

from tests.api.setup import enrolled
from tests.conftest import Api

N = 50


async def burst(api: Api, e, otp: str) -> list[dict]:  # type: ignore[no-untyped-def]
    body = {"resource_id": e.resource_id, "login": e.login, "otp": otp}
    responses = await asyncio.gather(*(api.post("/auth/verify", body) for _ in range(N)))
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses if r.status_code != 200]
    return [r.json() for r in responses]


async def test_one_valid_code_sent_fifty_times_is_accepted_once(api: Api) -> None:
    e = await enrolled(api, kind="hotp")
    results = await burst(api, e, e.hotp().at(0))
    assert sum(r["result"] == "accepted" for r in results) == 1
    assert {r["reason"] for r in results if r["result"] == "rejected"} == {"replayed"}


async def test_one_totp_code_sent_fifty_times_is_accepted_once(api: Api) -> None:
    e = await enrolled(api)
    results = await burst(api, e, e.totp().now())
    assert sum(r["result"] == "accepted" for r in results) == 1


async def test_fifty_wrong_codes_count_exactly_to_the_lock(api: Api) -> None:
    e = await enrolled(api, kind="hotp", policy={"lockout": {"max_failures": 5, "duration_s": 900}})
    wrong = "000000" if all(e.hotp().at(i) != "000000" for i in range(11)) else "999999"
    results = await burst(api, e, wrong)
    assert all(r["result"] == "rejected" for r in results)
    reasons = [r["reason"] for r in results]
    assert reasons.count("invalid_otp") == 5 and reasons.count("locked") == N - 5
    token = (await api.get(f"/tokens/{e.token_id}")).json()
    assert token["fail_count"] == 5 and token["locked_until"] is not None


async def test_fifty_failures_below_the_limit_are_all_counted(api: Api) -> None:
    e = await enrolled(api, kind="hotp", policy={"lockout": {"max_failures": 100, "duration_s": 900}})
    wrong = "000000" if all(e.hotp().at(i) != "000000" for i in range(11)) else "999999"
    await burst(api, e, wrong)
    assert (await api.get(f"/tokens/{e.token_id}")).json()["fail_count"] == N
