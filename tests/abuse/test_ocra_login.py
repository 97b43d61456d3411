"""Logging in with OCRA: the server's question, the token's answer (computed by ``oath``)."""

import asyncio
from datetime import timedelta
from typing import Any

from tests.api.setup import Enrolled
from tests.conftest import Api, Clock
from tests.transactions.setup import oath_response, ocra_user, seed_of

COUNTER = "OCRA-1:HOTP-SHA1-6:C-QN08"
TIMED = "OCRA-1:HOTP-SHA256-8:QN08-T1M"
PLAIN = "OCRA-1:HOTP-SHA256-8:QA08"
HEX = "OCRA-1:HOTP-SHA512-8:QH16"
PIN = "OCRA-1:HOTP-SHA1-6:QN08-PSHA1"


async def ask(api: Api, e: Enrolled) -> dict[str, Any]:
    r = await api.post("/auth/challenge", {"resource_id": e.resource_id, "login": e.login})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def answer(api: Api, e: Enrolled, ch: dict[str, Any], otp: str) -> dict[str, Any]:
    body = {
        "resource_id": e.resource_id,
        "login": e.login,
        "otp": otp,
        "challenge_id": ch["challenge_id"],
    }
    r = await api.post("/auth/verify", body)
    assert r.status_code == 200, r.text
    return dict(r.json())


def step(clock: Clock) -> int:
    assert clock.now is not None
    return int(clock.now.timestamp() // 60)


async def test_a_challenge_for_an_ocra_token_is_a_question_in_the_suites_format(
    api: Api,
) -> None:
    e = await ocra_user(api, suite=COUNTER)
    ch = await ask(api, e)
    assert ch["kind"] == "ocra" and ch["token_id"] == e.token_id
    assert len(ch["challenge"]) == 8 and ch["challenge"].isdigit()
    assert (await ask(api, e))["challenge"] != ch["challenge"]


async def test_a_counter_suite_response_logs_in_and_moves_the_counter(api: Api) -> None:
    e = await ocra_user(api, suite=COUNTER)
    ch = await ask(api, e)
    otp = oath_response(COUNTER, seed_of(e), ch["challenge"], counter=0)
    out = await answer(api, e, ch, otp)
    assert out["result"] == "accepted" and out["token_id"] == e.token_id
    again = await ask(api, e)
    stale = oath_response(COUNTER, seed_of(e), again["challenge"], counter=0)
    assert (await answer(api, e, again, stale))["reason"] == "replayed"
    fresh = oath_response(COUNTER, seed_of(e), again["challenge"], counter=1)
    assert (await answer(api, e, again, fresh))["result"] == "accepted"


async def test_an_answered_question_cannot_be_answered_again(api: Api) -> None:
    e = await ocra_user(api, suite=PLAIN)
    ch = await ask(api, e)
    otp = oath_response(PLAIN, seed_of(e), ch["challenge"])
    assert (await answer(api, e, ch, otp))["result"] == "accepted"
    out = await answer(api, e, ch, otp)
    assert out["result"] == "rejected" and out["reason"] == "replayed"


async def test_a_time_suite_logs_in_twice_in_one_step_with_two_questions(
    api: Api, clock: Clock
) -> None:
    clock.now = api.env.clock()
    e = await ocra_user(api, suite=TIMED)
    for _ in range(2):
        ch = await ask(api, e)
        otp = oath_response(TIMED, seed_of(e), ch["challenge"], time_step=step(clock))
        assert (await answer(api, e, ch, otp))["result"] == "accepted"


async def test_a_time_suite_response_from_long_ago_is_refused(api: Api, clock: Clock) -> None:
    clock.now = api.env.clock()
    e = await ocra_user(api, suite=TIMED)
    ch = await ask(api, e)
    otp = oath_response(TIMED, seed_of(e), ch["challenge"], time_step=step(clock) - 5)
    assert (await answer(api, e, ch, otp))["reason"] == "invalid_otp"


async def test_a_hex_suite_question_is_hex(api: Api) -> None:
    e = await ocra_user(api, suite=HEX)
    ch = await ask(api, e)
    assert len(ch["challenge"]) == 16 and set(ch["challenge"]) <= set("0123456789abcdef")
    otp = oath_response(HEX, seed_of(e), ch["challenge"])
    assert (await answer(api, e, ch, otp))["result"] == "accepted"


async def test_a_pin_suite_needs_the_pin_in_the_response(api: Api) -> None:
    e = await ocra_user(api, suite=PIN, ocra_pin="1234")
    ch = await ask(api, e)
    wrong_pin = oath_response(PIN, seed_of(e), ch["challenge"], pin="4321")
    assert (await answer(api, e, ch, wrong_pin))["reason"] == "invalid_otp"
    right = oath_response(PIN, seed_of(e), ch["challenge"], pin="1234")
    assert (await answer(api, e, ch, right))["result"] == "accepted"


async def test_a_wrong_response_is_counted_as_a_failure(api: Api) -> None:
    e = await ocra_user(api, suite=PLAIN)
    ch = await ask(api, e)
    out = await answer(api, e, ch, "00000000")
    assert out["result"] == "rejected" and out["reason"] == "invalid_otp"
    token = (await api.get(f"/tokens/{e.token_id}")).json()
    assert token["fail_count"] == 1


async def test_a_new_question_supersedes_the_old_one(api: Api) -> None:
    e = await ocra_user(api, suite=PLAIN)
    old = await ask(api, e)
    await ask(api, e)
    otp = oath_response(PLAIN, seed_of(e), old["challenge"])
    assert (await answer(api, e, old, otp))["reason"] == "superseded"


async def test_a_question_expires_after_the_otp_ttl(api: Api, clock: Clock) -> None:
    clock.now = api.env.clock()
    e = await ocra_user(api, suite=PLAIN, policy={"otp": {"ttl_s": 120}})
    ch = await ask(api, e)
    clock.now += timedelta(seconds=121)
    otp = oath_response(PLAIN, seed_of(e), ch["challenge"])
    assert (await answer(api, e, ch, otp))["reason"] == "expired"


async def test_one_response_sent_twenty_times_at_once_logs_in_once(api: Api) -> None:
    e = await ocra_user(api, suite=PLAIN)
    ch = await ask(api, e)
    otp = oath_response(PLAIN, seed_of(e), ch["challenge"])
    results = await asyncio.gather(*(answer(api, e, ch, otp) for _ in range(20)))
    assert sum(r["result"] == "accepted" for r in results) == 1
    assert {r["reason"] for r in results if r["result"] == "rejected"} == {"replayed"}


async def test_a_bare_response_without_the_challenge_does_not_log_in(api: Api) -> None:
    e = await ocra_user(api, suite=PLAIN)
    ch = await ask(api, e)
    otp = oath_response(PLAIN, seed_of(e), ch["challenge"])
    body = {"resource_id": e.resource_id, "login": e.login, "otp": otp}
    r = await api.post("/auth/verify", body)
    assert r.json()["result"] == "rejected"
