"""Errors raised while reading a vendor seed file.

    SeedFileError
     +-- FileRejected    the whole file is refused; ``code`` is stable, for the API error body
     +-- InvalidRecord   one record is unusable; parsers turn it into a ``Skipped`` entry

A file is either rejected as a whole (nothing is imported) or parsed into a
batch whose bad records are listed as skipped with their reason.
"""

# Every code FileRejected may carry, with what it means. The API's error body
# uses the code; clients may rely on it, so codes are only ever added.
REJECTION_CODES: dict[str, str] = {
    "too_large": "the file is larger than the import limit",
    "empty": "the file holds no records",
    "not_text": "the file is neither XML nor UTF-8 CSV text (binary or NUL bytes)",
    "not_xml": "the file was expected to be XML but is not",
    "malformed_xml": "the XML is not well formed",
    "truncated": "the XML ends before the document is complete",
    "dtd_forbidden": "the XML carries a document type declaration",
    "entity_declaration": "the XML declares entities (entity expansion attack)",
    "external_entity": "the XML declares or references an external entity",
    "not_pskc": "the XML is not a PSKC KeyContainer",
    "unsupported_version": "the PSKC version is not 1.0",
    "invalid_pskc": "a PSKC element holds a value that cannot be read",
    "key_required": "the file is encrypted with a pre-shared key and none was given",
    "password_required": "the file is encrypted with a password and none was given",
    "bad_key": "the pre-shared key given is not hex of a length the file's cipher uses",
    "wrong_key": "the pre-shared key does not decrypt the file",
    "wrong_password": "the password does not decrypt the file",
    "mac_mismatch": "a ValueMAC does not match: the file was altered",
    "mac_missing": "an encrypted value has no ValueMAC (RFC 6030 section 6.1.1)",
    "unsupported_encryption": "the file uses an encryption algorithm we do not support",
    "unsupported_mac": "the file uses a MAC algorithm we do not support",
    "unsupported_key_derivation": "the file's key derivation is unsupported or incomplete",
    "kdf_too_costly": "the file's PBKDF2 parameters exceed our work limit",
    "csv_header": "the CSV header lacks the serial or secret column",
}


class SeedFileError(Exception):
    """Base of every error raised by ``watchword.seedfile``."""


class FileRejected(SeedFileError):
    """The whole file is refused; nothing from it may be imported.

    ``code`` is one of ``REJECTION_CODES`` (snake_case, stable); ``detail`` is
    for logs and may name the element or algorithm at fault, never a secret.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        self.code = code
        self.detail = detail
        message = REJECTION_CODES[code]
        super().__init__(f"{code}: {message}" + (f" ({detail})" if detail else ""))


class InvalidRecord(SeedFileError):
    """One record cannot be imported; ``reason`` is a stable snake_case code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)
