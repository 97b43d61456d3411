"""CWYS, "confirm what you see": transaction data and the codes bound to it.

Transaction data is a flat JSON object of string keys to strings or integers,
canonicalised with RFC 8785 (JCS) and hashed with SHA-256. Every code below is
computed from that hash, so any change of amount or payee changes the code
(PSD2 RTS Art. 5, dynamic linking). docs/cwys.md describes the flows.
"""

import base64
import hashlib
import hmac
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import rfc8785

from watchword.otp.errors import OTPError, ParameterError
from watchword.otp.hotp import truncate
from watchword.otp.ocra import OCRASuite

# Domain separation: these HMACs never collide with an OCRA message (which
# starts with "OCRA-1:") even when the token's own seed is the key.
CHALLENGE_LABEL = b"watchword-cwys-challenge-v1\x00"
CODE_LABEL = b"watchword-cwys-code-v1\x00"

MAX_FIELDS = 32
MAX_KEY_LENGTH = 64
MAX_VALUE_LENGTH = 256
MIN_NONCE_BYTES = 16
QR_MAX_BYTES = 2000  # well inside a version-40 QR code, still scannable on a phone
SAFE_INTEGER = 2**53 - 1  # RFC 8785 numbers are IEEE 754 doubles
DECIMAL = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")
# Characters that can hide or reorder what the user sees: controls, bidi overrides,
# zero-width joiners, unpaired surrogates.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # upper case only: easy to type

TransactionData = dict[str, str | int]


class TransactionDataError(OTPError):
    """Transaction data that cannot be signed; ``field`` names the culprit, if one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def validate_data(
    data: object,
    required_keys: Iterable[str] = (),
    *,
    decimal_keys: Iterable[str] = ("amount",),
) -> TransactionData:
    """Check ``data`` is signable and return it as a plain dict.

    ``decimal_keys`` must hold non-negative decimal strings such as ``"100.50"``
    (amounts travel as strings, never floats).
    """
    if not isinstance(data, Mapping):
        raise TransactionDataError("transaction data must be a JSON object")
    if not data:
        raise TransactionDataError("transaction data must not be empty")
    if len(data) > MAX_FIELDS:
        raise TransactionDataError(f"transaction data has more than {MAX_FIELDS} fields")
    checked: TransactionData = {}
    for key, value in data.items():
        if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
            raise TransactionDataError(
                f"field names must be strings of 1..{MAX_KEY_LENGTH} characters", str(key)
            )
        _check_text(key, key)
        checked[key] = _check_value(key, value)
    for key in required_keys:
        if key not in checked:
            raise TransactionDataError(f"required field {key!r} is missing", key)
    for key in decimal_keys:
        value = checked.get(key)
        if value is not None and not (isinstance(value, str) and DECIMAL.fullmatch(value)):
            raise TransactionDataError(
                f'field {key!r} must be a decimal string such as "100.50"', key
            )
    return checked


def _check_value(key: str, value: object) -> str | int:
    # bool first: it is a subclass of int.
    if isinstance(value, bool) or value is None:
        raise TransactionDataError(f"field {key!r}: booleans and null are not allowed", key)
    if isinstance(value, int):
        if abs(value) > SAFE_INTEGER:
            raise TransactionDataError(f"field {key!r}: integer beyond +-(2^53-1)", key)
        return value
    if isinstance(value, float):
        raise TransactionDataError(
            f'field {key!r}: floats are not allowed, send amounts as strings like "100.50"',
            key,
        )
    if isinstance(value, str):
        if len(value) > MAX_VALUE_LENGTH:
            raise TransactionDataError(
                f"field {key!r}: longer than {MAX_VALUE_LENGTH} characters", key
            )
        _check_text(key, value)
        return value
    raise TransactionDataError(
        f"field {key!r}: only strings and integers are allowed, no nesting", key
    )


def _check_text(key: str, text: str) -> None:
    for char in text:
        if unicodedata.category(char) in _HIDDEN_CATEGORIES:
            raise TransactionDataError(
                f"field {key!r}: invisible or control character U+{ord(char):04X}", key
            )


def canonical_bytes(data: object) -> bytes:
    """RFC 8785 canonical UTF-8 JSON of validated ``data``: key order does not matter."""
    return rfc8785.dumps(validate_data(data))


def data_hash(data: object) -> bytes:
    """SHA-256 of the canonical form: the 32 bytes every CWYS code is bound to."""
    return hashlib.sha256(canonical_bytes(data)).digest()


def _check_binding(digest: bytes, nonce: bytes) -> None:
    if len(digest) != hashlib.sha256().digest_size:
        raise ParameterError("data_hash must be the 32-byte SHA-256 of the canonical data")
    if len(nonce) < MIN_NONCE_BYTES:
        raise ParameterError(f"nonce must be at least {MIN_NONCE_BYTES} random bytes")


def _stream(key: bytes, digest: bytes, nonce: bytes, size: int) -> bytes:
    """``size`` pseudo-random bytes: HMAC-SHA256 blocks over label|i|hash|nonce."""
    blocks = b"".join(
        hmac.new(key, CHALLENGE_LABEL + bytes([i]) + digest + nonce, hashlib.sha256).digest()
        for i in range(math.ceil(size / 32))
    )
    return blocks[:size]


def ocra_challenge(key: bytes, data_hash: bytes, nonce: bytes, suite: OCRASuite) -> str:
    """The question an OCRA app token signs: bound to the data and fresh by the nonce.

    As long as the suite allows (its xx) and in its format: N decimal digits, A
    upper-case letters and digits, H upper-case hex. Use the token's seed as ``key``
    and a Watchword-aware app can recompute the challenge from the data it shows.
    """
    if not key:
        raise ParameterError("challenge key must not be empty")
    _check_binding(data_hash, nonce)
    length, fmt = suite.question_length, suite.question_format
    if fmt == "H":
        return _stream(key, data_hash, nonce, math.ceil(length / 2)).hex().upper()[:length]
    base = 10 if fmt == "N" else len(_ALPHANUMERIC)
    # 16 bytes beyond what is needed keep the modulo bias below 2^-128.
    size = math.ceil(length * math.log2(base) / 8) + 16
    number = int.from_bytes(_stream(key, data_hash, nonce, size), "big") % base**length
    chars = []
    for _ in range(length):
        number, rest = divmod(number, base)
        chars.append(_ALPHANUMERIC[rest])
    return "".join(reversed(chars))


def delivered_code(key: bytes, data_hash: bytes, nonce: bytes, digits: int) -> str:
    """A code for delivered kinds (sms, email, bots), bound to data hash and nonce.

    HMAC-SHA256 with HOTP dynamic truncation (RFC 4226 section 5.3). The server
    can recompute it at verify time, so it need not store the code.
    """
    if not 6 <= digits <= 10:
        raise ParameterError(f"digits must be 6..10, not {digits}")
    if not key:
        raise ParameterError("code key must not be empty")
    _check_binding(data_hash, nonce)
    mac = hmac.new(key, CODE_LABEL + data_hash + nonce, hashlib.sha256).digest()
    return truncate(mac, digits)


_TEMPLATE_PART = re.compile(r"\{([^{}:]+)(?::([a-z]+)([0-9]*))?\}|([0-9]+)")


def keypad_challenge(data: object, template: str, suite: OCRASuite) -> str:
    """Digits the user can see in the data, for an OCRA keypad token with no screen.

    ``template`` is a sequence of literal digits and ``{field}``, ``{field:digits}``
    (every digit of the value), ``{field:lastN}`` or ``{field:firstN}`` (its last or
    first N digits). ``{payee:last4}{amount:digits}`` with payee "UA21...7711" and
    amount "100.50" gives "771110050". The result must fit the suite's QN length.
    """
    if suite.question_format != "N":
        raise ParameterError(f"keypad challenges need a numeric suite (QN), not {suite.text!r}")
    checked = validate_data(data)
    position, out = 0, []
    for match in _TEMPLATE_PART.finditer(template):
        if match.start() != position:
            break
        position = match.end()
        field, op, count, literal = match.groups()
        out.append(literal or _field_digits(checked, field, op or "digits", count))
    if position != len(template) or not template:
        raise ParameterError(f"keypad template {template!r} is invalid at character {position}")
    challenge = "".join(out)
    if len(challenge) > suite.question_length:
        raise TransactionDataError(
            f"keypad challenge has {len(challenge)} digits, suite {suite.text!r} "
            f"takes at most {suite.question_length}"
        )
    return challenge


def _field_digits(data: TransactionData, field: str, op: str, count: str) -> str:
    if field not in data:
        raise TransactionDataError(f"keypad template needs field {field!r}", field)
    digits = "".join(c for c in str(data[field]) if c in "0123456789")
    if op == "digits" and not count:
        wanted = len(digits)
    elif op in ("last", "first") and count and int(count) > 0:
        wanted = int(count)
    else:
        raise ParameterError(f"keypad template: unknown operation {op + count!r} on {field!r}")
    if not digits or len(digits) < wanted:
        raise TransactionDataError(
            f"field {field!r} has {len(digits)} digits, the keypad template wants {wanted}",
            field,
        )
    return digits[:wanted] if op == "first" else digits[len(digits) - wanted :]


@dataclass(frozen=True, slots=True)
class QRPayload:
    transaction_id: str
    data: TransactionData
    challenge: str
    nonce: bytes | None = None


def qr_payload(
    transaction_id: str, data: object, challenge: str, *, nonce: bytes | None = None
) -> str:
    """What an OCRA app scans: RFC 8785 JSON ``{"cwys":1,"data":{...},"q":...,"tx":...}``.

    ``n`` (the nonce, base64url without padding) is added when given, so an app
    holding the seed can check that ``q`` belongs to the data it shows.
    """
    payload: dict[str, str | int | TransactionData] = {
        "cwys": 1,
        "tx": transaction_id,
        "data": validate_data(data),
        "q": challenge,
    }
    if nonce is not None:
        payload["n"] = base64.urlsafe_b64encode(nonce).decode().rstrip("=")
    text = rfc8785.dumps(payload)
    if len(text) > QR_MAX_BYTES:
        raise TransactionDataError(f"QR payload is {len(text)} bytes, at most {QR_MAX_BYTES}")
    return text.decode("utf-8")


def parse_qr_payload(text: str) -> QRPayload:
    """Read a payload made by ``qr_payload`` (what an app does before showing the data)."""
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise TransactionDataError("QR payload is not JSON") from exc
    if not isinstance(payload, dict) or payload.get("cwys") != 1:
        raise TransactionDataError("not a version-1 CWYS payload")
    tx, q, n = payload.get("tx"), payload.get("q"), payload.get("n")
    if not isinstance(tx, str) or not isinstance(q, str) or not isinstance(n, str | None):
        raise TransactionDataError("CWYS payload needs string tx and q")
    try:
        nonce = None if n is None else base64.urlsafe_b64decode(n + "=" * (-len(n) % 4))
    except ValueError as exc:
        raise TransactionDataError("CWYS payload nonce is not base64url") from exc
    return QRPayload(tx, validate_data(payload.get("data")), q, nonce)
