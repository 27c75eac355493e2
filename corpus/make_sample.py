#!/usr/bin/env python3
"""Rebuilds corpus/news-sample.jsonl from the shared corpora, byte for byte.

Usage (from the project root):  python3 corpus/make_sample.py [--shared ../shared]

Selection (deterministic, no randomness):
  * newsmds.jsonl: articles with a non-null date; from each of the event clusters (the NNN in
    "newsmds-NNN-k") the first 3 dated articles in file order, plus every dated article whose
    source is not VnExpress, so the sample spans all clusters and all sources.
  * baomoi-2017.jsonl.zst: 200 articles spread evenly through the file: record number
    i * (total // 200) for i = 0..199, moving on to the next record when that one has an empty
    title or body. They have no date; they add other publishers' writing.
Lines are copied verbatim (original ids and fields). Nothing is read from vinewsqa-articles.jsonl:
it is for research use only and must not be redistributed.
"""
import argparse
import collections
import json
import pathlib
import re
import subprocess

PER_CLUSTER = 3
BAOMOI_COUNT = 200


def newsmds_lines(path):
    taken = []
    per_cluster = collections.Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            article = json.loads(line)
            if not article.get("date"):
                continue
            cluster = re.match(r"newsmds-(\d+)-", article["id"]).group(1)
            if per_cluster[cluster] < PER_CLUSTER or article.get("source") != "VnExpress":
                per_cluster[cluster] += 1
                taken.append(line.rstrip("\n"))
    return taken


def baomoi_lines(path):
    text = subprocess.run(["zstd", "-dc", str(path)], check=True, capture_output=True).stdout
    lines = text.decode("utf-8").splitlines()
    step = len(lines) // BAOMOI_COUNT
    taken = []
    for i in range(BAOMOI_COUNT):
        k = i * step
        while k < len(lines):
            article = json.loads(lines[k])
            if article.get("title") and article.get("body"):
                taken.append(lines[k])
                break
            k += 1
    return taken


def main():
    here = pathlib.Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=pathlib.Path, default=here.parent.parent / "shared")
    args = parser.parse_args()
    corpus = args.shared / "corpus"
    lines = newsmds_lines(corpus / "newsmds.jsonl") + baomoi_lines(corpus / "baomoi-2017.jsonl.zst")
    out = here / "news-sample.jsonl"
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"{out}: {len(lines)} articles, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
