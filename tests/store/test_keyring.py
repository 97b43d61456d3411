"""Seeds at rest: AES-256-GCM, key id on every ciphertext, rows bound, rotation."""

import secrets

import pytest

from watchword.store.keyring import KeyRing, KeyRingError, parse_keys


def test_sealed_seed_opens_with_same_row() -> None:
    ring = KeyRing([secrets.token_bytes(32)])
    sealed = ring.seal(b"seed", aad="token:1")
    assert ring.open(sealed, aad="token:1") == b"seed"
    assert b"seed" not in sealed.blob


def test_sealed_seed_copied_to_another_row_does_not_open() -> None:
    ring = KeyRing([secrets.token_bytes(32)])
    with pytest.raises(KeyRingError):
        ring.open(ring.seal(b"seed", aad="token:1"), aad="token:2")


def test_old_key_still_opens_after_new_key_is_current() -> None:
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    sealed = KeyRing([old]).seal(b"seed", aad="a")
    ring = KeyRing([new, old])
    assert ring.open(sealed, aad="a") == b"seed" and ring.seal(b"x", "a").key_id != sealed.key_id


def test_missing_key_is_reported_by_id() -> None:
    sealed = KeyRing([secrets.token_bytes(32)]).seal(b"seed", aad="a")
    with pytest.raises(KeyRingError, match=sealed.key_id):
        KeyRing([secrets.token_bytes(32)]).open(sealed, aad="a")


def test_short_key_is_refused() -> None:
    with pytest.raises(KeyRingError):
        KeyRing([b"short"])


def test_keys_parse_from_base64_and_hex() -> None:
    key = secrets.token_bytes(32)
    import base64

    assert parse_keys(f"{base64.b64encode(key).decode()}, {key.hex()}") == [key, key]
