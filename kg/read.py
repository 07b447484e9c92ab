"""Files -> Document: decoding, a normalised copy for matching, sentences, page chrome.

Formats: plain text (UTF-8 with or without BOM, GB18030/GBK, Big5, UTF-16; detected,
or given with `encoding`), HTML (scripts, styles and navigation dropped; the title
first), Word .docx and PDF with a text layer.

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

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + (".docx", ".pdf")
MAX_BYTES = 50 * 1024 * 1024
# Candidate encodings for detection, the Chinese ones first.
CANDIDATES = ["utf_8", "gb18030", "big5", "big5hkscs", "utf_16", "utf_16_le", "utf_16_be", "utf_32"]
# A sentence ends at one of these (closing quotes that follow stay with it), or at a line end.
ENDERS = "。！？!?；;"
CLOSERS = "”’」』）)\"'"


def collect(paths, exclude=()) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Expand folders (recursively, sorted, following no link twice) into (file, document id).

    A document's id is its path relative to the folder it was found under (a file given by
    itself: its name), so same-named files of two folders stay two documents; where two
    inputs still give one id, the second is told apart by its folder's name. Hidden files
    and folders are reported as skipped; files under `exclude` (kg's own output folder)
    are never read."""
    files, skipped, seen, ids = [], [], set(), set()
    excluded = [os.path.realpath(e) for e in exclude]

    def inside_excluded(path) -> bool:
        real = os.path.realpath(path)
        return any(real == e or real.startswith(e + os.sep) for e in excluded)

    def add(f: Path, doc_id: str, root: Path) -> None:
        doc_id = display(doc_id)
        if doc_id in ids:
            doc_id = display(f"{root.resolve().name}/{doc_id}")
        base, n = doc_id, 2
        while doc_id in ids:
            doc_id, n = f"{base}~{n}", n + 1
        ids.add(doc_id)
        files.append((f, doc_id))

    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, names in os.walk(p, followlinks=True):
                real = os.path.realpath(root)
                if real in seen:
                    dirs[:] = []
                    skipped.append((display(root), "folder loop (a link back to a folder already read); skipped"))
                    continue
                seen.add(real)
                if inside_excluded(root):
                    dirs[:] = []
                    continue
                for d in sorted(dirs):
                    if d.startswith("."):
                        skipped.append((display(os.path.join(root, d)), "hidden folder; skipped"))
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    f = Path(root) / name
                    if name.startswith("."):
                        skipped.append((display(f), "hidden file; skipped (rename it without the leading dot to read it)"))
                    elif not inside_excluded(f):
                        add(f, f.relative_to(p).as_posix(), p)
        elif p.exists():
            if not inside_excluded(p):
                add(p, p.name, p.parent)
        else:
            skipped.append((display(p), "no such file or folder"))
    return files, skipped


def display(path) -> str:
    """A path as text that can always be printed and written (bytes that are no UTF-8 as \\xNN)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def read_documents(paths, encoding: str | None = None, exclude=()) -> tuple[list[Document], list[tuple[str, str]]]:
    files, skipped = collect(paths, exclude)
    docs = []
    for f, doc_id in files:
        why = unsupported(f)
        doc, why = (None, why) if why else read_or_skip(f, encoding, doc_id)
        if doc is None:
            skipped.append((display(f), why))
        else:
            docs.append(doc)
    return docs, skipped


def unsupported(path: Path) -> str | None:
    """Why kg does not read a file of this type, or None."""
    if path.suffix.lower() in SUFFIXES:
        return None
    return f"unsupported file type '{display(path.suffix) or '(none)'}'; kg reads {', '.join(SUFFIXES)}"


def read_or_skip(path, encoding: str | None, doc_id: str) -> tuple[Document | None, str | None]:
    """(the document, None), or (None, why it is skipped): a parser's failure costs this
    document, never the batch."""
    try:
        return read_document(path, encoding, doc_id), None
    except InputError as e:
        return None, e.reason
    except Exception as e:
        return None, f"cannot be read ({type(e).__name__}: {first_line(e)}); skipped"


def first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [""])[0][:200]


def read_document(path, encoding: str | None = None, doc_id: str | None = None) -> Document:
    path = Path(path)
    try:
        if not path.is_file():
            if path.is_symlink() and not path.exists():
                what = "a broken link"
            elif not path.exists():
                what = "no such file"
            else:
                what = "not a regular file"
            raise InputError(path, f"{what}; skipped")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"file is {size / 1024 / 1024:.0f} MB, over the {MAX_BYTES // 1024 // 1024} MB "
                                   f"limit; split it into smaller documents")
        data = path.read_bytes()
    except OSError as e:
        raise InputError(path, f"cannot be read ({e.strerror or e}); check that it exists and is readable") from None
    suffix = path.suffix.lower()
    if not data.strip():
        raise InputError(path, "file is empty")
    if suffix in HTML_SUFFIXES:
        text, enc = html_text(data, path, encoding)
    elif suffix == ".docx":
        text, enc = docx_text(data, path), "docx"
    elif suffix == ".pdf":
        text, enc = pdf_text(data, path), "pdf"
    else:
        text, enc = decode(data, path, encoding)
    if not text.strip():
        raise InputError(path, "has no text (a scanned PDF or an empty page?); nothing to read")
    return make_document(text, doc_id=doc_id or display(path.name), path=display(path), encoding=enc)


def decode(data: bytes, path, encoding: str | None = None) -> tuple[str, str]:
    """Bytes -> text: the given encoding, a BOM, UTF-8, or what charset-normalizer finds."""
    if not data.strip():
        raise InputError(path, "file is empty")
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputError(path, f"unknown encoding {encoding!r}; use e.g. utf-8, gb18030, big5, utf-16") from None
        except UnicodeDecodeError as e:
            raise InputError(path, f"cannot be decoded as {encoding} (byte {e.start}); try another --encoding") from None
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                     (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return checked(data.decode(enc, errors="replace"), path), enc
    try:
        return checked(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(3, len(lenient) // 200):
        return checked(lenient, path), "utf-8 (broken bytes replaced)"   # UTF-8 with a few damaged spots
    from charset_normalizer import from_bytes
    best = from_bytes(data, cp_isolation=CANDIDATES).best() or from_bytes(data).best()
    if best is None:
        raise InputError(path, "looks like a binary file, or text in an encoding kg cannot tell; "
                               "if it is text, give --encoding (e.g. gb18030)")
    return checked(str(best), path), best.encoding


def checked(text: str, path) -> str:
    """Text that is mostly control characters or replacement marks is a binary file."""
    sample = text[:20000]
    bad = sum(1 for c in sample if (unicodedata.category(c) == "Cc" and c not in "\n\r\t\f") or c == "\ufffd")
    if sample and bad / len(sample) > 0.05:
        raise InputError(path, "looks like a binary file, not text")
    return text


def html_text(data: bytes, path, encoding: str | None = None) -> tuple[str, str]:
    """The readable text of a saved web page: title first, then the body without scripts,
    styles, forms and navigation; page chrome lines stay (they feed metadata)."""
    from bs4 import BeautifulSoup
    try:
        soup = BeautifulSoup(data, "html.parser", from_encoding=encoding)
    except Exception as e:
        raise InputError(path, f"cannot be parsed as HTML ({e})") from None
    for tag in soup(["script", "style", "noscript", "template", "svg", "iframe", "nav", "form", "button",
                     "select", "input", "canvas", "object", "embed"]):
        tag.decompose()
    for tag in soup.find_all(attrs={"class": NAV_RE}) + soup.find_all(attrs={"id": NAV_RE}):
        if not tag.decomposed:
            tag.decompose()
    title = ""
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        title = h1.get_text(" ", strip=True)
    elif soup.title and soup.title.get_text(strip=True):
        title = re.split(r"\s*[-_|–—]\s*", soup.title.get_text(" ", strip=True))[0]
    body = soup.body or soup
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in body.get_text("\n").splitlines()]
    lines = [line for line in lines if line]
    if title and (not lines or lines[0] != title):
        lines.insert(0, title)
    return "\n".join(lines) + "\n", soup.original_encoding or "utf-8"


NAV_RE = re.compile(r"(^|[-_\s])(nav|navbar|menu|breadcrumb|crumb|sidebar|share|toolbar|pagination)([-_\s]|$)", re.I)


def docx_text(data: bytes, path) -> str:
    import io
    import zipfile

    import docx
    try:
        check_zip(zipfile.ZipFile(io.BytesIO(data)), path)
        d = docx.Document(io.BytesIO(data))
    except InputError:
        raise
    except Exception as e:      # zipfile, lxml and python-docx raise many types for damaged files
        raise InputError(path, f"is not a readable Word .docx file ({type(e).__name__}: {first_line(e)}); "
                               f"save it again as .docx") from None
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.append(" ".join(c.text for c in row.cells))
    return "\n".join(p for p in parts if p.strip()) + "\n"


MAX_UNZIPPED = 200 * 1024 * 1024     # bytes a .docx may unpack to
MAX_RATIO = 200                       # and how much larger than its compressed size
MAX_PARTS = 5000


def check_zip(z, path) -> None:
    """Refuse a zip bomb by its directory, before anything is unpacked, and XML parts that
    declare a DTD (entity expansion): Word never writes one."""
    infos = z.infolist()
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > MAX_PARTS or total > MAX_UNZIPPED or total / packed > MAX_RATIO:
        raise InputError(path, f"unpacks to {total / 1024 / 1024:.0f} MB in {len(infos)} parts "
                               f"({total / packed:.0f}x its size): refused as a zip bomb")
    for i in infos:
        if i.filename.endswith((".xml", ".rels")):
            with z.open(i) as fh:
                head = fh.read()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise InputError(path, f"{i.filename} declares a DTD or entities, which Word never "
                                       f"writes: refused")


def pdf_text(data: bytes, path) -> str:
    """The text layer of a PDF, with lines that a layout broke in mid-sentence joined again."""
    import io

    import pypdf
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as e:  # pypdf raises many types for damaged files
        raise InputError(path, f"is not a readable PDF ({type(e).__name__}: {e})") from None
    out: list[str] = []
    for line in "\n".join(pages).splitlines():
        line = line.strip()
        if not line:
            continue
        if out and out[-1] and out[-1][-1] not in ENDERS + "：:" and len(out[-1]) > 20 and _cjk(line[:1]):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# a pinyin gloss that some pages put after a character: 領(lǐng)導(dǎo)小組 (a tone mark required)
PINYIN_RE = re.compile(rf"(?<=[\u4e00-\u9fff])[(（]\s*[a-zü{TONED}]*[{TONED}][a-zü{TONED}]*\s*[)）]")


def make_document(text: str, doc_id: str, path: str = "", encoding: str = "utf-8") -> Document:
    """A Document of `text`: line ends unified, radicals repaired, pinyin glosses removed
    (領(lǐng)導(dǎo)小組 reads 領導小組), sentences split."""
    text = repair(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = PINYIN_RE.sub("", text)
    norm = normalise(text)
    return Document(id=doc_id, path=path, text=text, norm=norm,
                    sentences=tuple(split_sentences(text, norm)), encoding=encoding)


def repair(text: str) -> str:
    """Radical characters that stand for ideographs (from PDF text layers: ⼈ for 人,
    ⺠ for 民) become the ideographs; the length does not change."""
    if not any("\u2e80" <= c <= "\u2fdf" for c in text):
        return text
    table = load_lexicon().radicals
    out = []
    for c in text:
        if "\u2f00" <= c <= "\u2fdf":
            n = unicodedata.normalize("NFKC", c)
            c = n if len(n) == 1 else c
        out.append(table.get(c, c))
    return "".join(out)


@lru_cache(maxsize=1)
def _t2s():
    import opencc
    return opencc.OpenCC("t2s")


VARIANTS = {"陜": "陕", "衞": "卫"}   # variant characters OpenCC's t2s leaves as they are


def _fold(ch: str) -> str:
    if ch in VARIANTS:
        return VARIANTS[ch]
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


MAX_SENTENCE = 1000     # characters; a longer run without a sentence end is cut at a comma or space
SOFT_BREAKS = "，,、：: \t\u3000"


def _add(out, text, start, end, chrome):
    while end - start > MAX_SENTENCE:
        window = text[start + MAX_SENTENCE // 2:start + MAX_SENTENCE]
        cut = max(window.rfind(c) for c in SOFT_BREAKS)
        cut = start + MAX_SENTENCE // 2 + cut + 1 if cut >= 0 else start + MAX_SENTENCE
        _add_one(out, text, start, cut, chrome)
        start = cut
    _add_one(out, text, start, end, chrome)


def _add_one(out, text, start, end, chrome):
    while start < end and (text[start].isspace() or unicodedata.category(text[start]) == "Cf"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end], chrome))
