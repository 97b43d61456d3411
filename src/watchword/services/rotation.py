"""Master-key rotation: re-encrypt every seed under the current key, row by row."""

from watchword.services.env import Env
from watchword.store.keyring import Sealed


async def rotate_seeds(env: Env) -> int:
    """Returns how many seeds were re-encrypted. Safe to re-run after an interruption."""
    ring = env.keyring
    count = 0
    async with env.db.uow() as uow:
        rows = await uow.tokens.all_secrets()
    for token_id, blob, key_id in rows:
        if key_id == ring.current_id:
            continue
        aad = f"token:{token_id}"
        plain = ring.open(Sealed(key_id, blob), aad)
        fresh = ring.seal(plain, aad)
        async with env.db.uow() as uow:
            # Conditional on the old key id: a concurrent rotation does no harm.
            if await uow.tokens.replace_secret(token_id, key_id, fresh.blob, fresh.key_id):
                count += 1
    return count
