"""Vendor-style PSKC files: mixed kinds, OCRA suites, key wrap, keys we skip."""

from watchword.otp.hotp import HOTP
from watchword.seedfile import parse_pskc

ACME_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"


def test_feitian_mixed_batch_maps_hotp_and_totp_fields(fixture_bytes):
    batch = parse_pskc(fixture_bytes("feitian/c200-mixed.pskcxml"))
    by_serial = {r.serial: r for r in batch.records}
    assert set(by_serial) == {"FT0001001", "FT0001002", "FT0002001", "FT0002002"}
    hotp = by_serial["FT0001001"]
    assert (hotp.kind, hotp.counter, hotp.period, hotp.digits) == ("hotp", 5, None, 6)
    totp = by_serial["FT0002001"]
    assert (totp.kind, totp.period, totp.counter) == ("totp", 60, 0)
    assert (batch.vendor, batch.model) == ("Feitian Technology Co.,Ltd", "C200")


def test_feitian_pin_key_is_skipped_not_the_file(fixture_bytes):
    batch = parse_pskc(fixture_bytes("feitian/c200-mixed.pskcxml"))
    (skipped,) = batch.skipped
    assert skipped.serial == "FT0003001"
    assert skipped.reason == "unsupported_algorithm"
    assert batch.count == 4


def test_feitian_hotp_counter_is_where_codes_continue(fixture_bytes):
    batch = parse_pskc(fixture_bytes("feitian/c200-mixed.pskcxml"))
    record = next(r for r in batch.records if r.serial == "FT0001001")
    # RFC 4226 Appendix D, counter 5.
    assert HOTP(record.secret, record.digits).at(record.counter) == "254676"


def test_acme_aes256_with_hmac_sha256_gives_ocra_and_sha256_totp(fixture_bytes):
    batch = parse_pskc(fixture_bytes("acme/signer-aes256.pskcxml"), key_hex=ACME_KEY)
    by_serial = {r.serial: r for r in batch.records}
    ocra = by_serial["ACME-OCRA-1"]
    assert (ocra.kind, ocra.ocra_suite, ocra.digits, ocra.algorithm) == (
        "ocra",
        "OCRA-1:HOTP-SHA256-8:QN08",
        8,
        "SHA256",
    )
    assert ocra.secret == b"12345678901234567890123456789012"
    totp = by_serial["ACME-TOTP-1"]
    assert (totp.kind, totp.algorithm, totp.digits, totp.period) == ("totp", "SHA256", 8, 30)


def test_acme_key_reference_without_secret_is_skipped(fixture_bytes):
    batch = parse_pskc(fixture_bytes("acme/signer-aes256.pskcxml"), key_hex=ACME_KEY)
    assert [(s.serial, s.reason) for s in batch.skipped] == [("ACME-REF-1", "no_secret")]


def test_ocra_suite_appended_to_algorithm_uri(fixture_bytes):
    (record,) = parse_pskc(fixture_bytes("acme/ocra-suite-in-uri.pskcxml")).records
    assert record.ocra_suite == "OCRA-1:HOTP-SHA512-8:C-QN08"
    assert (record.algorithm, record.digits, record.model) == ("SHA512", 8, "Signer Y")
    assert len(record.secret) == 64


def test_key_wrap_with_pbkdf2_needs_no_value_mac(fixture_bytes):
    data = fixture_bytes("examplevendor/kw-aes128-pbkdf2.pskcxml")
    (record,) = parse_pskc(data, password="correct horse").records
    assert record.secret == b"12345678901234567890"
    assert (record.serial, record.kind, record.vendor) == ("KW-0001", "totp", "ExampleVendor")
