"""50 concurrent verifies of one signed transaction: exactly one is accepted."""

import asyncio

from tests.api.setup import enrolled
from tests.conftest import Api
from tests.transactions.setup import PAYMENT, oath_response, ocra_user, seed_of, started

N = 50


async def burst(api: Api, tx: dict, otp: str) -> list[dict]:  # type: ignore[type-arg]
    body = {"otp": otp, "data": PAYMENT}
    url = f"/transactions/{tx['transaction_id']}/verify"
    responses = await asyncio.gather(*(api.post(url, body) for _ in range(N)))
    assert all(r.status_code == 200 for r in responses), [
        r.text for r in responses if r.status_code != 200
    ]
    return [r.json() for r in responses]


async def test_one_signature_sent_fifty_times_is_accepted_once(api: Api) -> None:
    e = await ocra_user(api)
    tx = await started(api, e)
    results = await burst(
        api, tx, oath_response("OCRA-1:HOTP-SHA1-6:QN08", seed_of(e), tx["challenge"])
    )
    assert sum(r["result"] == "accepted" for r in results) == 1
    assert {r["reason"] for r in results if r["result"] == "rejected"} == {"replayed"}


async def test_one_counter_signature_sent_fifty_times_is_accepted_once(api: Api) -> None:
    e = await ocra_user(api, suite="OCRA-1:HOTP-SHA1-6:C-QN08")
    tx = await started(api, e)
    otp = oath_response("OCRA-1:HOTP-SHA1-6:C-QN08", seed_of(e), tx["challenge"], counter=0)
    results = await burst(api, tx, otp)
    assert sum(r["result"] == "accepted" for r in results) == 1


async def test_one_totp_code_on_an_unbound_transaction_is_accepted_once(api: Api) -> None:
    e = await enrolled(api)
    tx = await started(api, e)
    results = await burst(api, tx, e.totp().now())
    assert sum(r["result"] == "accepted" for r in results) == 1


async def test_fifty_wrong_signatures_count_exactly_to_the_lock(api: Api) -> None:
    e = await ocra_user(api, policy={"lockout": {"max_failures": 5, "duration_s": 900}})
    tx = await started(api, e)
    right = oath_response("OCRA-1:HOTP-SHA1-6:QN08", seed_of(e), tx["challenge"])
    results = await burst(api, tx, f"{(int(right) + 1) % 10**6:06d}")
    reasons = [r["reason"] for r in results]
    assert reasons.count("invalid_otp") == 5 and reasons.count("locked") == N - 5
    assert (await api.get(f"/tokens/{e.token_id}")).json()["fail_count"] == 5
