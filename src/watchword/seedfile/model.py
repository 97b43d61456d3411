"""What a seed file yields: records ready to become inventory tokens, and what was skipped.

The model is apart from the wire formats (PSKC, CSV): both parsers build these
values, and ``SeedRecord`` checks its own invariants, so a record that exists
is one the OTP code can use.
"""

import re
from dataclasses import dataclass, field
from typing import Literal, get_args

from watchword.seedfile.errors import InvalidRecord

Kind = Literal["hotp", "totp", "ocra"]
Algorithm = Literal["SHA1", "SHA256", "SHA512"]

KINDS: tuple[str, ...] = get_args(Kind)
ALGORITHMS: tuple[str, ...] = get_args(Algorithm)

MAX_SERIAL_LENGTH = 128
# Codes of HOTP/TOTP: what watchword.otp.hotp.HOTP accepts.
OTP_DIGITS = range(6, 11)
# RFC 6287 section 5.1: 0 (no truncation) or 4..10.
OCRA_DIGITS = (0, *range(4, 11))

_OCRA_CRYPTO = re.compile(r"^OCRA-1:HOTP-SHA(1|256|512)-(\d{1,2}):[A-Za-z0-9\-]+")


def ocra_suite_parameters(suite: str) -> tuple[Algorithm, int]:
    """The hash and digit count an RFC 6287 suite names, e.g. ``OCRA-1:HOTP-SHA1-6:QN08``.

    Only the CryptoFunction part is read; the DataInput part is checked by the
    OCRA code that computes responses.
    """
    match = _OCRA_CRYPTO.match(suite)
    if match is None:
        raise InvalidRecord("bad_ocra_suite", suite[:80])
    algorithm: Algorithm = {"1": "SHA1", "256": "SHA256", "512": "SHA512"}[match.group(1)]  # type: ignore[assignment]
    digits = int(match.group(2))
    if digits not in OCRA_DIGITS:
        raise InvalidRecord("bad_ocra_suite", suite[:80])
    return algorithm, digits


@dataclass(frozen=True, slots=True)
class SeedRecord:
    """One token seed from a vendor file. ``secret`` never shows in repr."""

    serial: str
    secret: bytes = field(repr=False)
    kind: Kind
    digits: int
    period: int | None
    algorithm: Algorithm
    counter: int
    ocra_suite: str | None
    vendor: str | None
    model: str | None

    def __post_init__(self) -> None:
        if not 0 < len(self.serial) <= MAX_SERIAL_LENGTH or not self.serial.isprintable():
            raise InvalidRecord("bad_serial", "empty, too long or not printable")
        if not self.secret:
            raise InvalidRecord("bad_secret", "empty secret")
        if self.kind not in KINDS:
            raise InvalidRecord("bad_kind", str(self.kind))
        if self.algorithm not in ALGORITHMS:
            raise InvalidRecord("bad_algorithm", str(self.algorithm))
        if self.counter < 0:
            raise InvalidRecord("bad_counter", "negative counter")
        if self.kind == "totp":
            if self.period is None or self.period <= 0:
                raise InvalidRecord("bad_period", f"TOTP needs a positive period: {self.period}")
        elif self.period is not None:
            raise InvalidRecord("bad_period", f"{self.kind} has no period")
        if self.kind == "ocra":
            self._check_ocra()
        else:
            if self.ocra_suite is not None:
                raise InvalidRecord("bad_ocra_suite", f"{self.kind} has no OCRA suite")
            if self.digits not in OTP_DIGITS:
                raise InvalidRecord("bad_digits", f"{self.digits} not in 6..10")

    def _check_ocra(self) -> None:
        if self.ocra_suite is None:
            raise InvalidRecord("bad_ocra_suite", "OCRA needs a suite")
        algorithm, digits = ocra_suite_parameters(self.ocra_suite)
        # The suite is the authority: digits/algorithm must not contradict it.
        if (algorithm, digits) != (self.algorithm, self.digits):
            raise InvalidRecord("bad_ocra_suite", "digits or algorithm differ from the suite")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record left out of the batch; ``reason`` is a stable snake_case code."""

    serial: str | None
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ParsedBatch:
    """The importable records of one file, and those skipped with their reasons.

    ``vendor``/``model`` are set when every record agrees on them.
    """

    records: list[SeedRecord]
    skipped: list[Skipped]
    vendor: str | None
    model: str | None

    @property
    def count(self) -> int:
        return len(self.records)

    @property
    def serials(self) -> list[str]:
        return [record.serial for record in self.records]


def common_value(values: list[str | None]) -> str | None:
    """The one value all records share, else None (a mixed batch has no single vendor)."""
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


class BatchBuilder:
    """Collects a file's records in order; a serial seen twice is skipped, not replaced."""

    def __init__(self) -> None:
        self._records: dict[str, SeedRecord] = {}
        self._skipped: list[Skipped] = []

    def add(self, record: SeedRecord, where: str = "") -> None:
        if record.serial in self._records:
            prefix = f"{where}: " if where else ""
            self.skip(
                record.serial, "duplicate_serial", prefix + "serial already seen in this file"
            )
        else:
            self._records[record.serial] = record

    def skip(self, serial: str | None, reason: str, detail: str = "") -> None:
        self._skipped.append(Skipped(serial, reason, detail))

    def build(self) -> ParsedBatch:
        records = list(self._records.values())
        return ParsedBatch(
            records=records,
            skipped=list(self._skipped),
            vendor=common_value([r.vendor for r in records]),
            model=common_value([r.model for r in records]),
        )
