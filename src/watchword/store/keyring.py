"""Master keys and seed encryption at rest (AES-256-GCM, key id on every ciphertext).

A ciphertext is ``nonce(12) || ciphertext+tag`` stored with the id of the key that
made it. The associated data binds it to its row (token id), so a seed copied into
another row does not decrypt.
"""

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class KeyRingError(Exception):
    """A master key is missing, malformed, or does not decrypt a value."""


def key_id_of(key: bytes) -> str:
    """A short public id derived from the key, so no id can be paired with a wrong key."""
    return hashlib.sha256(b"watchword-key-id" + key).hexdigest()[:16]


@dataclass(frozen=True)
class Sealed:
    key_id: str
    blob: bytes


class KeyRing:
    """The current key encrypts; every listed key decrypts (for rotation)."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise KeyRingError("no master key")
        for key in keys:
            if len(key) != 32:
                raise KeyRingError("a master key must be 32 bytes (AES-256)")
        self._keys = {key_id_of(k): AESGCM(k) for k in keys}
        self.current_id = key_id_of(keys[0])

    @property
    def key_ids(self) -> list[str]:
        return list(self._keys)

    def seal(self, plaintext: bytes, aad: str) -> Sealed:
        nonce = os.urandom(12)
        blob = nonce + self._keys[self.current_id].encrypt(nonce, plaintext, aad.encode())
        return Sealed(self.current_id, blob)

    def open(self, sealed: Sealed, aad: str) -> bytes:
        aead = self._keys.get(sealed.key_id)
        if aead is None:
            raise KeyRingError(f"master key {sealed.key_id} is not configured")
        try:
            return aead.decrypt(sealed.blob[:12], sealed.blob[12:], aad.encode())
        except InvalidTag:
            raise KeyRingError("ciphertext does not authenticate") from None


def parse_keys(text: str) -> list[bytes]:
    """Keys as comma/newline separated base64 (or 64 hex digits); the first is current."""
    keys: list[bytes] = []
    for item in text.replace("\n", ",").split(","):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        try:
            key = bytes.fromhex(item) if len(item) == 64 else base64.b64decode(item, validate=True)
        except ValueError:
            raise KeyRingError("a master key is neither base64 nor hex") from None
        keys.append(key)
    return keys


def load_or_create_key_file(path: Path) -> list[bytes]:
    """Read the key file, making it (mode 0600) with one fresh key if it is absent."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
    return parse_keys(path.read_text())


def add_key_to_file(path: Path) -> str:
    """Prepend a new current key to the key file; older keys stay for decryption."""
    old = path.read_text() if path.exists() else ""
    new_key = secrets.token_bytes(32)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(base64.b64encode(new_key).decode() + "\n" + old)
    tmp.replace(path)
    return key_id_of(new_key)
