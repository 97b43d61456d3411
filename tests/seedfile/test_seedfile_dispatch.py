"""parse_seed_file picks PSKC or CSV by content; the name only sharpens errors."""

import pytest

from watchword.seedfile import FileRejected, parse_seed_file

HEX = "3132333435363738393031323334353637383930"


def test_xml_content_is_read_as_pskc_whatever_its_name(fixture_bytes):
    batch = parse_seed_file(fixture_bytes("rfc6030/figure3.pskcxml"), "seeds.csv")
    assert batch.serials == ["987654321"]


def test_xml_with_bom_and_leading_blank_lines_is_pskc(fixture_bytes):
    data = b"\xef\xbb\xbf\n\n" + fixture_bytes("rfc6030/figure3.pskcxml")
    assert parse_seed_file(data, None).count == 1


def test_utf16_xml_is_pskc(fixture_bytes):
    text = fixture_bytes("rfc6030/figure2.pskcxml").decode().replace("UTF-8", "UTF-16")
    assert parse_seed_file(text.encode("utf-16"), None).serials == ["12345678"]


def test_text_content_is_read_as_csv():
    assert parse_seed_file(f"A,{HEX}\n".encode(), "seeds.txt").serials == ["A"]


def test_text_content_named_as_pskc_is_not_xml():
    with pytest.raises(FileRejected) as caught:
        parse_seed_file(f"A,{HEX}\n".encode(), "cards.PSKCXML")
    assert caught.value.code == "not_xml"


def test_empty_upload_is_rejected():
    with pytest.raises(FileRejected) as caught:
        parse_seed_file(b" \n", "x.csv")
    assert caught.value.code == "empty"
