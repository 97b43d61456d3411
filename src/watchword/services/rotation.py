"""Master-key rotation: re-seal every sealed value under the current key, batch by batch.

Each batch is read in one transaction and rewritten in another, every row with a
compare-and-set on its old key id (store/sealed.py), so rotation can run while the
servers serve and be re-run after an interruption. Run it only once every process
seals with the new key (it is first in their ring), or they keep adding old-key rows.
"""

from watchword.services.env import Env
from watchword.services.errors import ServiceError
from watchword.store.keyring import KeyRingError
from watchword.store.sealed import SEALED_COLUMNS, SealedColumn

BATCH = 500


class RotationError(ServiceError):
    """A stored value does not open with any configured key (named by kind and row)."""

    default_code = "undecryptable"


async def rotate_all(env: Env, batch: int = BATCH) -> dict[str, int]:
    """How many values of each kind were re-sealed."""
    return {col.kind: await _rotate(env, col, batch) for col in SEALED_COLUMNS}


async def _rotate(env: Env, col: SealedColumn, batch: int) -> int:
    ring = env.keyring
    done = 0
    while True:
        async with env.db.uow() as uow:
            rows = await uow.sealed.stale(col, ring.current_id, batch)
        if not rows:
            return done
        resealed = 0
        async with env.db.uow() as uow:
            for row in rows:
                aad = col.aad_for(row.ids)
                try:
                    plain = ring.open(row.sealed, aad)
                except KeyRingError as exc:
                    raise RotationError(f"{col.kind} {':'.join(row.ids)}: {exc}") from None
                if await uow.sealed.reseal(col, row.ids, row.sealed.key_id, ring.seal(plain, aad)):
                    resealed += 1
        done += resealed
        if resealed == 0:
            # Rows resealed meanwhile under yet another non-current key: a process
            # with a different ring is writing; stop rather than spin.
            return done


async def key_census(env: Env) -> dict[str, dict[str, int]]:
    """Per kind, how many values each key id seals: an old key may go once it has none."""
    async with env.db.uow() as uow:
        return {col.kind: await uow.sealed.census(col) for col in SEALED_COLUMNS}
