"""`make bench`: verifications per second on SQLite and PostgreSQL, 2 worker processes.

For each database: a fresh database, `watchword serve --workers 2`, a working set of
HOTP tokens enrolled through the API, then for each size the bulk grown to that many
tokens and `POST /auth/verify` driven by concurrent keep-alive clients, every request
a fresh valid code. Also measured in the same run: the load generator's ceiling
(against a do-nothing server), /healthz, and pgbench's single-UPDATE TPS.

    python -m bench.verify [--quick] [--db pg,sqlite] [--pg-sizes 1000,1000000] ...
"""

import argparse
import asyncio
import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import asyncpg

from bench import pgbench, seed
from bench.measure import Row, run_load
from bench.procs import Server, cli, free_port, python_env
from bench.report import print_table
from watchword.store.keyring import KeyRing, parse_keys

PG_ADMIN = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass
class Options:
    dbs: list[str]
    pg_sizes: list[int]
    sqlite_sizes: list[int]
    concurrency: int
    duration: float
    warmup: float
    mixed_duration: float
    working_set: int
    workers: int
    pgbench_seconds: int
    json_out: str | None


def sizes(text: str) -> list[int]:
    return sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})


def options(argv: list[str]) -> Options:
    e = os.environ.get
    p = argparse.ArgumentParser(prog="bench.verify", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="a smoke run of about a minute")
    p.add_argument("--db", default=e("BENCH_DB", "pg,sqlite"))
    both = e("BENCH_SIZES")
    p.add_argument("--pg-sizes", default=e("BENCH_PG_SIZES", both or "1000,1000000"))
    p.add_argument("--sqlite-sizes", default=e("BENCH_SQLITE_SIZES", both or "1000,100000"))
    p.add_argument("--concurrency", type=int, default=int(e("BENCH_CONCURRENCY", "32")))
    p.add_argument("--duration", type=float, default=float(e("BENCH_DURATION", "15")))
    p.add_argument("--warmup", type=float, default=float(e("BENCH_WARMUP", "3")))
    p.add_argument("--mixed-duration", type=float, default=float(e("BENCH_MIXED", "8")))
    p.add_argument("--working-set", type=int, default=int(e("BENCH_WORKING_SET", "1000")))
    p.add_argument("--workers", type=int, default=int(e("BENCH_WORKERS", "2")))
    p.add_argument("--pgbench-seconds", type=int, default=int(e("BENCH_PGBENCH_S", "10")))
    p.add_argument("--json", dest="json_out", default=e("BENCH_JSON"))
    a = p.parse_args(argv)
    o = Options(
        dbs=[d.strip() for d in a.db.split(",") if d.strip()],
        pg_sizes=sizes(a.pg_sizes),
        sqlite_sizes=sizes(a.sqlite_sizes),
        concurrency=a.concurrency,
        duration=a.duration,
        warmup=a.warmup,
        mixed_duration=a.mixed_duration,
        working_set=a.working_set,
        workers=a.workers,
        pgbench_seconds=a.pgbench_seconds,
        json_out=a.json_out,
    )
    if a.quick:
        o.pg_sizes, o.sqlite_sizes = [1000], [1000]
        o.duration, o.warmup, o.mixed_duration, o.pgbench_seconds = 4, 1, 3, 3
        o.working_set = 200
    o.working_set = max(o.working_set, o.concurrency)
    return o


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def pg_reachable() -> bool:
    async def probe() -> None:
        conn = await asyncpg.connect(PG_ADMIN, timeout=3)
        await conn.close()

    try:
        asyncio.run(probe())
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    return True


@contextmanager
def database(kind: str, data_dir: Path) -> Iterator[tuple[str, str]]:
    """(server URL, URL for the bulk loader) of a fresh database, removed afterwards."""
    if kind == "sqlite":
        path = data_dir / "watchword.db"
        yield f"sqlite:///{path}", str(path)
        return
    name = f"ww_bench_{uuid.uuid4().hex[:10]}"
    dsn = f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    subprocess.run(["psql", PG_ADMIN, "-q", "-c", f'CREATE DATABASE "{name}"'], check=True)
    try:
        yield dsn, dsn
    finally:
        subprocess.run(
            ["psql", PG_ADMIN, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
            check=True,
        )


def generator_ceiling(o: Options) -> Row:
    """The load generator against a server that does nothing: its own limit."""
    port = free_port()
    stub = subprocess.Popen([sys.executable, "-m", "bench.stub", str(port)], env=python_env({}))
    try:
        _wait_port(port)
        spec = {"host": "127.0.0.1", "port": port, "path": "/", "concurrency": o.concurrency}
        res, cores = run_load(spec, [stub.pid], 1, min(o.duration, 8))
    finally:
        stub.terminate()
        stub.wait()
    return _row("-", None, "generator ceiling (stub)", res, cores)


def _wait_port(port: int) -> None:
    import socket
    import time

    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("stub server did not start")


def _row(
    db: str, tokens: int | None, mode: str, res: dict[str, Any], cores: dict[str, float]
) -> Row:
    return Row(
        db=db,
        tokens=tokens,
        mode=mode,
        rate=res["rate"],
        p50=res["p50_ms"],
        p95=res["p95_ms"],
        p99=res["p99_ms"],
        cpu=cores,
        raw={k: v for k, v in res.items() if k != "next_counters"},
    )


def bench_database(kind: str, o: Options, tps: float | None) -> list[Row]:
    rows: list[Row] = []
    size_list = o.pg_sizes if kind == "pg" else o.sqlite_sizes
    master = base64.b64encode(secrets.token_bytes(32)).decode()
    data_dir = Path(tempfile.mkdtemp(prefix="ww-bench-"))
    try:
        with database(kind, data_dir) as (url, bulk_url):
            env = {
                "WATCHWORD_DATABASE_URL": url,
                "WATCHWORD_DATA_DIR": str(data_dir),
                "WATCHWORD_MASTER_KEY": master,
                "WATCHWORD_LOG_LEVEL": "warning",
            }
            cli(env, "db", "upgrade")
            made = json.loads(cli(env, "tenant", "create", "Bench", "--json"))
            key, tenant_id = made["api_key"], made["tenant"]["id"]
            server = Server(env, o.workers, data_dir / "server.log")
            try:
                rows += run_sizes(kind, o, server, key, tenant_id, master, bulk_url, size_list, tps)
            finally:
                server.stop()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return rows


def run_sizes(
    kind: str,
    o: Options,
    server: Server,
    key: str,
    tenant_id: str,
    master: str,
    bulk_url: str,
    size_list: list[int],
    tps: float | None,
) -> list[Row]:
    rows = []
    base = {"host": "127.0.0.1", "port": server.port, "concurrency": o.concurrency}
    res, cores = run_load({**base, "path": "/healthz"}, server.workers(), 1, min(o.duration, 5))
    rows.append(_row(kind, None, "healthz (SELECT 1)", res, cores))
    resource_id = asyncio.run(seed.create_resource(server.base, key, "Bench"))
    log(f"{kind}: enrolling {o.working_set} HOTP tokens through the API")
    members = asyncio.run(seed.enrol_working_set(server.base, key, resource_id, o.working_set))
    counters = {m.login: 0 for m in members}
    target = seed.Target(tenant_id, resource_id, KeyRing(parse_keys(master)))
    have = len(members)
    verify = {**base, "path": "/api/v1/auth/verify", "api_key": key, "resource_id": resource_id}
    for size in size_list:
        if size > have:
            log(f"{kind}: bulk-loading {size - have} more tokens (to {size})")
            if kind == "pg":
                asyncio.run(seed.bulk_postgres(bulk_url, target, have, size - have))
            else:
                seed.bulk_sqlite(bulk_url, target, have, size - have)
            have = size
        # Empty and full policy alternate, twice: the policy's cost is the ratio of
        # medians measured side by side, not of two runs minutes apart.
        modes = [
            ("verify (all valid)", 0, o.duration, False),
            ("verify (full policy)", 0, o.duration, True),
        ] * 2
        if o.mixed_duration > 0:
            modes.append(("verify (10% wrong)", 10, o.mixed_duration, False))
        for mode, wrong_every, seconds, full in modes:
            log(f"{kind}: {have} tokens, {mode}, {seconds:g} s")
            policy = seed.FULL_POLICY if full else {}
            asyncio.run(seed.set_policy(server.base, key, resource_id, policy))
            tokens = [[m.login, m.secret.hex(), counters[m.login]] for m in members]
            spec = {**verify, "tokens": tokens, "wrong_every": wrong_every}
            if full:
                spec["ips"] = seed.FULL_POLICY_IPS
            res, cores = run_load(spec, server.workers(), o.warmup, seconds)
            counters.update(res["next_counters"])
            row = _row(kind, have, mode, res, cores)
            row.rss_mb = server.rss_mb()
            row.ratio = row.rate / tps if tps and kind == "pg" else None
            row.ok = res["as_expected"] / max(1, res["requests"])
            rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    o = options(sys.argv[1:] if argv is None else argv)
    rows: list[Row] = []
    log(f"load generator ceiling, {o.concurrency} connections")
    rows.append(generator_ceiling(o))
    tps = None
    if "pg" in o.dbs:
        if not pg_reachable():
            log(f"PostgreSQL at {PG_ADMIN} is unreachable: skipping it")
            o.dbs.remove("pg")
        elif pgbench.available():
            log(f"pgbench ceiling: one UPDATE per transaction, {o.concurrency} clients")
            tps = pgbench.ceiling(PG_ADMIN, o.concurrency, o.pgbench_seconds)
            rows.append(Row("pg", None, "pgbench 1 UPDATE/tx", tps, 0, 0, 0))
        else:
            log("pgbench is not installed: no database ceiling")
    for kind in o.dbs:
        rows += bench_database(kind, o, tps)
    print_table(rows, o.concurrency, o.workers)
    if o.json_out:
        Path(o.json_out).write_text(json.dumps([asdict(r) for r in rows], indent=2))
        log(f"results written to {o.json_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
