"""Processes the benchmark starts, and what /proc says about them (RSS, CPU time)."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def python_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")) if p
    )
    env.update(extra)
    return env


def cli(env: Mapping[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "watchword.cli.main", *args],
        env=python_env(env),
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"watchword {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces.
    return raw[raw.rfind(")") + 2 :].split()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_bytes(pid: int) -> int:
    fields = _stat(pid)
    return int(fields[21]) * PAGE if fields else 0


def listeners(port: int) -> int:
    """Sockets listening on 127.0.0.1:port (one per worker with SO_REUSEPORT)."""
    local = f"0100007F:{port:04X}"
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for r in rows if r.split()[1] == local and r.split()[3] == "0A")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / CLK_TCK


def family_cpu_seconds(name: str) -> float:
    """CPU of every live process called ``name``, plus what their ended children used.

    Database backends come and go; an ended one's time is added to its parent's
    cutime/cstime, so summing those over the survivors loses nothing.
    """
    total = 0
    for pid in pids_named(name):
        fields = _stat(pid)
        if fields:
            total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total / CLK_TCK


def pids_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if comm == name:
                found.append(int(entry.name))
    return found


def total_cpu_seconds() -> float:
    """Busy CPU time of the whole machine (all cores), from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    values = [int(v) for v in fields]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / CLK_TCK


class Server:
    """``watchword serve`` with N workers, started and stopped by pid."""

    def __init__(self, env: Mapping[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "watchword.cli.main",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            env=python_env(env),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready(workers)

    def _wait_ready(self, workers: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        healthy_since: float | None = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.proc.returncode}; see {self._log.name}"
                )
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    healthy_since = healthy_since or time.monotonic()
            except httpx.HTTPError:
                pass
            if healthy_since is not None and len(self.workers()) >= workers:
                # With one socket per worker, wait for all of them: the first one up
                # would get every connection opened before the others listen. (One
                # shared socket, uvicorn's own mode, shows as a single listener.)
                if listeners(self.port) >= workers or time.monotonic() - healthy_since > 5:
                    return
            time.sleep(0.2)
        raise RuntimeError("server did not become ready")

    def workers(self) -> list[int]:
        # uvicorn's supervisor spawns one child per worker (and nothing else).
        return [
            p
            for p in children(self.proc.pid)
            if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()
        ]

    def rss_mb(self) -> float:
        return sum(rss_bytes(p) for p in self.workers()) / 2**20

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                for pid in self.workers():
                    os.kill(pid, signal.SIGKILL)
                self.proc.kill()
                self.proc.wait()
        self._log.close()
