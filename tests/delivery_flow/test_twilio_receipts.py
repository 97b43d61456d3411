"""POST /hooks/twilio/{tenant}: Twilio's signed status callback moves the ledger row."""

import base64
import hashlib
import hmac
from urllib.parse import urlencode

import httpx

from tests.conftest import Api
from tests.delivery_flow.setup import PHONE, challenge, member
from tests.fakes.twilio import FakeTwilio
from watchword.delivery.worker import Worker
from watchword.store.delivery import OutboxMessage

PUBLIC = "https://2fa.example.com"  # what Twilio calls; the server sits behind a proxy


def callback_url(api: Api) -> str:
    return f"{PUBLIC}/hooks/twilio/{api.tenant_id}"


async def configure(api: Api, fake: FakeTwilio, url: str | None = None) -> None:
    r = await api.client.put(
        "/api/v1/channels/sms",
        json={
            "settings": {
                "api_base_url": fake.base_url,
                "account_sid": fake.account_sid,
                "from_number": "+15005550006",
                "status_callback_url": url or callback_url(api),
            },
            "credentials": {"auth_token": fake.auth_token},
        },
        headers=api.headers(),
    )
    assert r.status_code == 200, r.text


def twilio_signature(token: str, url: str, form: dict[str, str]) -> str:
    # As Twilio documents it: the URL, then each parameter name and value, sorted by name.
    data = url + "".join(k + form[k] for k in sorted(form))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


async def callback(
    api: Api,
    fake: FakeTwilio,
    sid: str,
    status: str,
    *,
    token: str | None = None,
    signed_url: str | None = None,
    tenant_id: str | None = None,
    **extra: str,
) -> httpx.Response:
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": fake.account_sid, **extra}
    signature = twilio_signature(token or fake.auth_token, signed_url or callback_url(api), form)
    return await api.client.post(
        f"/hooks/twilio/{tenant_id or api.tenant_id}",
        content=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        },
    )


async def sent_sms(api: Api, fake: FakeTwilio, worker: Worker) -> OutboxMessage:
    await configure(api, fake)
    m = await member(api, {"sms": PHONE})
    ch = await challenge(api, m)
    assert await worker.run_once() == 1
    return await row(api, ch["challenge_id"])


async def row(api: Api, challenge_id: str) -> OutboxMessage:
    async with api.env.db.uow() as uow:
        (msg,) = await uow.outbox.for_challenge(challenge_id)
    return msg


async def reread(api: Api, msg: OutboxMessage) -> OutboxMessage:
    async with api.env.db.uow() as uow:
        got = await uow.outbox.get(msg.id)
    assert got is not None
    return got


async def test_the_sms_carries_the_configured_status_callback(
    api: Api, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    msg = await sent_sms(api, fake_twilio, worker)
    assert fake_twilio.messages[-1]["StatusCallback"] == callback_url(api)
    assert msg.state == "sent" and msg.provider_id


async def test_a_delivered_callback_marks_the_row_delivered(
    api: Api, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    msg = await sent_sms(api, fake_twilio, worker)
    r = await callback(api, fake_twilio, str(msg.provider_id), "delivered")
    assert r.status_code == 200 and r.json() == {"applied": 1}
    assert (await reread(api, msg)).state == "delivered"


async def test_an_undelivered_callback_marks_the_row_failed_with_the_error(
    api: Api, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    msg = await sent_sms(api, fake_twilio, worker)
    r = await callback(api, fake_twilio, str(msg.provider_id), "undelivered", ErrorCode="30006")
    assert r.json() == {"applied": 1}
    got = await reread(api, msg)
    assert got.state == "failed" and "30006" in (got.last_error or "")


async def test_an_in_flight_status_changes_nothing(
    api: Api, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    msg = await sent_sms(api, fake_twilio, worker)
    assert (await callback(api, fake_twilio, str(msg.provider_id), "sent")).json() == {"applied": 0}
    assert (await reread(api, msg)).state == "sent"


async def test_a_repeated_callback_applies_once(
    api: Api, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    msg = await sent_sms(api, fake_twilio, worker)
    await callback(api, fake_twilio, str(msg.provider_id), "delivered")
    again = await callback(api, fake_twilio, str(msg.provider_id), "undelivered")
    assert again.json() == {"applied": 0}
    assert (await reread(api, msg)).state == "delivered"


async def test_a_forged_callback_is_refused_and_changes_nothing(
    api: Api, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    msg = await sent_sms(api, fake_twilio, worker)
    r = await callback(api, fake_twilio, str(msg.provider_id), "failed", token="not-the-token")
    assert r.status_code == 403 and r.json()["error"]["code"] == "bad_signature"
    assert (await reread(api, msg)).state == "sent"


async def test_a_signature_over_another_url_is_refused(
    api: Api, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    msg = await sent_sms(api, fake_twilio, worker)
    seen_by_server = f"http://testserver/hooks/twilio/{api.tenant_id}"
    r = await callback(api, fake_twilio, str(msg.provider_id), "failed", signed_url=seen_by_server)
    assert r.status_code == 403
    assert (await reread(api, msg)).state == "sent"


async def test_another_tenants_callback_cannot_touch_this_tenants_row(
    api: Api, other_tenant: Api, fake_twilio: FakeTwilio, worker: Worker
) -> None:
    msg = await sent_sms(api, fake_twilio, worker)
    await configure(other_tenant, fake_twilio)  # the other tenant signs with a valid token
    r = await callback(other_tenant, fake_twilio, str(msg.provider_id), "failed")
    assert r.status_code == 200 and r.json() == {"applied": 0}
    assert (await reread(api, msg)).state == "sent"


async def test_a_tenant_without_callbacks_configured_answers_404(api: Api) -> None:
    r = await api.client.post(
        f"/hooks/twilio/{api.tenant_id}",
        content="MessageSid=SM1&MessageStatus=delivered",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"},
    )
    assert r.status_code == 404


async def test_a_status_callback_url_must_be_an_http_url(api: Api, fake_twilio: FakeTwilio) -> None:
    r = await api.client.put(
        "/api/v1/channels/sms",
        json={
            "settings": {
                "account_sid": fake_twilio.account_sid,
                "from_number": "+15005550006",
                "status_callback_url": "javascript:alert(1)",
            },
            "credentials": {"auth_token": fake_twilio.auth_token},
        },
        headers=api.headers(),
    )
    assert r.status_code == 422
