"""otpauth:// URIs that authenticator apps parse."""

from urllib.parse import parse_qs, urlparse

import pyotp

from watchword.otp.uri import b32decode, b32encode, key_uri

SECRET = b"12345678901234567890"


def test_totp_uri_round_trips_through_pyotp() -> None:
    uri = key_uri(kind="totp", secret=SECRET, issuer="Acme Pay", account="alice@example.com",
                  digits=6, algorithm="SHA1", period=30)
    parsed = pyotp.parse_uri(uri)
    assert isinstance(parsed, pyotp.TOTP)
    assert parsed.issuer == "Acme Pay"
    assert parsed.name == "alice@example.com"
    assert parsed.byte_secret() == SECRET


def test_uri_carries_issuer_in_label_and_parameter() -> None:
    uri = key_uri(kind="hotp", secret=SECRET, issuer="Bank", account="bob", digits=8,
                  algorithm="SHA256", counter=0)
    parts = urlparse(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "hotp"
    assert parts.path == "/Bank:bob"
    query = parse_qs(parts.query)
    assert query["issuer"] == ["Bank"]
    assert query["digits"] == ["8"] and query["algorithm"] == ["SHA256"]
    assert query["counter"] == ["0"]


def test_base32_without_padding_round_trips() -> None:
    text = b32encode(b"\x01\x02\x03")
    assert "=" not in text
    assert b32decode(text.lower()) == b"\x01\x02\x03"
