"""Two server processes on one PostgreSQL database: still exactly one acceptance."""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest

from tests.conftest import create_pg_database, drop_pg_database, require_pg

N = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_cli(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "watchword.cli.main", *args], env=env, check=True,
        capture_output=True, text=True, timeout=120,
    )
    return out.stdout


@pytest.fixture
def pg_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    require_pg()
    name, url = asyncio.run(create_pg_database())
    env = {**os.environ, "WATCHWORD_DATABASE_URL": url, "WATCHWORD_DATA_DIR": str(tmp_path),
           "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    run_cli(env, "db", "upgrade")
    import json

    key = json.loads(run_cli(env, "tenant", "create", "Acme", "--json"))["api_key"]
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "watchword.cli.main", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
        yield base, key
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        asyncio.run(drop_pg_database(name))


async def test_two_processes_accept_one_code_once(pg_server: tuple[str, str]) -> None:
    base, key = pg_server
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", headers=headers, timeout=30) as c:
        rid = (await c.post("/resources", json={"name": "Web"})).json()["id"]
        uid = (await c.post("/users", json={"login": "alice"})).json()["id"]
        await c.put(f"/resources/{rid}/users/{uid}")
        secret = (await c.post("/tokens", json={"kind": "hotp", "user_id": uid})).json()[
            "enrollment"]["secret_b32"]
        body = {"resource_id": rid, "login": "alice", "otp": pyotp.HOTP(secret).at(0)}
        # Fresh connections each, so the kernel spreads them over both workers.
        async def one() -> str:
            async with httpx.AsyncClient(base_url=f"{base}/api/v1", headers=headers, timeout=30) as own:
                return str((await own.post("/auth/verify", json=body)).json()["result"])

        results = await asyncio.gather(*(one() for _ in range(N)))
    assert results.count("accepted") == 1 and results.count("rejected") == N - 1


async def test_metrics_sum_over_both_processes(pg_server: tuple[str, str]) -> None:
    base, key = pg_server
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", headers=headers, timeout=30) as c:
        rid = (await c.post("/resources", json={"name": "Web"})).json()["id"]
        body = {"resource_id": rid, "login": "nobody", "otp": "123456"}

        async def one() -> None:
            async with httpx.AsyncClient(base_url=f"{base}/api/v1", headers=headers, timeout=30) as own:
                await own.post("/auth/verify", json=body)

        await asyncio.gather(*(one() for _ in range(20)))
        text = (await c.get(f"{base}/metrics")).text
    line = next(s for s in text.splitlines() if s.startswith("watchword_decisions_total{") and "unknown_user" in s)
    assert float(line.rsplit(" ", 1)[1]) == 20
