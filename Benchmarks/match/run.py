#!/usr/bin/env python3
"""`make bench-match`: the matcher against the usual Python approaches, same work, one run.

Generates 100,000 realistic bulletins (title + summary, built from CISA's KEV catalog in the
shared corpus) and 5,000 aliases (the catalog's vendors and products, and made-up product
names, some of which the bulletins mention) in a temporary directory, then finds, for every
bulletin, the aliases it names as whole words, in any case:

  - bulletin's Matcher (Swift, one Aho-Corasick automaton, release build), median of 5 runs
  - pyahocorasick (Aho-Corasick in C, from Python) with the same word-boundary checks
  - one compiled regex alternation \\b(?:a|b|...)\\b with re.IGNORECASE (the usual approach)
  - a naive loop of `alias in text` checks with the boundary check on hits

The regex alternation and the naive loop take minutes over 100,000 entries, so they run over
the first --peer-sample entries (default 2,000) and their rate is given per entry; pass
--peer-sample 100000 to run them over everything.
"""
import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

ENTRIES = 100_000
ALIASES = 5_000


def corpus_dir(root):
    return os.environ.get("BULLETIN_CORPUS") or os.path.join(root, "..", "shared", "corpus", "feeds")


def generate(root, directory, rng):
    with open(os.path.join(corpus_dir(root), "cisa-kev-catalog.json"), encoding="utf-8") as f:
        kev = json.load(f)["vulnerabilities"]
    real = []
    for v in kev:
        for name in (v["vendorProject"], v["product"]):
            name = " ".join(name.split())
            if name and name not in real:
                real.append(name)
    syllables = ["ka", "zor", "vex", "lin", "tra", "quo", "mir", "dex", "pol", "sen", "gri", "nu", "bel",
                 "fax", "tor", "wyn", "ost", "rha", "cel", "ium"]
    suffixes = ["", "", "-server", "-client", "d", " Gateway", " Agent", "-proxy", " Cloud", "-core"]
    invented = set()
    while len(real) + len(invented) < ALIASES:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        invented.add((word.capitalize() if rng.random() < 0.5 else word) + rng.choice(suffixes))
    aliases = real + sorted(invented)
    rng.shuffle(aliases)
    aliases = aliases[:ALIASES]
    invented = sorted(invented)
    filler = ["Customers should update as soon as possible.", "No workaround is available.",
              "The issue was reported by an external researcher.", "See the vendor advisory for details.",
              "Exploitation requires network access to the management interface."]
    with open(os.path.join(directory, "entries.tsv"), "w", encoding="utf-8") as out:
        for i in range(ENTRIES):
            v = kev[i % len(kev)]
            title = v["vulnerabilityName"]
            if rng.random() < 0.5:
                title += " (%s)" % v["cveID"]
            summary = v["shortDescription"]
            if rng.random() < 0.2:
                summary += " Also affects %s %d.%d." % (rng.choice(invented), rng.randint(1, 9), rng.randint(0, 20))
            else:
                summary += " " + rng.choice(filler)
            out.write(title.replace("\t", " ").replace("\n", " ") + "\t"
                      + summary.replace("\t", " ").replace("\n", " ") + "\n")
    with open(os.path.join(directory, "aliases.txt"), "w", encoding="utf-8") as out:
        out.write("\n".join(aliases) + "\n")


def load(directory):
    with open(os.path.join(directory, "entries.tsv"), encoding="utf-8") as f:
        entries = [line.rstrip("\n").split("\t", 1) for line in f]
    with open(os.path.join(directory, "aliases.txt"), encoding="utf-8") as f:
        aliases = [line.rstrip("\n") for line in f if line.strip()]
    return entries, aliases


def is_word(ch):
    return ch.isalnum()


def bounded(text, start, end):
    return (start == 0 or not is_word(text[start - 1])) and (end == len(text) or not is_word(text[end]))


def run_regex(entries, aliases):
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)) + r")\b",
                         re.IGNORECASE)
    tagged = 0
    for title, summary in entries:
        found = set(m.group(0).lower() for m in pattern.finditer(title))
        found |= set(m.group(0).lower() for m in pattern.finditer(summary))
        tagged += bool(found)
    return tagged


def run_naive(entries, aliases):
    lowered = [a.lower() for a in aliases]
    tagged = 0
    for title, summary in entries:
        found = set()
        for text in (title.lower(), summary.lower()):
            for alias in lowered:
                start = text.find(alias)
                while start >= 0:
                    if bounded(text, start, start + len(alias)):
                        found.add(alias)
                        break
                    start = text.find(alias, start + 1)
        tagged += bool(found)
    return tagged


def run_pyahocorasick(entries, aliases):
    import ahocorasick
    automaton = ahocorasick.Automaton()
    for alias in aliases:
        automaton.add_word(alias.lower(), alias.lower())
    automaton.make_automaton()
    tagged = 0
    for title, summary in entries:
        found = set()
        for text in (title.lower(), summary.lower()):
            for end, alias in automaton.iter(text):
                if bounded(text, end - len(alias) + 1, end + 1):
                    found.add(alias)
        tagged += bool(found)
    return tagged


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--swift", required=True, help="the MatchBenchmark executable (release build)")
    parser.add_argument("--peer-sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-match-") as directory:
        generate(root, directory, rng)
        entries, aliases = load(directory)
        megabytes = sum(len(t.encode()) + len(s.encode()) for t, s in entries) / 1e6

        start = time.perf_counter()
        output = subprocess.run([args.swift, os.path.join(directory, "entries.tsv"),
                                 os.path.join(directory, "aliases.txt"), "5"],
                                check=True, capture_output=True, text=True).stdout
        swift_wall = time.perf_counter() - start
        swift = dict(line.split("=", 1) for line in output.split())

        rows = []
        match = float(swift["match_seconds"])
        rows.append(("bulletin Matcher (Swift, Aho-Corasick), median of 5", len(entries), match,
                     "%s tagged; automaton %s states, built in %.3f s" % (swift["tagged_entries"], swift["states"],
                                                                         float(swift["build_seconds"]))))
        try:
            runs = [timed(run_pyahocorasick, entries, aliases) for _ in range(3)]
            seconds = statistics.median(r[0] for r in runs)
            rows.append(("pyahocorasick + boundary checks, median of 3", len(entries), seconds, "%d tagged" % runs[0][1]))
        except ImportError:
            rows.append(("pyahocorasick (not installed)", 0, 0, "pip install pyahocorasick"))
        sample = entries[:args.peer_sample]
        seconds, tagged = timed(run_regex, sample, aliases)
        rows.append(("Python: one regex alternation", len(sample), seconds, "%d tagged" % tagged))
        seconds, tagged = timed(run_naive, sample, aliases)
        rows.append(("Python: naive loop of `in` checks", len(sample), seconds, "%d tagged" % tagged))

    print("Matching %d entries (title + summary, %.1f MB) against %d aliases (%s services)"
          % (len(entries), megabytes, len(aliases), swift["services"]))
    print()
    print("%-52s %9s %12s %8s  %s" % ("approach", "entries", "entries/s", "MB/s", "notes"))
    rates = {}
    for name, count, seconds, note in rows:
        if count == 0:
            print("%-52s %9s %12s %8s  %s" % (name, "-", "-", "-", note))
            continue
        rate = count / seconds
        rates[name] = rate
        mb = megabytes * count / len(entries) / seconds
        print("%-52s %9d %12.0f %8.1f  %s" % (name, count, rate, mb, note))
    print()
    ours = rates[rows[0][0]]
    for name, _, _, _ in rows[1:]:
        if name in rates:
            print("bulletin is %.1fx %s" % (ours / rates[name], name))
    print("whole Swift benchmark process (load, build, 5 matching runs): %.2f s (target <= 2 s); "
          "one matching run: %.3f s" % (swift_wall, match))
    target = ours / rates[rows[2][0]]
    print("target >= 10x the regex alternation: %s (%.0fx)" % ("met" if target >= 10 else "NOT met", target))


if __name__ == "__main__":
    sys.exit(main())
