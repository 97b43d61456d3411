"""Benchmarks of Watchword (run with `make bench` or `python -m bench.verify`)."""

import importlib.util
import sys
from pathlib import Path

# `make bench` installs the package; straight from a checkout, use its src/ folder.
if importlib.util.find_spec("watchword") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
