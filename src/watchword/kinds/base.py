"""The token-kind protocol and its registry.

A kind knows how to check a code against a token's secret and counter state and
what it may be enrolled with. It never touches the database: the service applies
the returned ``CodeCheck`` with one conditional UPDATE (see store.tokens).
"""

from dataclasses import dataclass
from typing import ClassVar, Protocol


@dataclass(frozen=True, slots=True)
class TokenState:
    """What a kind needs of a token row to check a code."""

    digits: int
    algorithm: str
    period: int
    counter: int  # next acceptable HOTP counter / TOTP step (monotonic, for replay refusal)
    drift: int  # TOTP: learned clock offset in steps
    ocra_suite: str | None = None


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """Outcome of checking one code.

    ``matched`` and ``replayed`` are exclusive. When matched, ``counter`` is the
    counter/step that matched: the store accepts only if the token's counter is
    still <= it, and then moves the counter to ``counter + 1``.
    """

    matched: bool
    replayed: bool = False
    counter: int = 0
    drift: int = 0


NO_MATCH = CodeCheck(matched=False)


class TokenKind(Protocol):
    name: ClassVar[str]
    # The server makes (or the vendor file brings) a seed that the code is computed from.
    has_seed: ClassVar[bool]
    # The code travels to the user through a channel (sms, email, bots).
    delivered: ClassVar[bool]

    def check(self, state: TokenState, secret: bytes, otp: str, unix_time: float) -> CodeCheck:
        """Check ``otp`` (already normalised) at ``unix_time``."""
        ...

    def resync(
        self, state: TokenState, secret: bytes, otp1: str, otp2: str, unix_time: float
    ) -> CodeCheck:
        """Find two consecutive codes within the resync window."""
        ...


REGISTRY: dict[str, TokenKind] = {}


def register(kind: TokenKind) -> TokenKind:
    REGISTRY[kind.name] = kind
    return kind


def get_kind(name: str) -> TokenKind:
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown token kind {name!r}") from None
