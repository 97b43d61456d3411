import ssl

import pytest

from tests.fakes.server import free_port
from tests.fakes.smtpd import FakeSmtpServer
from watchword.delivery.channels.base import BadCredentials, PermanentError, TransientError
from watchword.delivery.channels.smtp import SmtpChannel
from watchword.delivery.message import OutboundMessage

MAIL = OutboundMessage(
    "email",
    "ann@example.org",
    "Your ACME code: 481502. Valid 5 min.",
    html="<p>Your ACME code: <b>481502</b></p>",
    subject="Your ACME code",
    idempotency_key="ob-17",
    locale="pl",
)


@pytest.fixture
def smtp():
    with FakeSmtpServer() as server:
        yield server


def channel(server: FakeSmtpServer, **kw) -> SmtpChannel:
    return SmtpChannel(
        "127.0.0.1",
        server.port,
        "ACME <otp@acme.example>",
        username=kw.pop("username", server.username),
        password=kw.pop("password", server.password),
        tls_context=kw.pop("tls_context", server.client_context),
        timeout=5,
        **kw,
    )


async def test_sends_over_starttls_with_auth(smtp):
    receipt = await channel(smtp).send(MAIL)

    got = smtp.received[-1]
    assert got.tls and got.login == "mailer"
    assert got.mail_from == "otp@acme.example" and got.rcpt_tos == ["ann@example.org"]
    assert receipt.status == "sent" and receipt.provider_message_id == "<ob-17@acme.example>"
    assert receipt.raw_status.startswith("Message accepted")


async def test_message_has_text_and_html_alternatives(smtp):
    await channel(smtp).send(MAIL)

    message = smtp.received[-1].message
    assert message["Subject"] == "Your ACME code" and message["Content-Language"] == "pl"
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content().strip() == MAIL.text
    assert "<b>481502</b>" in message.get_body(("html",)).get_content()


async def test_text_only_message_is_plain_with_first_line_as_subject(smtp):
    await channel(smtp).send(OutboundMessage("email", "ann@example.org", "Code 481502\nmore"))
    message = smtp.received[-1].message
    assert message.get_content_type() == "text/plain" and message["Subject"] == "Code 481502"


async def test_wrong_password_is_bad_credentials(smtp):
    with pytest.raises(BadCredentials):
        await channel(smtp, password="forged").send(MAIL)
    assert smtp.received == []


async def test_untrusted_certificate_is_refused(smtp):
    with pytest.raises(TransientError):
        await channel(smtp, tls_context=ssl.create_default_context()).send(MAIL)
    assert smtp.received == []


async def test_server_without_starttls_is_refused_rather_than_sent_in_clear():
    with FakeSmtpServer(tls=False) as plain:
        with pytest.raises(BadCredentials):
            await channel(plain).send(MAIL)
        assert plain.received == []


async def test_plain_mode_sends_to_a_local_relay_without_tls():
    with FakeSmtpServer(tls=False) as plain:
        await channel(plain, tls="none", username=None, password=None).send(MAIL)
        assert plain.received[-1].tls is False


async def test_refused_recipient_is_permanent(smtp):
    smtp.handler.refuse_rcpt = "550 5.1.1 No such user"
    with pytest.raises(PermanentError, match="550"):
        await channel(smtp).send(MAIL)


async def test_temporarily_refused_recipient_is_transient(smtp):
    smtp.handler.refuse_rcpt = "452 4.2.2 Mailbox full"
    with pytest.raises(TransientError):
        await channel(smtp).send(MAIL)


async def test_no_server_is_transient():
    ch = SmtpChannel("127.0.0.1", free_port(), "otp@acme.example", timeout=2)
    with pytest.raises(TransientError):
        await ch.send(MAIL)
