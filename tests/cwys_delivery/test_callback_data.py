"""The callback data format: tx:<random token>:c|d, nothing else."""

from watchword.services.transaction_delivery import callback_data, parse_callback


def test_confirm_and_decline_round_trip() -> None:
    assert parse_callback(callback_data("tok_-123", "c")) == ("tok_-123", "accepted")
    assert parse_callback(callback_data("tok_-123", "d")) == ("tok_-123", "declined")


def test_anything_else_is_not_a_transaction_button() -> None:
    for data in ("", "tx", "tx::c", "tx:abc:x", "ty:abc:c", "hello", "tx:abc"):
        assert parse_callback(data) is None
