#!/usr/bin/env python3
""""Did you mean" on generated misspellings (issue 10).

Each title of titles-dev (and each of the first N questions of vinewsqa-dev, held out from any
tuning) gets one misspelling per rule, applied to one syllable picked at random with a fixed seed:
Telex and VNI keys left in, VIQR, a confused initial or final (d/gi/r, ch/tr, s/x, l/n, n/ng, c/t,
i/y), a one-letter typo, a wrong tone, two syllables run together. Telex, VNI, VIQR and the tone
are applied to the accented text; confusions and typos to both the accented and the unaccented
text; run-together to the unaccented text. The correct texts themselves (accented and unaccented)
measure false suggestions.

    python3 bench/did_you_mean.py --binary build/vnsearch --db /tmp/qu-full

For each rule it reports how often a correction was given, how often it restores the text before
the misspelling (case-insensitive), how often it was applied without asking, and how often the
relevant article comes first when searching with the correction (applied, or the offered one
followed) against searching the misspelled text as typed (--exact).
"""
import argparse
import json
import random
import subprocess
import sys
import tempfile
import unicodedata

TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
VNI_TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
VIQR_TONES = {"\u0301": "'", "\u0300": "`", "\u0309": "?", "\u0303": "~", "\u0323": "."}
# modifier combining marks: circumflex, breve, horn
MODS = {"\u0302": "^", "\u0306": "(", "\u031b": "+"}
INITIALS = [("d", "gi"), ("d", "r"), ("gi", "r"), ("ch", "tr"), ("s", "x"), ("l", "n")]
FINALS = [("n", "ng"), ("c", "t"), ("i", "y")]
KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def decompose(syllable):
    """(letters as (base, modifier)), tone key) of a lower-case syllable."""
    letters, tone = [], None
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in TONES:
            tone = ch
        elif ch in MODS:
            letters[-1] = (letters[-1][0], MODS[ch])
        elif ch in "đĐ":
            letters.append(("d" if ch == "đ" else "D", "d"))
        else:
            letters.append((ch, None))
    return letters, tone


def is_word(word):
    folded = fold(word)
    return folded.isascii() and folded.isalpha() and len(folded) >= 1


def fold(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def marked(word):
    return fold(word) != word


def telex(word):
    letters, tone = decompose(word.lower())
    out = ""
    for base, mod in letters:
        if mod == "^":
            out += base + base
        elif mod in ("(", "+"):
            out += base + "w"
        elif mod == "d":
            out += "dd"
        else:
            out += base
    return out + (TONES[tone] if tone else "")


def vni(word):
    letters, tone = decompose(word.lower())
    out, keys = "", ""
    for base, mod in letters:
        out += base
        keys += {"^": "6", "(": "8", "+": "7", "d": "9", None: ""}[mod]
    # horn on both of ươ is typed once
    keys = keys.replace("77", "7")
    return out + keys + (VNI_TONES[tone] if tone else "")


def viqr(word):
    letters, tone = decompose(word)
    out = ""
    last_vowel = max((i for i, (b, _) in enumerate(letters) if b.lower() in "aeiouy"), default=-1)
    for i, (base, mod) in enumerate(letters):
        out += base * 2 if mod == "d" else base + (mod or "")
        if tone and i == last_vowel:
            out += VIQR_TONES[tone]
    return out


def confuse(word):
    low = word.lower()
    options = []
    for a, b in INITIALS:
        for x, y in ((a, b), (b, a)):
            if (low.startswith(x) and len(low) > len(x)
                    and not (x == "n" and low.startswith("ng"))):
                options.append(y + low[len(x):])
    for a, b in FINALS:
        for x, y in ((a, b), (b, a)):
            if low.endswith(x) and len(low) > len(x) and not (x == "n" and low.endswith("ng")):
                options.append(low[: -len(x)] + y)
    return options


def typo(word, rng):
    low = word.lower()
    positions = [i for i, c in enumerate(low) if c.isascii() and c.isalpha()]
    if not positions:
        return None
    i = rng.choice(positions)
    kind = rng.choice(["delete", "replace", "insert", "swap"])
    if kind == "delete" and len(low) > 2:
        return low[:i] + low[i + 1:]
    if kind == "swap" and i + 1 < len(low) and low[i + 1].isascii() and low[i + 1] != low[i]:
        return low[:i] + low[i + 1] + low[i] + low[i + 2:]
    c = rng.choice(KEYBOARD)
    if kind == "insert":
        return low[:i] + c + low[i:]
    return low[:i] + c + low[i + 1:] if c != low[i] else None


def retone(word, rng):
    nfd = unicodedata.normalize("NFD", word.lower())
    current = next((c for c in nfd if c in TONES), None)
    base = "".join(c for c in nfd if c not in TONES)
    choices = [t for t in list(TONES) + [None] if t != current]
    tone = rng.choice(choices)
    if tone is None:
        return unicodedata.normalize("NFC", base)
    # put the tone after the last vowel with its modifier
    chars = list(base)
    last = max((i for i, c in enumerate(chars) if c in "aeiouy"), default=-1)
    if last < 0:
        return None
    while last + 1 < len(chars) and chars[last + 1] in MODS:
        last += 1
    chars.insert(last + 1, tone)
    return unicodedata.normalize("NFC", "".join(chars))


def misspell(text, rule, rng):
    words = text.split()
    eligible = [i for i, w in enumerate(words) if is_word(w)]
    if rule in ("telex", "vni", "viqr", "tone"):
        eligible = [i for i in eligible if marked(words[i])]
    if rule == "joined":
        eligible = [i for i in eligible if i + 1 < len(words) and is_word(words[i + 1])]
    rng.shuffle(eligible)
    for i in eligible:
        w = words[i]
        new = None
        if rule == "telex":
            new = telex(w)
        elif rule == "vni":
            new = vni(w)
        elif rule == "viqr":
            new = viqr(w)
        elif rule == "confusion":
            options = confuse(w)
            new = rng.choice(options) if options else None
        elif rule == "typo":
            new = typo(w, rng)
        elif rule == "tone":
            new = retone(w, rng)
        elif rule == "joined":
            new = w + words[i + 1]
            return " ".join(words[:i] + [new] + words[i + 2:])
        if new and new.lower() != w.lower():
            return " ".join(words[:i] + [new] + words[i + 1:])
    return None


def run_batch(binary, db, queries, exact):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for qid, text in queries:
            f.write(json.dumps({"qid": qid, "query": text}, ensure_ascii=False) + "\n")
        name = f.name
    args = [binary, "search", "--db", db, "--limit", "1", "--batch", name]
    if exact:
        args.append("--exact")
    out = subprocess.run(args, capture_output=True, text=True, check=False).stdout
    return {r["qid"]: r for r in map(json.loads, out.splitlines())}


def same(a, b):
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/vnsearch")
    ap.add_argument("--db", required=True)
    ap.add_argument("--titles", default="../shared/eval/titles-dev.jsonl")
    ap.add_argument("--questions", default="../shared/eval/vinewsqa-dev.jsonl")
    ap.add_argument("--questions-limit", type=int, default=600)
    ap.add_argument("--seed", type=int, default=10)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sets = []
    for path, limit in ((args.titles, None), (args.questions, args.questions_limit)):
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        sets.append((path.rsplit("/", 1)[-1], rows[:limit] if limit else rows))
    rules = ["telex", "vni", "viqr", "confusion", "typo", "tone", "joined"]
    for name, rows in sets:
        queries, meta = [], {}
        for n, row in enumerate(rows):
            accented = unicodedata.normalize("NFC", row["query"])
            plain = fold(accented)
            relevant = set(row.get("relevant", []))
            for variant, base in (("accented", accented), ("unaccented", plain)):
                qid = f"{n}-correct-{variant}"
                queries.append((qid, base))
                meta[qid] = ("correct " + variant, base, relevant)
            for rule in rules:
                bases = {"telex": [accented], "vni": [accented], "viqr": [accented],
                         "tone": [accented], "joined": [plain],
                         "confusion": [accented, plain], "typo": [accented, plain]}[rule]
                for base in bases:
                    wrong = misspell(base, rule, rng)
                    if wrong is None:
                        continue
                    label = rule + (" (unaccented)" if base is plain and rule != "joined" else "")
                    qid = f"{n}-{label}"
                    queries.append((qid, wrong))
                    meta[qid] = (label, base, relevant)
        corrected = run_batch(args.binary, args.db, queries, exact=False)
        typed = run_batch(args.binary, args.db, queries, exact=True)
        offered = [(qid, r["correction"]["text"]) for qid, r in corrected.items()
                   if "correction" in r and not r["correction"]["applied"]]
        followed = run_batch(args.binary, args.db, offered, exact=True) if offered else {}
        stats = {}
        for qid, (label, base, relevant) in meta.items():
            r = corrected.get(qid, {})
            s = stats.setdefault(label, {"n": 0, "suggested": 0, "restored": 0, "applied": 0,
                                         "first": 0, "first_typed": 0})
            s["n"] += 1
            c = r.get("correction")
            hits = r.get("hits", [])
            if c:
                s["suggested"] += 1
                s["restored"] += same(c["text"], base)
                s["applied"] += c["applied"]
                if not c["applied"]:
                    hits = followed.get(qid, {}).get("hits", [])
            s["first"] += bool(hits) and hits[0]["id"] in relevant
            t = typed.get(qid, {}).get("hits", [])
            s["first_typed"] += bool(t) and t[0]["id"] in relevant
        print(f"\n{name} ({len(rows)} texts, seed {args.seed})")
        print("| rule | n | suggested | restores original | applied | first hit with it | first hit as typed |")
        print("|---|---|---|---|---|---|---|")
        pct = lambda a, b: f"{100.0 * a / b:.1f}%" if b else "-"
        for label, s in stats.items():
            print(f"| {label} | {s['n']} | {pct(s['suggested'], s['n'])} | "
                  f"{pct(s['restored'], s['n'])} | {pct(s['applied'], s['n'])} | "
                  f"{pct(s['first'], s['n'])} | {pct(s['first_typed'], s['n'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
