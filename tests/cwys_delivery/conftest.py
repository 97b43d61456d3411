import pytest

from tests.conftest import Api
from tests.delivery_flow.conftest import fake_telegram, frozen, http, worker
from watchword.services.transaction_delivery import OutboxTransactionSender

__all__ = ["fake_telegram", "frozen", "http", "worker"]


@pytest.fixture(autouse=True)
def outbox_sender(api: Api) -> OutboxTransactionSender:
    """What bootstrap wires: transaction codes go through the delivery outbox."""
    sender = OutboxTransactionSender(api.env.keyring, api.env.clock)
    api.env.transaction_codes = sender
    return sender
