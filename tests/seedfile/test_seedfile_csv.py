"""CSV seed lists: hex and base32 secrets, optional header, bad rows skipped with reasons."""

import pytest

from watchword.otp.hotp import HOTP
from watchword.seedfile import FileRejected, parse_csv, parse_seed_file
from watchword.seedfile.csv_ import decode_secret
from watchword.seedfile.errors import InvalidRecord

MAX = 1024 * 1024
HEX = "3132333435363738393031323334353637383930"
B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # the same 20 bytes


def parse(text: str):
    return parse_csv(text.encode(), max_bytes=MAX)


def test_hex_secret_without_header_takes_totp_defaults():
    (record,) = parse(f"CARD-1,{HEX}\n").records
    assert record.secret == b"12345678901234567890"
    assert (record.kind, record.digits, record.period, record.algorithm, record.counter) == (
        "totp",
        6,
        30,
        "SHA1",
        0,
    )


def test_base32_secret_lower_case_spaced_and_unpadded():
    (record,) = parse("CARD-1,gezd gnbv gy3t qojq gezd gnbv gy3t qojq\n").records
    assert record.secret == b"12345678901234567890"


def test_base32_secret_with_padding():
    (record,) = parse("CARD-1,MFRGG===\n").records
    assert record.secret == b"abc"


def test_prefix_forces_base32_for_a_hex_looking_value():
    assert decode_secret("base32:ABCDEF22") != decode_secret("ABCDEF22")
    assert decode_secret("ABCDEF22") == bytes.fromhex("abcdef22")
    assert decode_secret("hex:0a0b") == b"\n\x0b" == decode_secret("0x0a0b")


def test_positional_columns_for_hotp():
    (record,) = parse(f"H-1,{HEX},hotp,8,,SHA1,5\n").records
    assert (record.kind, record.digits, record.counter, record.period) == ("hotp", 8, 5, None)
    assert HOTP(record.secret, 8).at(record.counter) == "68254676"


def test_header_names_columns_in_any_order_with_vendor_and_model():
    text = f"serial,kind,secret,period,algorithm,vendor,model\nT-1,totp,{HEX},60,sha-256,Acme,X1\n"
    batch = parse(text)
    (record,) = batch.records
    assert (record.period, record.algorithm, record.vendor) == (60, "SHA256", "Acme")
    assert (batch.vendor, batch.model) == ("Acme", "X1")


def test_header_is_not_read_as_a_record():
    batch = parse(f"Serial,Secret\nA,{HEX}\n")
    assert batch.serials == ["A"] and batch.skipped == []


def test_semicolon_delimiter_and_comments_and_blank_lines():
    batch = parse(f"# export 2026-12\n\nA;{HEX}\nB;{B32}\n")
    assert batch.serials == ["A", "B"]


def test_ocra_row_takes_suite_from_algorithm_column():
    (record,) = parse(f"O-1,{HEX},ocra,,,OCRA-1:HOTP-SHA1-6:QN08\n").records
    assert (record.kind, record.ocra_suite, record.digits) == ("ocra", "OCRA-1:HOTP-SHA1-6:QN08", 6)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("B-1,not*a*secret", "bad_secret"),
        ("B-2,", "bad_secret"),
        (f"B-3,{HEX},totp,5", "bad_digits"),
        (f"B-4,{HEX},totp,six", "bad_digits"),
        (f"B-5,{HEX},totp,6,0", "bad_period"),
        (f"B-6,{HEX},hotp,6,30", "bad_period"),
        (f"B-7,{HEX},totp,6,30,MD5", "bad_algorithm"),
        (f"B-8,{HEX},totp,6,30,SHA1,7", "bad_counter"),
        (f"B-9,{HEX},hotp,6,,SHA1,-1", "bad_counter"),
        (f"B-10,{HEX},sms", "bad_kind"),
        (f"B-11,{HEX},ocra", "bad_ocra_suite"),
        (f"B-12,{HEX},ocra,8,,OCRA-1:HOTP-SHA1-6:QN08", "bad_digits"),
        (f"B-13,{HEX},totp,6,30,SHA1,0,extra", "bad_row"),
        (f",{HEX}", "bad_serial"),
    ],
)
def test_bad_row_is_skipped_with_reason_and_line(row, reason):
    batch = parse(f"GOOD,{HEX}\n{row}\n")
    assert batch.serials == ["GOOD"]
    (skipped,) = batch.skipped
    assert skipped.reason == reason
    assert skipped.detail.startswith("line 2")


def test_duplicate_serial_is_skipped_and_first_kept():
    batch = parse(f"A,{HEX}\nA,00112233\n")
    assert batch.count == 1 and batch.records[0].secret == b"12345678901234567890"
    assert [(s.serial, s.reason) for s in batch.skipped] == [("A", "duplicate_serial")]


def test_header_missing_secret_column_rejects_file():
    with pytest.raises(FileRejected) as caught:
        parse("serial,seed\nA,1234\n")
    assert caught.value.code == "csv_header"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_text"),
        (b"serial,secret\nA,\xff\xfe\xfa\n", "not_text"),
        (b"# only a comment\n\n", "empty"),
        (b"serial,secret\n", "empty"),
    ],
)
def test_non_csv_file_is_rejected(data, code):
    with pytest.raises(FileRejected) as caught:
        parse_csv(data, max_bytes=MAX)
    assert caught.value.code == code


def test_csv_over_the_limit_is_too_large():
    with pytest.raises(FileRejected) as caught:
        parse_seed_file(b"A,3132\n" * 100, "seeds.csv", max_bytes=100)
    assert caught.value.code == "too_large"


def test_decode_secret_rejects_empty_text():
    with pytest.raises(InvalidRecord):
        decode_secret("  ")
