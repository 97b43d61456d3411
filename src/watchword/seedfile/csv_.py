"""Read a CSV seed list: ``serial,secret[,kind,digits,period,algorithm,counter]``.

Choices (documented for admins in the import page):

- An optional header line starting with ``serial`` names the columns; then
  the order is free and ``vendor``, ``model`` and ``ocra_suite`` may be added.
  Without a header the seven columns above are read by position.
- Delimiter ``,``; ``;`` or a tab are taken if the first line uses them
  instead (spreadsheet exports in many locales). Blank lines and lines
  starting with ``#`` are ignored.
- The secret is hex if it is all hex digits of even length, else base32
  (padding optional, case and spaces ignored). A base32 secret made only of
  ``2-7`` and ``A-F`` would read as hex, so ``hex:`` / ``base32:`` prefixes
  force the reading.
- Defaults: kind ``totp`` (the common vendor card; an HOTP row must say
  ``hotp``), digits 6, period 30, SHA1, counter 0. A TOTP row with a non-zero
  counter is skipped: it most likely has its columns shifted.
- For ``ocra`` rows the ``algorithm`` column holds the RFC 6287 suite (unless
  an ``ocra_suite`` column is present); digits and hash then come from it.
- A bad row is skipped with its reason; a file that is not UTF-8 text or
  holds no rows is rejected.
"""

import base64
import binascii
import csv
import string
from typing import cast

from watchword.seedfile.errors import FileRejected, InvalidRecord
from watchword.seedfile.model import KINDS, BatchBuilder, Kind, ParsedBatch, SeedRecord
from watchword.seedfile.profiles import Profile, hash_of, profile_of

POSITIONAL = ("serial", "secret", "kind", "digits", "period", "algorithm", "counter")
NAMED = (*POSITIONAL, "vendor", "model", "ocra_suite")
DEFAULT_KIND: Kind = "totp"
DEFAULT_DIGITS = 6
DEFAULT_PERIOD = 30
_HEX = frozenset(string.hexdigits)


def decode_secret(raw: str) -> bytes:
    """Hex or base32 text to bytes (see the module docstring for the rule)."""
    value = "".join(raw.split())
    prefix, sep, rest = value.partition(":")
    forced = prefix.lower() if sep else ""
    try:
        if forced in ("hex", "0x") or value.lower().startswith("0x"):
            return bytes.fromhex(rest if forced == "hex" else value[2:])
        if forced in ("base32", "b32"):
            return _base32(rest)
        if value and len(value) % 2 == 0 and set(value) <= _HEX:
            return bytes.fromhex(value)
        return _base32(value)
    except (ValueError, binascii.Error):
        raise InvalidRecord("bad_secret", "neither hex nor base32") from None


def _base32(value: str) -> bytes:
    value = value.upper().rstrip("=")
    if not value:
        raise ValueError("empty")
    return base64.b32decode(value + "=" * (-len(value) % 8))


def _int(value: str, reason: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise InvalidRecord(reason, f"not a whole number: {value[:20]!r}")
    return int(value)


def _kind(value: str) -> Kind:
    kind = value.lower() or DEFAULT_KIND
    if kind not in KINDS:
        raise InvalidRecord("bad_kind", kind[:20])
    return cast(Kind, kind)


def _profile(kind: Kind, fields: dict[str, str]) -> Profile:
    if kind == "ocra":
        suite = fields.get("ocra_suite") or fields.get("algorithm", "")
        return profile_of("ocra", suite or None)
    return Profile(kind, hash_of(fields.get("algorithm") or None))


def record_of(fields: dict[str, str]) -> SeedRecord:
    """Build a record from one row's named, stripped cells (missing = empty)."""
    kind = _kind(fields.get("kind", ""))
    profile = _profile(kind, fields)
    digits = fields.get("digits", "")
    period = fields.get("period", "")
    counter = _int(fields.get("counter") or "0", "bad_counter")
    if kind == "totp" and counter:
        raise InvalidRecord("bad_counter", "a TOTP row has no counter")
    if kind != "totp" and period:
        raise InvalidRecord("bad_period", f"{kind} has no period")
    if profile.digits is not None and digits and _int(digits, "bad_digits") != profile.digits:
        raise InvalidRecord("bad_digits", "digits differ from the OCRA suite")
    return SeedRecord(
        serial=fields.get("serial", ""),
        secret=decode_secret(fields.get("secret", "")),
        kind=kind,
        digits=profile.digits
        if profile.digits is not None
        else _int(digits or str(DEFAULT_DIGITS), "bad_digits"),
        period=_int(period or str(DEFAULT_PERIOD), "bad_period") if kind == "totp" else None,
        algorithm=profile.algorithm,
        counter=counter,
        ocra_suite=profile.ocra_suite,
        vendor=fields.get("vendor") or None,
        model=fields.get("model") or None,
    )


def _text(data: bytes) -> str:
    if b"\x00" in data:
        raise FileRejected("not_text", "NUL bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected("not_text", "not UTF-8") from None


def _rows(text: str) -> list[tuple[int, list[str]]]:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    first = lines[0][1]
    delimiter = next((d for d in (",", ";", "\t") if d in first), ",")
    rows = []
    for number, line in lines:
        # One line is one row: a quoted newline has no place in a seed list.
        try:
            cells = next(csv.reader([line], delimiter=delimiter))
        except csv.Error as exc:
            raise FileRejected("not_text", f"line {number}: {exc}") from None
        rows.append((number, [cell.strip() for cell in cells]))
    return rows


def _columns(rows: list[tuple[int, list[str]]]) -> tuple[tuple[str, ...], bool]:
    """The column names and whether the first row was a header naming them."""
    first = [cell.lower() for cell in rows[0][1]]
    if first[0] != "serial":
        return POSITIONAL, False
    unknown = [name for name in first if name not in NAMED]
    if unknown or "secret" not in first or len(set(first)) != len(first):
        raise FileRejected("csv_header", f"columns {first}")
    return tuple(first), True


def parse_csv(data: bytes, *, max_bytes: int) -> ParsedBatch:
    """Parse CSV seed text; bad rows are skipped, a non-CSV file is rejected."""
    if len(data) > max_bytes:
        raise FileRejected("too_large", f"{len(data)} bytes > {max_bytes}")
    rows = _rows(_text(data))
    if not rows:
        raise FileRejected("empty")
    columns, has_header = _columns(rows)
    if has_header:
        rows = rows[1:]
    if not rows:
        raise FileRejected("empty", "header only")
    builder = BatchBuilder()
    for line, cells in rows:
        serial = cells[0] or None
        if len(cells) > len(columns):
            builder.skip(serial, "bad_row", f"line {line}: {len(cells)} columns")
            continue
        try:
            # Missing trailing cells take their defaults.
            builder.add(record_of(dict(zip(columns, cells, strict=False))), f"line {line}")
        except InvalidRecord as exc:
            builder.skip(serial, exc.reason, f"line {line}: {exc.detail}")
    return builder.build()
