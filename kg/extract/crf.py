"""The trained CRF's labelling in numpy, for speed: the same labels as crfsuite's tagger.

`tagger.features` writes every character's features as strings, which is what crfsuite
learns from. Tagging that way spends most of its time making and converting strings,
though training kept only some 18,000 of the millions it saw (L1). Here the model's
weights are read once into arrays, and each feature template is computed for a whole
sentence at a time as integer keys looked up by binary search: a character's score for
every label is the sum of its features' weight rows; the best labelling is found by
hmmlearn's Viterbi (C++). tests/test_crf.py checks that the labels are crfsuite's on every
sentence of the seeds and dev.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..model import Document, Sentence
from ..vocab import Vocab
from .segment import cut
from .tagger import QUOTE_OPENERS, _marks, char_kind, spans_of   # tagger imports this module only when tagging

CHAR_AT = {"c-2": 0, "c-1": 1, "c": 2, "c+1": 3, "c+2": 4}   # offset in "^^" + text + "$$"
GRAMS = {"b-": (1, 2), "b+": (2, 3), "t": (1, 2, 3)}
POS = "BMES"


def _key(chars: str) -> int:
    k = 0
    for c in chars:
        k = (k << 21) | ord(c)
    return k


class Lookup:
    """Integer keys -> attribute rows, by binary search (absent keys give the zero row)."""

    def __init__(self, pairs: dict[int, int], none: int):
        keys = sorted(pairs)
        self.keys = np.array(keys or [0], dtype=np.int64)
        self.rows = np.array([pairs[k] for k in keys] or [none], dtype=np.int64)
        self.none = none
        self.empty = not keys

    def __call__(self, q: np.ndarray) -> np.ndarray:
        if self.empty:
            return np.full(len(q), self.none, dtype=np.int64)
        pos = np.searchsorted(self.keys, q)
        np.minimum(pos, len(self.keys) - 1, out=pos)
        return np.where(self.keys[pos] == q, self.rows[pos], self.none)


class Weights:
    """A crfsuite model's state and transition weights as arrays, indexed for `features`.

    Read from the model by crfsuite (`of_crfsuite`, about 0.2 s), or from the copy `kg train`
    writes beside it (`load`, a few milliseconds), which names the model it was made from."""

    def __init__(self, labels: list[str], attrs: list[str], W: np.ndarray, T: np.ndarray):
        self.labels = list(labels)
        self.index = {lab: i for i, lab in enumerate(self.labels)}
        self.attrs = list(attrs)
        self.rows = rows = {a: i for i, a in enumerate(self.attrs)}
        self.none = len(rows)   # the zero row: a feature the model does not know
        self.W, self.T = W, T
        self.outside = self.labels.index("O") if "O" in self.labels else -1
        self.expT = np.exp(T)          # hmmlearn's Viterbi takes the transitions as probabilities
        self.start = np.ones(len(self.labels))
        by: dict[str, dict[int, int]] = {t: {} for t in (*CHAR_AT, *GRAMS, "k")}
        for attr, r in rows.items():
            name, eq, value = attr.partition("=")
            if eq and name in by and len(value) == (len(GRAMS[name]) if name in GRAMS else
                                                    3 if name == "k" else 1):
                by[name][_key(value)] = r
        self.lookups = {t: Lookup(pairs, self.none) for t, pairs in by.items()}
        self.dense = {}        # one-character templates: a row for every code point of the BMP
        for t in CHAR_AT:
            table = np.full(0x10000, self.none, dtype=np.int64)
            for k, r in by[t].items():
                if k < 0x10000:
                    table[k] = r
            self.dense[t] = table
        self.wp, self.rg = self.pos_rows("wp="), self.pos_rows("rg=")
        self.wl = np.array([self.pos_rows(f"wl={L}") for L in range(6)])   # [length][pos]
        self.head_types: dict[str, int] = {}
        self.hd_rows = np.zeros((0, 4), dtype=np.int64)   # the hd= rows of head_types, by position
        self.word_memo: dict[str, tuple] = {}   # word -> its rows, head type, place
        self.tables: dict[int, tuple] = {}
        self.span_memo: dict[tuple[str, str], tuple[int, int, int]] = {}

    @classmethod
    def of_crfsuite(cls, info) -> Weights:
        """From pycrfsuite's Tagger.info()."""
        labels = sorted(info.labels, key=info.labels.get)
        index = {lab: i for i, lab in enumerate(labels)}
        rows: dict[str, int] = {}
        for (attr, _), _w in info.state_features.items():
            rows.setdefault(attr, len(rows))
        W = np.zeros((len(rows) + 1, len(labels)))
        for (attr, lab), w in info.state_features.items():
            W[rows[attr], index[lab]] += w
        T = np.zeros((len(labels), len(labels)))
        for (a, b), w in info.transitions.items():
            T[index[a], index[b]] = w
        return cls(labels, list(rows), W, T)

    def save(self, path, model_digest: str) -> None:
        """Write the arrays (the state weights as their non-zero entries) to an .npz file."""
        import io

        from ..output import write_atomic
        r, c = np.nonzero(self.W)
        buf = io.BytesIO()
        np.savez_compressed(buf, labels=np.array(self.labels), attrs=np.array(self.attrs), rows=r.astype(np.int32),
                            cols=c.astype(np.int16), values=self.W[r, c], T=self.T, model=np.array(model_digest))
        write_atomic(Path(path), buf.getvalue())

    @classmethod
    def load(cls, path, model_digest: str) -> Weights | None:
        """The weights `save` wrote for the model of that digest; None when there is no such
        file, or it was made from another model."""
        try:
            with np.load(path, allow_pickle=False) as z:
                if str(z["model"]) != model_digest:
                    return None
                attrs = z["attrs"].tolist()
                W = np.zeros((len(attrs) + 1, len(z["labels"])))
                W[z["rows"], z["cols"]] = z["values"]
                return cls(z["labels"].tolist(), attrs, W, z["T"])
        except (OSError, ValueError, KeyError):
            return None

    def char_rows(self, template: str, q: np.ndarray) -> np.ndarray:
        """The rows of a one-character template for code points `q`."""
        out = self.dense[template][np.minimum(q, 0xFFFF)]
        beyond = q > 0xFFFF
        if beyond.any():
            out[beyond] = self.lookups[template](q[beyond])
        return out

    def span_rows(self, tag: str, etype: str) -> tuple[int, int, int]:
        """The rows of a rule's name at its first, inner and last characters (r=B-Type ...)."""
        got = self.span_memo.get((tag, etype))
        if got is None:
            got = self.span_memo[(tag, etype)] = tuple(self.row(f"{tag}{p}-{etype}") for p in "BIE")
        return got

    def row(self, attr: str) -> int:
        return self.rows.get(attr, self.none)

    def pos_rows(self, prefix: str) -> np.ndarray:
        """Rows of prefix + B/M/E/S, in POS order."""
        return np.array([self.row(prefix + p) for p in POS], dtype=np.int64)


def _codes(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


@dataclass(frozen=True)
class Window:
    """A piece of a sentence to label (a whole sentence unless it is very long)."""
    sentence: Sentence
    start: int            # document offsets
    end: int
    rule_spans: tuple     # (start, end, type, rule, nested) of the rules' candidates


def emissions(w: Weights, doc: Document, windows: list[Window], v: Vocab) -> tuple[np.ndarray, np.ndarray]:
    """Each character's score for every label, the sum of the weights of the features that
    `tagger.features` gives it: (rows of every window one after the other, x labels; where
    each window's rows start, and one more offset for the end). A document's windows are
    done together so that numpy's work is in a few large steps."""
    texts = [doc.norm[x.start:x.end] for x in windows]
    lens = np.array([len(t) for t in texts], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lens)])
    n = int(offsets[-1])
    win = np.repeat(np.arange(len(texts)), lens)          # row -> window
    at = np.arange(n) + 4 * win + 2                        # row -> its character in the padded text
    cp = _codes("".join("^^" + t + "$$" for t in texts))
    cols = [w.char_rows(t, cp[at + o - 2]) for t, o in CHAR_AT.items()]
    for t, offs in GRAMS.items():
        q = cp[at + offs[0] - 2]
        for o in offs[1:]:
            q = (q << 21) | cp[at + o - 2]
        cols.append(w.lookups[t](q))
    kinds = _kinds()[np.minimum(cp, 0xFFFF)]       # tagger.char_kind of each character
    kinds[cp > 0xFFFF] = _kinds()[0x10000]
    block = offsets[:-1] + 4 * np.arange(len(texts))  # where each window's "^^" starts
    for pad, mark in ((0, "^"), (1, "^"), (lens + 2, "$"), (lens + 3, "$")):
        kinds[block + pad] = ord(mark)
    cols.append(w.lookups["k"]((kinds[at - 1] << 42) | (kinds[at] << 21) | kinds[at + 1]))
    extra_at: list[int] = []     # (row, attribute row) pairs added one by one
    extra_rows: list[int] = []
    quoted = [k for k, t in enumerate(texts) if any(m in t for m in QUOTE_OPENERS)]
    if quoted:
        inq, inb = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        for k in quoted:
            q, b = _marks(texts[k])
            inq[offsets[k]:offsets[k + 1]] = q
            inb[offsets[k]:offsets[k + 1]] = b
        cols.append(np.where(inq, w.row("inq"), w.none))
        cols.append(np.where(inb, w.row("inb"), w.none))
    chars = np.minimum(cp[at], 0xFFFF)
    cols.append(np.where(_table(w, v.surnames)[chars], w.row("sur"), w.none))
    heads, joined = v.heads, "".join(texts)      # joined[r]: the character of row r
    rs = np.nonzero(_table(w, v.head_finals())[chars])[0]
    for r, i in zip(rs.tolist(), (rs - offsets[win[rs]]).tolist()):   # row, and where in its window
        for L in (4, 3, 2):   # a head noun of the lexicon ends here, within the window
            if i + 1 >= L:
                h = heads.get(joined[r + 1 - L:r + 1])
                if h:
                    extra_at.append(r)
                    extra_rows.append(w.row("he=" + h.type))
                    break
    first = np.array([x.sentence.index == 0 or x.start == 0 for x in windows])
    cols.append(np.where(np.repeat(first, lens), w.row("first"), w.none))
    _words(w, doc, windows, offsets, v, cols)
    for k, x in enumerate(windows):
        base, a = int(offsets[k]), x.start
        for (ra, rb, rtype, rule, nested) in x.rule_spans:
            span = range(max(ra, a) - a, min(rb, x.end) - a)
            if not span:
                continue
            b_, i_, e_ = w.span_rows("rn=" if nested else "r=", rtype)
            rows = [b_ if j == ra - a else (e_ if j == rb - a - 1 else i_) for j in span]
            if nested:
                extra_at += [base + j for j in span]
                extra_rows += rows
            else:     # each character: its position's row, then the rule's
                rr = w.row("rr=" + rule)
                extra_at += [base + j for j in span for _ in (0, 1)]
                extra_rows += [r for row in rows for r in (row, rr)]
    # each character's features' weight rows added up column by column, in crfsuite's order
    # (a feature the model does not know adds the zero row, which changes no sum)
    W = w.W
    em = W[cols[0]]
    for c in cols[1:]:
        em += W[c]
    if extra_at:
        np.add.at(em, np.array(extra_at), W[np.array(extra_rows)])
    return em, offsets


def _words(w: Weights, doc: Document, windows: list[Window], offsets: np.ndarray, v: Vocab, cols: list) -> None:
    """The word features: position in the word, its length, the word, a head noun, a place,
    and the words before and after it."""
    n = int(offsets[-1])
    memo = w.word_memo
    if len(memo) > 200_000:
        memo.clear()

    def rows_of(text: str) -> tuple:
        h = v.heads.get(text)
        got = memo[text] = (w.row("w=" + text) if len(text) <= 6 else w.none,
                            w.head_types.setdefault(h.type, len(w.head_types)) if h else -1,
                            text in v.regions, w.row("pw=" + text), w.row("nw=" + text))
        return got
    known = memo.get
    starts, lengths, rows, before, after = [], [], [], [], []
    for k, x in enumerate(windows):
        toks = cut(doc.norm[x.start:x.end])    # (word, start, end) in the window
        if not toks:
            continue
        base = int(offsets[k])
        got = [known(t) or rows_of(t) for t, _, _ in toks]
        starts += [base + a for _, a, _ in toks]
        lengths += [b - a for _, a, b in toks]
        rows += got
        # pw= the word before, at a word's first character; nw= the word after, at its last
        before += [w.row("pw=^")] + [g[3] for g in got[:-1]]
        after += [g[4] for g in got[1:]] + [w.row("nw=$")]
    word, head, place = [g[0] for g in rows], [g[1] for g in rows], [g[2] for g in rows]
    if not starts:
        return
    at, ln = np.array(starts), np.array(lengths)
    ends = at + ln - 1
    idx = np.repeat(at, ln) + (np.arange(ln.sum()) - np.repeat(np.cumsum(ln) - ln, ln))   # rows in words
    covered = np.zeros(n, dtype=bool)
    covered[idx] = True
    pos = np.ones(n, dtype=np.int64)                    # M inside a word
    pos[ends] = 2                                       # E
    pos[at] = 0                                         # B
    pos[at[ln == 1]] = 3                                # S
    length = np.zeros(n, dtype=np.int64)
    length[idx] = np.repeat(np.minimum(ln, 5), ln)
    wd = np.full(n, w.none, dtype=np.int64)
    wd[idx] = np.repeat(np.array(word, dtype=np.int64), ln)
    hd_of = np.full(n, -1, dtype=np.int64)
    hd_of[idx] = np.repeat(np.array(head, dtype=np.int64), ln)
    pl = np.zeros(n, dtype=bool)
    pl[idx] = np.repeat(np.array(place, dtype=bool), ln)
    cols.append(np.where(covered, w.wp[pos], w.none))
    cols.append(np.where(covered, w.wl[length, pos], w.none))
    cols.append(wd)
    if (hd_of >= 0).any():
        if len(w.hd_rows) != len(w.head_types):
            w.hd_rows = np.array([w.pos_rows(f"hd={t}") for t in w.head_types])   # [head type][pos]
        hd = w.hd_rows
        cols.append(np.where(hd_of >= 0, hd[np.maximum(hd_of, 0), pos], w.none))
    cols.append(np.where(pl, w.rg[pos], w.none))
    pw = np.full(n, w.none, dtype=np.int64)
    pw[at] = before
    nw = np.full(n, w.none, dtype=np.int64)
    nw[ends] = after
    cols += [pw, nw]


@lru_cache(maxsize=1)
def _kinds() -> np.ndarray:
    """tagger.char_kind of every code point of the Basic Multilingual Plane (and, last, of
    one beyond it), as code points."""
    return np.array([ord(char_kind(chr(c))) for c in range(0x10000)] + [ord(char_kind(chr(0x20000)))],
                    dtype=np.int64)


def _table(w: Weights, chars) -> np.ndarray:
    """Whether each code point of the Basic Multilingual Plane is one of `chars` (made once)."""
    got = w.tables.get(id(chars))
    if got is None or got[0] is not chars:
        t = np.zeros(0x10000, dtype=bool)
        t[[ord(c) for c in chars if len(c) == 1 and ord(c) < 0x10000]] = True
        got = w.tables[id(chars)] = (chars, t)
    return got[1]


def best(w: Weights, em: np.ndarray) -> np.ndarray:
    """The labelling of highest score (Viterbi), as label indexes."""
    from hmmlearn import _hmmc
    _, path = _hmmc.viterbi(w.start, w.expT, np.ascontiguousarray(em))
    return path


def names(w: Weights, path: np.ndarray, offset: int):
    """tagger.spans_of the labelling, read only where it is not O (an O only ends a name)."""
    inside = np.concatenate([[False], path != w.outside, [False]])
    edges = np.flatnonzero(inside[1:] != inside[:-1])
    out = []
    for a, b in zip(edges[::2].tolist(), edges[1::2].tolist()):
        out += spans_of([w.labels[k] for k in path[a:b]], offset + a)
    return out


def score(w: Weights, em: np.ndarray, labels: list[str]) -> float:
    """The unnormalised log score of a labelling: states plus transitions."""
    y = np.array([w.index.get(lab, -1) for lab in labels])
    if (y < 0).any():
        return float("-inf")
    return float(em[np.arange(len(y)), y].sum() + w.T[y[:-1], y[1:]].sum())
