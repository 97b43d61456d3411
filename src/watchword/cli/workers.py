"""Several server processes, each with its own listening socket (SO_REUSEPORT).

uvicorn's own multi-worker mode shares one listening socket: whichever worker wakes
first accepts every pending connection, so a client that opens its keep-alive pool
at once (any backend's HTTP client) lands entirely on one process and the others
idle. With one socket per process and SO_REUSEPORT the kernel spreads connections
over the processes by their address hash.
"""

import multiprocessing
import os
import signal
import socket
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any


def reuseport_supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn

    sock = listening_socket(host, port)
    config = uvicorn.Config("watchword.bootstrap:build_app", factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(host: str, port: int, workers: int, options: dict[str, Any]) -> int:
    """Start ``workers`` processes; stop them all on SIGINT/SIGTERM or when one dies."""
    ctx = multiprocessing.get_context("spawn")
    procs: list[BaseProcess] = [
        ctx.Process(target=_worker, args=(host, port, options), name=f"watchword-{i}")
        for i in range(workers)
    ]
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for p in procs:
            if p.is_alive() and p.pid is not None:
                # SIGINT is what uvicorn treats as "finish requests in flight, then exit".
                try:
                    os.kill(p.pid, signal.SIGINT)
                except ProcessLookupError:
                    pass

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for p in procs:
            p.start()
        wait([p.sentinel for p in procs])  # the first to end (or all, on a signal)
        if not stopping:
            stop(signal.SIGTERM, None)
        for p in procs:
            p.join()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0 if stopping else 1
