"""Plain-text scanning throughput: a synthetic English corpus through the whole pipeline.

    python benchmarks/throughput.py --mb 100              # every bundled pack
    python benchmarks/throughput.py --mb 100 --packs skeleton

Writes nothing to the repository: the corpus is generated in memory from a
fixed seed (original sentences written for this benchmark), one document per
~5 KB article, one in fifty ending with a rights notice.
"""

from __future__ import annotations

import argparse
import random
import time

from rightsgate import Scanner
from rightsgate.engine import RuleSet
from rightsgate.rulepack import load_packs

SKELETON = ("wirtualna-polska", "generic-en", "generic-pl", "creative-commons")
SENTENCES = [
    "The council approved the budget for the new bridge on Tuesday evening.",
    "Residents said the bus timetable had not changed in years.",
    "Researchers measured the water level at twelve points along the river.",
    "The museum will open its new wing to visitors in the spring.",
    "Farmers expect a smaller harvest after the dry summer.",
    "The company reported higher sales in its third quarter.",
    "Teachers asked for smaller classes and more support staff.",
    "The match was postponed because of heavy snow.",
    "A new cycling lane connects the station with the university campus.",
    "Officials said the data would be published on the city portal.",
    "The festival drew more visitors than last year, organisers said.",
    "Critics argued that the plan ignored the needs of older residents.",
]
NOTICES = [
    "© 2025 Example Media. All rights reserved.",
    "Any use of this content, including by machine learning or artificial intelligence"
    " programs, requires prior and explicit consent from the publisher.",
    "This article is licensed under CC BY 4.0.",
]


def make_corpus(megabytes: float, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    docs, total = [], 0
    while total < megabytes * 1_000_000:
        paragraphs = [
            " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 7)))
            for _ in range(rng.randint(6, 14))
        ]
        if rng.random() < 0.02:
            paragraphs.append(rng.choice(NOTICES))
        doc = "\n\n".join(paragraphs)
        docs.append(doc)
        total += len(doc.encode())
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB")
    parser.add_argument(
        "--packs", choices=["all", "skeleton"], default="all", help="rule packs to load"
    )
    args = parser.parse_args()
    packs = load_packs()
    if args.packs == "skeleton":
        packs = tuple(p for p in packs if p.id in SKELETON)
    scanner = Scanner(RuleSet(packs))
    docs = make_corpus(args.mb)
    size = sum(len(d.encode()) for d in docs)
    for text in ["warm up the automata", *NOTICES]:  # build automata, compile what notices need
        scanner.scan_text(text)
    started = time.perf_counter()
    verdicts: dict[str, int] = {}
    for i, doc in enumerate(docs):
        verdict = scanner.scan_text(doc, path=f"doc-{i}").verdict.value
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    elapsed = time.perf_counter() - started
    rules = sum(len(p.rules) for p in packs)
    print(
        f"packs={args.packs} rules={rules} documents={len(docs)} size={size / 1e6:.1f} MB "
        f"time={elapsed:.2f} s throughput={size / 1e6 / elapsed:.1f} MB/s verdicts={verdicts}"
    )


if __name__ == "__main__":
    main()
