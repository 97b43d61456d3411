"""PIN hashes of OCRA tokens whose suite has the P input (RFC 6287 section 5.1).

The server must know the hash the token puts into its message, so it keeps it,
sealed by the key ring like a seed (the hash of a short PIN is easy to invert).
"""

from sqlalchemy import Column, ForeignKey, LargeBinary, String, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from watchword.store.keyring import Sealed
from watchword.store.tables import ID, metadata

token_pins = Table(
    "token_pins",
    metadata,
    Column("token_id", ID, ForeignKey("tokens.id", ondelete="CASCADE"), primary_key=True),
    Column("pin_hash", LargeBinary, nullable=False),
    Column("key_id", String(16), nullable=False),
)


class PinRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def set(self, token_id: str, sealed: Sealed) -> None:
        await self.conn.execute(
            token_pins.insert().values(
                token_id=token_id, pin_hash=sealed.blob, key_id=sealed.key_id
            )
        )

    async def get(self, token_id: str) -> Sealed | None:
        query = select(token_pins.c.pin_hash, token_pins.c.key_id).where(
            token_pins.c.token_id == token_id
        )
        row = (await self.conn.execute(query)).first()
        return Sealed(row.key_id, row.pin_hash) if row else None
