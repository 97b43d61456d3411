"""RFC 6030 example files import with their published secrets (reference table, section 4)."""

import pytest

from watchword.otp.hotp import HOTP
from watchword.seedfile import parse_pskc, parse_seed_file

RFC6030_KEY = "12345678901234567890123456789012"
RFC4226_SECRET = b"12345678901234567890"
# RFC 4226 Appendix D: counter -> truncated decimal value.
RFC4226_TRUNCATED = [
    1284755224, 1094287082, 137359152, 1726969429, 1640338314,
    868254676, 1918287922, 82162583, 673399871, 645520489,
]  # fmt: skip


def test_figure2_plain_key_without_serial_is_named_by_key_id(fixture_bytes):
    batch = parse_pskc(fixture_bytes("rfc6030/figure2.pskcxml"))
    (record,) = batch.records
    assert record.serial == "12345678"
    assert record.secret == b"1234"
    assert (record.kind, record.digits, record.counter) == ("hotp", 6, 0)


def test_figure3_plain_with_metadata(fixture_bytes):
    batch = parse_pskc(fixture_bytes("rfc6030/figure3.pskcxml"))
    (record,) = batch.records
    assert record.serial == "987654321"
    assert record.secret == RFC4226_SECRET
    assert (record.kind, record.digits, record.counter, record.algorithm) == ("hotp", 8, 0, "SHA1")
    assert record.vendor == "Manufacturer"
    assert batch.vendor == "Manufacturer"
    assert batch.count == 1 and batch.skipped == []


def test_figure6_pre_shared_key_decrypts_to_published_secret(fixture_bytes):
    batch = parse_pskc(fixture_bytes("rfc6030/figure6.pskcxml"), key_hex=RFC6030_KEY)
    (record,) = batch.records
    assert record.secret.hex() == "3132333435363738393031323334353637383930"
    assert (record.serial, record.digits) == ("987654321", 8)


def test_figure6_key_hex_may_be_upper_case_and_padded(fixture_bytes):
    batch = parse_pskc(fixture_bytes("rfc6030/figure6.pskcxml"), key_hex=f" {RFC6030_KEY.upper()} ")
    assert batch.records[0].secret == RFC4226_SECRET


def test_figure7_pbkdf2_password_decrypts_to_published_secret(fixture_bytes):
    batch = parse_pskc(fixture_bytes("rfc6030/figure7.pskcxml"), password="qwerty")
    (record,) = batch.records
    assert record.secret == RFC4226_SECRET
    assert record.vendor == "TokenVendorAcme"


@pytest.mark.parametrize(
    ("figure", "credentials"),
    [
        ("figure3.pskcxml", {}),
        ("figure6.pskcxml", {"key_hex": RFC6030_KEY}),
        ("figure7.pskcxml", {"password": "qwerty"}),
    ],
)
def test_imported_seed_yields_rfc4226_codes(fixture_bytes, figure, credentials):
    data = fixture_bytes(f"rfc6030/{figure}")
    (record,) = parse_seed_file(data, figure, **credentials).records
    six = HOTP(record.secret, digits=6, algorithm=record.algorithm)
    as_imported = HOTP(record.secret, digits=record.digits, algorithm=record.algorithm)
    for counter, truncated in enumerate(RFC4226_TRUNCATED):
        assert six.at(record.counter + counter) == str(truncated % 10**6).zfill(6)
        assert as_imported.at(counter) == str(truncated % 10**8).zfill(8)


def test_secret_is_not_in_repr(fixture_bytes):
    (record,) = parse_pskc(fixture_bytes("rfc6030/figure3.pskcxml")).records
    assert "1234567890" not in repr(record)
