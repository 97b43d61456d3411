"""One timed run of the load generator, with the CPU each party spent in its window."""

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.procs import cpu_seconds, family_cpu_seconds, python_env, total_cpu_seconds


@dataclass
class Row:
    db: str
    tokens: int | None
    mode: str
    rate: float
    p50: float
    p95: float
    p99: float
    rss_mb: float | None = None
    ratio: float | None = None
    ok: float | None = None  # share of requests that got the expected result
    cpu: dict[str, float] = field(default_factory=dict)  # cores used in the window
    raw: dict[str, Any] = field(default_factory=dict)


def run_load(
    spec: dict[str, Any], server_pids: list[int], warmup: float, duration: float
) -> tuple[dict[str, Any], dict[str, float]]:
    """Start the generator in its own process; sample CPU over the timed window only."""
    start_at = time.time() + 0.7 + warmup  # the child needs a moment to start Python
    spec = {**spec, "start_at": start_at, "duration": duration}
    with tempfile.TemporaryDirectory() as tmp:
        spec_file, out_file = Path(tmp) / "spec.json", Path(tmp) / "out.json"
        spec_file.write_text(json.dumps(spec))
        gen = subprocess.Popen(
            [sys.executable, "-m", "bench.loadgen", str(spec_file), str(out_file)],
            env=python_env({}),
        )
        time.sleep(max(0.0, start_at - time.time()))
        before = _sample(server_pids, gen.pid)
        time.sleep(duration)
        after = _sample(server_pids, gen.pid)
        if gen.wait(timeout=duration + 120) != 0:
            raise RuntimeError("load generator failed")
        result: dict[str, Any] = json.loads(out_file.read_text())
    cores = {k: (after[k] - before[k]) / duration for k in before}
    # Whatever else ran on the machine meanwhile (other jobs share these cores).
    cores["other"] = max(0.0, cores["machine"] - cores["server"] - cores["db"] - cores["gen"])
    return result, cores


def _sample(server: list[int], gen: int) -> dict[str, float]:
    return {
        "server": cpu_seconds(server),
        "db": family_cpu_seconds("postgres"),
        "gen": cpu_seconds([gen]),
        "machine": total_cpu_seconds(),
    }
