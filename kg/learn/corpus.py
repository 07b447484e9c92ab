"""Annotated corpora: a folder of documents beside a folder of gold JSON files.

A gold file is paired with its document by its "doc" field (or, failing that, its
file stem), as shared/eval/score.py pairs them.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import KgError
from ..model import Document
from ..read import read_document


@dataclass(frozen=True)
class Annotated:
    doc: Document
    gold: dict          # the gold annotation (shared/spec/annotation.md)
    genre: str = "other"


GENRES = (  # file-name words -> genre (dev file names end in a genre word)
    ("policy", ("policy", "notice", "plan", "jihua", "guihua", "jueding", "yijian", "banfa")),
    ("news", ("news",)),
    ("report", ("experience", "report", "zongjie", "zongjiehuibao", "jiaoliu", "jiaoliufayan", "huibao")),
    ("speech", ("speech", "interview", "commentary")),
)


def genre_of(stem: str) -> str:
    words = [w for w in re.split(r"[_\-.]", stem.lower()) if w not in ("trad", "masked")]
    for genre, marks in GENRES:
        if words and words[-1] in marks:
            return genre
    return "other"


def load_pairs(docs_dir, gold_dir) -> list[Annotated]:
    """Every gold file of `gold_dir` with its document from `docs_dir`, in file-name order."""
    docs_dir, gold_dir = Path(docs_dir), Path(gold_dir)
    for d in (docs_dir, gold_dir):
        if not d.is_dir():
            raise KgError(f"{d}: no such folder; give a folder of documents and a folder of gold JSON files")
    texts = {p.stem: p for p in docs_dir.iterdir() if p.is_file()}
    out = []
    for g in sorted(gold_dir.glob("*.json")):
        try:
            gold = json.loads(g.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise KgError(f"{g}: not a gold JSON file ({e})") from None
        stem = Path(gold.get("doc") or g.stem).stem
        path = texts.get(stem)
        if path is None:
            raise KgError(f"{g}: no document named {stem}.* in {docs_dir}")
        out.append(Annotated(read_document(path), gold, genre_of(stem)))
    if not out:
        raise KgError(f"{gold_dir}: no gold JSON files")
    return out


def load_corpora(pairs) -> list[Annotated]:
    """`pairs` is a flat list DOCS GOLD [DOCS GOLD ...]."""
    pairs = list(pairs)
    if not pairs or len(pairs) % 2:
        raise KgError("give annotated data as pairs of folders: DOCS_DIR GOLD_DIR [DOCS_DIR GOLD_DIR ...]")
    out = []
    for i in range(0, len(pairs), 2):
        out += load_pairs(pairs[i], pairs[i + 1])
    return out
