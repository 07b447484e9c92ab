"""A character CRF that labels entity names, trained on annotated documents (kg train).

Each character of a sentence is described by features (see `features`: the character
and its neighbours, jieba's words, quotation and title marks, head nouns, the gazetteer),
among them what the rules found: the rules' candidates are inputs of the
model (stacking), not its final word. The model labels characters B-/I-/E-/S-Type or O;
a run of one type is a name. python-crfsuite does the learning and the tagging.

The shipped model is kg/models/entities.crfsuite; `kg train` writes it again.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import KgError
from ..model import Document, Sentence
from ..vocab import Vocab
from .segment import tokenize

MODEL_NAME = "entities.crfsuite"
FEATURES_VERSION = 3   # raise when features() changes: a model of other features is refused
MARKS_OPEN = set("“‘「『\"'")
TITLE_OPEN, TITLE_CLOSE = "《", "》"
QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’"}
MAX_CHARS = 2000   # a longer "sentence" (a page with no punctuation) is tagged in pieces


@dataclass(frozen=True)
class Tagged:
    start: int      # document offsets
    end: int
    type: str


@lru_cache(maxsize=8192)
def char_kind(c: str) -> str:
    if "\u4e00" <= c <= "\u9fff":
        return "H"
    if c.isdigit():
        return "D"
    if c.isascii() and c.isalpha():
        return "L"
    if c in "“”‘’\"'《》「」『』【】〈〉":
        return "M"
    if c.isspace():
        return "S"
    cat = unicodedata.category(c)
    return "P" if cat.startswith("P") else "O"


QUOTE_OPENERS = tuple(QUOTE_PAIRS) + (TITLE_OPEN, TITLE_CLOSE)




def _marks(text: str) -> tuple[list[bool], list[bool]]:
    """Whether each character is inside a quotation / inside a 《title》."""
    inq, inb = [False] * len(text), [False] * len(text)
    close_q, depth_b = None, 0
    for i, c in enumerate(text):
        if c == TITLE_OPEN:
            depth_b += 1
        elif c == TITLE_CLOSE:
            depth_b = max(0, depth_b - 1)
        elif close_q is None and c in QUOTE_PAIRS:
            close_q = QUOTE_PAIRS[c]
        elif close_q is not None and c == close_q:
            close_q = None
        inq[i] = close_q is not None
        inb[i] = depth_b > 0
    return inq, inb


def features(doc: Document, s: Sentence, rule_spans, v: Vocab, a: int | None = None,
             b: int | None = None) -> list[list[str]]:
    """Features of every character of doc.norm[a:b] (default: the sentence).

    `rule_spans` are (start, end, type, rule, nested) of the rules' settled candidates."""
    a = s.start if a is None else a
    b = s.end if b is None else b
    text = doc.norm[a:b]
    n = len(text)
    inq, inb = _marks(text) if any(m in text for m in QUOTE_OPENERS) else (None, None)
    kinds = "^" + "".join(char_kind(c) for c in text) + "$"
    padded = "^^" + text + "$$"
    heads, surnames, finals = v.heads, v.surnames, v.head_finals()
    feats: list[list[str]] = []
    for i in range(n):
        p2, p1, c, n1, n2 = padded[i:i + 5]
        f = ["c=" + c, "c-1=" + p1, "c+1=" + n1, "c-2=" + p2, "c+2=" + n2,
             "b-=" + p1 + c, "b+=" + c + n1, "t=" + p1 + c + n1, "k=" + kinds[i:i + 3]]
        if inq is not None:
            if inq[i]:
                f.append("inq")
            if inb[i]:
                f.append("inb")
        if c in surnames:
            f.append("sur")
        if c in finals:
            for L in (4, 3, 2):   # a head noun of the lexicon ends here, however jieba cut the words
                if i + 1 >= L:
                    h = heads.get(text[i + 1 - L:i + 1])
                    if h:
                        f.append("he=" + h.type)
                        break
        feats.append(f)
    if s.index == 0 or a == 0:
        for f in feats:
            f.append("first")
    # words: position in the word, the word itself, the words around it
    toks = tokenize(text, a)
    words = [t.text for t in toks]
    regions = v.regions
    for k, t in enumerate(toks):
        w = t.text
        L = t.end - t.start
        first, last = t.start - a, t.end - a - 1
        head = heads.get(w)
        hd = "hd=" + head.type if head else None
        rg = w in regions
        word = "w=" + w if L <= 6 else None
        before = "pw=" + (words[k - 1] if k else "^")
        after = "nw=" + (words[k + 1] if k + 1 < len(words) else "$")
        length = "wl=" + str(min(L, 5))
        for j in range(first, last + 1):
            pos = "S" if L == 1 else ("B" if j == first else ("E" if j == last else "M"))
            f = feats[j]
            f.append("wp=" + pos)
            f.append(length + pos)
            if word:
                f.append(word)
            if hd:
                f.append(hd + pos)
            if rg:
                f.append("rg=" + pos)
            if pos == "B" or pos == "S":
                f.append(before)
            if pos == "E" or pos == "S":
                f.append(after)
    # what the rules found
    for (ra, rb, rtype, rule, nested) in rule_spans:
        lo, hi = max(ra, a), min(rb, b)
        tag = "rn=" if nested else "r="
        for j in range(lo - a, hi - a):
            pos = "B" if j == ra - a else ("E" if j == rb - a - 1 else "I")
            feats[j].append(tag + pos + "-" + rtype)
            if not nested:
                feats[j].append("rr=" + rule)
    return feats


def windows(s: Sentence) -> list[tuple[int, int]]:
    """The sentence in pieces of at most MAX_CHARS, cut after a punctuation mark where possible."""
    out, a = [], s.start
    while s.end - a > MAX_CHARS:
        b = a + MAX_CHARS
        cut = max((i for i in range(a + MAX_CHARS // 2, b) if s.text[i - s.start] in "，,、；;：: "), default=b - 1)
        out.append((a, cut + 1))
        a = cut + 1
    out.append((a, s.end))
    return out


def span_labels(n: int, etype: str) -> list[str]:
    """The labels of one name of n characters: S-Type, or B-Type I-Type … E-Type."""
    if n == 1:
        return ["S-" + etype]
    return ["B-" + etype] + ["I-" + etype] * (n - 2) + ["E-" + etype]


def rule_spans(cands) -> list[tuple[int, int, str, str, bool]]:
    """What `features` needs to know of the rules' candidates."""
    return [(c.start, c.end, c.type, c.rule, c.nested) for c in cands]


def spans_of(labels: list[str], offset: int) -> list[Tagged]:
    """Names from B/I/E/S-Type labels (a run of one type that a B or S starts, an E or S ends)."""
    out, start, etype = [], None, None
    for i, lab in enumerate(labels):
        kind, _, t = lab.partition("-")
        if start is not None and (kind in ("B", "S", "O") or t != etype):
            out.append(Tagged(offset + start, offset + i, etype))
            start = etype = None
        if kind != "O" and start is None:
            start, etype = i, t
        if kind in ("E", "S") and start is not None:
            out.append(Tagged(offset + start, offset + i + 1, etype))
            start = etype = None
    if start is not None:
        out.append(Tagged(offset + start, offset + len(labels), etype))
    return out


class Tagger:
    """A trained model; `tag` gives the names in the sentences of one document."""

    def __init__(self, path):
        from .crf import Weights
        self.path = str(path)
        info = model_info(path)
        if info.get("features") != FEATURES_VERSION:
            raise KgError(f"{path}: made for features version {info.get('features')}, this kg uses "
                          f"{FEATURES_VERSION}; run 'kg train' to make the model again")
        self._crfsuite = None
        # what `tag` uses: crfsuite's labels, faster; read from the copy beside the model
        # when it is this model's
        self.weights = Weights.load(weights_path(path), model_digest(path))
        if self.weights is None:
            self.weights = Weights.of_crfsuite(self.crfsuite().info())

    def crfsuite(self):
        """The model opened by crfsuite itself (the reference the fast labelling is tested against)."""
        if self._crfsuite is None:
            import pycrfsuite
            tagger = pycrfsuite.Tagger()
            try:
                tagger.open(self.path)
            except (OSError, ValueError) as e:
                raise KgError(f"{self.path}: not a kg entity model ({e}); run 'kg train' to make one") from None
            self._crfsuite = tagger
        return self._crfsuite

    def tag(self, doc: Document, items, v: Vocab, min_ratio: float = 1.0) -> list[tuple[list[Tagged], list[int]]]:
        """For each (sentence, rule_spans, proposals) of `items`, all of one document:
        (the names of the best labelling, the indexes of the `proposals` (start, end, type)
        that the model finds at least `min_ratio` times as likely as its own labelling there).
        The document's sentences are scored together (kg.extract.crf)."""
        from .crf import Window, best, emissions, names, score
        wins, owner = [], []    # the windows of every sentence, and the item each belongs to
        for k, (s, spans, _) in enumerate(items):
            for a, b in windows(s):
                if b > a:
                    wins.append(Window(s, a, b, tuple(spans)))
                    owner.append(k)
        out: list[tuple[list[Tagged], list[int]]] = [([], []) for _ in items]
        if not wins:
            return out
        w = self.weights
        em_all, offsets = emissions(w, doc, wins, v)
        threshold = math.log(min_ratio) if min_ratio > 0 else float("-inf")
        for x, k, lo, hi in zip(wins, owner, offsets[:-1], offsets[1:]):
            em = em_all[lo:hi]
            path = best(w, em)
            found = names(w, path, x.start)
            out[k][0].extend(found)
            proposals = items[k][2]
            if not proposals or min_ratio > 1.0:
                continue
            top = None
            for i, (pa, pb, ptype) in enumerate(proposals):
                if not (x.start <= pa < pb <= x.end) or any(pa < f.end and f.start < pb for f in found):
                    continue
                if top is None:
                    labels = [w.labels[j] for j in path]
                    top = score(w, em, labels)
                alt = list(labels)
                alt[pa - x.start:pb - x.start] = span_labels(pb - pa, ptype)
                if score(w, em, alt) - top >= threshold:   # P(alt) / P(best) >= min_ratio
                    out[k][1].append(i)
        return out


def info_path(model) -> Path:
    """The JSON beside a model that says how it was made."""
    return Path(str(model) + ".json")


def weights_path(model) -> Path:
    """The model's weights as arrays, beside it (kg.extract.crf.Weights.save)."""
    return Path(str(model) + ".weights.npz")


def model_digest(model) -> str:
    import hashlib
    try:
        return hashlib.sha256(Path(model).read_bytes()).hexdigest()
    except OSError as e:
        raise KgError(f"{model}: cannot be read ({e.strerror}); give a model that 'kg train' wrote") from None


def model_info(model) -> dict:
    import json
    p = info_path(model)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KgError(f"{model}: {p.name} is missing beside it; use a model that 'kg train' wrote") from None
    except (OSError, ValueError) as e:
        raise KgError(f"{p}: cannot be read ({e}); run 'kg train' to make the model again") from None


def default_model_path() -> Path:
    return Path(str(resources.files("kg").joinpath("models", MODEL_NAME)))


def load_tagger(model=None) -> Tagger | None:
    """The entity tagger of a model file, or the shipped one."""
    if model is None:
        return default_tagger()
    if not Path(model).is_file():
        raise KgError(f"--model {model}: no such file; give a model that 'kg train' wrote")
    return Tagger(model)


@lru_cache(maxsize=1)
def default_tagger() -> Tagger | None:
    """The shipped model, or None when kg has none (rules alone then)."""
    path = default_model_path()
    return Tagger(path) if path.is_file() else None
