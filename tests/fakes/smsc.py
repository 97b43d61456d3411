"""A fake SMSC speaking enough SMPP 3.4 for the adapter, written with struct (not smpplib).

It answers bind_transceiver, submit_sm, enquire_link and unbind, keeps every
submitted message, and (when asked to) sends a deliver_sm delivery receipt.
Run it on the test's event loop: ``async with FakeSmsc() as smsc: ...``.
"""

from __future__ import annotations

import asyncio
import itertools
import struct
from dataclasses import dataclass, field
from types import TracebackType

BIND_TRANSCEIVER = 0x00000009
SUBMIT_SM = 0x00000004
DELIVER_SM = 0x00000005
UNBIND = 0x00000006
ENQUIRE_LINK = 0x00000015
GENERIC_NACK = 0x80000000
RESP = 0x80000000

ROK = 0x00
RINVPASWD = 0x0E
RTHROTTLED = 0x58
RINVDSTADR = 0x0B

TLV_RECEIPTED_MESSAGE_ID = 0x001E
TLV_MESSAGE_STATE = 0x0427
MESSAGE_STATES = {"DELIVRD": 2, "EXPIRED": 3, "UNDELIV": 5, "REJECTD": 8}


@dataclass
class Submitted:
    message_id: str
    source_addr: str
    destination_addr: str
    short_message: bytes
    data_coding: int
    registered_delivery: int

    @property
    def text(self) -> str:
        return self.short_message.decode("utf-16-be" if self.data_coding == 8 else "latin-1")


@dataclass
class FakeSmsc:
    system_id: str = "watchword"
    password: str = "secret"
    submit_status: int = ROK  # set to RTHROTTLED / RINVDSTADR to refuse submits
    receipt_stat: str | None = "DELIVRD"  # None: send no receipt
    submitted: list[Submitted] = field(default_factory=list)
    binds: int = 0
    enquire_links: int = 0
    host: str = "127.0.0.1"
    port: int = 0
    _server: asyncio.Server | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000))
    _writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def __aenter__(self) -> FakeSmsc:
        self._server = await asyncio.start_server(self._session, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None
        for w in self._writers:
            w.close()
        self._server.close()
        await self._server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        try:
            while True:
                header = await reader.readexactly(16)
                length, command, _status, seq = struct.unpack(">LLLL", header)
                body = await reader.readexactly(length - 16)
                if not await self._handle(writer, command, seq, body):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def _handle(self, w: asyncio.StreamWriter, command: int, seq: int, body: bytes) -> bool:
        if command == BIND_TRANSCEIVER:
            system_id, pos = _cstring(body, 0)
            password, _ = _cstring(body, pos)
            self.binds += 1
            ok = system_id == self.system_id and password == self.password
            _send(w, command | RESP, ROK if ok else RINVPASWD, seq, _c(self.system_id))
            return ok
        if command == ENQUIRE_LINK:
            self.enquire_links += 1
            _send(w, command | RESP, ROK, seq, b"")
        elif command == UNBIND:
            _send(w, command | RESP, ROK, seq, b"")
            return False
        elif command == SUBMIT_SM:
            await self._submit(w, seq, body)
        elif command & RESP:
            pass  # deliver_sm_resp to our receipts
        else:
            _send(w, GENERIC_NACK, 0x03, seq, b"")
        return True

    async def _submit(self, w: asyncio.StreamWriter, seq: int, body: bytes) -> None:
        if self.submit_status != ROK:
            _send(w, SUBMIT_SM | RESP, self.submit_status, seq, b"")
            return
        msg = _parse_submit(f"{next(self._ids):08x}", body)
        self.submitted.append(msg)
        _send(w, SUBMIT_SM | RESP, ROK, seq, _c(msg.message_id))
        await w.drain()
        if msg.registered_delivery & 0x01 and self.receipt_stat is not None:
            _send(w, DELIVER_SM, ROK, next(self._seq), _receipt(msg, self.receipt_stat))
        await w.drain()

    def last_text(self) -> str:
        return self.submitted[-1].text


def _send(w: asyncio.StreamWriter, command: int, status: int, seq: int, body: bytes) -> None:
    w.write(struct.pack(">LLLL", 16 + len(body), command, status, seq) + body)


def _c(s: str) -> bytes:
    return s.encode("latin-1") + b"\x00"


def _cstring(data: bytes, pos: int) -> tuple[str, int]:
    end = data.index(b"\x00", pos)
    return data[pos:end].decode("latin-1"), end + 1


def _parse_submit(message_id: str, body: bytes) -> Submitted:
    _service_type, pos = _cstring(body, 0)
    pos += 2  # source_addr_ton, source_addr_npi
    source, pos = _cstring(body, pos)
    pos += 2  # dest_addr_ton, dest_addr_npi
    dest, pos = _cstring(body, pos)
    pos += 3  # esm_class, protocol_id, priority_flag
    _schedule, pos = _cstring(body, pos)
    _validity, pos = _cstring(body, pos)
    registered, _replace, coding, _default_id, sm_length = struct.unpack_from(">BBBBB", body, pos)
    pos += 5
    short_message = body[pos : pos + sm_length]
    return Submitted(message_id, source, dest, short_message, coding, registered)


def _receipt(msg: Submitted, stat: str) -> bytes:
    text = (
        f"id:{msg.message_id} sub:001 dlvrd:{'001' if stat == 'DELIVRD' else '000'} "
        f"submit date:2605031200 done date:2605031201 stat:{stat} err:000 text:"
    ).encode("latin-1")
    body = _c("")  # service_type
    body += struct.pack(">BB", 1, 1) + _c(msg.destination_addr)  # the handset is the source
    body += struct.pack(">BB", 5, 0) + _c(msg.source_addr)
    body += struct.pack(">BBB", 0x04, 0, 0)  # esm_class: SMSC delivery receipt
    body += _c("") + _c("")  # schedule_delivery_time, validity_period
    body += struct.pack(">BBBBB", 0, 0, 0, 0, len(text)) + text
    rid = _c(msg.message_id)
    body += struct.pack(">HH", TLV_RECEIPTED_MESSAGE_ID, len(rid)) + rid
    body += struct.pack(">HHB", TLV_MESSAGE_STATE, 1, MESSAGE_STATES.get(stat, 6))
    return body
