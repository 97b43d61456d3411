from decimal import Decimal

from watchword.delivery.pricing import PriceTable

TABLE = PriceTable.from_config(
    {
        "channels": {"telegram": "0", "email": "0.0001"},
        "sms": {"1": "0.0079", "38": "0.05", "380": "0.08", "48": "0.04", "+4850": "0.035"},
        "sms_default": "0.10",
        "currency": "USD",
    }
)


def test_longest_prefix_wins():
    assert TABLE.price("sms", "+380501234567") == Decimal("0.08")
    assert TABLE.price("sms", "+48500100200") == Decimal("0.035")
    assert TABLE.price("sms", "+48600100200") == Decimal("0.04")


def test_unlisted_country_gets_the_default():
    assert TABLE.price("sms", "+81312345678") == Decimal("0.10")


def test_segments_multiply_the_price():
    assert TABLE.price("sms", "+15005550006", segments=2) == Decimal("0.0158")


def test_other_channels_have_a_flat_price_or_none():
    assert TABLE.price("telegram", "123") == Decimal("0")
    assert TABLE.price("email", "a@b.c") == Decimal("0.0001")
    assert TABLE.price("viber", "x") is None


def test_no_default_means_unpriced():
    assert PriceTable(sms={"48": Decimal("0.04")}).price("sms", "+4412345") is None
