"""SMS pumping limits: per user and per calling code, in the database, never exceeded."""

import asyncio
from datetime import timedelta

import pytest

from tests.abuse.setup import configure_sms, ledger, resend, try_challenge
from tests.conftest import Api, Clock
from tests.delivery_flow.setup import CHAT_ID, PHONE, challenge, configure_telegram, member
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from watchword.delivery.sms_limits import DEFAULT_LIMITS, SmsLimits, calling_code
from watchword.delivery.worker import Worker

SMS_THEN_CONSOLE = {"delivery": {"order": ["sms", "console"]}}


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("+15551234567", "1"),
        ("+79161234567", "7"),
        ("+48500100200", "48"),
        ("+380501234567", "380"),
        ("+420601123456", "420"),
        ("+447700900123", "44"),
    ],
)
def test_the_prefix_is_the_country_calling_code(number: str, code: str) -> None:
    assert calling_code(number) == code


def test_unset_limits_take_the_defaults() -> None:
    assert SmsLimits.from_settings({"limit_per_user": 3}) == SmsLimits(
        3,
        DEFAULT_LIMITS.per_user_window_s,
        DEFAULT_LIMITS.per_prefix,
        DEFAULT_LIMITS.per_prefix_window_s,
    )


async def test_a_limit_that_is_not_a_positive_integer_is_refused(
    api: Api, fake_twilio: FakeTwilio
) -> None:
    r = await api.client.put(
        "/api/v1/channels/sms",
        json={"settings": {"limit_per_user": 0}, "credentials": {}},
        headers=api.headers(),
    )
    assert r.status_code == 422
    assert "limit_per_user" in r.json()["error"]["message"]


async def test_the_per_user_limit_refuses_the_next_sms_with_429(
    api: Api, fake_twilio: FakeTwilio
) -> None:
    await configure_sms(api, fake_twilio, limit_per_user=2)
    m = await member(api, {"sms": PHONE})
    for _ in range(2):
        assert (await try_challenge(api, m.resource_id, m.login)).status_code == 200
    r = await try_challenge(api, m.resource_id, m.login)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "sms_rate_limited"


async def test_a_refused_challenge_leaves_the_live_one_live(
    api: Api, fake_twilio: FakeTwilio
) -> None:
    await configure_sms(api, fake_twilio, limit_per_user=1)
    m = await member(api, {"sms": PHONE})
    live = await challenge(api, m)
    assert (await try_challenge(api, m.resource_id, m.login)).status_code == 429
    async with api.env.db.uow() as uow:
        found = await uow.challenges.get(api.tenant_id, live["challenge_id"])
    assert found is not None and found.state == "pending"


async def test_the_per_user_limit_opens_again_in_the_next_window(
    api: Api, fake_twilio: FakeTwilio, frozen: Clock
) -> None:
    await configure_sms(api, fake_twilio, limit_per_user=1, limit_per_user_window_s=3600)
    m = await member(api, {"sms": PHONE})
    await challenge(api, m)
    assert (await try_challenge(api, m.resource_id, m.login)).status_code == 429
    assert frozen.now is not None
    frozen.now += timedelta(seconds=3600)
    assert (await try_challenge(api, m.resource_id, m.login)).status_code == 200


async def test_the_per_prefix_limit_counts_every_user_of_the_tenant(
    api: Api, fake_twilio: FakeTwilio
) -> None:
    await configure_sms(api, fake_twilio, limit_per_prefix=2)
    poles = [await member(api, {"sms": f"+4850010020{i}"}, login=f"pl{i}") for i in range(3)]
    brit = await member(api, {"sms": "+447700900123"}, login="uk")
    assert (await try_challenge(api, poles[0].resource_id, "pl0")).status_code == 200
    assert (await try_challenge(api, poles[1].resource_id, "pl1")).status_code == 200
    r = await try_challenge(api, poles[2].resource_id, "pl2")
    assert r.status_code == 429 and r.json()["error"]["code"] == "sms_rate_limited"
    assert (await try_challenge(api, brit.resource_id, "uk")).status_code == 200


async def test_the_per_prefix_limit_is_per_tenant(
    api: Api, other_tenant: Api, fake_twilio: FakeTwilio
) -> None:
    await configure_sms(api, fake_twilio, limit_per_prefix=1)
    await configure_sms(other_tenant, fake_twilio, limit_per_prefix=1)
    ours = await member(api, {"sms": PHONE})
    theirs = await member(other_tenant, {"sms": PHONE})
    assert (await try_challenge(api, ours.resource_id, ours.login)).status_code == 200
    assert (await try_challenge(other_tenant, theirs.resource_id, theirs.login)).status_code == 200


async def test_a_refused_sms_hop_falls_through_to_the_next_channel(
    api: Api, fake_twilio: FakeTwilio
) -> None:
    await configure_sms(api, fake_twilio, limit_per_user=1)
    m = await member(api, {"sms": PHONE, "console": PHONE}, policy=SMS_THEN_CONSOLE)
    assert (await challenge(api, m))["kind"] == "sms"
    ch = await challenge(api, m)
    assert ch["kind"] == "console" and ch["token_id"] == m.tokens["console"]
    assert await ledger(api, ch["challenge_id"]) == [
        ("sms", "failed", "rate_limited"),
        ("console", "queued", None),
    ]


async def test_the_worker_fallback_skips_a_refused_sms_hop(
    api: Api, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    await configure_telegram(api, fake_telegram)
    await configure_sms(api, fake_twilio, limit_per_prefix=1)
    bob = await member(api, {"sms": "+48500999888"}, login="bob")
    await challenge(api, bob)  # bob takes the +48 quota
    alice = await member(api, {"telegram": CHAT_ID, "sms": PHONE, "console": PHONE})
    fake_telegram.mode = "blocked"
    ch = await challenge(api, alice)
    await worker.run_once()
    rows = await ledger(api, ch["challenge_id"])
    assert [(channel, state) for channel, state, _ in rows] == [
        ("telegram", "failed"),
        ("sms", "failed"),
        ("console", "sent"),
    ]
    assert rows[1][2] == "rate_limited"
    assert [m["To"] for m in fake_twilio.messages] == ["+48500999888"]


async def test_a_resend_counts_against_the_sms_limit(api: Api, fake_twilio: FakeTwilio) -> None:
    await configure_sms(api, fake_twilio, limit_per_user=2)
    m = await member(api, {"sms": PHONE})
    ch = await challenge(api, m)
    assert (await resend(api, ch["challenge_id"])).status_code == 200
    r = await resend(api, ch["challenge_id"])
    assert r.status_code == 429 and r.json()["error"]["code"] == "sms_rate_limited"


async def test_concurrent_challenges_never_exceed_the_prefix_limit(
    api: Api, fake_twilio: FakeTwilio
) -> None:
    await configure_sms(api, fake_twilio, limit_per_prefix=5)
    users = [await member(api, {"sms": f"+485001002{i:02d}"}, login=f"u{i}") for i in range(20)]
    answers = await asyncio.gather(*(try_challenge(api, u.resource_id, u.login) for u in users))
    assert sorted(r.status_code for r in answers) == [200] * 5 + [429] * 15
    async with api.env.db.uow() as uow:
        rows = await uow.outbox.recent(api.tenant_id, channel="sms", limit=100)
    assert len(rows) == 5


async def test_concurrent_challenges_of_one_user_never_exceed_the_user_limit(
    api: Api, fake_twilio: FakeTwilio
) -> None:
    await configure_sms(api, fake_twilio, limit_per_user=3)
    m = await member(api, {"sms": PHONE})
    answers = await asyncio.gather(*(try_challenge(api, m.resource_id, m.login) for _ in range(15)))
    assert sorted(r.status_code for r in answers) == [200] * 3 + [429] * 12
