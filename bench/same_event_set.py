#!/usr/bin/env python3
"""Writes the same-event query set of issue 14 as eval JSONL ({"qid", "query", "relevant"}).

For every article of every cluster in ../shared/eval/newsmds-clusters-dev.jsonl the query is the
article's lead and the relevant documents are the other articles of its cluster. The article
itself is listed under "exclude": it is neither relevant nor a miss (its lead finds it first in
any good engine), and bench/eval drops it from the hits before scoring, as a "more like this"
list would. tools/score.py ignores the extra field; on eval's --write-results output (written
after the drop) it gives the same figures.

The lead, exactly: the article's `description` (its `body` when the description is empty), with
a trailing publisher tag (" - VnExpress.", " - Ngoisao.net") and a trailing ellipsis cut off,
split into sentences after '.', '!' or '?' followed by white space; the first sentence, plus the
following ones while the lead has fewer than 12 words (a dateline or a 4-word teaser alone says
too little to name the event). Articles whose lead is empty are left out.

Usage: same_event_set.py [--shared DIR] > same-event-dev.jsonl
The output is generated data from ../shared: write it to a temporary file, never commit it.
"""
import argparse
import json
import os
import re
import sys

MIN_WORDS = 12
PUBLISHER_TAG = re.compile(r"\s+-\s+[\w.]+\.(?:net|vn|com)?\.?\s*$|\s+-\s+VnExpress\.?\s*$")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def lead(article):
    text = (article.get("description") or "").strip() or (article.get("body") or "").strip()
    text = PUBLISHER_TAG.sub("", text)
    text = re.sub(r"\s*(\.\.\.|…)\s*$", "", text).strip()
    words = []
    for sentence in SENTENCE_END.split(text):
        words.extend(sentence.split())
        if len(words) >= MIN_WORDS:
            break
    return " ".join(words)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_shared = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared")
    parser.add_argument("--shared", default=default_shared)
    args = parser.parse_args()
    with open(os.path.join(args.shared, "corpus", "newsmds.jsonl"), encoding="utf-8") as f:
        articles = {a["id"]: a for a in map(json.loads, f)}
    clusters_file = os.path.join(args.shared, "eval", "newsmds-clusters-dev.jsonl")
    written = 0
    with open(clusters_file, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            cluster = json.loads(line)
            for doc in cluster["docs"]:
                if doc not in articles:
                    sys.exit(f"same_event_set: {clusters_file}: {doc} is not in newsmds.jsonl")
                query = lead(articles[doc])
                others = [d for d in cluster["docs"] if d != doc]
                if not query or not others:
                    continue
                print(json.dumps({"qid": doc, "query": query, "relevant": others,
                                  "exclude": [doc]}, ensure_ascii=False))
                written += 1
    print(f"same_event_set: {written} queries", file=sys.stderr)


if __name__ == "__main__":
    main()
