from tests.delivery_flow.conftest import fake_telegram, fake_twilio, frozen, http, worker

__all__ = ["fake_telegram", "fake_twilio", "frozen", "http", "worker"]
