"""Every column sealed with the key ring, described once, for rotation and key census.

A sealed value is a blob column plus the id of the key that made it, in the same
row; its associated data is built from the row's id columns. Rotation reads the
rows whose key id is not the current one and rewrites each with a compare-and-set
on the old key id, so a row changed meanwhile (re-sealed, deleted) is left alone.
"""

from dataclasses import dataclass

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.delivery import channel_configs, outbox
from watchword.store.hardware import orders, payment_secrets
from watchword.store.keyring import Sealed
from watchword.store.pins import token_pins
from watchword.store.tables import tokens


@dataclass(frozen=True, slots=True)
class SealedColumn:
    """``aad`` is a format string over the id columns (what the sealing code binds to)."""

    kind: str
    table: Table
    ids: tuple[str, ...]
    blob: str
    key_id: str
    aad: str

    def aad_for(self, ids: tuple[str, ...]) -> str:
        return self.aad.format(**dict(zip(self.ids, ids, strict=True)))


# The aad formats must match the sealing code: services/seeds.py, services/enrol_ocra.py,
# services/payments.py, services/orders.py, delivery/registry.py, delivery/outbox.py.
SEALED_COLUMNS: tuple[SealedColumn, ...] = (
    SealedColumn("token_seed", tokens, ("id",), "secret", "secret_key_id", "token:{id}"),
    SealedColumn(
        "ocra_pin", token_pins, ("token_id",), "pin_hash", "key_id", "token-pin:{token_id}"
    ),
    SealedColumn(
        "payment_webhook_secret",
        payment_secrets,
        ("tenant_id",),
        "secret",
        "secret_key_id",
        "payment-webhook:{tenant_id}",
    ),
    SealedColumn("order_address", orders, ("id",), "address", "address_key_id", "order:{id}"),
    SealedColumn(
        "channel_credentials",
        channel_configs,
        ("tenant_id", "channel"),
        "secret",
        "secret_key_id",
        "channel:{tenant_id}:{channel}",
    ),
    SealedColumn("outbox_payload", outbox, ("id",), "payload", "payload_key_id", "outbox:{id}"),
)


@dataclass(frozen=True, slots=True)
class SealedRow:
    ids: tuple[str, ...]
    sealed: Sealed


class SealedRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def stale(self, col: SealedColumn, current_key_id: str, limit: int) -> list[SealedRow]:
        """Up to ``limit`` rows sealed under a key other than the current one."""
        t = col.table
        query = (
            select(*(t.c[i] for i in col.ids), t.c[col.blob], t.c[col.key_id])
            .where(t.c[col.key_id].is_not(None), t.c[col.key_id] != current_key_id)
            .order_by(*(t.c[i] for i in col.ids))
            .limit(limit)
        )
        n = len(col.ids)
        return [
            SealedRow(tuple(str(v) for v in r[:n]), Sealed(str(r[n + 1]), bytes(r[n])))
            for r in (await self.conn.execute(query)).all()
        ]

    async def reseal(
        self, col: SealedColumn, ids: tuple[str, ...], old_key_id: str, fresh: Sealed
    ) -> bool:
        """Replace the value only if it is still sealed under ``old_key_id``."""
        t = col.table
        where = [t.c[c] == v for c, v in zip(col.ids, ids, strict=True)]
        result = await self.conn.execute(
            update(t)
            .where(*where, t.c[col.key_id] == old_key_id)
            .values({col.blob: fresh.blob, col.key_id: fresh.key_id})
        )
        return result.rowcount == 1

    async def census(self, col: SealedColumn) -> dict[str, int]:
        """How many values each key id seals."""
        key = col.table.c[col.key_id]
        query = select(key, func.count()).where(key.is_not(None)).group_by(key).order_by(key)
        return {str(k): int(n) for k, n in (await self.conn.execute(query)).all()}
