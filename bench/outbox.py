"""`make bench-outbox`: messages/s through `watchword worker` to a local Telegram, many bots.

A fresh database; B tenants, each with its own Telegram bot (a tenant's telegram
channel config is one bot token), all pointing at `bench/tgstub.py` on loopback,
which notes every sendMessage with its arrival time. Each user is in two resources,
so each chat gets two codes (the per-chat limit is exercised); one bot is hot (more
users than the rest), so the per-bot limit is exercised. For each worker count:
challenges issued through the service layer, then N `watchword worker` processes
drain the outbox. Checked at the stub: per-bot messages in any 1 s window (<= 30),
per-chat (<= 1), every message exactly once.

    python -m bench.outbox [--quick] [--messages 5000] [--bots 20] [--workers 1,2]
"""

import argparse
import asyncio
import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.outbox_seed import Fleet, enqueue_all, ledger, seed_fleet
from bench.procs import free_port, python_env
from bench.verify import database, log, pg_reachable


@dataclass
class Options:
    messages: int
    bots: int
    hot_share: float
    workers: list[int]
    db: str
    timeout: float
    json_out: str | None


def options(argv: list[str]) -> Options:
    p = argparse.ArgumentParser(prog="bench.outbox", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="1,000 messages: about 40 s")
    p.add_argument("--messages", type=int, default=5000, help="per worker count")
    p.add_argument("--bots", type=int, default=20)
    p.add_argument("--hot-share", type=float, default=0.08, help="share of the hot bot")
    p.add_argument("--workers", default="1,2")
    p.add_argument("--db", default="pg", choices=["pg", "sqlite"])
    p.add_argument("--timeout", type=float, default=120, help="seconds per drain, at most")
    p.add_argument("--json", dest="json_out")
    a = p.parse_args(argv)
    o = Options(
        messages=1000 if a.quick else a.messages,
        bots=a.bots,
        hot_share=a.hot_share,
        workers=[int(w) for w in a.workers.split(",") if w.strip()],
        db=a.db,
        timeout=a.timeout,
        json_out=a.json_out,
    )
    return o


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """The most arrivals in any half-open window [t, t + window)."""
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - window:
            j += 1
        best = max(best, i - j + 1)
    return best


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


class Stub:
    """bench/tgstub.py in its own process (so it is not what limits the workers)."""

    def __init__(self, out: Path) -> None:
        self.port = free_port()
        self.out = out
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.tgstub", str(self.port), str(out)], env=python_env({})
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("telegram stub did not start")

    def records(self) -> list[list[Any]]:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        data: list[list[Any]] = json.loads(self.out.read_text())
        return data


async def hammer(port: int, seconds: float, connections: int = 16) -> int:
    """The stub's ceiling: sendMessage over keep-alive connections, as fast as it answers."""
    body = json.dumps({"chat_id": 1, "text": "Your code: 123456"}).encode()
    request = (
        b"POST /bot1:CEILING/sendMessage HTTP/1.1\r\nhost: x\r\ncontent-type: application/json"
        b"\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    done = 0
    end = time.monotonic() + seconds

    async def one() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < end:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            done += 1
        writer.close()

    await asyncio.gather(*(one() for _ in range(connections)))
    return done


def stub_ceiling(tmp: Path, seconds: float = 3) -> float:
    stub = Stub(tmp / "ceiling.json")
    try:
        count = asyncio.run(hammer(stub.port, seconds))
    finally:
        stub.records()
    return count / seconds


def start_workers(env: dict[str, str], count: int, log_dir: Path) -> list[subprocess.Popen[bytes]]:
    procs = []
    for i in range(count):
        out = (log_dir / f"worker-{count}-{i}.log").open("w")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "watchword.cli.main", "worker"],
                env=python_env(env),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        )
    return procs


def stop_all(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


async def drain(
    env: dict[str, str], fleet: Fleet, o: Options, workers: int, tmp: Path
) -> dict[str, Any]:
    stub = Stub(tmp / f"records-{workers}.json")
    try:
        return await _drain(env, fleet, o, workers, tmp, stub)
    finally:
        if stub.proc.poll() is None:  # a failed run leaves no stub behind
            stub.proc.kill()
            stub.proc.wait()


async def _drain(
    env: dict[str, str], fleet: Fleet, o: Options, workers: int, tmp: Path, stub: Stub
) -> dict[str, Any]:
    await fleet.point_at(f"http://127.0.0.1:{stub.port}")
    log(f"{workers} worker(s): issuing {o.messages} challenges through the service layer")
    t0 = time.time()
    ids = await enqueue_all(fleet)
    enqueue_s = time.time() - t0
    log(f"{workers} worker(s): queued in {enqueue_s:.1f} s; draining")
    procs = start_workers(env, workers, tmp)
    started = time.time()
    try:
        while time.time() - started < o.timeout:
            rows = await ledger(fleet, ids)
            if all(r["state"] != "queued" and r["state"] != "sending" for r in rows):
                break
            await asyncio.sleep(0.5)
    finally:
        stop_all(procs)
    records = stub.records()
    rows = await ledger(fleet, ids)
    return analyse(fleet, workers, rows, records, started, enqueue_s)


def analyse(
    fleet: Fleet,
    workers: int,
    rows: list[dict[str, Any]],
    records: list[list[Any]],
    started: float,
    enqueue_s: float,
) -> dict[str, Any]:
    per_bot: dict[str, list[float]] = defaultdict(list)
    per_chat: dict[tuple[str, Any], list[float]] = defaultdict(list)
    for token, chat, _text, at in records:
        per_bot[token].append(at)
        per_chat[(token, chat)].append(at)
    seen = Counter((token, chat, text) for token, chat, text, _ in records)
    times = sorted(r[3] for r in records)
    span = (times[-1] - times[0]) if len(times) > 1 else float("nan")
    latency = [r["latency_s"] for r in rows if r["latency_s"] is not None]
    hot = fleet.bots[0].token
    return {
        "workers": workers,
        "queued": len(rows),
        "sent": sum(r["state"] == "sent" for r in rows),
        "arrived": len(records),
        "distinct": len(seen),
        "twice": sum(1 for n in seen.values() if n > 1),
        "enqueue_s": round(enqueue_s, 2),
        "drain_s": round(times[-1] - started, 2) if times else None,
        "rate": round(len(records) / span, 1) if span == span else None,
        "bot_max_1s": max(max_in_window(t) for t in per_bot.values()),
        "hot_bot_max_1s": max_in_window(per_bot[hot]),
        "hot_bot_rate": round(len(per_bot[hot]) / (max(per_bot[hot]) - min(per_bot[hot])), 1),
        "chat_max_1s": max(max_in_window(t) for t in per_chat.values()),
        "p50_s": round(percentile(latency, 50), 2),
        "p95_s": round(percentile(latency, 95), 2),
    }


def print_results(ceiling: float, results: list[dict[str, Any]], o: Options) -> None:
    print(f"\nOutbox -> Telegram, {o.db}, {o.bots} bots, {o.messages} messages per run")
    print(f"telegram stub ceiling (alone, 16 connections): {ceiling:,.0f} sendMessage/s")
    head = (
        "workers  msg/s  drain s  bot max/1s  hot bot msg/s  chat max/1s  "
        "p50 s  p95 s  sent/queued  twice"
    )
    print(head)
    for r in results:
        print(
            f"{r['workers']:>7}  {r['rate']:>5}  {r['drain_s']:>7}  {r['bot_max_1s']:>10}  "
            f"{r['hot_bot_rate']:>13}  {r['chat_max_1s']:>11}  {r['p50_s']:>5}  {r['p95_s']:>5}  "
            f"{r['sent']:>5}/{r['queued']:<5}  {r['twice']:>5}"
        )
    ok = all(
        r["bot_max_1s"] <= 30
        and r["chat_max_1s"] <= 1
        and r["twice"] == 0
        and r["sent"] == r["queued"] == r["distinct"]
        for r in results
    )
    print("verdict:", "PASS" if ok else "FAIL", "(per bot <= 30/s, per chat <= 1/s, each once)")


async def run_all(env: dict[str, str], o: Options, tmp: Path) -> list[dict[str, Any]]:
    fleet = await seed_fleet(env, o.bots, o.messages, o.hot_share)
    try:
        return [await drain(env, fleet, o, w, tmp) for w in o.workers]
    finally:
        await fleet.close()


def main(argv: list[str] | None = None) -> int:
    o = options(sys.argv[1:] if argv is None else argv)
    if o.db == "pg" and not pg_reachable():
        log("PostgreSQL is unreachable: use --db sqlite")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="ww-bench-outbox-"))
    try:
        log("telegram stub ceiling, 3 s")
        ceiling = stub_ceiling(tmp)
        with database(o.db, tmp) as (url, _bulk):
            env = {
                "WATCHWORD_DATABASE_URL": url,
                "WATCHWORD_DATA_DIR": str(tmp),
                "WATCHWORD_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
                "WATCHWORD_LOG_LEVEL": "warning",
            }
            from bench.procs import cli

            cli(env, "db", "upgrade")
            log(f"{o.bots} tenants, one bot each; users in two resources")
            results = asyncio.run(run_all(env, o, tmp))
        print_results(ceiling, results, o)
        if o.json_out:
            Path(o.json_out).write_text(json.dumps({"ceiling": ceiling, "runs": results}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
