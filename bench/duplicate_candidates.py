#!/usr/bin/env python3
"""Candidate duplicate pairs among the articles of the newsmds dev clusters, with the labels
given after reading them: writes bench/duplicates-dev.tsv (to stdout).

Independent of vnsearch: word 4-shingles of title + description + body (NFC, lower case, \\w+
runs), exact Jaccard and containment of every pair of evaluated articles, within and across
clusters. Pairs with Jaccard >= 0.1 or containment >= 0.3 are candidates. The labels come from
three rules checked against the pairs as read (bench/README.md) and the by-hand overrides below.

    python3 bench/duplicate_candidates.py > bench/duplicates-dev.tsv
"""
import itertools
import json
import re
import sys
import unicodedata

SHARED = sys.argv[1] if len(sys.argv) > 1 else "../shared"
docs = {}
for line in open(f"{SHARED}/corpus/newsmds.jsonl", encoding="utf-8"):
    d = json.loads(line)
    docs[d["id"]] = d
clusters = [json.loads(l) for l in open(f"{SHARED}/eval/newsmds-clusters-dev.jsonl", encoding="utf-8")]


def shingles(d):
    text = " ".join([d.get("title") or "", d.get("description") or "", d.get("body") or ""])
    w = re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())
    return set(tuple(w[i:i + 4]) for i in range(len(w) - 3))


def norm_title(t):
    t = unicodedata.normalize("NFC", t).lower()
    t = re.sub(r"\s*(\.\.\.|…)\s*$", "", t)
    t = re.sub(r"\s+-\s+(vnexpress|ngôi sao|ngoisao|cafe bệt).*$", "", t)
    t = re.sub(r"^nghe podcasts \| ", "", t)
    return re.sub(r"\W+", " ", t).strip()


def same_title(a, b):
    x, y = norm_title(a), norm_title(b)
    return x == y or (min(len(x), len(y)) >= 20 and (x.startswith(y) or y.startswith(x)))


# Pairs the rules get wrong, decided by reading them.
MANUAL = {
    ("newsmds-037-5", "newsmds-037-8"): ("dup", "same TTXVN text reprinted under another title and lead"),
    ("newsmds-039-1", "newsmds-039-4"): ("dup", "Vietnam.vn reprint of the VnExpress article, title reworded"),
    ("newsmds-039-2", "newsmds-039-4"): ("dup", "Vietnam.vn reprint of the VnExpress article, title reworded"),
    ("newsmds-044-1", "newsmds-044-4"): ("not", "baochinhphu.vn rewrite from another source, some sentences shared"),
    ("newsmds-044-2", "newsmds-044-4"): ("not", "baochinhphu.vn rewrite from another source, some sentences shared"),
}

ids = sorted({i for c in clusters for i in c["docs"] if i in docs})
sets = {i: shingles(docs[i]) for i in ids}
rows = []
for a, b in itertools.combinations(ids, 2):
    shared = len(sets[a] & sets[b])
    j = shared / max(1, len(sets[a] | sets[b]))
    c = shared / max(1, min(len(sets[a]), len(sets[b])))
    if j >= 0.1 or c >= 0.3:
        rows.append((j, c, a, b))
rows.sort(reverse=True)
print("# pair\tlabel\tnote. Candidates: every pair of the 468 evaluated articles (within and across "
      "clusters) with word 4-shingle Jaccard >= 0.1 or containment >= 0.3, computed independently "
      "of vnsearch; labelled by reading them (bench/README.md)")
for j, c, a, b in rows:
    A, B = docs[a], docs[b]
    key = tuple(sorted((a, b)))
    if key in MANUAL:
        label, note = MANUAL[key]
    elif j >= 0.85:
        label, note = "dup", f"same text (inspected: every pair this close is one article; {A['source']} / {B['source']})"
    elif "lính biên phòng" in A["title"].lower() and "lính biên phòng" in B["title"].lower() and c >= 0.5:
        label, note = "dup", f"reprint with the title reworded ({A['source']} / {B['source']})"
    elif same_title(A["title"], B["title"]) and c >= 0.5:
        label, note = "dup", f"same article, re-scraped, syndicated or cut to a teaser ({A['source']} / {B['source']})"
    else:
        label, note = "not", "separate write-up or a different page (homepage, video list, tag page)"
    print(f"{a}\t{b}\t{label}\tJ={j:.2f} C={c:.2f} {note}")
