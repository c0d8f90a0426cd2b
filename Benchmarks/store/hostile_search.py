#!/usr/bin/env python3
"""Hostile searches over a large store (issue 16): each must answer within 1 s or be
refused with a clear error (exit 2). Times `bulletin search` end to end (process start
included), median of RUNS, and prints each query's outcome.

Usage: hostile_search.py BULLETIN DATABASE   (a store made by `StoreBench generate`)
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("RUNS", "3"))

QUERIES = [
    ("'a ' x 5000", "a " * 5000),
    ("'openssl ' x 5000", "openssl " * 5000),
    ("'a OR ' x 5000", "a OR " * 5000 + "a"),
    ("5000 different words", " ".join(f"w{i}" for i in range(5000))),
    ("16 common words", "linux kernel security update package vulnerability remote attacker code "
     "execution service denial memory buffer overflow issue"),
    ("phrase of 5000 'a'", '"' + "a " * 5000 + '"'),
    ("phrase of 32 common words", '"' + "the " * 32 + '"'),
    ("'-a ' x 5000 b", "-a " * 5000 + "b"),
    ("'a* ' x 5000", "a* " * 5000),
    ("a*", "a*"),
    ("e*", "e*"),
    ("1*", "1*"),
    ("16 one-letter prefixes", " ".join(c + "*" for c in "abcdefghijklmnop")),
    ("16 prefixes OR-ed", " OR ".join(c + "*" for c in "abcdefghijklmnop")),
    ("-a (exclusion only)", "-a"),
    ("16 exclusions only", " ".join("-" + c for c in "abcdefghijklmnop")),
    ("service: x 5000 values", "service:" + ",".join(["a"] * 5000)),
    ("feed: 16 values", "feed:" + ",".join("abcdefghijklmnop")),
    ("16 feed: filters", " ".join(f"feed:{c}" for c in "abcdefghijklmnop")),
    ("cve:*", "cve:*"),
    ("cve:*-* x 16", " ".join(["cve:*-*"] * 16)),
    ("tagged:no", "tagged:no"),
    ("-tagged:yes -category:security", "-tagged:yes -category:security"),
    ("until:1d", "until:1d"),
    ("security update", "security update"),
    ("'-- DROP TABLE entry'", "-- DROP TABLE entry"),
    ("NEAR( hostile", "NEAR( \"'; DROP TABLE entry;-- *"),
]


def main():
    bulletin, database = sys.argv[1], sys.argv[2]
    worst = 0.0
    with tempfile.TemporaryDirectory() as config:
        for label, query in QUERIES:
            times, status, stderr = [], None, ""
            for _ in range(RUNS):
                start = time.perf_counter()
                result = subprocess.run([bulletin, "search", query, "--db", database, "--config", config,
                                         "--format", "json"], capture_output=True)
                times.append(time.perf_counter() - start)
                status, stderr = result.returncode, result.stderr.decode(errors="replace").strip()
            median = statistics.median(times)
            worst = max(worst, median)
            outcome = "answered" if status == 0 else f"refused (exit {status}): {stderr[:110]}"
            flag = "" if median <= 1.0 else "  OVER 1 s"
            print(f"{median:6.3f} s  {label:32} {outcome}{flag}")
    print(f"worst median: {worst:.3f} s")


if __name__ == "__main__":
    main()
