#!/usr/bin/env python3
"""A yardstick for diacritic restoration: what local pair and triple evidence of the corpus gives.

For every syllable of a dev text (marks stripped), picks the reading that the shared corpus's
counts favour given the text's TRUE neighbours, one on each side: an oracle for the context,
which no restorer has (it must restore the neighbours too), but also blind to anything further
away, which the real model's chain sees. It says how much of the target local evidence from
this corpus can reach; `vnsearch restore --evaluate` reports the real model.

  python3 bench/restoration_yardstick.py --shared ../shared --text ../shared/eval/wordseg/dev.jsonl \
      --field text

Readings are every marked form of the same letters seen in the corpus; counts are over titles,
descriptions and bodies of every corpus file (lowercased, NFC). Takes about two minutes.
"""
import argparse
import collections
import json
import math
import os
import re
import subprocess
import sys
import unicodedata

WORD = re.compile(r"\w+")


def fold(text):  # ../shared/tools/unaccent.py
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def words(text):
    return [w.lower() for w in WORD.findall(unicodedata.normalize("NFC", text))]


def articles(shared):
    baomoi = os.path.join(shared, "corpus", "baomoi-2017.jsonl.zst")
    with subprocess.Popen(["zstdcat", baomoi], stdout=subprocess.PIPE) as reader:
        for line in reader.stdout:
            yield json.loads(line)
    for name in ("newsmds.jsonl", "vinewsqa-articles.jsonl"):
        with open(os.path.join(shared, "corpus", name), encoding="utf-8") as plain:
            for line in plain:
                yield json.loads(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--text", required=True, help="JSONL file of texts with marks")
    parser.add_argument("--field", default="text")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "corpus")):
        sys.exit(f"{args.shared}/corpus not found: give --shared")
    with open(args.text, encoding="utf-8") as source:
        texts = [words(json.loads(line)[args.field]) for line in source if line.strip()]

    corpus, unigrams = [], collections.Counter()
    for article in articles(args.shared):
        tokens = words(" ".join(str(article.get(k) or "") for k in ("title", "description", "body")))
        unigrams.update(tokens)
        corpus.append(tokens)
    readings = collections.defaultdict(set)
    for syllable in unigrams:
        readings[fold(syllable)].add(syllable)
    wanted, wanted_triples = set(), set()
    for text in texts:
        for i, syllable in enumerate(text):
            for reading in readings.get(fold(syllable), ()):
                if i > 0:
                    wanted.add((text[i - 1], reading))
                if i + 1 < len(text):
                    wanted.add((reading, text[i + 1]))
                if 0 < i < len(text) - 1:
                    wanted_triples.add((text[i - 1], reading, text[i + 1]))
    pairs, triples = collections.Counter(), collections.Counter()
    for tokens in corpus:
        for pair in zip(tokens, tokens[1:]):
            if pair in wanted:
                pairs[pair] += 1
        for triple in zip(tokens, tokens[1:], tokens[2:]):
            if triple in wanted_triples:
                triples[triple] += 1
    total = sum(unigrams.values())

    def accuracy(score):
        right = counted = 0
        for text in texts:
            for i, syllable in enumerate(text):
                choices = readings.get(fold(syllable))
                if not choices or syllable.isdigit():
                    continue
                counted += 1
                right += max(choices, key=lambda reading: score(text, i, reading)) == syllable
        return right / counted, counted

    def with_neighbours(prior):
        def score(text, i, reading):
            own = unigrams[reading] + 1
            value = math.log(own)
            if i > 0:
                value += math.log((pairs[(text[i - 1], reading)] + prior * own / total) / own)
            if i + 1 < len(text):
                after = unigrams[text[i + 1]] + 1
                value += math.log((pairs[(reading, text[i + 1])] + prior * after / total) / own)
            return value
        return score

    def with_triple(prior):
        pair_score = with_neighbours(prior)

        def score(text, i, reading):
            # The reading seen most often between the two true neighbours; pairs break ties.
            between = 0
            if 0 < i < len(text) - 1:
                between = triples[(text[i - 1], reading, text[i + 1])]
            return (between, pair_score(text, i, reading))
        return score

    share, counted = accuracy(lambda text, i, reading: unigrams[reading])
    print(f"{args.text}: {counted} syllables with a reading in the corpus")
    print(f"  commonest reading alone: {share:.2%}")
    for prior in (1, 10, 100):
        share, _ = accuracy(with_neighbours(prior))
        print(f"  both true neighbours' pair counts (prior {prior}): {share:.2%}")
    share, _ = accuracy(with_triple(100))
    print(f"  the triple of both true neighbours, then pairs (prior 100): {share:.2%}")


if __name__ == "__main__":
    main()
