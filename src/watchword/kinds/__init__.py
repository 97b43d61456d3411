"""Token kinds: one small class per kind behind the ``TokenKind`` protocol."""

from watchword.kinds.base import REGISTRY, CodeCheck, TokenKind, TokenState, get_kind
from watchword.kinds.delivered import DELIVERED_KINDS, DeliveredKind
from watchword.kinds.hotp import HOTPKind
from watchword.kinds.ocra import OCRAKind
from watchword.kinds.totp import TOTPKind

__all__ = [
    "DELIVERED_KINDS",
    "REGISTRY",
    "CodeCheck",
    "DeliveredKind",
    "HOTPKind",
    "OCRAKind",
    "TOTPKind",
    "TokenKind",
    "TokenState",
    "get_kind",
]
