"""Wall time of a one-file scan, start-up included: what a pre-commit hook pays per call.

    python benchmarks/startup.py            # median of 15 runs of `rightsgate scan FILE`

Run it from an ordinary install (`pip install .`): an editable install adds an import
hook, and a pyenv shim adds a shell, neither of which a user's hook pays.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    script = Path(sys.executable).parent / "rightsgate"
    command = [str(script)] if script.exists() else [shutil.which("rightsgate") or "rightsgate"]
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one-file.txt"
        one.write_text("The library extends its opening hours during exam season.\n")
        subprocess.run([*command, "scan", str(one)], capture_output=True, check=False)  # warm cache
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([*command, "scan", str(one)], capture_output=True, check=False)
            times.append(time.perf_counter() - started)
    print(
        f"command={' '.join(command)} scan one-file.txt runs={args.runs} "
        f"median={statistics.median(times):.3f} s min={min(times):.3f} s max={max(times):.3f} s"
    )


if __name__ == "__main__":
    main()
