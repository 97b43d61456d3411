"""Which token kind a PSKC algorithm URI (and its Suite) names.

RFC 6030 registers ``urn:ietf:params:xml:ns:keyprov:pskc:hotp``; vendors write
TOTP as ``...pskc:totp`` (or ``#totp``, ``time-based`` in older drafts) and
OCRA either with the suite appended (``...pskc#OCRA-1:HOTP-SHA1-6:QN08``,
draft-hoyer-keyprov-pskc-algorithm-profiles) or as ``...pskc:ocra`` plus an
``AlgorithmParameters/Suite`` element. Everything else (PIN, SecurID,
proprietary) is not a kind we verify, so such keys are skipped, not the file.
"""

import re
from dataclasses import dataclass

from watchword.seedfile.errors import InvalidRecord
from watchword.seedfile.model import Algorithm, Kind, ocra_suite_parameters

_SUITE_IN_URI = re.compile(r"OCRA-1:\S+", re.IGNORECASE)
_LAST_SEGMENT = re.compile(r"[^:#/]+$")
_HASHES: dict[str, Algorithm] = {"SHA1": "SHA1", "SHA256": "SHA256", "SHA512": "SHA512"}


@dataclass(frozen=True, slots=True)
class Profile:
    kind: Kind
    algorithm: Algorithm
    ocra_suite: str | None = None
    # Only OCRA fixes its digit count in the suite; others take ResponseFormat.
    digits: int | None = None


def hash_of(suite: str | None) -> Algorithm:
    """The HMAC hash a HOTP/TOTP Suite names (``HMAC-SHA256``, ``SHA-256``...); SHA1 if none."""
    if suite is None or not suite.strip():
        return "SHA1"
    name = suite.strip().upper().removeprefix("HMAC-").replace("-", "")
    if name not in _HASHES:
        raise InvalidRecord("bad_algorithm", suite[:80])
    return _HASHES[name]


def _ocra(suite: str) -> Profile:
    suite = suite.strip().upper()
    if not suite.startswith("OCRA-1:"):
        suite = "OCRA-1:" + suite
    algorithm, digits = ocra_suite_parameters(suite)
    return Profile("ocra", algorithm, suite, digits)


def profile_of(algorithm_uri: str | None, suite: str | None) -> Profile:
    """Map a Key's ``Algorithm`` and ``AlgorithmParameters/Suite`` to a profile.

    Raises ``InvalidRecord`` (``unsupported_algorithm``, ``bad_algorithm``,
    ``bad_ocra_suite``) for a key the caller should skip.
    """
    uri = (algorithm_uri or "").strip()
    in_uri = _SUITE_IN_URI.search(uri)
    if in_uri is not None:
        return _ocra(in_uri.group(0))
    last = _LAST_SEGMENT.search(uri)
    name = last.group(0).lower() if last else ""
    if name == "hotp":
        return Profile("hotp", hash_of(suite))
    if name in ("totp", "time-based"):
        return Profile("totp", hash_of(suite))
    if name in ("ocra", "ocra-1"):
        if suite is None or not suite.strip():
            raise InvalidRecord("bad_ocra_suite", "OCRA key without a Suite")
        return _ocra(suite)
    raise InvalidRecord("unsupported_algorithm", uri[:200] or "no Algorithm attribute")
