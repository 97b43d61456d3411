"""SMS over SMPP 3.4 (smpplib), as a transceiver so receipts come back on the same bind.

smpplib is blocking and not thread-safe: every call runs in a worker thread under
one lock. ``send`` submits each part with ``registered_delivery`` and waits for the
``submit_sm_resp``; ``deliver_sm`` receipts read meanwhile (or by ``poll``) are
parsed into DeliveryReports and handed to ``on_report`` on the event loop.
``_STATUS`` and ``_connect`` are the error boundary.
"""

import asyncio
import re
import select
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import smpplib.client
import smpplib.consts as c
import smpplib.exceptions
import smpplib.gsm
import smpplib.smpp

from watchword.delivery.channels.base import (
    BadCredentials,
    DeliveryError,
    PermanentError,
    TransientError,
)
from watchword.delivery.message import DeliveryReport, OutboundMessage, Receipt, ReportState

T = TypeVar("T")
ReportHandler = Callable[[DeliveryReport], None]

# submit_sm_resp / bind_resp command_status -> error class (SMPP 3.4 §5.1.3).
_STATUS: dict[int, type[DeliveryError]] = {
    c.SMPP_ESME_RTHROTTLED: TransientError,
    c.SMPP_ESME_RMSGQFUL: TransientError,
    c.SMPP_ESME_RSYSERR: TransientError,
    c.SMPP_ESME_RINVBNDSTS: TransientError,  # session state lost: rebind and retry
    c.SMPP_ESME_RX_T_APPN: TransientError,
    c.SMPP_ESME_RBINDFAIL: BadCredentials,
    c.SMPP_ESME_RINVPASWD: BadCredentials,
    c.SMPP_ESME_RINVSYSID: BadCredentials,
}
_STATES: dict[str, ReportState] = {
    "DELIVRD": "delivered",
    "UNDELIV": "undeliverable",
    "EXPIRED": "expired",
    "REJECTD": "rejected",
}
_TLV_STATES: dict[int, ReportState] = {
    2: "delivered",
    3: "expired",
    5: "undeliverable",
    8: "rejected",
}
_RECEIPT = re.compile(r"id:(?P<id>\S+).*?stat:(?P<stat>\w+)(?:\s+err:(?P<err>\w+))?", re.S)
RECEIPT_ESM = 0x04  # esm_class bit: this deliver_sm is an SMSC delivery receipt


def parse_receipt(
    short_message: str, receipted_id: str = "", message_state: int | None = None
) -> DeliveryReport | None:
    """A delivery receipt from its text, preferring the TLVs when the SMSC sent them."""
    m = _RECEIPT.search(short_message)
    if m is None and not receipted_id:
        return None
    stat = m.group("stat") if m else ""
    state = _TLV_STATES.get(message_state or 0) or _STATES.get(stat.upper(), "unknown")
    return DeliveryReport(
        provider_message_id=receipted_id or (m.group("id") if m else ""),
        state=state,
        raw_status=stat or str(message_state),
        error_code=(m.group("err") or "") if m else "",
    )


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.rstrip(b"\x00").decode("latin-1")
    return "" if value is None else str(value)


class SmppChannel:
    def __init__(
        self,
        host: str,
        port: int,
        system_id: str,
        password: str,
        source_addr: str,
        *,
        on_report: ReportHandler | None = None,
        timeout: float = 10.0,
        name: str = "sms",
    ) -> None:
        self._host, self._port = host, port
        self._system_id, self._password = system_id, password
        self._source = source_addr
        # An alphanumeric sender ("ACME") vs a number.
        self._source_ton = (
            c.SMPP_TON_INTL if source_addr.lstrip("+").isdigit() else c.SMPP_TON_ALNUM
        )
        self._on_report = on_report
        self._timeout = timeout
        self._name = name
        self._client: smpplib.client.Client | None = None
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def name(self) -> str:
        return self._name

    async def send(self, msg: OutboundMessage) -> Receipt:
        return await self._run(self._submit, msg)

    async def poll(self, wait: float = 0.5) -> int:
        """Read receipts, waiting up to ``wait`` s for the first; returns PDUs handled."""
        return await self._run(self._poll, wait)

    async def enquire_link(self) -> None:
        """Keep the bind alive (SMSCs drop idle sessions)."""
        await self._run(self._enquire)

    async def aclose(self) -> None:
        await asyncio.to_thread(self._close)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        self._loop = asyncio.get_running_loop()
        return await asyncio.to_thread(self._locked, fn, *args)

    def _locked(self, fn: Callable[..., T], *args: Any) -> T:
        with self._lock:
            try:
                return fn(*args)
            except DeliveryError:
                raise
            except (smpplib.exceptions.ConnectionError, OSError) as e:
                self._drop()
                raise TransientError(f"SMPP connection: {e}", raw_status="network") from e
            except smpplib.exceptions.PDUError as e:
                self._drop()
                raise _error(e.args[1] if len(e.args) > 1 else -1, str(e.args[0])) from e

    # --- everything below runs in the worker thread, under the lock ---

    def _connect(self) -> smpplib.client.Client:
        if self._client is not None:
            return self._client
        client = smpplib.client.Client(
            self._host, self._port, timeout=self._timeout, allow_unknown_opt_params=True
        )
        try:
            client.connect()
            client.bind_transceiver(system_id=self._system_id, password=self._password)
        except BaseException:
            client.disconnect()
            raise
        self._client = client
        return client

    def _submit(self, msg: OutboundMessage) -> Receipt:
        client = self._connect()
        parts, coding, esm_class = smpplib.gsm.make_parts(msg.text)
        pending: dict[int, str | None] = {}
        for part in parts:
            pdu = client.send_message(
                source_addr_ton=self._source_ton,
                source_addr_npi=c.SMPP_NPI_ISDN if self._source_ton == c.SMPP_TON_INTL else 0,
                source_addr=self._source.lstrip("+"),
                dest_addr_ton=c.SMPP_TON_INTL,
                dest_addr_npi=c.SMPP_NPI_ISDN,
                destination_addr=msg.destination.lstrip("+"),
                short_message=part,
                data_coding=coding,
                esm_class=esm_class,
                registered_delivery=True,
            )
            pending[pdu.sequence] = None
        ids: list[str] = []
        while len(ids) < len(pending):
            pdu = self._read(client)
            if pdu.command == "submit_sm_resp" and pdu.sequence in pending:
                if pdu.status != c.SMPP_ESME_ROK:
                    raise _error(pdu.status, pdu.get_status_desc())
                ids.append(_text(pdu.message_id))
            elif pdu.command == "generic_nack":
                raise _error(pdu.status, pdu.get_status_desc())
        # Receipts come per part; the first part's id names the message.
        return Receipt(provider_message_id=ids[0], status="queued", raw_status="ESME_ROK")

    def _poll(self, timeout: float) -> int:
        client = self._connect()
        handled = 0
        while True:
            sock = client._socket
            ready, _, _ = select.select([sock], [], [], timeout if handled == 0 else 0)
            if not ready:
                return handled
            self._read(client)
            handled += 1

    def _enquire(self) -> None:
        client = self._connect()
        pdu = smpplib.smpp.make_pdu("enquire_link", client=client)
        client.send_pdu(pdu)
        while self._read(client).command != "enquire_link_resp":
            pass

    def _read(self, client: smpplib.client.Client) -> Any:
        """Read one PDU, answering the SMSC's own requests (receipts, keep-alives)."""
        try:
            pdu = client.read_pdu()
        except TimeoutError as e:
            self._drop()
            raise TransientError("SMPP read timed out", raw_status="timeout") from e
        if pdu.command == "deliver_sm":
            self._answer(client, "deliver_sm_resp", pdu.sequence)
            self._receipt(pdu)
        elif pdu.command == "enquire_link":
            self._answer(client, "enquire_link_resp", pdu.sequence)
        elif pdu.command == "unbind":
            self._answer(client, "unbind_resp", pdu.sequence)
            self._drop()
            raise TransientError("SMSC unbound the session", raw_status="unbind")
        return pdu

    def _answer(self, client: smpplib.client.Client, command: str, sequence: int) -> None:
        resp = smpplib.smpp.make_pdu(command, client=client)
        resp.sequence = sequence
        client.send_pdu(resp)

    def _receipt(self, pdu: Any) -> None:
        if not (int(pdu.esm_class or 0) & RECEIPT_ESM) or self._on_report is None:
            return
        state = getattr(pdu, "message_state", None)
        report = parse_receipt(
            _text(pdu.short_message),
            _text(getattr(pdu, "receipted_message_id", None)),
            int(state) if state is not None else None,
        )
        if report is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._on_report, report)

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.disconnect()
            except Exception:  # noqa: S110 - already broken; closing is best effort
                pass

    def _close(self) -> None:
        with self._lock:
            if self._client is not None:
                try:
                    self._client.unbind()
                except (smpplib.exceptions.ConnectionError, smpplib.exceptions.PDUError, OSError):
                    pass
                self._drop()


def _error(status: int, description: str) -> DeliveryError:
    kind = _STATUS.get(status, PermanentError)  # RINVDSTADR, RSUBMITFAIL ... will not pass
    return kind(f"SMPP 0x{status:08X}: {description}", raw_status=f"0x{status:08X}")
