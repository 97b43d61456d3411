"""Column types shared by every table."""

import json
import os
import threading
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: comparisons work the same on SQLite and PG."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]


class JSONText(TypeDecorator[Any]):
    """JSON kept as text, so the schema is identical on both databases."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, separators=(",", ":"))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


_last_ms = 0
_seq = 0
_id_lock = threading.Lock()


def new_id() -> str:
    """A time-ordered 128-bit id (UUIDv7 layout), so cursor paging follows creation order.

    Ids made in the same millisecond by one process count up in the 12 bits after the
    version (RFC 9562, method 1), so they sort in the order they were made.
    """
    global _last_ms, _seq
    with _id_lock:
        ms = int(time.time() * 1000)
        if ms <= _last_ms:
            ms, _seq = _last_ms, _seq + 1
            if _seq > 0xFFF:  # 4,096 ids in one millisecond: borrow the next one
                ms, _seq = ms + 1, 0
        else:
            _seq = 0
        _last_ms = ms
        seq = _seq
    rand = bytearray(os.urandom(8))
    rand[0] = (rand[0] & 0x3F) | 0x80  # RFC 4122 variant
    raw = ms.to_bytes(6, "big") + (0x7000 | seq).to_bytes(2, "big") + bytes(rand)
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
