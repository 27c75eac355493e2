#!/usr/bin/env python3
"""Writes seed inputs for the fuzz targets (fuzz/) from the bundled corpus and, when present,
../shared: article bodies for the analyzer, JSONL lines and pages for the readers, dates, and the
dev queries for search and the HTTP layer. Seeds are generated at run time, never committed: the corpora stay
where they are.

usage: fuzz_seeds.py OUT_DIR
"""
import json
import os
import sys
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def write(out, target, name, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def jsonl(path, limit):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f):
            if number >= limit:
                break
            yield line.rstrip("\n")


def main():
    out = sys.argv[1]
    sample = os.path.join(ROOT, "corpus", "news-sample.jsonl")
    for i, line in enumerate(jsonl(sample, 150)):
        record = json.loads(line)
        body = (record.get("title", "") + "\n" + record.get("body", ""))[:4000]
        write(out, "analyzer", f"body-{i}", bytes([i % 7]) + body.encode())
        write(out, "readers", f"jsonl-{i}", b"\x00" + line[:8000].encode() + b"\n")
        if record.get("date"):
            write(out, "dates", f"date-{i}", record["date"].encode())
    portal = os.path.join(ROOT, "corpus", "portal", "ca-brvt-cum-thi-dua-so-8.txt")
    with open(portal, "rb") as f:
        write(out, "readers", "portal", b"\x01" + f.read())
    write(out, "readers", "html", b"\x02<html><head><title>Thi \xc4\x91ua</title>"
          b"<meta property=\"article:published_time\" content=\"2020-11-16T08:30:00+07:00\">"
          b"</head><body><h1>C\xe1\xbb\xa5m thi \xc4\x91ua</h1><article><p>N\xe1\xbb\x99i dung"
          b"</p></article></body></html>")
    queries = []
    eval_dir = os.path.join(SHARED, "eval")
    if os.path.isdir(eval_dir):
        for name in ("vinewsqa-dev.jsonl", "short-phrases-dev.jsonl", "titles-dev.jsonl"):
            path = os.path.join(eval_dir, name)
            if os.path.exists(path):
                queries += [json.loads(l).get("query", "") for l in jsonl(path, 150)]
    else:
        print("fuzz_seeds: ../shared absent: search seeds from the regressions only")
    for i, query in enumerate(q for q in queries if q):
        write(out, "search", f"query-{i}", bytes([i % 256]) + query.encode())
    # http_request: byte 0 mod 4 picks the path (0/1 a query string, 2 an admin JSONL body, 3 an
    # id to delete); bit 2 sends the right token (fuzz/fuzz_http_request.cpp).
    for i, query in enumerate(q for q in queries[:100] if q):
        params = {"q": query, "page": str(1 + i % 5), "per_page": str(10 * (1 + i % 3)),
                  "sort": ("relevance", "date")[i % 2], "facets": "1"}
        target = urllib.parse.urlencode(params) + ("&source=B%C3%A1o+A" if i % 3 == 0 else "")
        write(out, "http_request", f"query-{i}", bytes([i % 2]) + target.encode())
    for i, line in enumerate(jsonl(sample, 20)):
        write(out, "http_request", f"admin-{i}", b"\x06" + line[:4000].encode() + b"\n")
        record = json.loads(line)
        write(out, "http_request", f"delete-{i}", b"\x07" + record["id"].encode())
    print(f"fuzz_seeds: wrote seeds to {out}")


if __name__ == "__main__":
    main()
