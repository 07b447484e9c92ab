"""Extraction speed, with the trained tagger and with the rules alone, on the same documents.

    python3 scripts/bench_extract.py [DIR ...]     (default: seeds/ and ../shared/dev/docs)

Prints characters per second for each, best of three runs, one process, and the ratio.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from kg.extract import extract
from kg.extract.tagger import default_tagger
from kg.read import read_documents

ROOT = Path(__file__).resolve().parent.parent


def best_of(docs, tagger, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        for d in docs:
            extract(d, tagger)
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str]) -> int:
    dirs = argv or [str(ROOT / "seeds"), str(ROOT.parent / "shared" / "dev" / "docs")]
    docs, skipped = read_documents([d for d in dirs if Path(d).exists()])
    if not docs:
        print("no documents to read", file=sys.stderr)
        return 1
    chars = sum(len(d.text) for d in docs)
    tagger = default_tagger()
    extract(docs[0], tagger)   # warm up jieba and the model
    rules = best_of(docs, None)
    model = best_of(docs, tagger)
    print(f"{len(docs)} documents, {chars:,} characters")
    print(f"rules alone:        {rules:6.2f} s  {chars / rules:10,.0f} chars/s")
    print(f"rules + tagger:     {model:6.2f} s  {chars / model:10,.0f} chars/s")
    print(f"ratio:              {model / rules:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
