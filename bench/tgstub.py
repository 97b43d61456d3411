"""A fast fake Telegram Bot API for the outbox benchmark: records, answers, nothing else.

``python -m bench.tgstub PORT OUT.json`` answers every ``POST /bot<token>/sendMessage``
with Telegram's success envelope on keep-alive connections and notes (token, chat_id,
text, arrival time). On SIGTERM it writes the notes to OUT.json and exits.
"""

import asyncio
import json
import signal
import sys
import time
from typing import Any

try:
    import uvloop
except ImportError:  # pragma: no cover
    uvloop = None  # type: ignore[assignment]

RECORDS: list[tuple[str, Any, str, float]] = []
_ids = iter(range(1, 1 << 62))


def answer(chat_id: Any, text: str) -> bytes:
    body = json.dumps(
        {
            "ok": True,
            "result": {
                "message_id": next(_ids),
                "chat": {"id": chat_id, "type": "private"},
                "date": int(time.time()),
                "text": text,
            },
        }
    ).encode()
    head = (
        f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Bot(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            now = time.time()
            path = head.split(" ", 2)[1]
            token = path.split("/")[1][3:]  # /bot<token>/<method>
            msg = json.loads(body) if body else {}
            RECORDS.append((token, msg.get("chat_id"), str(msg.get("text", "")), now))
            self.transport.write(answer(msg.get("chat_id"), str(msg.get("text", ""))))


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, done.set)
    server = await loop.create_server(Bot, "127.0.0.1", port, backlog=1024)
    async with server:
        await done.wait()


if __name__ == "__main__":
    if uvloop is not None:
        uvloop.install()
    asyncio.run(serve(int(sys.argv[1])))
    with open(sys.argv[2], "w") as f:
        json.dump(RECORDS, f)
