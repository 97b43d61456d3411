"""One value of every sealed kind, made through the API as a customer would."""

from dataclasses import dataclass
from typing import Any

from tests.api.setup import Enrolled, enrolled
from tests.conftest import Api
from tests.delivery_flow.setup import CHAT_ID, Member, challenge, configure_telegram, member
from tests.fakes.telegram import FakeTelegram
from tests.hardware.setup import order
from tests.hardware.test_payment_webhook import configure as configure_payments
from tests.transactions.setup import ocra_user

PIN_SUITE = "OCRA-1:HOTP-SHA1-6:QN08-PSHA1"
PIN = "1234"


@dataclass
class Everything:
    hotp: Enrolled
    ocra: Enrolled
    bot: Member
    order_id: str
    challenge: dict[str, Any]


async def everything(api: Api, fake: FakeTelegram) -> Everything:
    """A seed, an OCRA PIN hash, a payment webhook secret, an order address, channel
    credentials and a queued outbox payload, all sealed under the current key."""
    hotp = await enrolled(api, kind="hotp", login="alice")
    ocra = await ocra_user(api, suite=PIN_SUITE, ocra_pin=PIN, login="olga")
    await configure_payments(api)
    placed = await order(api, login="alice")
    await configure_telegram(api, fake)
    bot = await member(api, {"telegram": CHAT_ID}, login="tom")
    ch = await challenge(api, bot)  # its message stays queued: nobody ran the worker
    return Everything(hotp, ocra, bot, str(placed["id"]), ch)
