"""Vendor seed files (PSKC, RFC 6030, or CSV) read into importable token records.

Pure: bytes in, a ``ParsedBatch`` out or ``FileRejected``; no storage, no I/O.
The import service re-wraps each secret under our key and stores the batch as
unassigned inventory.

    batch = parse_seed_file(data, "cards.pskcxml", key_hex=None, password="...")
"""

from pathlib import PurePath

from watchword.seedfile.csv_ import parse_csv
from watchword.seedfile.errors import REJECTION_CODES, FileRejected, InvalidRecord, SeedFileError
from watchword.seedfile.model import ParsedBatch, SeedRecord, Skipped
from watchword.seedfile.pskc import DEFAULT_MAX_BYTES, check_size, parse_pskc
from watchword.seedfile.xmlsafe import looks_like_xml

__all__ = [
    "DEFAULT_MAX_BYTES",
    "REJECTION_CODES",
    "FileRejected",
    "InvalidRecord",
    "ParsedBatch",
    "SeedFileError",
    "SeedRecord",
    "Skipped",
    "parse_csv",
    "parse_pskc",
    "parse_seed_file",
]

_XML_NAMES = frozenset({".xml", ".pskc", ".pskcxml"})


def parse_seed_file(
    data: bytes,
    filename: str | None = None,
    *,
    key_hex: str | None = None,
    password: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParsedBatch:
    """Parse a seed file, choosing PSKC or CSV by its content.

    The file name only sharpens the error: a ``.pskcxml`` that is not XML is
    ``not_xml`` rather than being read as CSV.
    """
    check_size(data, max_bytes)
    if not data.strip():
        raise FileRejected("empty")
    if looks_like_xml(data):
        return parse_pskc(data, key_hex=key_hex, password=password, max_bytes=max_bytes)
    if filename is not None and PurePath(filename).suffix.lower() in _XML_NAMES:
        raise FileRejected("not_xml", f"named {PurePath(filename).name!r}")
    return parse_csv(data, max_bytes=max_bytes)
