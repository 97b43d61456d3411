"""Resending a challenge: the same code, at most five sends, the failure count untouched."""

import asyncio
from datetime import timedelta

from tests.abuse.setup import configure_sms, ledger, resend
from tests.conftest import Api, Clock
from tests.delivery_flow.setup import PHONE, challenge, member, verify, wrong
from tests.delivery_flow.test_console_and_api import code_in
from tests.fakes.twilio import FakeTwilio
from watchword.delivery.worker import Worker


async def console_codes(api: Api) -> list[str]:
    return [code_in(m["text"]) for m in (await api.get("/console/messages")).json()["items"]]


async def test_a_resend_queues_the_same_code_on_the_same_channel(api: Api, worker: Worker) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    r = await resend(api, ch["challenge_id"])
    assert r.status_code == 200, r.text
    assert r.json()["channel"] == "console" and r.json()["sends"] == 2
    await worker.run_once()
    first, second = await console_codes(api)
    assert first == second
    out = await verify(api, m, first, challenge_id=ch["challenge_id"])
    assert out["result"] == "accepted"


async def test_a_resend_can_go_to_the_next_channel_with_the_same_code(
    api: Api, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    await configure_sms(api, fake_twilio)
    m = await member(api, {"sms": PHONE, "console": PHONE})
    ch = await challenge(api, m)
    assert ch["kind"] == "sms"
    r = await resend(api, ch["challenge_id"], next_channel=True)
    assert r.status_code == 200, r.text
    assert r.json()["channel"] == "console" and r.json()["token_id"] == m.tokens["console"]
    await worker.run_once()
    assert await console_codes(api) == [fake_twilio.last_code()]
    out = await verify(api, m, fake_twilio.last_code(), challenge_id=ch["challenge_id"])
    assert out["result"] == "accepted" and out["token_id"] == m.tokens["console"]


async def test_the_sixth_send_of_a_challenge_is_refused_with_send_limit(api: Api) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    for _ in range(4):
        assert (await resend(api, ch["challenge_id"])).status_code == 200
    r = await resend(api, ch["challenge_id"])
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "send_limit"
    assert len(await ledger(api, ch["challenge_id"])) == 5


async def test_concurrent_resends_never_pass_five_sends(api: Api) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    answers = await asyncio.gather(*(resend(api, ch["challenge_id"]) for _ in range(12)))
    assert sorted(r.status_code for r in answers) == [200] * 4 + [429] * 8
    assert len(await ledger(api, ch["challenge_id"])) == 5


async def test_a_resend_never_touches_the_failure_count(api: Api, worker: Worker) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    await worker.run_once()
    (code,) = await console_codes(api)
    out = await verify(api, m, wrong(code), challenge_id=ch["challenge_id"])
    assert out["result"] == "rejected" and out["reason"] == "invalid_otp"
    for _ in range(3):
        assert (await resend(api, ch["challenge_id"])).status_code == 200
    token = (await api.get(f"/tokens/{m.tokens['console']}")).json()
    assert token["fail_count"] == 1


async def test_a_settled_challenge_cannot_be_resent(api: Api, worker: Worker) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    await worker.run_once()
    (code,) = await console_codes(api)
    assert (await verify(api, m, code, challenge_id=ch["challenge_id"]))["result"] == "accepted"
    r = await resend(api, ch["challenge_id"])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "challenge_closed"


async def test_a_superseded_challenge_cannot_be_resent(api: Api) -> None:
    m = await member(api, {"console": PHONE})
    old = await challenge(api, m)
    await challenge(api, m)
    r = await resend(api, old["challenge_id"])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "challenge_closed"


async def test_an_expired_challenge_cannot_be_resent(api: Api, frozen: Clock) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    assert frozen.now is not None
    frozen.now += timedelta(seconds=3600)
    r = await resend(api, ch["challenge_id"])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "challenge_expired"


async def test_no_next_channel_is_a_conflict(api: Api) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    r = await resend(api, ch["challenge_id"], next_channel=True)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "no_channel_left"


async def test_another_tenants_challenge_is_not_found(api: Api, other_tenant: Api) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    r = await resend(other_tenant, ch["challenge_id"])
    assert r.status_code == 404


async def test_resends_are_audited(api: Api) -> None:
    m = await member(api, {"console": PHONE})
    ch = await challenge(api, m)
    await resend(api, ch["challenge_id"])
    await resend(api, ch["challenge_id"], next_channel=True)
    entries = (await api.get("/audit", action="auth.resend")).json()
    found = {(e["result"], e["reason"]) for e in entries["items"]}
    assert found == {("sent", None), ("rejected", "no_channel_left")}
