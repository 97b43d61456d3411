"""RFC 6287 Appendix C: every published test vector, one test each."""

import pytest

from watchword.otp.ocra import OCRASuite, ocra

K20 = bytes.fromhex("3132333435363738393031323334353637383930")
K32 = K20 + bytes.fromhex("313233343536373839303132")
K64 = K20 + K20 + K20 + bytes.fromhex("31323334")
PIN_SHA1 = bytes.fromhex("7110eda4d09e062aa5e4a390b0a572ac0d2c0220")
T = 0x132D0B6  # 20107446 minutes, 2008-03-25 12:06 UTC


def rows(suite: str, key: bytes, expected: str, make):  # type: ignore[no-untyped-def]
    return [
        pytest.param(suite, key, make(i), code, id=f"{suite}#{i}")
        for i, code in enumerate(expected.split())
    ]


VECTORS = [
    *rows(
        "OCRA-1:HOTP-SHA1-6:QN08",
        K20,
        "237653 243178 653583 740991 608993 388898 816933 224598 750600 294470",
        lambda i: {"question": str(i) * 8},
    ),
    *rows(
        "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1",
        K32,
        "65347737 86775851 78192410 71565254 10104329 65983500 70069104 91771096 75011558 08522129",
        lambda i: {"counter": i, "question": "12345678", "pin": "1234"},
    ),
    *rows(
        "OCRA-1:HOTP-SHA256-8:QN08-PSHA1",
        K32,
        "83238735 01501458 17957585 86776967 86807031",
        lambda i: {"question": str(i) * 8, "pin_hash": PIN_SHA1},
    ),
    *rows(
        "OCRA-1:HOTP-SHA512-8:C-QN08",
        K64,
        "07016083 63947962 70123924 25341727 33203315 34205738 44343969 51946085 20403879 31409299",
        lambda i: {"counter": i, "question": str(i) * 8},
    ),
    *rows(
        "OCRA-1:HOTP-SHA512-8:QN08-T1M",
        K64,
        "95209754 55907591 22048402 24218844 36209546",
        lambda i: {"question": str(i) * 8, "time_step": T},
    ),
    # Mutual challenge-response (section 7.3): server and client responses.
    *rows(
        "OCRA-1:HOTP-SHA256-8:QA08",
        K32,
        "28247970 01984843 65387857 03351211 83412541",
        lambda i: {"question": f"CLI2222{i}SRV1111{i}"},
    ),
    *rows(
        "OCRA-1:HOTP-SHA256-8:QA08",
        K32,
        "15510767 90175646 33777207 95285278 28934924",
        lambda i: {"question": f"SRV1111{i}CLI2222{i}"},
    ),
    *rows(
        "OCRA-1:HOTP-SHA512-8:QA08",
        K64,
        "79496648 76831980 12250499 90856481 12761449",
        lambda i: {"question": f"CLI2222{i}SRV1111{i}"},
    ),
    *rows(
        "OCRA-1:HOTP-SHA512-8:QA08-PSHA1",
        K64,
        "18806276 70020315 01600026 18951020 32528969",
        lambda i: {"question": f"SRV1111{i}CLI2222{i}", "pin": "1234"},
    ),
    # Plain signature (section 7.2).
    *rows(
        "OCRA-1:HOTP-SHA256-8:QA08",
        K32,
        "53095496 04110475 31331128 76028668 46554205",
        lambda i: {"question": f"SIG1{i}000"},
    ),
    *rows(
        "OCRA-1:HOTP-SHA512-8:QA10-T1M",
        K64,
        "77537423 31970405 10235557 95213541 65360607",
        lambda i: {"question": f"SIG1{i}00000", "time_step": T},
    ),
]


def test_appendix_c_has_seventy_vectors() -> None:
    assert len(VECTORS) == 70


@pytest.mark.parametrize(("suite", "key", "inputs", "expected"), VECTORS)
def test_appendix_c_vector(suite: str, key: bytes, inputs: dict, expected: str) -> None:
    assert ocra(OCRASuite.parse(suite), key, **inputs) == expected


def test_appendix_c_time_step_is_minutes_since_epoch() -> None:
    suite = OCRASuite.parse("OCRA-1:HOTP-SHA512-8:QN08-T1M")
    # 2008-03-25 12:06:30 UTC lies in minute 0x132d0b6.
    assert suite.time_step(1206446790) == T


def test_pin_and_its_sha1_hash_give_the_same_response() -> None:
    suite = OCRASuite.parse("OCRA-1:HOTP-SHA256-8:QN08-PSHA1")
    assert ocra(suite, K32, question="00000000", pin="1234") == ocra(
        suite, K32, question="00000000", pin_hash=PIN_SHA1
    )
