"""Peak memory of `rightsgate scan` on a large gzip'd JSONL shard.

    python benchmarks/memory.py --mb 200      # compressed size of the generated shard

The shard is generated under benchmarks/data/ (git-ignored) from a fixed seed:
records of random words, one in a hundred ending with a rights notice. The
scan runs as a child process; its peak resident set size is read from the OS.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
NOTICE = (
    "Any use of this content, including by machine learning or artificial intelligence"
    " programs, requires prior and explicit consent from the publisher."
)


def make_shard(path: Path, megabytes: float, seed: int = 11) -> int:
    """Write a gzip'd JSONL shard of about ``megabytes`` compressed; returns its record count."""
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(50_000)
    ]
    records = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:
        while path.stat().st_size < megabytes * 1_000_000:
            for _ in range(1000):
                text = " ".join(rng.choices(vocabulary, k=rng.randint(300, 1200)))
                if rng.random() < 0.01:
                    text += "\n\n" + NOTICE
                out.write(json.dumps({"id": records, "text": text}) + "\n")
                records += 1
            out.flush()
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200.0, help="compressed shard size in MB")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    shard = DATA / f"shard-{args.mb:g}mb.jsonl.gz"
    if not shard.exists():
        print(f"generating {shard} ...", flush=True)
        make_shard(shard, args.mb)
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "rightsgate", "scan", "--quiet", str(shard)],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = completed.stdout.strip().splitlines()[-1] if completed.stdout else completed.stderr
    print(
        f"shard={shard.name} compressed={shard.stat().st_size / 1e6:.0f} MB "
        f"exit={completed.returncode} time={elapsed:.1f} s peak_rss={peak_mb:.0f} MB\n{summary}"
    )


if __name__ == "__main__":
    main()
