#!/usr/bin/env python3
"""Writes copies 1..N-1 of the shared corpus's JSONL inputs for bench/growth.sh.

Copy k of a document gets the id `<id>~k` and lightly varied text: in every text field, every
fourth whitespace-separated syllable (those at index i with i % 4 == k % 4) is replaced by the
syllable seven places further on in the same field (wrapping round). The vocabulary and the
term statistics of the archive stay those of real news, but every 4-syllable shingle of the
copy differs from the original's, so the indexer's MinHash story detection (4-syllable
shingles) does not fold the copies into the original's story.

Usage: growth_copies.py SHARED_DIR COPIES OUT_DIR   (writes OUT_DIR/copy-K.jsonl, K = 1..COPIES-1)
"""
import json
import os
import subprocess
import sys

TEXT_FIELDS = ("title", "description", "body")


def vary(text, k):
    words = text.split(" ")
    n = len(words)
    if n < 2:
        return text
    out = list(words)
    for i in range(k % 4, n, 4):
        out[i] = words[(i + 7 + k) % n]
    return " ".join(out)


def documents(shared):
    corpus = os.path.join(shared, "corpus")
    with subprocess.Popen(["zstdcat", os.path.join(corpus, "baomoi-2017.jsonl.zst")],
                          stdout=subprocess.PIPE, text=True, encoding="utf-8") as zstd:
        for line in zstd.stdout:
            yield line
    for name in ("newsmds.jsonl", "vinewsqa-articles.jsonl"):
        with open(os.path.join(corpus, name), encoding="utf-8") as f:
            yield from f


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    shared, copies, out_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out_dir, exist_ok=True)
    outputs = {k: open(os.path.join(out_dir, f"copy-{k}.jsonl"), "w", encoding="utf-8")
               for k in range(1, copies)}
    for line in documents(shared):
        line = line.strip()
        if not line:
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError:
            continue  # the indexer reports bad lines of the original; copies just skip them
        if not isinstance(doc, dict) or "id" not in doc:
            continue
        for k, out in outputs.items():
            copy = dict(doc)
            copy["id"] = f"{doc['id']}~{k}"
            for field in TEXT_FIELDS:
                if isinstance(doc.get(field), str):
                    copy[field] = vary(doc[field], k)
            out.write(json.dumps(copy, ensure_ascii=False) + "\n")
    for out in outputs.values():
        out.close()


if __name__ == "__main__":
    main()
