import pytest

from watchword.delivery.links import messenger_link, qr_svg, telegram_link, viber_link


def test_telegram_link_carries_the_start_payload():
    assert telegram_link("@AcmeOtpBot", "Zm9vYmFy") == "https://t.me/AcmeOtpBot?start=Zm9vYmFy"


@pytest.mark.parametrize("code", ["", "has space", "x" * 65, "a+b"])
def test_telegram_refuses_payloads_it_would_not_deliver(code):
    with pytest.raises(ValueError):
        telegram_link("AcmeOtpBot", code)


def test_viber_link_has_chat_uri_and_context():
    assert viber_link("acme2fa", "lnk-9QZ") == "viber://pa?chatURI=acme2fa&context=lnk-9QZ"


def test_viber_prefill_text_is_url_encoded():
    assert viber_link("acme2fa", "c1", prefill="Hi there") == (
        "viber://pa?chatURI=acme2fa&context=c1&text=Hi%20there"
    )


def test_messenger_link_has_the_ref():
    assert messenger_link("acmebank", "lnk-9QZ") == "https://m.me/acmebank?ref=lnk-9QZ"


def test_messenger_plus_in_ref_is_escaped_so_it_is_not_read_as_space():
    assert messenger_link("acmebank", "a+b") == "https://m.me/acmebank?ref=a%2Bb"


def test_messenger_refuses_a_ref_with_spaces():
    with pytest.raises(ValueError):
        messenger_link("acmebank", "a b")


def test_qr_svg_is_an_inline_svg():
    svg = qr_svg("https://t.me/AcmeOtpBot?start=Zm9vYmFy")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
