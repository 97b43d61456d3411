"""The database's own ceiling: pgbench, one UPDATE per transaction, same client count."""

import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

SCRIPT = (
    "\\set aid random(1, 100000 * :scale)\n"
    "UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;\n"
)


def available() -> bool:
    return shutil.which("pgbench") is not None


def _psql(admin_dsn: str, sql: str) -> None:
    subprocess.run(["psql", admin_dsn, "-q", "-c", sql], check=True, capture_output=True)


def ceiling(admin_dsn: str, clients: int, seconds: int, scale: int = 10) -> float:
    """TPS of single-UPDATE transactions on a scratch database (created, then dropped)."""
    name = f"ww_bench_pgb_{uuid.uuid4().hex[:8]}"
    base = admin_dsn.rsplit("/", 1)[0]
    dsn = f"{base}/{name}"
    _psql(admin_dsn, f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(
            ["pgbench", "-i", "-q", "-s", str(scale), dsn], check=True, capture_output=True
        )
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "update.sql"
            script.write_text(SCRIPT)
            out = subprocess.run(
                [
                    "pgbench",
                    "-n",
                    "-M",
                    "prepared",
                    "-c",
                    str(clients),
                    "-j",
                    "2",
                    "-T",
                    str(seconds),
                    "-f",
                    str(script),
                    dsn,
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        match = re.search(r"tps = ([0-9.]+)", out)
        if match is None:
            raise RuntimeError(f"pgbench printed no tps:\n{out}")
        return float(match.group(1))
    finally:
        _psql(admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
