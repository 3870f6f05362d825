"""HTML throughput: extraction alone, and the whole scan of pages (signals included).

    python benchmarks/html_pages.py --mb 20

Pages are generated in memory from a fixed seed: a header, navigation, an article of
original sentences, a footer; one in fifty carries a rights notice in its footer.
"""

from __future__ import annotations

import argparse
import time

from rightsgate import Scanner
from rightsgate.engine import RuleSet
from rightsgate.extract import extract_html
from rightsgate.rulepack import load_packs
from throughput import make_corpus

HEAD = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>News</title>'
    '<meta name="robots" content="index, follow"><script>window.dataLayer = [];</script>'
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x"}</script>'
    "</head><body><header><nav><a href='/'>Home</a> <a href='/local'>Local</a></nav></header>"
    "<main><article>"
)
FOOT = "</article></main><footer><p>© 2025 Example News</p></footer></body></html>"


def make_pages(megabytes: float) -> list[str]:
    pages = []
    for doc in make_corpus(megabytes):
        body = "".join(f"<p>{p}</p>\n" for p in doc.split("\n\n"))
        pages.append(HEAD + body + FOOT)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0)
    args = parser.parse_args()
    pages = make_pages(args.mb)
    size = sum(len(p.encode()) for p in pages)
    started = time.perf_counter()
    for page in pages:
        extract_html(page)
    extract_s = time.perf_counter() - started
    scanner = Scanner(RuleSet(load_packs()))
    for page in pages[:200]:  # compile the patterns these pages need before timing
        scanner.scan_html(page)
    started = time.perf_counter()
    for page in pages:
        scanner.scan_html(page)
    scan_s = time.perf_counter() - started
    print(
        f"pages={len(pages)} size={size / 1e6:.1f} MB extract={size / 1e6 / extract_s:.1f} MB/s "
        f"scan={size / 1e6 / scan_s:.1f} MB/s"
    )


if __name__ == "__main__":
    main()
