# Copy of shared/eval/score.py (the project's scorer), vendored so kg evaluate and the tests run on their own.
"""Score per-document entity/relation predictions against gold files.

Usage: score.py GOLD_DIR PRED_DIR [--json] [--show-errors]

Both folders hold one JSON file per document in the format of
shared/spec/annotation.md; files are paired by the "doc" field (or, failing
that, by file stem). A gold document with no prediction file counts as an
empty prediction. The last line printed is the headline:
    entity_f1=... typed_entity_f1=... relation_f1=... untyped_relation_f1=...
"""
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

MARKS = set("“”‘’\"'《》〈〉「」『』〖〗【】")
SYMMETRIC = {"cooperatesWith"}


def norm(text):
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace() and ch not in MARKS)


def keys(entity):
    out = {norm(entity.get("name", ""))}
    out.update(norm(a) for a in entity.get("aliases", []) or [])
    out.discard("")
    return out


def load(folder):
    docs = {}
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        name = data.get("doc") or path.stem
        docs[Path(name).stem] = data
    return docs


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def match_entities(gold, pred, typed):
    """One-to-one match, strongest evidence first; returns {pred_index: gold_index}.

    Phase 1 pairs equal names, phase 2 a name with an alias of the other side,
    phase 3 any shared alias, so that a short alias never takes a gold entity
    that another prediction names exactly.
    """
    def ok(pe, ge):
        return not typed or pe.get("type") == ge.get("type")

    pairs, used = {}, set()
    phases = (
        lambda pe, ge: norm(pe.get("name", "")) == norm(ge.get("name", "")),
        lambda pe, ge: norm(pe.get("name", "")) in keys(ge) or norm(ge.get("name", "")) in keys(pe),
        lambda pe, ge: bool(keys(pe) & keys(ge)),
    )
    for same in phases:
        for i, pe in enumerate(pred):
            if i in pairs:
                continue
            for j, ge in enumerate(gold):
                if j not in used and ok(pe, ge) and same(pe, ge):
                    pairs[i] = j
                    used.add(j)
                    break
    return pairs


def resolve(name, gold):
    k = norm(name)
    for j, ge in enumerate(gold):
        if k == norm(ge.get("name", "")):
            return j
    for j, ge in enumerate(gold):
        if k in keys(ge):
            return j
    return None


def rel_key(h, r, t):
    if r in SYMMETRIC and h is not None and t is not None and str(h) > str(t):
        h, t = t, h
    return (h, r, t)


def score(gold_docs, pred_docs, show_errors=False):
    by_type = defaultdict(lambda: [0, 0, 0])  # tp, pred, gold
    typed = [0, 0, 0]
    untyped = [0, 0, 0]
    rel = [0, 0, 0]
    urel = [0, 0, 0]
    rel_by_type = defaultdict(lambda: [0, 0, 0])
    meta = defaultdict(lambda: [0, 0])
    errors = []
    for doc, g in gold_docs.items():
        p = pred_docs.get(doc, {})
        ge, pe = g.get("entities", []), p.get("entities", []) or []
        for t in {e.get("type") for e in ge} | {e.get("type") for e in pe}:
            gt = [e for e in ge if e.get("type") == t]
            pt = [e for e in pe if e.get("type") == t]
            m = match_entities(gt, pt, typed=True)
            by_type[t][0] += len(m)
            by_type[t][1] += len(pt)
            by_type[t][2] += len(gt)
        m_typed = match_entities(ge, pe, typed=True)
        m_untyped = match_entities(ge, pe, typed=False)
        for acc, m in ((typed, m_typed), (untyped, m_untyped)):
            acc[0] += len(m)
            acc[1] += len(pe)
            acc[2] += len(ge)
        if show_errors:
            hit = set(m_untyped.values())
            for j, e in enumerate(ge):
                if j not in hit:
                    errors.append(f"{doc}\tmissed\t{e.get('type')}\t{e.get('name')}")
            for i, e in enumerate(pe):
                if i not in m_untyped:
                    errors.append(f"{doc}\tspurious\t{e.get('type')}\t{e.get('name')}")
                elif e.get("type") != ge[m_untyped[i]].get("type"):
                    errors.append(f"{doc}\twrong-type\t{e.get('type')}->{ge[m_untyped[i]].get('type')}\t{e.get('name')}")
        gr = {rel_key(resolve(r["head"], ge), r["relation"], resolve(r["tail"], ge)) for r in g.get("relations", [])}
        pr = set()
        for r in p.get("relations", []) or []:
            h, t = resolve(r.get("head", ""), ge), resolve(r.get("tail", ""), ge)
            pr.add(rel_key(h if h is not None else "?" + norm(r.get("head", "")), r.get("relation"),
                           t if t is not None else "?" + norm(r.get("tail", ""))))
        hits = gr & pr
        rel[0] += len(hits)
        rel[1] += len(pr)
        rel[2] += len(gr)
        for (h, r_, t) in gr:
            rel_by_type[r_][2] += 1
        for (h, r_, t) in pr:
            rel_by_type[r_][1] += 1
        for (h, r_, t) in hits:
            rel_by_type[r_][0] += 1
        gu = {frozenset((h, t)) for h, _, t in gr}
        pu = {frozenset((h, t)) for h, _, t in pr}
        urel[0] += len(gu & pu)
        urel[1] += len(pu)
        urel[2] += len(gu)
        if show_errors:
            names = {j: e["name"] for j, e in enumerate(ge)}
            for (h, r_, t) in sorted(gr - pr, key=str):
                errors.append(f"{doc}\tmissed-rel\t{names.get(h, h)} {r_} {names.get(t, t)}")
            for (h, r_, t) in sorted(pr - gr, key=str):
                errors.append(f"{doc}\tspurious-rel\t{names.get(h, h)} {r_} {names.get(t, t)}")
        for field in ("region", "date", "title", "author", "source"):
            if g.get(field):
                meta[field][1] += 1
                if norm(str(p.get(field) or "")) == norm(str(g[field])):
                    meta[field][0] += 1
    return {
        "by_type": {t: prf(*v) + tuple(v) for t, v in sorted(by_type.items(), key=lambda kv: str(kv[0]))},
        "typed": prf(*typed) + tuple(typed),
        "untyped": prf(*untyped) + tuple(untyped),
        "relations": prf(*rel) + tuple(rel),
        "relations_by_type": {t: prf(*v) + tuple(v) for t, v in sorted(rel_by_type.items(), key=lambda kv: str(kv[0]))},
        "untyped_relations": prf(*urel) + tuple(urel),
        "metadata": {k: (v[0] / v[1] if v[1] else None) for k, v in meta.items()},
        "errors": errors,
    }


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    gold_docs, pred_docs = load(args[0]), load(args[1])
    if not gold_docs:
        print(f"no gold files in {args[0]}", file=sys.stderr)
        return 2
    res = score(gold_docs, pred_docs, show_errors="--show-errors" in argv)
    if "--json" in argv:
        print(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        row = "{:<18} P={:.3f} R={:.3f} F1={:.3f}  (tp={} pred={} gold={})"
        for t, v in res["by_type"].items():
            print(row.format(str(t), *v))
        print(row.format("ENTITIES typed", *res["typed"]))
        print(row.format("ENTITIES untyped", *res["untyped"]))
        for t, v in res["relations_by_type"].items():
            print(row.format("rel " + str(t), *v))
        print(row.format("RELATIONS", *res["relations"]))
        print(row.format("RELATIONS untyped", *res["untyped_relations"]))
        for k, v in res["metadata"].items():
            print(f"metadata {k}: " + ("n/a" if v is None else f"{v:.2f}"))
        for e in res["errors"]:
            print(e)
    print("entity_f1={:.3f} typed_entity_f1={:.3f} relation_f1={:.3f} untyped_relation_f1={:.3f}".format(
        res["untyped"][2], res["typed"][2], res["relations"][2], res["untyped_relations"][2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
