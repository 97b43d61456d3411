"""OCRA, RFC 6287: OATH challenge-response over a suite of data inputs.

A suite such as ``OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1`` names the HMAC, the
truncation and the inputs. The message is::

    suite (ASCII) | 0x00 | C (8 B) | Q (128 B) | P (hash of PIN) | S (session) | T (8 B)

with only the inputs the suite names. Counters, time steps, questions and PINs
are all arguments: nothing here reads a clock or a random source.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import quote

from watchword.otp.errors import ParameterError
from watchword.otp.hotp import ALGORITHMS, truncate
from watchword.otp.uri import b32encode

QUESTION_FIELD = 128  # bytes of the Q field, whatever the suite's xx
SESSION_LENGTHS = (64, 128, 256, 512)
_UNIT_SECONDS = {"S": 1, "M": 60, "H": 3600}
_UNIT_MAX = {"S": 59, "M": 59, "H": 48}  # RFC 6287 section 5.1 with erratum 3729
_COUNTER_LIMIT = 2**64
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")

_CRYPTO = re.compile(r"HOTP-(SHA1|SHA256|SHA512)-(0|[4-9]|10)")
# One pattern per data input, in the order the RFC puts them into the message.
_INPUTS = (
    ("C", re.compile(r"C")),
    ("Q", re.compile(r"Q(?:([ANH])([0-9][0-9]))?")),
    ("P", re.compile(r"P(SHA1|SHA256|SHA512)?")),
    ("S", re.compile(r"S(064|128|256|512)?")),
    ("T", re.compile(r"T(?:([1-9][0-9]?)([SMH]))?")),
)


@dataclass(frozen=True, slots=True)
class OCRASuite:
    """A parsed OCRA suite. ``text`` is kept verbatim: it is part of the HMAC input."""

    text: str
    algorithm: str  # SHA1 | SHA256 | SHA512
    digits: int  # 0 = no truncation (full HMAC, hex), else 4..10
    counter: bool
    question_format: str  # A | N | H
    question_length: int  # 4..64, the longest question the token accepts
    pin_algorithm: str | None = None
    session_length: int | None = None  # bytes
    time_step_seconds: int | None = None

    @classmethod
    def parse(cls, text: str) -> "OCRASuite":
        """Parse ``OCRA-1:HOTP-<H>-<t>:<DataInput>``; ParameterError says what is wrong."""
        parts = text.split(":")
        if len(parts) != 3:
            raise ParameterError(f"OCRA suite {text!r} must have three ':'-separated parts")
        version, crypto, data_input = parts
        if version != "OCRA-1":
            raise ParameterError(f"OCRA suite {text!r}: unsupported algorithm {version!r}")
        crypto_match = _CRYPTO.fullmatch(crypto)
        if crypto_match is None:
            raise ParameterError(
                f"OCRA suite {text!r}: crypto function {crypto!r} is not "
                "HOTP-SHA1|SHA256|SHA512-t with t = 0 or 4..10"
            )
        inputs = _parse_data_input(text, data_input)
        return cls(
            text=text,
            algorithm=crypto_match.group(1),
            digits=int(crypto_match.group(2)),
            counter=inputs.counter,
            question_format=inputs.question_format,
            question_length=inputs.question_length,
            pin_algorithm=inputs.pin_algorithm,
            session_length=inputs.session_length,
            time_step_seconds=inputs.time_step_seconds,
        )

    def __str__(self) -> str:
        return self.text

    @property
    def timed(self) -> bool:
        return self.time_step_seconds is not None

    def time_step(self, unix_time: float) -> int:
        """The T input for ``unix_time``: whole time steps since the Unix epoch."""
        if self.time_step_seconds is None:
            raise ParameterError(f"OCRA suite {self.text!r} has no time input")
        return int(unix_time // self.time_step_seconds)

    def check_question(self, question: str) -> None:
        """Refuse a question the token would not accept: wrong alphabet or longer than xx.

        ``ocra()`` itself allows up to 128 bytes, since the mutual mode of RFC 6287
        section 7.3 concatenates two questions into one Q field.
        """
        question_bytes(self, question)
        if len(question) > self.question_length:
            raise ParameterError(
                f"question has {len(question)} characters, suite {self.text!r} "
                f"allows at most {self.question_length}"
            )


@dataclass(slots=True)
class _Inputs:
    counter: bool = False
    question_format: str = ""
    question_length: int = 0
    pin_algorithm: str | None = None
    session_length: int | None = None
    time_step_seconds: int | None = None


def _match_input(text: str, element: str) -> tuple[int, str, re.Match[str]]:
    for index, (letter, pattern) in enumerate(_INPUTS):
        match = pattern.fullmatch(element)
        if match is not None:
            return index, letter, match
    raise ParameterError(f"OCRA suite {text!r}: unknown data input {element!r}")


def _parse_data_input(text: str, data_input: str) -> _Inputs:
    inputs = _Inputs()
    position = 0
    for element in data_input.split("-"):
        index, letter, match = _match_input(text, element)
        if index < position:
            raise ParameterError(
                f"OCRA suite {text!r}: data input {element!r} is repeated or out of "
                "order (C, Q, P, S, T)"
            )
        position = index + 1
        if letter == "C":
            inputs.counter = True
        elif letter == "Q":
            fmt, length = match.group(1) or "N", int(match.group(2) or "08")
            if not 4 <= length <= 64:
                raise ParameterError(f"OCRA suite {text!r}: question length must be 04..64")
            inputs.question_format, inputs.question_length = fmt, length
        elif letter == "P":
            inputs.pin_algorithm = match.group(1) or "SHA1"
        elif letter == "S":
            inputs.session_length = int(match.group(1) or "064")
        else:
            amount, unit = int(match.group(1) or "1"), match.group(2) or "M"
            if amount > _UNIT_MAX[unit]:
                raise ParameterError(
                    f"OCRA suite {text!r}: time step {element!r} out of range (1-59S, 1-59M, 1-48H)"
                )
            inputs.time_step_seconds = amount * _UNIT_SECONDS[unit]
    if not inputs.question_format:
        raise ParameterError(f"OCRA suite {text!r}: the question input Q is required")
    return inputs


def question_bytes(suite: OCRASuite, question: str) -> bytes:
    """Encode a question as RFC 6287 section 5.2 says, before zero padding to 128 bytes.

    N: the decimal number as hex, right-padded with one ``0`` to whole bytes;
    A: the ASCII characters; H: the hex digits, right-padded likewise.
    """
    if not question or not question.isascii():
        raise ParameterError("question must be non-empty ASCII")
    if len(question) > 2 * QUESTION_FIELD:
        raise ParameterError(f"question does not fit the {QUESTION_FIELD}-byte Q field")
    fmt = suite.question_format
    if fmt == "A":
        if not question.isalnum():
            raise ParameterError(f"question {question!r} must be alphanumeric (QA)")
        encoded = question.encode("ascii")
    else:
        if fmt == "N" and not question.isdigit():
            raise ParameterError(f"question {question!r} must be decimal digits (QN)")
        if fmt == "H" and not all(c in _HEX_DIGITS for c in question):
            raise ParameterError(f"question {question!r} must be hex digits (QH)")
        hex_text = format(int(question), "x") if fmt == "N" else question
        encoded = bytes.fromhex(hex_text + "0" * (len(hex_text) % 2))
    if len(encoded) > QUESTION_FIELD:
        raise ParameterError(f"question does not fit the {QUESTION_FIELD}-byte Q field")
    return encoded


def ocra(
    suite: OCRASuite | str,
    key: bytes,
    *,
    question: str,
    counter: int | None = None,
    pin: str | None = None,
    pin_hash: bytes | None = None,
    session: bytes | None = None,
    time_step: int | None = None,
) -> str:
    """The OCRA response for one set of inputs.

    Give exactly the inputs the suite names: ``counter`` for C; ``pin`` (UTF-8,
    hashed here) or ``pin_hash`` (already hashed) for P; ``session`` (at most the
    suite's S bytes, left-padded with zeros like the RFC's reference code) for S;
    ``time_step`` (see ``OCRASuite.time_step``) for T. A missing or surplus input
    raises ParameterError, so a caller cannot silently sign the wrong message.
    With truncation 0 the result is the whole HMAC in lower-case hex.
    """
    if isinstance(suite, str):
        suite = OCRASuite.parse(suite)
    if not key:
        raise ParameterError("OCRA key must not be empty")
    message = bytearray(suite.text.encode("ascii") + b"\x00")
    if _expects(suite.counter, counter, "counter C") and counter is not None:
        if not 0 <= counter < _COUNTER_LIMIT:
            raise ParameterError("counter must be 0..2^64-1")
        message += counter.to_bytes(8, "big")
    message += question_bytes(suite, question).ljust(QUESTION_FIELD, b"\x00")
    if suite.pin_algorithm is not None:
        message += _pin_digest(suite.pin_algorithm, pin, pin_hash)
    elif pin is not None or pin_hash is not None:
        raise ParameterError(f"suite {suite.text!r} has no PIN input P")
    if _expects(suite.session_length is not None, session, "session S") and session is not None:
        length = suite.session_length or 0
        if len(session) > length:
            raise ParameterError(f"session is {len(session)} bytes, suite allows {length}")
        message += session.rjust(length, b"\x00")
    if _expects(suite.timed, time_step, "time step T") and time_step is not None:
        if not 0 <= time_step < _COUNTER_LIMIT:
            raise ParameterError("time step must be 0..2^64-1")
        message += time_step.to_bytes(8, "big")
    digest = hmac.new(key, bytes(message), ALGORITHMS[suite.algorithm]).digest()
    return digest.hex() if suite.digits == 0 else truncate(digest, suite.digits)


def _expects(named: bool, value: object, what: str) -> bool:
    if named and value is None:
        raise ParameterError(f"the suite needs the {what}")
    if not named and value is not None:
        raise ParameterError(f"the suite has no {what}")
    return named


def _pin_digest(algorithm: str, pin: str | None, pin_hash: bytes | None) -> bytes:
    if (pin is None) == (pin_hash is None):
        raise ParameterError("the suite needs the PIN input P: give pin or pin_hash, not both")
    if pin is not None:
        return hashlib.new(algorithm.lower(), pin.encode("utf-8")).digest()
    size = hashlib.new(algorithm.lower()).digest_size
    if pin_hash is None or len(pin_hash) != size:
        raise ParameterError(f"pin_hash must be the {size}-byte {algorithm} digest")
    return pin_hash


def hash_pin(suite: OCRASuite, pin: str) -> bytes:
    """The P input for ``pin``, so a store may keep the hash instead of the PIN."""
    if suite.pin_algorithm is None:
        raise ParameterError(f"suite {suite.text!r} has no PIN input P")
    return _pin_digest(suite.pin_algorithm, pin, None)


def ocra_key_uri(
    *,
    secret: bytes,
    issuer: str,
    account: str,
    suite: OCRASuite | str,
    counter: int | None = None,
) -> str:
    """Enrolment URI for OCRA apps.

    ``otpauth://ocra/Issuer:account?secret=B32&issuer=Issuer&ocrasuite=OCRA-1:...``
    (the ``otpauth`` key-URI form extended with ``ocrasuite``, read by several OCRA
    apps); ``counter`` is added for suites with a C input (default 0).
    """
    parsed = OCRASuite.parse(suite) if isinstance(suite, str) else suite
    label = quote(f"{issuer}:{account}", safe=":@")
    params: dict[str, str | int] = {
        "secret": b32encode(secret),
        "issuer": issuer,
        "ocrasuite": parsed.text,
    }
    if parsed.counter:
        params["counter"] = counter or 0
    # ':' stays literal so the suite reads as apps expect it.
    query = "&".join(f"{name}={quote(str(value), safe=':')}" for name, value in params.items())
    return f"otpauth://ocra/{label}?{query}"
