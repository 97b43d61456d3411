"""SeedRecord keeps its invariants; rejection codes are a closed, documented set."""

import re

import pytest

from watchword.seedfile import REJECTION_CODES, FileRejected, SeedRecord
from watchword.seedfile.errors import InvalidRecord
from watchword.seedfile.profiles import profile_of

BASE = dict(
    serial="S1",
    secret=b"12345678901234567890",
    kind="totp",
    digits=6,
    period=30,
    algorithm="SHA1",
    counter=0,
    ocra_suite=None,
    vendor=None,
    model=None,
)


def record(**changes):
    return SeedRecord(**{**BASE, **changes})


def test_valid_record_is_frozen():
    r = record()
    with pytest.raises(AttributeError):
        r.serial = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"serial": ""}, "bad_serial"),
        ({"serial": "x" * 129}, "bad_serial"),
        ({"serial": "a\nb"}, "bad_serial"),
        ({"secret": b""}, "bad_secret"),
        ({"kind": "sms"}, "bad_kind"),
        ({"algorithm": "MD5"}, "bad_algorithm"),
        ({"digits": 11}, "bad_digits"),
        ({"period": None}, "bad_period"),
        ({"kind": "hotp", "period": 30}, "bad_period"),
        ({"counter": -1}, "bad_counter"),
        ({"ocra_suite": "OCRA-1:HOTP-SHA1-6:QN08"}, "bad_ocra_suite"),
        ({"kind": "ocra", "period": None}, "bad_ocra_suite"),
        ({"kind": "ocra", "period": None, "ocra_suite": "OCRA-1:HOTP-SHA1-6:QN08", "digits": 8},
         "bad_ocra_suite"),
        ({"kind": "ocra", "period": None, "ocra_suite": "OCRA-1:HOTP-SHA1-3:QN08", "digits": 3},
         "bad_ocra_suite"),
    ],
)  # fmt: skip
def test_record_refuses_inconsistent_fields(changes, reason):
    with pytest.raises(InvalidRecord) as caught:
        record(**changes)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("uri", "suite", "kind", "algorithm"),
    [
        ("urn:ietf:params:xml:ns:keyprov:pskc:hotp", None, "hotp", "SHA1"),
        ("urn:ietf:params:xml:ns:keyprov:pskc:totp", "HMAC-SHA512", "totp", "SHA512"),
        ("urn:ietf:params:xml:ns:keyprov:pskc#totp", "SHA-256", "totp", "SHA256"),
        ("urn:ietf:params:xml:ns:keyprov:pskc:time-based", None, "totp", "SHA1"),
        ("urn:ietf:params:xml:ns:keyprov:pskc:ocra", "HOTP-SHA1-6:QN08", "ocra", "SHA1"),
    ],
)
def test_profile_of_known_algorithm_uris(uri, suite, kind, algorithm):
    profile = profile_of(uri, suite)
    assert (profile.kind, profile.algorithm) == (kind, algorithm)


@pytest.mark.parametrize(
    "uri", [None, "urn:ietf:params:xml:ns:keyprov:pskc:pin", "http://vendor/securid-aes"]
)
def test_profile_of_other_uris_is_unsupported(uri):
    with pytest.raises(InvalidRecord) as caught:
        profile_of(uri, None)
    assert caught.value.reason == "unsupported_algorithm"


def test_rejection_codes_are_snake_case_and_described():
    for code, description in REJECTION_CODES.items():
        assert re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", code)
        assert description


def test_file_rejected_carries_code_and_refuses_unknown_codes():
    assert FileRejected("too_large").code == "too_large"
    with pytest.raises(ValueError):
        FileRejected("something_else")
