"""`serve --workers 2`: connections opened at once are spread over both processes."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from watchword.cli.workers import reuseport_supported

pytestmark = pytest.mark.skipif(
    not reuseport_supported() or not Path("/proc/net/tcp").exists(),
    reason="needs SO_REUSEPORT and Linux /proc",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def workers_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rfind(")") + 2 :].split()[1]) == pid:
                if b"resource_tracker" not in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    env = {
        **os.environ,
        "WATCHWORD_DATA_DIR": str(tmp_path),
        "WATCHWORD_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
        "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "watchword.cli.main",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    # Both workers must be listening, or the first one up gets every connection.
    while listeners(port) < 2 or not _healthy(port):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("server did not start")
        time.sleep(0.2)
    yield proc, port
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def listeners(port: int) -> int:
    local = f"0100007F:{port:04X}"
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for r in rows if r.split()[1] == local and r.split()[3] == "0A")


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def owner_of(client: socket.socket, server_port: int, pids: list[int]) -> int:
    """The worker process holding the server side of this client's connection."""
    local = f"0100007F:{server_port:04X}"
    remote = f"0100007F:{client.getsockname()[1]:04X}"
    inode = next(
        line.split()[9]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if line.split()[1] == local and line.split()[2] == remote
    )
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    raise AssertionError("no worker holds the connection")


def test_a_pool_of_connections_opened_at_once_reaches_both_workers(server) -> None:  # type: ignore[no-untyped-def]
    proc, port = server
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(16)]
    try:
        for c in clients:
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        for c in clients:
            assert c.recv(4096).startswith(b"HTTP/1.1 200")
        pids = workers_of(proc.pid)
        owners = {owner_of(c, port, pids) for c in clients}
    finally:
        for c in clients:
            c.close()
    assert owners == set(pids) and len(owners) == 2


def test_sigterm_stops_every_worker_and_exits_cleanly(server) -> None:  # type: ignore[no-untyped-def]
    proc, _ = server
    pids = workers_of(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    assert not any(Path(f"/proc/{p}").exists() and "Z" not in _state(p) for p in pids)


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "Z"
    return stat[stat.rfind(")") + 2 :].split()[0]
