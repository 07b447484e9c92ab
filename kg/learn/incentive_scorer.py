# Copy of shared/eval/score_incentives.py (the incentive scorer), vendored so kg evaluate runs on its own.
"""Score incentive-figure predictions against gold (see ../spec/incentives.md).

Usage: score_incentives.py GOLD_DIR PRED_DIR [--show-errors] [--json]

GOLD_DIR holds one {"doc": ..., "incentives": [...]} file per document.
PRED_DIR holds the extractor's per-document JSON files (the same files
score.py reads); each file's "incentives" key is used, a missing key or a
missing file counting as no incentives. Files are paired by the "doc" field
(or, failing that, by file stem).

Matching is one to one within a document. A predicted record matches a gold
record when their values agree within 0.5% of the gold value, where the
value is amount_max, else amount_min, else quantity (an in-kind record: its
unit must agree too; a money record's currency, default CNY, likewise).
Three levels are scored:
    amount     the value alone
    recipient  value, and recipient equal after removing quotes/spaces, or one
               containing the other, or both null
    full       value, recipient and kind
The last line printed is the headline:
    incentive_f1=... incentive_recipient_f1=... incentive_full_f1=...
Python standard library only.
"""
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

TOLERANCE = 0.005
MARKS = set("“”‘’\"'《》〈〉「」『』〖〗【】")
UNIT_SYNONYMS = {"m2": "平方米", "m²": "平方米", "平米": "平方米", "平方": "平方米"}
LEVELS = ("amount", "recipient", "full")


def norm(text):
    text = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(ch for ch in text if not ch.isspace() and ch not in MARKS)


def number(x):
    """A finite float, or None for null, non-numbers and booleans."""
    if x is None or isinstance(x, bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if v == v and v not in (float("inf"), float("-inf")) else None


def value(rec):
    """(number, unit key) that a record is matched on, or (None, None)."""
    for field in ("amount_max", "amount_min"):
        v = number(rec.get(field))
        if v is not None:
            return v, "money:" + (norm(rec.get("currency")).upper() or "CNY")
    v = number(rec.get("quantity"))
    if v is not None:
        unit = norm(rec.get("unit"))
        return v, "unit:" + UNIT_SYNONYMS.get(unit, unit)
    return None, None


def same_value(pred, gold):
    pv, pu = value(pred)
    gv, gu = value(gold)
    if pv is None or gv is None or pu != gu:
        return False
    return abs(pv - gv) <= TOLERANCE * abs(gv)


def same_recipient(pred, gold):
    p, g = norm(pred.get("recipient")), norm(gold.get("recipient"))
    if not p or not g:
        return not p and not g
    return p == g or p in g or g in p


def same_kind(pred, gold):
    return norm(pred.get("kind")) == norm(gold.get("kind")) != ""


PREDICATES = {
    "amount": same_value,
    "recipient": lambda p, g: same_value(p, g) and same_recipient(p, g),
    "full": lambda p, g: same_value(p, g) and same_recipient(p, g) and same_kind(p, g),
}


def match(gold, pred, ok):
    """Maximum one-to-one matching (augmenting paths); returns {pred_index: gold_index}."""
    edges = [[j for j, g in enumerate(gold) if ok(p, g)] for p in pred]
    owner = {}  # gold index -> pred index

    def augment(i, seen):
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(pred)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def records(data):
    recs = data.get("incentives") if isinstance(data, dict) else None
    return [r for r in recs if isinstance(r, dict)] if isinstance(recs, list) else []


def load(folder, gold):
    """{doc stem: [records]}. A bad gold file is an error; a bad prediction
    file is reported on stderr and counts as no incentives."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a folder")
    docs = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            if gold:
                raise ValueError(f"{path}: not readable JSON ({exc})")
            print(f"score_incentives: skipping {path}: not readable JSON ({exc})", file=sys.stderr)
            continue
        if gold and not (isinstance(data, dict) and isinstance(data.get("incentives"), list)):
            raise ValueError(f"{path}: a gold file needs an \"incentives\" list")
        if not gold and isinstance(data, dict) and "incentives" in data and not isinstance(data["incentives"], list):
            print(f"score_incentives: {path}: \"incentives\" is not a list; counted as none", file=sys.stderr)
        name = data.get("doc") if isinstance(data, dict) else None
        docs[Path(str(name or path.stem)).stem] = records(data)
    return docs


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def describe(rec):
    v, u = value(rec)
    if v is None:
        shown = "?"
    else:
        shown = f"{v:.0f}" if v.is_integer() else f"{v:.2f}"
        shown += "" if u.startswith("money:") else u[5:]
    return f"{shown} {rec.get('kind')} -> {rec.get('recipient')}"


def explain(doc, gold, pred, full):
    """Error lines for the records left unmatched at the full level."""
    rest_g = [j for j in range(len(gold)) if j not in set(full.values())]
    rest_p = [i for i in range(len(pred)) if i not in full]
    near = match([gold[j] for j in rest_g], [pred[i] for i in rest_p], same_value)
    lines = []
    for a, b in sorted(near.items()):
        p, g = pred[rest_p[a]], gold[rest_g[b]]
        what = "wrong-recipient" if not same_recipient(p, g) else "wrong-kind"
        lines.append(f"{doc}\t{what}\t{describe(p)}\tgold: {describe(g)}")
    for b, j in enumerate(rest_g):
        if b not in near.values():
            lines.append(f"{doc}\tmissed\t{describe(gold[j])}\t{gold[j].get('evidence', '')}")
    for a, i in enumerate(rest_p):
        if a not in near:
            lines.append(f"{doc}\tspurious\t{describe(pred[i])}\t{pred[i].get('evidence', '')}")
    return lines


def score(gold_docs, pred_docs, show_errors=False):
    totals = {level: [0, 0, 0] for level in LEVELS}  # tp, pred, gold
    by_kind = defaultdict(lambda: [0, 0, 0])         # full level, by kind
    errors = []
    for doc, gold in sorted(gold_docs.items()):
        pred = pred_docs.get(doc, [])
        pairs = {level: match(gold, pred, PREDICATES[level]) for level in LEVELS}
        for level in LEVELS:
            totals[level][0] += len(pairs[level])
            totals[level][1] += len(pred)
            totals[level][2] += len(gold)
        for i, j in pairs["full"].items():
            by_kind[str(gold[j].get("kind"))][0] += 1
        for p in pred:
            by_kind[str(p.get("kind"))][1] += 1
        for g in gold:
            by_kind[str(g.get("kind"))][2] += 1
        if show_errors:
            errors.extend(explain(doc, gold, pred, pairs["full"]))
    return {
        "levels": {level: prf(*totals[level]) + tuple(totals[level]) for level in LEVELS},
        "by_kind": {k: prf(*v) + tuple(v) for k, v in sorted(by_kind.items())},
        "errors": errors,
    }


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    unknown = [a for a in argv if a.startswith("--") and a not in ("--show-errors", "--json")]
    if len(args) != 2 or unknown:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        gold_docs = load(args[0], gold=True)
        pred_docs = load(args[1], gold=False)
    except ValueError as exc:
        print(f"score_incentives: {exc}", file=sys.stderr)
        return 2
    if not gold_docs:
        print(f"score_incentives: no gold files in {args[0]}", file=sys.stderr)
        return 2
    res = score(gold_docs, pred_docs, show_errors="--show-errors" in argv)
    if "--json" in argv:
        print(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        row = "{:<22} P={:.3f} R={:.3f} F1={:.3f}  (tp={} pred={} gold={})"
        for kind, v in res["by_kind"].items():
            print(row.format("kind " + kind, *v))
        names = {"amount": "INCENTIVES amount", "recipient": "  +recipient", "full": "  +recipient+kind"}
        for level in LEVELS:
            print(row.format(names[level], *res["levels"][level]))
        for e in res["errors"]:
            print(e)
    lv = res["levels"]
    print("incentive_f1={:.3f} incentive_recipient_f1={:.3f} incentive_full_f1={:.3f}".format(
        lv["amount"][2], lv["recipient"][2], lv["full"][2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
