"""A real aiosmtpd server on loopback with STARTTLS (self-signed cert) and AUTH."""

import datetime
import ipaddress
import ssl
import tempfile
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.fakes.server import free_port


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """A P-256 certificate for 127.0.0.1 / localhost, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool
    login: str | None


@dataclass
class Handler:
    refuse_rcpt: str | None = None  # e.g. "550 5.1.1 No such user" or "452 4.2.2 Mailbox full"
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = message_from_bytes(content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        login = (
            session.auth_data.login.decode()
            if isinstance(session.auth_data, LoginPassword)
            else None
        )
        self.received.append(
            Received(
                str(envelope.mail_from),
                list(envelope.rcpt_tos),
                message,
                session.ssl is not None,
                login,
            )
        )
        return "250 Message accepted for delivery"


class FakeSmtpServer:
    """``with FakeSmtpServer() as smtp``: STARTTLS and AUTH required; ``tls=False``: a plain
    relay with neither (AUTH is never offered in clear)."""

    def __init__(
        self, *, username: str = "mailer", password: str = "s3cret", tls: bool = True
    ) -> None:
        self.username, self.password = username, password
        self.handler = Handler()
        self.port = free_port()
        self._tmp = tempfile.TemporaryDirectory()
        kwargs: dict[str, Any] = {}
        self.client_context: ssl.SSLContext | None = None
        self.ca_pem: str | None = None  # the certificate, for a client that trusts only it
        if tls:
            cert, key = self_signed_cert(Path(self._tmp.name))
            server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_ctx.load_cert_chain(cert, key)
            self.client_context = ssl.create_default_context(cafile=str(cert))
            self.ca_pem = cert.read_text()
            kwargs = {"tls_context": server_ctx, "require_starttls": True}
        self._controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self._authenticate,
            auth_required=tls,
            **kwargs,
        )

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (self.username, self.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def __enter__(self) -> "FakeSmtpServer":
        self._controller.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._controller.stop()
        self._tmp.cleanup()
