"""Files -> Document: decoding, a normalised copy for matching, sentences, page chrome.

`read_documents(paths)` returns the documents it could read and, for the rest, one
reason per file; a bad file never stops the batch.
"""
from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .vocab import load as load_lexicon
from .model import Document, Sentence

SUFFIXES = (".txt", ".text", ".md")
MAX_BYTES = 20 * 1024 * 1024
# A sentence ends at one of these (closing quotes that follow stay with it), or at a line end.
ENDERS = "。！？!?；;"
CLOSERS = "”’」』）)\"'"


def collect(paths) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders (recursively, sorted, following no link twice) into files."""
    files, skipped, seen = [], [], set()
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, names in os.walk(p, followlinks=True):
                real = os.path.realpath(root)
                if real in seen:
                    dirs[:] = []
                    skipped.append((root, "folder loop (a link back to a folder already read); skipped"))
                    continue
                seen.add(real)
                dirs.sort()
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    files.append(Path(root) / name)
        elif p.exists():
            files.append(p)
        else:
            skipped.append((str(p), "no such file or folder"))
    return files, skipped


def read_documents(paths) -> tuple[list[Document], list[tuple[str, str]]]:
    files, skipped = collect(paths)
    docs = []
    for f in files:
        if f.suffix.lower() not in SUFFIXES:
            skipped.append((str(f), f"unsupported file type '{f.suffix or '(none)'}'; kg reads {', '.join(SUFFIXES)}"))
            continue
        try:
            docs.append(read_document(f))
        except InputError as e:
            skipped.append((e.path, e.reason))
    return docs, skipped


def read_document(path, encoding: str | None = None) -> Document:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"file is {size // 1024 // 1024} MB, over the {MAX_BYTES // 1024 // 1024} MB limit; split it")
        data = path.read_bytes()
    except OSError as e:
        raise InputError(path, f"cannot be read ({e.strerror or e}); check that it exists and is readable") from None
    text, enc = decode(data, path, encoding)
    return make_document(text, doc_id=path.name, path=str(path), encoding=enc)


def decode(data: bytes, path, encoding: str | None = None) -> tuple[str, str]:
    if not data.strip():
        raise InputError(path, "file is empty")
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as e:
            raise InputError(path, f"cannot be decoded as {encoding} ({e}); try another --encoding") from None
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data) // 100:
        raise InputError(path, "looks like a binary file, not text")
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None:
        raise InputError(path, "cannot tell the text encoding; give it with --encoding (e.g. gb18030)")
    return str(best), best.encoding


def make_document(text: str, doc_id: str, path: str = "", encoding: str = "utf-8") -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    norm = normalise(text)
    return Document(id=doc_id, path=path, text=text, norm=norm,
                    sentences=tuple(split_sentences(text, norm)), encoding=encoding)


@lru_cache(maxsize=1)
def _t2s():
    import opencc
    return opencc.OpenCC("t2s")


def _fold(ch: str) -> str:
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if ch in "\u3000\u00a0":
        return " "
    return ch


def normalise(text: str) -> str:
    """Same-length copy of `text` for matching: full-width folded, traditional -> simplified."""
    folded = "".join(_fold(c) for c in text)
    simple = _t2s().convert(folded)
    if len(simple) != len(folded):  # a phrase conversion changed the length: go char by char
        conv = _t2s().convert
        simple = "".join(c2 if len(c2 := conv(c)) == 1 else c for c in folded)
    return simple


def split_sentences(text: str, norm: str) -> list[Sentence]:
    chrome = [re.compile(p) for p in load_lexicon().boilerplate]
    out: list[Sentence] = []
    pos = 0
    for line in norm.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        is_chrome = any(p.search(line) for p in chrome)
        start = line_start
        i = line_start
        while i < line_end:
            if norm[i] in ENDERS:
                j = i + 1
                while j < line_end and norm[j] in CLOSERS:
                    j += 1
                _add(out, text, start, j, is_chrome)
                start = i = j
            else:
                i += 1
        _add(out, text, start, line_end, is_chrome)
    return out


def _add(out, text, start, end, chrome):
    while start < end and (text[start].isspace() or unicodedata.category(text[start]) == "Cf"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end], chrome))
