"""otpauth:// key URIs in the Google Authenticator key-URI format."""

import base64
from urllib.parse import quote, urlencode


def b32encode(secret: bytes) -> str:
    """Base32 without padding, the form authenticator apps expect."""
    return base64.b32encode(secret).decode().rstrip("=")


def b32decode(text: str) -> bytes:
    """Decode base32 leniently: spaces, lower case and missing padding are accepted."""
    cleaned = text.replace(" ", "").replace("-", "").upper()
    cleaned += "=" * (-len(cleaned) % 8)
    return base64.b32decode(cleaned, casefold=True)


def key_uri(
    *,
    kind: str,
    secret: bytes,
    issuer: str,
    account: str,
    digits: int,
    algorithm: str,
    period: int | None = None,
    counter: int | None = None,
) -> str:
    """Build ``otpauth://totp/Issuer:account?secret=...&issuer=...``.

    The issuer appears both as label prefix and as parameter, which is what
    Google Authenticator, FreeOTP and Aegis all read.
    """
    if kind not in ("totp", "hotp"):
        raise ValueError(f"no key URI for kind {kind!r}")
    label = quote(f"{issuer}:{account}", safe=":@")
    params: dict[str, str | int] = {
        "secret": b32encode(secret),
        "issuer": issuer,
        "algorithm": algorithm,
        "digits": digits,
    }
    if kind == "totp":
        params["period"] = period or 30
    else:
        params["counter"] = counter or 0
    return f"otpauth://{kind}/{label}?{urlencode(params, quote_via=quote)}"
