import asyncio

import pytest

from tests.fakes.server import free_port
from tests.fakes.smsc import RINVDSTADR, RTHROTTLED, FakeSmsc
from watchword.delivery.channels.base import BadCredentials, PermanentError, TransientError
from watchword.delivery.channels.smpp import SmppChannel, parse_receipt
from watchword.delivery.message import DeliveryReport, OutboundMessage

OTP = OutboundMessage("sms", "+48500100200", "ACME code: 481502")


def channel(smsc: FakeSmsc, reports: list[DeliveryReport] | None = None, **kw) -> SmppChannel:
    return SmppChannel(
        smsc.host,
        smsc.port,
        kw.pop("system_id", smsc.system_id),
        kw.pop("password", smsc.password),
        "ACME",
        on_report=reports.append if reports is not None else None,
        timeout=3,
        **kw,
    )


async def test_submits_with_registered_delivery_and_is_queued():
    async with FakeSmsc() as smsc:
        ch = channel(smsc)
        receipt = await ch.send(OTP)
        await ch.aclose()

    sent = smsc.submitted[-1]
    assert sent.destination_addr == "48500100200" and sent.source_addr == "ACME"
    assert sent.text == "ACME code: 481502" and sent.registered_delivery == 1
    assert receipt.status == "queued" and receipt.provider_message_id == sent.message_id


async def test_one_bind_serves_many_messages():
    async with FakeSmsc() as smsc:
        ch = channel(smsc)
        await ch.send(OTP)
        await ch.send(OTP)
        await ch.aclose()
    assert smsc.binds == 1 and len(smsc.submitted) == 2


async def test_delivery_receipt_is_reported_with_the_submit_id():
    reports: list[DeliveryReport] = []
    async with FakeSmsc(receipt_stat="DELIVRD") as smsc:
        ch = channel(smsc, reports)
        receipt = await ch.send(OTP)
        await ch.poll(wait=2)
        await asyncio.sleep(0)  # the report is handed over via call_soon_threadsafe
        await ch.aclose()

    assert reports == [
        DeliveryReport(receipt.provider_message_id, "delivered", "DELIVRD", error_code="000")
    ]


async def test_undeliverable_receipt_is_reported_as_such():
    reports: list[DeliveryReport] = []
    async with FakeSmsc(receipt_stat="UNDELIV") as smsc:
        ch = channel(smsc, reports)
        await ch.send(OTP)
        await ch.poll(wait=2)
        await asyncio.sleep(0)
        await ch.aclose()
    assert [r.state for r in reports] == ["undeliverable"]


async def test_non_gsm_text_goes_as_ucs2():
    async with FakeSmsc() as smsc:
        ch = channel(smsc)
        await ch.send(OutboundMessage("sms", "+380501234567", "Ваш код: 481502"))
        await ch.aclose()
    assert smsc.submitted[-1].data_coding == 8 and smsc.last_text() == "Ваш код: 481502"


async def test_enquire_link_is_answered():
    async with FakeSmsc() as smsc:
        ch = channel(smsc)
        await ch.enquire_link()
        await ch.aclose()
    assert smsc.enquire_links == 1


async def test_wrong_password_is_bad_credentials():
    async with FakeSmsc() as smsc:
        with pytest.raises(BadCredentials):
            await channel(smsc, password="forged").send(OTP)


async def test_throttled_is_transient():
    async with FakeSmsc(submit_status=RTHROTTLED) as smsc:
        ch = channel(smsc)
        with pytest.raises(TransientError, match="0x00000058"):
            await ch.send(OTP)
        await ch.aclose()


async def test_invalid_destination_is_permanent():
    async with FakeSmsc(submit_status=RINVDSTADR) as smsc:
        ch = channel(smsc)
        with pytest.raises(PermanentError):
            await ch.send(OTP)
        await ch.aclose()


async def test_unreachable_smsc_is_transient():
    ch = SmppChannel("127.0.0.1", free_port(), "u", "p", "ACME", timeout=1)
    with pytest.raises(TransientError):
        await ch.send(OTP)


def test_receipt_text_is_parsed_without_tlvs():
    text = (
        "id:0A1B sub:001 dlvrd:000 submit date:2605031200 done date:2605031201"
        " stat:EXPIRED err:012 text:"
    )
    assert parse_receipt(text) == DeliveryReport("0A1B", "expired", "EXPIRED", "012")


def test_tlv_message_state_wins_over_the_text():
    report = parse_receipt("id:1 stat:UNKNOWN err:000", receipted_id="1", message_state=2)
    assert report is not None and report.state == "delivered"


def test_a_plain_mobile_originated_message_is_no_receipt():
    assert parse_receipt("hello") is None
