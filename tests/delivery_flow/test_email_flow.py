"""The whole loop by e-mail through a real SMTP server (aiosmtpd, STARTTLS, AUTH)."""

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Api
from tests.delivery_flow.setup import challenge, member, verify
from tests.fakes.smtpd import FakeSmtpServer
from watchword.delivery.worker import Worker

MAILBOX = "alice@example.org"


@pytest.fixture
def smtp() -> Iterator[FakeSmtpServer]:
    with FakeSmtpServer() as server:
        yield server


async def configure_email(api: Api, smtp: FakeSmtpServer, **settings: object) -> httpx.Response:
    return await api.client.put(
        "/api/v1/channels/email",
        json={
            "settings": {
                "hostname": "127.0.0.1",
                "port": smtp.port,
                "sender": "ACME <otp@acme.example>",
                "username": smtp.username,
                "tls": "starttls",
                "tls_ca_pem": smtp.ca_pem,
                **settings,
            },
            "credentials": {"password": smtp.password},
        },
        headers=api.headers(),
    )


def code_in(smtp: FakeSmtpServer) -> str:
    body = smtp.received[-1].message.get_body(("plain",))
    assert body is not None
    m = re.search(r"\b(\d{6,8})\b", body.get_content())
    assert m, body.get_content()
    return m.group(1)


async def test_code_sent_by_email_over_starttls_is_accepted(
    api: Api, smtp: FakeSmtpServer, worker: Worker
) -> None:
    assert (await configure_email(api, smtp)).status_code == 200
    m = await member(api, {"email": MAILBOX})
    ch = await challenge(api, m)
    assert ch["kind"] == "email"
    assert await worker.run_once() == 1

    got = smtp.received[-1]
    assert got.tls and got.login == smtp.username and got.rcpt_tos == [MAILBOX]
    out = await verify(api, m, code_in(smtp), challenge_id=ch["challenge_id"])
    assert out["result"] == "accepted" and out["token_id"] == m.tokens["email"]


async def test_without_the_relays_certificate_nothing_is_sent(
    api: Api, smtp: FakeSmtpServer, worker: Worker
) -> None:
    # The system CAs do not know the self-signed relay: TLS fails, the code never leaves.
    assert (await configure_email(api, smtp, tls_ca_pem=None)).status_code == 200
    m = await member(api, {"email": MAILBOX})
    ch = await challenge(api, m)
    await worker.run_once()
    assert smtp.received == []
    async with api.env.db.uow() as uow:
        (msg,) = await uow.outbox.for_challenge(ch["challenge_id"])
    assert msg.state == "queued" and (msg.last_error or "").startswith("TransientError")


async def test_a_bad_ca_pem_is_refused_when_configuring(api: Api, smtp: FakeSmtpServer) -> None:
    r = await configure_email(api, smtp, tls_ca_pem="not a certificate")
    assert r.status_code == 422 and r.json()["error"]["code"] == "bad_certificate"
