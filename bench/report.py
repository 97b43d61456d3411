"""The compact table `make bench` ends with."""

import os
import statistics

from bench.measure import Row

TARGET = 1300  # verifications/s on PostgreSQL with 2 processes: 50x privacyIDEA 3.14's ~26/s
HEAD = (
    f"{'db':<6} {'tokens':>9}  {'mode':<26} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7}"
    f" {'rss_mb':>7} {'ratio':>6} {'ok%':>6}   cores: srv   db  gen other"
)


def _num(value: float | None, fmt: str, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}{fmt}}"


def line(r: Row) -> str:
    tokens = f"{r.tokens:,}" if r.tokens else "-"
    cpu = "".join(f" {r.cpu[k]:4.2f}" for k in ("server", "db", "gen", "other")) if r.cpu else ""
    return (
        f"{r.db:<6} {tokens:>9}  {r.mode:<26} {r.rate:8.0f}"
        f" {_num(r.p50 or None, '.1f', 7)} {_num(r.p95 or None, '.1f', 7)}"
        f" {_num(r.p99 or None, '.1f', 7)} {_num(r.rss_mb, '.0f', 7)}"
        f" {_num(r.ratio, '.2f', 6)} {_num(None if r.ok is None else r.ok * 100, '.1f', 6)}"
        f"         {cpu}"
    )


def print_table(rows: list[Row], concurrency: int, workers: int) -> None:
    print()
    print(
        f"Watchword verify benchmark: {workers} server processes, {concurrency} keep-alive"
        f" connections, {os.cpu_count()} CPU cores shared by server, database and generator"
    )
    print("latency in ms; rss_mb = sum of the worker processes; ratio = req/s / pgbench TPS;")
    print("ok% = requests with the expected result (valid: accepted, wrong: invalid_otp);")
    print("cores = CPU cores busy in the timed window: server workers, PostgreSQL, load")
    print("generator, and everything else on the machine (other jobs compete for the cores)")
    print(HEAD)
    for r in rows:
        print(line(r))
    pg = [r for r in rows if r.db == "pg" and r.mode == "verify (all valid)"]
    if pg:
        worst = min(r.rate for r in pg)
        verdict = "meets" if worst >= TARGET else "MISSES"
        print(f"\nPostgreSQL, slowest size: {worst:.0f} verifications/s: {verdict} {TARGET}/s")
        if len(pg) > 1:
            first, last = pg[0], pg[-1]
            print(
                f"flatness: {last.rate / first.rate:.2f} x from {first.tokens:,}"
                f" to {last.tokens:,} tokens"
            )
    for db in ("pg", "sqlite"):
        for size in sorted({r.tokens for r in rows if r.db == db and r.tokens}):
            plain = [
                r for r in rows if (r.db, r.tokens, r.mode) == (db, size, "verify (all valid)")
            ]
            full = [
                r for r in rows if (r.db, r.tokens, r.mode) == (db, size, "verify (full policy)")
            ]
            if not plain or not full:
                continue
            a = statistics.median(r.rate for r in plain)
            b = statistics.median(r.rate for r in full)
            # Server CPU per verify is steadier than req/s when other jobs share the cores.
            ca = statistics.median(r.cpu["server"] / r.rate for r in plain) * 1e6
            cb = statistics.median(r.cpu["server"] / r.rate for r in full) * 1e6
            print(
                f"policy cost, {db} {size:,} tokens (medians of {len(plain)} alternating runs):"
                f" {a:.0f}/s empty vs {b:.0f}/s full policy ({1 - b / a:+.1%});"
                f" server CPU {ca:.0f} vs {cb:.0f} us per verify ({cb / ca - 1:+.1%})"
            )
    for r in rows:
        if r.raw.get("errors") or set(r.raw.get("statuses", {})) - {"200"}:
            print(
                f"warning: {r.db} {r.mode}: statuses {r.raw['statuses']}, errors {r.raw['errors']}"
            )
        if r.ok is not None and r.ok < 0.999:
            print(f"warning: {r.db} {r.tokens} {r.mode}: results {r.raw['results']}")
