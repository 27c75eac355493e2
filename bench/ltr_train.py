#!/usr/bin/env python3
"""Learning to rank for vnsearch's re-ranker, trained offline on feature dumps of the dev sets.

1. Dump (one file per set; the eval runs the set as typed and unaccented):
     VNSEARCH_FEATURE_DUMP=/tmp/ltr/vinewsqa.jsonl nice -n 5 ./build/bench/eval \
         --workdir /tmp/s5-eval --engine vnsearch --set vinewsqa-dev.jsonl
2. Train and cross-validate (5 folds grouped by article / cluster, so the typed and unaccented
   forms of one question and the questions of one article stay in one fold):
     /usr/bin/python3 bench/ltr_train.py --dump vinewsqa-dev.jsonl=/tmp/ltr/vinewsqa.jsonl \
         --dump titles-dev.jsonl=/tmp/ltr/titles.jsonl ... [--xgboost] [--write MODEL]

The candidates are the re-ranked hits of each query's first reading (rerank depth 70), with the
features of query/src/rerank_features.h. MRR@10 is score.py's, on those candidates: a query
whose relevant article is not among them counts 0 for every ranker. Compared: the hand-tuned
formula of searcher.cpp, a linear model per query kind learned by coordinate ascent (no
dependency; the one vnsearch can read, query/src/rerank_model.h), and XGBoost rank:ndcg /
rank:pairwise when --xgboost is given (Debian's python3-xgboost, for /usr/bin/python3).
"""
import argparse
import json
import os
import random
import re
import sys
import unicodedata
from collections import defaultdict

import numpy as np

FEATURES = ["xapian_weight", "relative_weight", "reciprocal_rank", "adjacent_pairs",
            "adjacent_share", "title_coverage", "title_match", "best_window", "window_share",
            "unit_coverage", "short_title"]
F = len(FEATURES)
RANKING_H = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "query", "src", "ranking.h")


def ranking_default(name):
    """A default of RankingParameters, read from ranking.h so the baseline follows the code."""
    with open(RANKING_H, encoding="utf-8") as header:
        found = re.search(r"\b" + name + r"\s*=\s*([0-9.]+)\s*;", header.read())
    if not found:
        sys.exit(f"{RANKING_H}: no default for RankingParameters::{name}")
    return float(found.group(1))


SHORT_QUERY_UNITS = int(ranking_default("short_query_units"))
DEPTH = int(ranking_default("rerank_depth"))
KINDS = ["short", "long"]


def fold_text(s):  # ../shared/tools/unaccent.py
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in s if unicodedata.category(c) != "Mn"))


def hand_weights():
    """searcher.cpp's formula as a linear model per kind, with ranking.h's defaults."""
    w = np.zeros((len(KINDS), F))
    for k in range(len(KINDS)):
        w[k, FEATURES.index("xapian_weight")] = 1.0
        w[k, FEATURES.index("adjacent_pairs")] = ranking_default("adjacent_pair_bonus")
        w[k, FEATURES.index("title_coverage")] = ranking_default("title_coverage_bonus")
        w[k, FEATURES.index("title_match")] = ranking_default("title_match_bonus")
    w[KINDS.index("long"), FEATURES.index("best_window")] = ranking_default("passage_bonus")
    return w


def group_key(set_name, qid, relevant):
    if qid.startswith("newsmds-"):
        return set_name + ":" + qid.rsplit("-", 1)[0]  # one cluster
    return set_name + ":" + (relevant[0] if relevant else qid)  # one article


def load(set_path, dump_path):
    """Queries of one set (typed and unaccented) with their candidates: a list of dicts."""
    set_name = set_path.rsplit("/", 1)[-1].replace(".jsonl", "")
    candidates = defaultdict(dict)  # text -> rank -> (id, features, units)
    with open(dump_path, encoding="utf-8") as dump:
        for line in dump:
            row = json.loads(line)
            if row["r"] != 0:
                continue
            candidates[row["q"]].setdefault(row["rank"], (row["id"], row["f"], row["n"], row["bare"]))
    queries = []
    with open(set_path, encoding="utf-8") as qfile:
        for line in qfile:
            if not line.strip():
                continue
            q = json.loads(line)
            for variant, text in (("typed", q["query"]), ("unaccented", fold_text(q["query"]))):
                found = candidates.get(text, {})
                exclude = set(q.get("exclude", []))
                rows = [found[r] for r in sorted(found) if found[r][0] not in exclude]
                units = rows[0][2] if rows else 0
                bare = float(rows[0][3]) if rows else 0.0
                queries.append({
                    "set": set_name, "variant": variant, "qid": q["qid"],
                    "group": group_key(set_name, q["qid"], q["relevant"]),
                    "kind": 1 if units > SHORT_QUERY_UNITS else 0,
                    "query_features": [float(units), bare],  # for trees: what kind of query
                    "x": np.array([r[1] for r in rows], dtype=float).reshape(-1, F),
                    "y": np.array([1.0 if r[0] in set(q["relevant"]) else 0.0 for r in rows]),
                })
    return queries


class Batch:
    """Queries padded to DEPTH candidates, for fast scoring of linear models."""

    def __init__(self, queries):
        n = len(queries)
        self.x = np.zeros((n, DEPTH, F))
        self.y = np.zeros((n, DEPTH), dtype=bool)
        self.valid = np.zeros((n, DEPTH), dtype=bool)
        self.kind = np.array([q["kind"] for q in queries], dtype=int)
        self.weight = np.ones(n)
        for i, q in enumerate(queries):
            m = min(len(q["y"]), DEPTH)
            self.x[i, :m] = q["x"][:m]
            self.y[i, :m] = q["y"][:m] > 0
            self.valid[i, :m] = True
        self.order = np.arange(DEPTH)[None, :]

    def reciprocal_ranks(self, scores):
        """score.py's reciprocal rank per query; ties keep Xapian's order (stable sort)."""
        s = np.where(self.valid, scores, -np.inf)
        rel = np.where(self.y, s, -np.inf)
        best = rel.max(axis=1)
        has = np.isfinite(best)
        at = np.argmax(self.y & (s == best[:, None]), axis=1)
        above = (s > best[:, None]).sum(axis=1) + ((s == best[:, None]) & (self.order < at[:, None])).sum(axis=1)
        return np.where(has & (above < 10), 1.0 / (above + 1), 0.0)

    def linear_scores(self, w):
        return np.einsum("qdf,qf->qd", self.x, w[self.kind])

    def mrr(self, w):
        return float((self.reciprocal_ranks(self.linear_scores(w)) * self.weight).sum() / self.weight.sum())


def coordinate_ascent(batch, start, rounds=4):
    """Greedy per-weight line search over a multiplicative and additive grid, weights kept >= 0
    (every feature is evidence for relevance, and the freshness multiplier needs a score > 0)."""
    w = start.copy()
    best = batch.mrr(w)
    for _ in range(rounds):
        improved = False
        for k in range(len(KINDS)):
            if not (batch.kind == k).any():
                continue
            for f in range(F):
                current = w[k, f]
                trials = {current * m for m in (0, 0.25, 0.5, 0.7, 0.85, 1.2, 1.4, 2, 4)}
                trials |= {current + a for a in (0.25, 0.5, 1, 2, 4, 8)}
                for value in sorted(trials):
                    if value < 0 or value == current:
                        continue
                    w[k, f] = value
                    score = batch.mrr(w)
                    if score > best + 1e-6:
                        best, current, improved = score, value, True
                    w[k, f] = current
        if not improved:
            break
    return w, best


def balance(batch, queries):
    """Each set (and variant) weighs the same in the objective, whatever its size."""
    counts = defaultdict(int)
    for q in queries:
        counts[(q["set"], q["variant"])] += 1
    batch.weight = np.array([1.0 / counts[(q["set"], q["variant"])] for q in queries])


def report(title, queries, rr):
    by = defaultdict(list)
    for q, r in zip(queries, rr):
        by[(q["set"], q["variant"])].append(r)
    cells = [f"{s} {v} {np.mean(r):.3f}" for (s, v), r in sorted(by.items())]
    print(f"{title:28s} " + " | ".join(cells))
    return {k: float(np.mean(r)) for k, r in by.items()}


def folds_of(queries, k, seed):
    groups = sorted({q["group"] for q in queries})
    random.Random(seed).shuffle(groups)
    fold = {g: i % k for i, g in enumerate(groups)}
    return np.array([fold[q["group"]] for q in queries])


def with_query_features(q):
    return np.hstack([q["x"], np.tile(q["query_features"], (len(q["y"]), 1))])


def xgboost_cv(queries, fold, objective, seed):
    import xgboost as xgb
    out = np.zeros(len(queries))
    for k in range(fold.max() + 1):
        train = [q for q, f in zip(queries, fold) if f != k and len(q["y"])]
        x = np.vstack([with_query_features(q) for q in train])
        y = np.concatenate([q["y"] for q in train])
        group = [len(q["y"]) for q in train]
        dtrain = xgb.DMatrix(x, label=y)
        dtrain.set_group(group)
        params = {"objective": objective, "eta": 0.1, "max_depth": 4, "min_child_weight": 5,
                  "tree_method": "hist",
                  "subsample": 0.8, "colsample_bytree": 0.8, "eval_metric": "ndcg@10",
                  "seed": seed, "nthread": 1}
        booster = xgb.train(params, dtrain, num_boost_round=100)
        tested = [i for i, (q, f) in enumerate(zip(queries, fold)) if f == k and len(q["y"])]
        predicted = booster.predict(xgb.DMatrix(np.vstack([with_query_features(queries[i]) for i in tested])))
        at = 0
        for i in tested:
            q = queries[i]
            s = predicted[at:at + len(q["y"])]
            at += len(q["y"])
            order = np.argsort(-s, kind="stable")
            hits = np.nonzero(q["y"][order][:10])[0]
            out[i] = 1.0 / (hits[0] + 1) if len(hits) else 0.0
    return out


def write_model(path, w, note):
    with open(path, "w", encoding="utf-8") as out:
        out.write("# vnsearch linear re-ranking model (bench/ltr_train.py); " + note + "\n")
        out.write("# <query kind> <feature> <weight>: score = sum of weight x feature for the\n")
        out.write(f"# kind of the query (long: more than {SHORT_QUERY_UNITS} units)\n")
        out.write("vnsearch-rerank-linear 1\n")
        for k, kind in enumerate(KINDS):
            for f, name in enumerate(FEATURES):
                if w[k, f] != 0:
                    out.write(f"{kind} {name} {w[k, f]:.6g}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dump", action="append", required=True, help="SET=DUMP (SET a path or a name under --shared/eval)")
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--xgboost", action="store_true")
    parser.add_argument("--write", help="train on everything and write the linear model here")
    parser.add_argument("--skip-cv", action="store_true", help="no cross-validation (with --write)")
    args = parser.parse_args()

    queries = []
    for item in args.dump:
        set_path, dump_path = item.split("=", 1)
        if "/" not in set_path:
            set_path = f"{args.shared}/eval/{set_path}"
        queries += load(set_path, dump_path)
    print(f"{len(queries)} queries, {sum(len(q['y']) for q in queries)} candidates", file=sys.stderr)

    batch = Batch(queries)
    balance(batch, queries)
    hand = hand_weights()
    report("hand-tuned", queries, batch.reciprocal_ranks(batch.linear_scores(hand)))
    report("xapian only", queries, batch.reciprocal_ranks(batch.x[:, :, 0]))

    fold = folds_of(queries, args.folds, args.seed)
    cv = np.zeros(len(queries))
    for k in range(0 if args.skip_cv else args.folds):
        train = fold != k
        sub = [q for q, t in zip(queries, train) if t]
        b = Batch(sub)
        balance(b, sub)
        w, _ = coordinate_ascent(b, hand)
        test = Batch([q for q, t in zip(queries, train) if not t])
        cv[~train] = test.reciprocal_ranks(test.linear_scores(w))
    if not args.skip_cv:
        report("linear CV", queries, cv)

    if args.xgboost:
        for objective in ("rank:ndcg", "rank:pairwise"):
            report(f"xgboost {objective} CV", queries, xgboost_cv(queries, fold, objective, args.seed))

    if args.write:
        w, best = coordinate_ascent(batch, hand)
        report("linear (all, in-sample)", queries, batch.reciprocal_ranks(batch.linear_scores(w)))
        write_model(args.write, w, f"balanced in-sample MRR@10 {best:.4f}")
        print("wrote", args.write, file=sys.stderr)


if __name__ == "__main__":
    main()
