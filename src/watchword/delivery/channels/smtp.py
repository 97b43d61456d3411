"""E-mail through an SMTP submission server (aiosmtplib).

TLS is required by default: ``"starttls"`` refuses a server that does not offer
it (opportunistic STARTTLS could be stripped), ``"implicit"`` is port 465,
``"none"`` is for a local relay only. ``_map`` is the one error boundary.
"""

import re
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Literal

import aiosmtplib

from watchword.delivery.channels.base import (
    BadCredentials,
    DeliveryError,
    PermanentError,
    TransientError,
)
from watchword.delivery.message import OutboundMessage, Receipt

TlsMode = Literal["starttls", "implicit", "none"]
MAX_SUBJECT = 78
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class SmtpChannel:
    def __init__(
        self,
        hostname: str,
        port: int,
        sender: str,
        *,
        username: str | None = None,
        password: str | None = None,
        tls: TlsMode = "starttls",
        tls_context: ssl.SSLContext | None = None,
        timeout: float = 30.0,
        name: str = "email",
    ) -> None:
        self._hostname = hostname
        self._port = port
        self._sender = sender
        self._username = username
        self._password = password
        self._tls = tls
        self._tls_context = tls_context
        self._timeout = timeout
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def build(self, msg: OutboundMessage) -> EmailMessage:
        """The MIME message: text/plain, plus text/html as an alternative when given."""
        mail = EmailMessage()
        mail["From"] = self._sender
        mail["To"] = msg.destination
        mail["Subject"] = msg.subject or _first_line(msg.text)
        mail["Message-ID"] = _message_id(msg.idempotency_key, self._sender)
        mail["Auto-Submitted"] = "auto-generated"  # no vacation auto-replies
        mail.set_content(msg.text)
        if msg.html is not None:
            mail.add_alternative(msg.html, subtype="html")
        # After the body: making it multipart moves Content-* headers into the first part.
        mail["Content-Language"] = msg.locale
        return mail

    async def send(self, msg: OutboundMessage) -> Receipt:
        mail = self.build(msg)
        client = aiosmtplib.SMTP(
            hostname=self._hostname,
            port=self._port,
            use_tls=self._tls == "implicit",
            start_tls=False,  # done below, explicitly, so a missing STARTTLS is an error
            tls_context=self._tls_context,
            timeout=self._timeout,
        )
        try:
            async with client:
                if self._tls == "starttls":
                    await client.ehlo()
                    if not client.supports_extension("starttls"):
                        raise BadCredentials("server does not offer STARTTLS", raw_status="no tls")
                    await client.starttls()
                if self._username is not None and self._password is not None:
                    await client.login(self._username, self._password)
                _refused, final = await client.send_message(mail)
        except aiosmtplib.SMTPException as e:
            raise _map(e) from e
        except OSError as e:  # refused before aiosmtplib wraps it, TLS handshake failures
            raise TransientError(f"connection failed: {e}", raw_status="network") from e
        return Receipt(provider_message_id=str(mail["Message-ID"]), status="sent", raw_status=final)


def _map(e: aiosmtplib.SMTPException) -> DeliveryError:
    if isinstance(e, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in e.recipients]
        raw = "; ".join(f"{r.code} {r.message}" for r in e.recipients)
        if all(400 <= c < 500 for c in codes):
            return TransientError(raw, raw_status=raw)
        return PermanentError(raw, raw_status=raw)  # no such mailbox, policy refusal
    if isinstance(e, aiosmtplib.SMTPAuthenticationError):
        return BadCredentials(e.message, raw_status=f"{e.code} {e.message}")
    if isinstance(e, aiosmtplib.SMTPResponseException):
        raw = f"{e.code} {e.message}"
        if 400 <= e.code < 500:
            return TransientError(e.message, raw_status=raw)
        return PermanentError(e.message, raw_status=raw)
    if isinstance(e, aiosmtplib.SMTPNotSupported):
        # e.g. STARTTLS or AUTH not offered: a configuration problem, not a passing one.
        return BadCredentials(str(e), raw_status="not supported")
    # Connect errors, timeouts, disconnects.
    return TransientError(str(e) or type(e).__name__, raw_status="network")


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:MAX_SUBJECT]


def _message_id(key: str, sender: str) -> str:
    # A Message-ID derived from the outbox key makes a retried send recognisable downstream.
    domain = sender.rpartition("@")[2].strip(" >") or "localhost"
    if key and _SAFE_ID.fullmatch(key):
        return f"<{key}@{domain}>"
    return make_msgid(domain=domain)
