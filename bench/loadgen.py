"""A small HTTP/1.1 keep-alive load generator on raw asyncio sockets.

Run in its own process (``python -m bench.loadgen SPEC.json OUT.json``) so its CPU
is accounted apart from the server's. Each connection owns a disjoint slice of the
working set and sends one request at a time, so the i-th code of a token always
reaches the server after the (i-1)-th: every valid HOTP code is really fresh.
"""

import asyncio
import hashlib
import hmac
import json
import sys
import time
from dataclasses import dataclass, field
from typing import Any

try:  # uvloop ships with uvicorn[standard]; the generator works without it, slower.
    import uvloop
except ImportError:  # pragma: no cover
    uvloop = None  # type: ignore[assignment]

LOOK_BEHIND = 3
LOOK_AHEAD = 10


def hotp(secret: bytes, counter: int, digits: int = 6) -> str:
    digest = hmac.new(secret, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def wrong_code(secret: bytes, counter: int) -> str:
    """A code that matches nothing the server looks at around ``counter``."""
    near = {hotp(secret, c) for c in range(max(0, counter - LOOK_BEHIND), counter + LOOK_AHEAD + 1)}
    candidate = int(hotp(secret, counter + 1000))
    while f"{candidate:06d}" in near:
        candidate = (candidate + 1) % 1_000_000
    return f"{candidate:06d}"


@dataclass
class Token:
    login: str
    secret: bytes
    counter: int  # next counter to send
    sent: int = 0  # requests sent on this token (drives the wrong-code pattern)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    results: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    as_expected: int = 0  # valid code accepted, wrong code rejected as invalid_otp


def request_bytes(host: str, path: str, key: str, body: bytes | None) -> bytes:
    method = "POST" if body is not None else "GET"
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n"
    if key:
        head += f"Authorization: Bearer {key}\r\n"
    if body is None:
        return (head + "\r\n").encode()
    head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    lower = head.lower()
    at = lower.find(b"content-length:")
    if at >= 0:
        end = lower.find(b"\r\n", at)
        length = int(lower[at + 15 : end])
    body = await reader.readexactly(length) if length else b""
    return status, body


def classify(body: bytes) -> str:
    if b'"accepted"' in body:
        return "accepted"
    at = body.find(b'"reason":"')
    if at >= 0:
        return "rejected:" + body[at + 10 : body.find(b'"', at + 10)].decode()
    return "other"


async def connection(
    spec: dict[str, Any], tokens: list[Token], tally: Tally, start: float, stop: float
) -> None:
    host, port = spec["host"], spec["port"]
    reader, writer = await asyncio.open_connection(host, port)
    wrong_every = int(spec.get("wrong_every", 0))
    path, key = spec["path"], spec.get("api_key", "")
    resource = spec.get("resource_id")
    ips: list[str] = spec.get("ips") or []
    i = 0
    try:
        while True:
            now = time.perf_counter()
            if now >= stop:
                return
            body: bytes | None = None
            want = ""
            if tokens:
                tok = tokens[i % len(tokens)]
                i += 1
                tok.sent += 1
                if wrong_every and tok.sent % wrong_every == 0:
                    otp = wrong_code(tok.secret, tok.counter)
                    want = "rejected:invalid_otp"
                else:
                    want = "accepted"
                    otp = hotp(tok.secret, tok.counter)
                    tok.counter += 1
                fields = {"resource_id": resource, "login": tok.login, "otp": otp}
                if ips:
                    fields["ip"] = ips[i % len(ips)]
                body = json.dumps(fields, separators=(",", ":")).encode()
            t0 = time.perf_counter()
            writer.write(request_bytes(host, path, key, body))
            status, payload = await read_response(reader)
            t1 = time.perf_counter()
            if t0 >= start:
                tally.latencies.append(t1 - t0)
                s = str(status)
                tally.statuses[s] = tally.statuses.get(s, 0) + 1
                if tokens:
                    r = classify(payload)
                    tally.results[r] = tally.results.get(r, 0) + 1
                    tally.as_expected += r == want
    except (OSError, asyncio.IncompleteReadError, ValueError):
        tally.errors += 1
    finally:
        writer.close()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    tokens = [Token(t[0], bytes.fromhex(t[1]), int(t[2])) for t in spec.get("tokens", [])]
    conns = int(spec["concurrency"])
    if tokens and len(tokens) < conns:
        raise SystemExit("need at least one token per connection")
    begin = time.perf_counter()
    # The window is given in wall-clock time so the parent can sample CPU over it.
    start = begin + (float(spec["start_at"]) - time.time())
    stop = start + float(spec["duration"])
    tally = Tally()
    cpu0 = time.process_time()
    await asyncio.gather(
        *(connection(spec, tokens[k::conns], tally, start, stop) for k in range(conns))
    )
    cpu = time.process_time() - cpu0
    lat = sorted(tally.latencies)
    window = float(spec["duration"])
    return {
        "requests": len(lat),
        "rate": len(lat) / window,
        "p50_ms": percentile(lat, 50) * 1000,
        "p95_ms": percentile(lat, 95) * 1000,
        "p99_ms": percentile(lat, 99) * 1000,
        "statuses": tally.statuses,
        "results": tally.results,
        "errors": tally.errors,
        "as_expected": tally.as_expected,
        "cpu_s": cpu,
        "wall_s": time.perf_counter() - begin,
        "next_counters": {t.login: t.counter for t in tokens},
    }


def main(argv: list[str]) -> int:
    spec = json.loads(open(argv[1]).read())
    if uvloop is not None:
        uvloop.install()
    result = asyncio.run(run(spec))
    with open(argv[2], "w") as out:
        json.dump(result, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
