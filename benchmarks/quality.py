"""Precision, recall and false-block rate of the bundled rules on the labelled corpus.

    python benchmarks/quality.py                 # tests/corpus, every bundled pack
    python benchmarks/quality.py --check         # exit 1 unless the targets hold

Targets (issue 3): recall >= 0.98 on documents that carry a tdm-reservation or
reproduction-prohibited notice (they must be blocked), and a false-block rate
<= 1 % on documents that carry neither.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from rightsgate import Scanner, Verdict
from rightsgate.model import Category
from rightsgate.sources import SourceOptions

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
BLOCKING = {Category.TDM_RESERVATION.value, Category.REPRODUCTION_PROHIBITED.value}
MIN_RECALL = 0.98
MAX_FALSE_BLOCK = 0.01


@dataclass(frozen=True)
class Labelled:
    path: Path
    language: str
    categories: frozenset[str]
    hard_negative: bool


@dataclass
class Tally:
    must_block: int = 0
    blocked: int = 0
    clean: int = 0
    false_blocks: int = 0
    hard_negatives: int = 0

    @property
    def recall(self) -> float:
        return self.blocked / self.must_block if self.must_block else 1.0

    @property
    def false_block_rate(self) -> float:
        return self.false_blocks / self.clean if self.clean else 0.0


@dataclass
class Outcome:
    overall: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    category_counts: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0])
    )
    """category -> [true positives, false positives, false negatives] over documents."""
    wrong: list[str] = field(default_factory=list)

    def passes(self) -> bool:
        t = self.overall
        return t.recall >= MIN_RECALL and t.false_block_rate <= MAX_FALSE_BLOCK


def load_labels(corpus: Path) -> list[Labelled]:
    docs = []
    for labels in sorted(corpus.glob("*/labels.toml")):
        data = tomllib.loads(labels.read_text(encoding="utf-8"))
        for entry in data.get("doc", []):
            docs.append(
                Labelled(
                    path=labels.parent / entry["file"],
                    language=entry.get("language", labels.parent.name),
                    categories=frozenset(entry.get("categories", [])),
                    hard_negative=bool(entry.get("hard_negative", False)),
                )
            )
    return docs


def evaluate(scanner: Scanner, docs: list[Labelled]) -> Outcome:
    out = Outcome()
    results = scanner.scan_paths([str(d.path) for d in docs], SourceOptions())
    for doc, result in zip(docs, results, strict=True):
        name = f"{doc.path.parent.name}/{doc.path.name}"
        if result.error:
            out.wrong.append(f"{name}: could not be read: {result.error}")
            continue
        found = {f.category.value for f in result.findings}
        blocked = result.verdict is Verdict.BLOCK
        for tally in (out.overall, out.by_language[doc.language]):
            tally.hard_negatives += doc.hard_negative
            if doc.categories & BLOCKING:
                tally.must_block += 1
                tally.blocked += blocked
            else:
                tally.clean += 1
                tally.false_blocks += blocked
        for category in found | doc.categories:
            counts = out.category_counts[category]
            if category in found and category in doc.categories:
                counts[0] += 1
            elif category in found:
                counts[1] += 1
            else:
                counts[2] += 1
        rules = ", ".join(sorted({f.rule_id for f in result.findings})) or "no findings"
        if doc.categories & BLOCKING and not blocked:
            out.wrong.append(f"{name}: MISSED ({result.verdict.value}; {rules})")
        elif blocked and not doc.categories & BLOCKING:
            out.wrong.append(f"{name}: FALSE BLOCK ({rules})")
        elif found != doc.categories:
            extra = ", ".join(sorted(found - doc.categories)) or "-"
            missing = ", ".join(sorted(doc.categories - found)) or "-"
            out.wrong.append(f"{name}: categories differ (extra: {extra}; missing: {missing})")
    return out


def report(out: Outcome, n_docs: int) -> str:
    t = out.overall
    lines = [
        f"documents: {n_docs} (hard negatives: {t.hard_negatives})",
        f"block recall: {t.recall:.3f} ({t.blocked}/{t.must_block})   "
        f"false-block rate: {t.false_block_rate:.3%} ({t.false_blocks}/{t.clean})",
        "",
        f"{'language':<12}{'docs':>6}{'recall':>9}{'false-block':>13}",
    ]
    for lang in sorted(out.by_language):
        lt = out.by_language[lang]
        lines.append(
            f"{lang:<12}{lt.must_block + lt.clean:>6}{lt.recall:>9.3f}{lt.false_block_rate:>13.1%}"
        )
    lines += ["", f"{'category':<26}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for category in sorted(out.category_counts):
        tp, fp, fn = out.category_counts[category]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        lines.append(f"{category:<26}{precision:>10.3f}{recall:>8.3f}{tp:>5}{fp:>5}{fn:>5}")
    if out.wrong:
        lines += ["", "documents judged differently from their labels:"]
        lines += [f"  {w}" for w in out.wrong]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--check", action="store_true", help="exit 1 unless the targets hold")
    args = parser.parse_args()
    docs = load_labels(args.corpus)
    out = evaluate(Scanner.from_packs(), docs)
    print(report(out, len(docs)))
    if args.check and not out.passes():
        print(
            f"\ntargets missed: recall >= {MIN_RECALL}, false-block rate <= {MAX_FALSE_BLOCK:.0%}"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
