"""Seeds in and out of the key ring: decrypted only where a code is computed."""

from watchword.store.keyring import KeyRing, Sealed
from watchword.store.records import Token

SEED_BYTES = {"SHA1": 20, "SHA256": 32, "SHA512": 64}


def seal_seed(keyring: KeyRing, token_id: str, seed: bytes) -> Sealed:
    return keyring.seal(seed, aad=f"token:{token_id}")


def open_seed(keyring: KeyRing, token: Token) -> bytes:
    assert token.secret is not None and token.secret_key_id is not None
    return keyring.open(Sealed(token.secret_key_id, token.secret), aad=f"token:{token.id}")
