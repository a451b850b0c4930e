"""`python -m bench` (make bench): run every ``bench/*_bench.py`` module in turn."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    failed = 0
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]))
    for name in names:
        if name.endswith("_bench"):
            print(f"== bench.{name}")
            failed |= int(importlib.import_module(f"bench.{name}").main() or 0)
    return failed


if __name__ == "__main__":
    sys.exit(main())
