#!/usr/bin/env python3
"""Where the relevant articles of a query set sit in vnsearch's ranking, deep.

Runs `vnsearch search --batch` with a deep limit (the re-ranker still re-ranks its usual top
hits; deeper hits keep Xapian's order) and prints, per variant (typed, unaccented), MRR@10,
R@10 and how many queries have their first relevant article at rank 1, 2-10, 11-70, 71-200,
201-1000 or not in the first 1000. Written for issue 14 (long questions of vinewsqa-dev):
misses in the re-ranked window are ordering mistakes; misses below it are retrieval misses.

  python3 bench/article_ranks.py --vnsearch build/vnsearch --db /tmp/s6-size-ib/vnsearch \
      --set ../shared/eval/vinewsqa-dev.jsonl [--variant typed|unaccented] [--limit-queries N] \
      [--half even|odd] [--ranks-out FILE]

VNSEARCH_RANKING in the environment is passed on, so knobs can be compared.
"""
import argparse
import json
import subprocess
import sys
import unicodedata
import zlib

BANDS = [(1, 1), (2, 10), (11, 70), (71, 200), (201, 1000)]


def fold(text):
    """tools/unaccent.py's folding: NFD, drop marks, đ -> d."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def ranks_of(args, queries, unaccented):
    lines = []
    for query in queries:
        text = fold(query["query"]) if unaccented else query["query"]
        lines.append(json.dumps({"qid": query["qid"], "query": text}, ensure_ascii=False))
    run = subprocess.run(
        [args.vnsearch, "search", "--db", args.db, "--limit", str(args.depth), "--batch", "-"],
        input="\n".join(lines) + "\n", capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        sys.exit(f"article_ranks: vnsearch search failed ({run.returncode}): {run.stderr[:500]}")
    answers = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    if len(answers) != len(queries):
        sys.exit(f"article_ranks: {len(answers)} answers for {len(queries)} queries")
    ranks = []
    for query, answer in zip(queries, answers):
        relevant = set(query["relevant"])
        ids = [hit["id"] for hit in answer.get("hits", [])]
        found = [i + 1 for i, hit in enumerate(ids) if hit in relevant]
        recall = len(set(ids[:10]) & relevant) / min(len(relevant), 10) if relevant else 0.0
        ranks.append((query["qid"], found[0] if found else None, recall))
    return ranks


def report(name, ranks):
    count = len(ranks)
    mrr = sum(1.0 / rank for _, rank, _ in ranks if rank is not None and rank <= 10) / count
    recall = sum(r for _, _, r in ranks) / count
    bands = []
    for low, high in BANDS:
        bands.append(sum(1 for _, rank, _ in ranks if rank is not None and low <= rank <= high))
    missing = sum(1 for _, rank, _ in ranks if rank is None)
    cells = " ".join(f"{low}-{high}:{n}" if low != high else f"{low}:{n}"
                     for (low, high), n in zip(BANDS, bands))
    print(f"{name}: {count} queries, MRR@10 {mrr:.3f}, R@10 {recall:.3f}; first relevant at "
          f"{cells} >1000:{missing}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vnsearch", default="build/vnsearch")
    parser.add_argument("--db", required=True)
    parser.add_argument("--set", required=True)
    parser.add_argument("--variant", choices=["typed", "unaccented", "both"], default="both")
    parser.add_argument("--depth", type=int, default=1000)
    parser.add_argument("--limit-queries", type=int, default=0)
    parser.add_argument("--half", choices=["even", "odd"],
                        help="only queries whose first relevant id's crc32 is even / odd")
    parser.add_argument("--ranks-out", help="write qid, variant, rank (0: past depth) lines")
    args = parser.parse_args()
    with open(args.set, encoding="utf-8") as file:
        queries = [json.loads(line) for line in file if line.strip()]
    if args.half:
        parity = 0 if args.half == "even" else 1
        queries = [q for q in queries
                   if zlib.crc32(q["relevant"][0].encode("utf-8")) % 2 == parity]
    if args.limit_queries:
        queries = queries[:args.limit_queries]
    out = open(args.ranks_out, "w", encoding="utf-8") if args.ranks_out else None
    for variant in (["typed", "unaccented"] if args.variant == "both" else [args.variant]):
        ranks = ranks_of(args, queries, variant == "unaccented")
        report(variant, ranks)
        if out:
            for qid, rank, _ in ranks:
                out.write(f"{qid}\t{variant}\t{rank or 0}\n")
    if out:
        out.close()


if __name__ == "__main__":
    main()
