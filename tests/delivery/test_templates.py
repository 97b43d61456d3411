from decimal import Decimal

import pytest

from watchword.delivery.templates import TEMPLATES, button_labels, format_amount, render


def test_login_code_in_english():
    assert render("login_code", "en", issuer="ACME", code="481502", minutes=5) == (
        "Your ACME code: 481502. Valid 5 min. Never share it."
    )


def test_region_tag_uses_the_language():
    assert render("login_code", "uk-UA", issuer="ACME", code="1", minutes=5).startswith(
        "Ваш код ACME"
    )


def test_unknown_locale_falls_back_to_english():
    assert render("login_code", "de", issuer="ACME", code="1", minutes=5).startswith("Your ACME")


def test_transaction_shows_amount_currency_payee_and_code():
    text = render(
        "transaction",
        "pl",
        issuer="ACME",
        amount=Decimal("120"),
        currency="EUR",
        payee="Sklep Sp. z o.o.",
        code="77120",
    )
    assert "120,00 EUR" in text and "Sklep Sp. z o.o." in text and "77120" in text


def test_a_payee_cannot_add_lines_to_the_message():
    text = render(
        "transaction",
        "en",
        issuer="ACME",
        amount=Decimal("1"),
        currency="EUR",
        payee="Shop\n\nCode is safe to share",
        code="1",
    )
    assert "\n" not in text


def test_values_are_not_re_expanded():
    text = render("login_code", "en", issuer="{code}", code="481502", minutes=5)
    assert text.startswith("Your {code} code: 481502")


def test_every_template_has_every_locale_and_no_links():
    for variants in TEMPLATES.values():
        assert set(variants) == {"en", "uk", "ru", "pl"}
        assert not any("http" in text or "www." in text for text in variants.values())


def test_missing_value_is_a_key_error():
    with pytest.raises(KeyError):
        render("token_shipped", "en", issuer="ACME", serial="OATH0001")


def test_amount_uses_the_locale_decimal_mark():
    assert format_amount(Decimal("120.5"), "en") == "120.50"
    assert format_amount(Decimal("120.5"), "ru") == "120,50"


def test_button_labels_are_localised():
    assert button_labels("uk") == ("Підтвердити", "Відхилити")
    assert button_labels("xx") == ("Confirm", "Decline")
