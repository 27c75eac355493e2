#!/usr/bin/env python3
"""Related articles and story collapsing measured on the newsmds event clusters.

For every article of ../shared/eval/newsmds-clusters-dev.jsonl that is in the index, runs
`vnsearch related --format json` and scores:

- related list: precision@5 and recall@10 (R@10 = relevant in the top 10 / min(relevant, 10),
  as in ../shared/tools/score.py) with the other members of the article's cluster as the
  relevant set. "strict" keeps the article's own near-duplicate copies in the relevant set
  although they are listed apart (`copies`), never among the hits; "copies apart" leaves them
  out of it.
- collapsing: pairwise precision and recall over all pairs of evaluated articles. A pair is
  predicted when one is among the other's copies (one story key); a true pair is one labelled
  `dup` in the labels file (bench/duplicates-dev.tsv, written by inspection: see
  bench/README.md).

Only this script reads the cluster file; the indexer and ranker never do.
"""
import argparse
import itertools
import json
import subprocess
import sys


def related(binary, db, doc_id, collapse):
    args = [binary, "related", "--db", db, "--format", "json", "--limit", "10", doc_id]
    if not collapse:
        args.insert(2, "--no-collapse")
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"vnsearch related failed for {doc_id}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def load_labels(path):
    true_pairs, labelled = set(), set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            a, b, label = line.rstrip("\n").split("\t")[:3]
            pair = tuple(sorted((a, b)))
            labelled.add(pair)
            if label == "dup":
                true_pairs.add(pair)
    return true_pairs, labelled


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default="build/vnsearch")
    parser.add_argument("--db", required=True)
    parser.add_argument("--clusters", default="../shared/eval/newsmds-clusters-dev.jsonl")
    parser.add_argument("--labels", default="bench/duplicates-dev.tsv")
    parser.add_argument("--no-collapse", action="store_true",
                        help="score the related list with every copy as its own hit")
    parser.add_argument("--misses", action="store_true", help="print collapsing errors")
    args = parser.parse_args()

    clusters = [json.loads(line) for line in open(args.clusters, encoding="utf-8")]
    cluster_of = {d: c["cluster"] for c in clusters for d in c["docs"]}
    answers = {}
    for doc in cluster_of:
        answer = related(args.binary, args.db, doc, not args.no_collapse)
        if answer.get("found"):
            answers[doc] = answer
    evaluated = sorted(answers)

    sums = {"strict": [0.0, 0.0], "apart": [0.0, 0.0]}
    counted = 0
    for doc, answer in answers.items():
        hits = [h["id"] for h in answer["hits"]]
        copies = {c["id"] for c in answer["copies"]}
        members = {d for d in evaluated if cluster_of[d] == cluster_of[doc] and d != doc}
        if not members:
            continue
        counted += 1
        for name, relevant in (("strict", members), ("apart", members - copies)):
            if not relevant:
                sums[name][0] += sum(1 for h in hits[:5] if h in members) / 5
                sums[name][1] += 1.0  # nothing left to find: the list cannot miss
                continue
            sums[name][0] += sum(1 for h in hits[:5] if h in relevant) / 5
            sums[name][1] += sum(1 for h in hits[:10] if h in relevant) / min(len(relevant), 10)

    predicted = set()
    for doc, answer in answers.items():
        for copy in answer["copies"]:
            if copy["id"] in answers:
                predicted.add(tuple(sorted((doc, copy["id"]))))
    true_pairs, labelled = load_labels(args.labels)
    true_pairs = {p for p in true_pairs if p[0] in answers and p[1] in answers}
    unlabelled = predicted - labelled
    hit = predicted & true_pairs
    precision = len(hit) / len(predicted) if predicted else 1.0
    recall = len(hit) / len(true_pairs) if true_pairs else 1.0

    print(f"articles evaluated: {len(evaluated)} in {len({cluster_of[d] for d in evaluated})} "
          f"clusters ({counted} with another member); related list "
          f"{'without' if args.no_collapse else 'with'} collapsing")
    for name, label in (("strict", "strict"), ("apart", "copies apart")):
        print(f"related {label:13s} P@5 {sums[name][0] / counted:.3f}  "
              f"R@10 {sums[name][1] / counted:.3f}")
    print(f"collapsing: {len(predicted)} predicted pairs, {len(true_pairs)} true pairs, "
          f"{len(hit)} both: pairwise precision {precision:.3f} recall {recall:.3f}")
    if unlabelled:
        print(f"warning: {len(unlabelled)} predicted pairs are not in {args.labels} "
              f"(counted as not duplicates): {sorted(unlabelled)[:10]}")
    if args.misses:
        for pair in sorted(predicted - true_pairs):
            print("false pair:", *pair)
        for pair in sorted(true_pairs - predicted):
            print("missed pair:", *pair)


if __name__ == "__main__":
    main()
