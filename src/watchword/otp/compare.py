"""Constant-time comparison of codes."""

import hmac
import unicodedata


def normalize_code(code: str) -> str:
    """Fold full-width digits and drop spaces users type ("123 456")."""
    return unicodedata.normalize("NFKC", code).replace(" ", "").replace("-", "")


def codes_equal(expected: str, given: str) -> bool:
    """Compare two codes without leaking where they differ."""
    return hmac.compare_digest(expected.encode(), given.encode())
