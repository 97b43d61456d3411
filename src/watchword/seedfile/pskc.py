"""Read an RFC 6030 PSKC file (plain, pre-shared AES key or PBKDF2 password) into a batch.

Order of checks, cheapest and most hostile first: size, XML safety (our own
defusedxml pass, see ``xmlsafe``), PSKC structure (python-pskc), unlocking,
then every value of every key is decrypted and its ValueMAC checked before a
single record is kept: one altered value rejects the whole file.

A wrong key and an altered MAC both end in a MAC mismatch in principle. We
tell them apart because python-pskc checks CBC padding before the MAC: the
MAC key and each secret are decrypted first, and a wrong key breaks the
PKCS#7 padding of at least one of them except with probability ~1/65,000;
in that rare case the file is still rejected, as ``mac_mismatch``.
"""

import io
from collections.abc import Sequence
from typing import Literal
from xml.etree.ElementTree import Element

from pskc import PSKC
from pskc.exceptions import DecryptionError, KeyDerivationError, ParseError
from pskc.key import Key

from watchword.seedfile.errors import FileRejected, InvalidRecord
from watchword.seedfile.model import BatchBuilder, ParsedBatch, SeedRecord
from watchword.seedfile.profiles import profile_of
from watchword.seedfile.xmlsafe import looks_like_xml, parse_untrusted, trim_leading_blanks

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# PBKDF2 work a file may ask of us: at ~1 us an iteration, about a second.
MAX_PBKDF2_ITERATIONS = 1_000_000
MAX_DERIVED_KEY_BYTES = 64
DEFAULT_PERIOD = 30
DEFAULT_DIGITS = 6
_MAC_HASHES = ("#hmac-sha1", "#hmac-sha224", "#hmac-sha256", "#hmac-sha384", "#hmac-sha512")

Credential = Literal["key", "password"] | None


def check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise FileRejected("too_large", f"{len(data)} bytes > {max_bytes}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _require_value_macs(root: Element) -> None:
    """RFC 6030 6.1.1: a CBC-encrypted value carries a ValueMAC (key wrap has its own check)."""
    for holder in root.iter():
        children = {_local(child.tag): child for child in holder}
        encrypted = children.get("EncryptedValue")
        if encrypted is None:
            continue
        method = next((m for m in encrypted if _local(m.tag) == "EncryptionMethod"), None)
        algorithm = (method.get("Algorithm", "") if method is not None else "").lower()
        if "#kw-" in algorithm:
            continue
        mac = children.get("ValueMAC")
        if mac is None or not (mac.text or "").strip():
            raise FileRejected("mac_missing", _local(holder.tag))


def _load(data: bytes, root: Element) -> PSKC:
    if _local(root.tag) not in ("KeyContainer", "SecretContainer"):
        raise FileRejected("not_pskc", f"root element {_local(root.tag)!r}")
    try:
        return PSKC(io.BytesIO(data))
    except ParseError as exc:
        if str(exc).startswith("Unsupported version"):
            raise FileRejected("unsupported_version", str(exc)) from None
        raise FileRejected("invalid_pskc", str(exc)) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # python-pskc converts integers, base64 and dates while parsing.
        raise FileRejected("invalid_pskc", type(exc).__name__) from None


def _decryption_failure(exc: DecryptionError, credential: Credential) -> FileRejected:
    """Map python-pskc's DecryptionError messages (pinned 1.4) to our codes, in one place."""
    message = str(exc)
    if message == "MAC value does not match":
        return FileRejected("mac_mismatch")
    if message.startswith("No key available"):
        return FileRejected("key_required")
    if message.startswith("Unsupported MAC algorithm"):
        return FileRejected("unsupported_mac", message)
    if message.startswith(("Unsupported algorithm", "No algorithm specified")):
        return FileRejected("unsupported_encryption", message)
    if message == "Invalid key length" and credential != "password":
        return FileRejected("bad_key", "key length does not fit the cipher")
    # Bad padding, key-wrap IV or checksum mismatch: the key does not fit.
    return FileRejected("wrong_password" if credential == "password" else "wrong_key", message)


def _derive(container: PSKC, password: str) -> None:
    derivation = container.encryption.derivation
    if not (derivation.algorithm or "").endswith("#pbkdf2"):
        raise FileRejected("unsupported_key_derivation", str(derivation.algorithm))
    if (derivation.pbkdf2_iterations or 0) > MAX_PBKDF2_ITERATIONS or (
        derivation.pbkdf2_key_length or 0
    ) > MAX_DERIVED_KEY_BYTES:
        raise FileRejected("kdf_too_costly", f"{derivation.pbkdf2_iterations} iterations")
    try:
        container.encryption.derive_key(password)
    except KeyDerivationError as exc:
        raise FileRejected("unsupported_key_derivation", str(exc)) from None


def _unlock(container: PSKC, key_hex: str | None, password: str | None) -> Credential:
    """Give python-pskc the decryption key; say which kind of credential was used."""
    encryption = container.encryption
    lengths: Sequence[int] = ()
    if encryption.algorithm is not None:
        try:
            lengths = encryption.algorithm_key_lengths
        except DecryptionError as exc:
            raise FileRejected("unsupported_encryption", str(exc)) from None
    if encryption.derivation.algorithm is not None:
        if not password:
            raise FileRejected("password_required")
        _derive(container, password)
        return "password"
    if key_hex is None:
        return None
    try:
        key = bytes.fromhex(key_hex.strip())
    except ValueError:
        raise FileRejected("bad_key", "not hex") from None
    if encryption.algorithm is not None and len(key) not in lengths:
        raise FileRejected("bad_key", f"{len(key)} bytes, cipher takes {list(lengths)}")
    encryption.key = key
    return "key"


def _check_mac_method(container: PSKC, credential: Credential) -> None:
    algorithm = container.mac.algorithm
    if algorithm is not None and not algorithm.lower().endswith(_MAC_HASHES):
        raise FileRejected("unsupported_mac", algorithm)
    try:
        container.mac.key  # noqa: B018  (decrypts the MAC key: a wrong key shows here first)
    except DecryptionError as exc:
        raise _decryption_failure(exc, credential) from None


def _record(key: Key) -> SeedRecord:
    serial = key.serial or key.id
    if not serial:
        raise InvalidRecord("no_serial", "neither SerialNo nor Key Id")
    profile = profile_of(key.algorithm, key.algorithm_suite)
    if key.secret is None:
        raise InvalidRecord("no_secret", "no Secret value (key reference?)")
    encoding = (key.response_encoding or "DECIMAL").upper()
    if encoding != "DECIMAL":
        raise InvalidRecord("unsupported_response_format", encoding)
    digits = profile.digits if profile.digits is not None else key.response_length
    return SeedRecord(
        serial=serial.strip(),
        secret=key.secret,
        kind=profile.kind,
        digits=DEFAULT_DIGITS if digits is None else digits,
        period=(key.time_interval or DEFAULT_PERIOD) if profile.kind == "totp" else None,
        algorithm=profile.algorithm,
        counter=(key.counter or 0) if profile.kind != "totp" else 0,
        ocra_suite=profile.ocra_suite,
        vendor=key.manufacturer,
        model=key.model,
    )


def parse_pskc(
    data: bytes,
    *,
    key_hex: str | None = None,
    password: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParsedBatch:
    """Parse a PSKC file; raise ``FileRejected`` if any part of it cannot be trusted."""
    check_size(data, max_bytes)
    if not data.strip():
        raise FileRejected("empty")
    if not looks_like_xml(data):
        raise FileRejected("not_xml")
    data = trim_leading_blanks(data)
    root = parse_untrusted(data)
    container = _load(data, root)
    _require_value_macs(root)
    credential = _unlock(container, key_hex, password)
    _check_mac_method(container, credential)
    if not container.keys:
        raise FileRejected("empty", "no KeyPackage")
    for key in container.keys:
        try:
            key.check()  # decrypts every value and checks its MAC
        except DecryptionError as exc:
            raise _decryption_failure(exc, credential) from None
        except (ValueError, TypeError) as exc:
            # e.g. an EncryptedValue without CipherValue
            raise FileRejected("invalid_pskc", type(exc).__name__) from None
    builder = BatchBuilder()
    for key in container.keys:
        try:
            builder.add(_record(key))
        except InvalidRecord as exc:
            builder.skip(key.serial or key.id, exc.reason, exc.detail)
    return builder.build()
