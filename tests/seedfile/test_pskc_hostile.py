"""Hostile or broken PSKC files are rejected whole, quickly, each with its own code."""

import socket
import time

import pytest

from watchword.seedfile import FileRejected, parse_pskc, parse_seed_file
from watchword.seedfile.errors import REJECTION_CODES

RFC6030_KEY = "12345678901234567890123456789012"
QUICK_S = 1.0


def rejection(data: bytes, **kwargs) -> FileRejected:
    started = time.perf_counter()
    with pytest.raises(FileRejected) as caught:
        parse_seed_file(data, "upload.pskcxml", **kwargs)
    assert time.perf_counter() - started < QUICK_S
    return caught.value


@pytest.mark.parametrize(
    ("fixture", "credentials", "code"),
    [
        ("invalid/billion-laughs.pskcxml", {}, "entity_declaration"),
        ("invalid/external-entity.pskcxml", {}, "external_entity"),
        ("invalid/internal-dtd.pskcxml", {}, "dtd_forbidden"),
        ("invalid/figure6-altered-mac.pskcxml", {"key_hex": RFC6030_KEY}, "mac_mismatch"),
        ("invalid/figure6-no-value-mac.pskcxml", {"key_hex": RFC6030_KEY}, "mac_missing"),
        ("invalid/figure7-costly-kdf.pskcxml", {"password": "qwerty"}, "kdf_too_costly"),
        ("invalid/truncated.pskcxml", {}, "truncated"),
        ("invalid/not-xml.pskcxml", {}, "not_xml"),
        ("invalid/not-pskc.xml", {}, "not_pskc"),
        ("invalid/wrong-version.pskcxml", {}, "unsupported_version"),
        ("invalid/rsa-encrypted.pskcxml", {}, "unsupported_encryption"),
        ("rfc6030/figure6.pskcxml", {"key_hex": "00" * 16}, "wrong_key"),
        ("rfc6030/figure6.pskcxml", {}, "key_required"),
        ("rfc6030/figure6.pskcxml", {"key_hex": "not hex"}, "bad_key"),
        ("rfc6030/figure6.pskcxml", {"key_hex": "0011"}, "bad_key"),
        ("rfc6030/figure7.pskcxml", {"password": "qwertz"}, "wrong_password"),
        ("rfc6030/figure7.pskcxml", {}, "password_required"),
        ("rfc6030/figure7.pskcxml", {"password": ""}, "password_required"),
        ("examplevendor/kw-aes128-pbkdf2.pskcxml", {"password": "wrong"}, "wrong_password"),
    ],
)
def test_bad_file_is_rejected_with_its_code(fixture_bytes, fixture, credentials, code):
    assert rejection(fixture_bytes(fixture), **credentials).code == code


def test_required_hostile_cases_have_distinct_codes(fixture_bytes):
    codes = [
        rejection(fixture_bytes("invalid/external-entity.pskcxml")).code,
        rejection(fixture_bytes("invalid/billion-laughs.pskcxml")).code,
        rejection(fixture_bytes("invalid/figure6-altered-mac.pskcxml"), key_hex=RFC6030_KEY).code,
        rejection(fixture_bytes("rfc6030/figure6.pskcxml"), key_hex="00" * 16).code,
        rejection(fixture_bytes("rfc6030/figure7.pskcxml"), password="nope").code,
        rejection(fixture_bytes("invalid/truncated.pskcxml")).code,
        rejection(fixture_bytes("invalid/not-xml.pskcxml")).code,
        rejection(b"<" + b" " * (50 * 1024 * 1024)).code,
    ]
    assert len(set(codes)) == len(codes)
    assert all(code in REJECTION_CODES for code in codes)


def test_fifty_megabyte_file_is_refused_before_parsing():
    data = b"<KeyContainer>" + b"A" * (50 * 1024 * 1024)
    assert rejection(data).code == "too_large"


def test_size_limit_is_an_argument(fixture_bytes):
    data = fixture_bytes("rfc6030/figure3.pskcxml")
    assert rejection(data, max_bytes=100).code == "too_large"
    assert parse_seed_file(data, max_bytes=len(data)).count == 1


def test_external_entity_file_is_never_read(fixture_bytes):
    error = rejection(fixture_bytes("invalid/external-entity.pskcxml"))
    assert "root:" not in str(error)


@pytest.fixture
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.setblocking(False)
    yield server
    server.close()


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE KeyContainer SYSTEM "http://127.0.0.1:{port}/pskc.dtd">',
        '<!DOCTYPE KeyContainer [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">]>',
        '<!DOCTYPE KeyContainer [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p"> %p;]>',
    ],
)
def test_external_references_are_refused_without_a_connection(listener, declaration):
    port = listener.getsockname()[1]
    data = (
        '<?xml version="1.0"?>' + declaration.format(port=port) + '<KeyContainer Version="1.0" '
        'xmlns="urn:ietf:params:xml:ns:keyprov:pskc"><KeyPackage/></KeyContainer>'
    ).encode()
    assert rejection(data).code == "external_entity"
    with pytest.raises(BlockingIOError):
        listener.accept()


def test_malformed_xml_differs_from_truncated():
    assert rejection(b"<KeyContainer><KeyPackage></KeyContainer>").code == "malformed_xml"


def test_container_without_keys_is_empty():
    data = b'<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc"/>'
    assert rejection(data).code == "empty"


def test_bad_integer_value_is_invalid_pskc(fixture_bytes):
    data = fixture_bytes("rfc6030/figure3.pskcxml").replace(b'Length="8"', b'Length="eight"')
    assert rejection(data).code == "invalid_pskc"


def test_unsupported_mac_algorithm_is_refused(fixture_bytes):
    data = fixture_bytes("rfc6030/figure6.pskcxml").replace(
        b"xmldsig#hmac-sha1", b"xmldsig-more#hmac-md5"
    )
    assert rejection(data, key_hex=RFC6030_KEY).code == "unsupported_mac"


def test_altered_counter_mac_rejects_even_a_skipped_key(fixture_bytes):
    # Every value's MAC is checked before any key is kept or skipped.
    data = fixture_bytes("invalid/figure6-altered-mac.pskcxml").replace(b"pskc:hotp", b"pskc:pin")
    assert rejection(data, key_hex=RFC6030_KEY).code == "mac_mismatch"


def test_parse_pskc_alone_rejects_csv_text():
    with pytest.raises(FileRejected) as caught:
        parse_pskc(b"serial,secret\nA,3132\n")
    assert caught.value.code == "not_xml"


def test_encrypted_value_without_cipher_value_skips_that_key(fixture_bytes):
    data = fixture_bytes("rfc6030/figure6.pskcxml")
    start = data.index(b"<xenc:CipherData>", data.index(b"<EncryptedValue>"))
    end = data.index(b"</xenc:CipherData>", start) + len(b"</xenc:CipherData>")
    batch = parse_pskc(data[:start] + data[end:], key_hex=RFC6030_KEY)
    assert batch.records == []
    assert [(s.serial, s.reason) for s in batch.skipped] == [("987654321", "no_secret")]
