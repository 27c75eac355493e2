#!/usr/bin/env python3
"""Where the unaccented queries of a set lose MRR@10: split by how many syllables restoration got wrong.

Reads the per-query top 10 that `bench/eval --write-results DIR` wrote for the set as typed and
unaccented, restores every unaccented query with `vnsearch restore` on the same index, and
compares each restored syllable with the query as typed:

  ./build/bench/eval --workdir W --engine vnsearch --set vinewsqa-dev.jsonl --write-results /tmp/r
  python3 bench/restoration_loss.py --results /tmp/r --set ../shared/eval/vinewsqa-dev.jsonl \
      --db W/vnsearch --vnsearch build/vnsearch
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import unicodedata

WORD = re.compile(r"\w+")


def reciprocal_ranks(path, relevant):
    ranks = {}
    with open(path, encoding="utf-8") as results:
        for line in results:
            row = json.loads(line)
            ranks[row["qid"]] = next((1 / (i + 1) for i, hit in enumerate(row["hits"][:10])
                                      if hit["id"] in relevant[row["qid"]]), 0.0)
    return ranks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", required=True, help="bench/eval --write-results DIR")
    parser.add_argument("--set", required=True, help="the query set (JSONL, as typed)")
    parser.add_argument("--db", required=True, help="the vnsearch index the eval searched")
    parser.add_argument("--vnsearch", default="build/vnsearch")
    parser.add_argument("--engine", default="vnsearch")
    args = parser.parse_args()
    name = os.path.splitext(os.path.basename(args.set))[0]
    with open(args.set, encoding="utf-8") as source:
        queries = [json.loads(line) for line in source if line.strip()]
    relevant = {query["qid"]: set(query["relevant"]) for query in queries}
    unaccented = {}
    with open(os.path.join(args.results, f"queries.{name}.unaccented.jsonl"), encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            unaccented[row["qid"]] = row["query"]
    typed = reciprocal_ranks(os.path.join(args.results, f"{args.engine}.{name}.typed.jsonl"), relevant)
    plain = reciprocal_ranks(os.path.join(args.results, f"{args.engine}.{name}.unaccented.jsonl"),
                             relevant)
    restored = subprocess.run([args.vnsearch, "restore", "--db", args.db], check=True, text=True,
                              capture_output=True,
                              input="\n".join(unaccented[q["qid"]] for q in queries) + "\n")
    lines = restored.stdout.split("\n")
    if len(lines) < len(queries):
        sys.exit(f"vnsearch restore gave {len(lines)} lines for {len(queries)} queries")
    groups = collections.defaultdict(lambda: [0, 0.0, 0.0])
    for query, line in zip(queries, lines):
        want = [w.lower() for w in WORD.findall(unicodedata.normalize("NFC", query["query"]))]
        got = line.split()
        if len(want) != len(got):
            group = "syllables not aligned"
        else:
            wrong = sum(a != b for a, b in zip(want, got))
            group = "all restored right" if wrong == 0 else ("one wrong" if wrong == 1 else "two or more wrong")
        groups[group][0] += 1
        groups[group][1] += typed.get(query["qid"], 0.0)
        groups[group][2] += plain.get(query["qid"], 0.0)
    print(f"| {name} | questions | MRR@10 typed | unaccented | share of the set's loss |")
    print("|---|---:|---:|---:|---:|")
    total_loss = sum(g[1] - g[2] for g in groups.values()) or 1.0
    for group, (count, typed_sum, plain_sum) in sorted(groups.items(), key=lambda g: -g[1][0]):
        print(f"| {group} | {count} | {typed_sum / count:.3f} | {plain_sum / count:.3f} | "
              f"{(typed_sum - plain_sum) / total_loss:.0%} |")


if __name__ == "__main__":
    main()
