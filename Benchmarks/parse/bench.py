#!/usr/bin/env python3
"""`make bench-parse`: parsing speed of `bulletin parse` beside xmllint and feedparser.

Usage: bench.py BULLETIN PYTHON_WITH_FEEDPARSER

Generates the 20 MB RSS 2.0 feed (generate_feed.py, deterministic) in a temporary
directory, then runs the tools on the same file, bulletin and xmllint five times each in
turn (feedparser, at ~20 s a run, once), and prints the median wall time, CPU time
(user + system: the fairer figure on a shared machine), MB/s and the peak memory:
- `bulletin parse FILE --format json` (output to /dev/null): the whole command;
- `xmllint --stream --noout FILE`: libxml2's reader alone, the practical limit;
- Python feedparser 6 `feedparser.parse(bytes)`.
"""
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = 5


def run(command):
    """Wall seconds, CPU seconds and peak RSS (MB) of one run, from GNU time."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-o", report.name, "-f", "%e %U %S %M"] + command,
                       stdout=subprocess.DEVNULL, check=True)
        wall, user, system, rss = report.read().split()
    return float(wall), float(user) + float(system), int(rss) / 1024


def main():
    bulletin, python = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as directory:
        feed = os.path.join(directory, "security-bulletins.xml")
        subprocess.run([sys.executable, os.path.join(HERE, "generate_feed.py"), feed], check=True)
        megabytes = os.path.getsize(feed) / 1e6
        items = int(subprocess.run(["grep", "-c", "<item>", feed], capture_output=True, text=True).stdout)
        print(f"feed: {megabytes:.1f} MB, {items} items (RSS 2.0, generated)")
        commands = {
            "bulletin parse --format json": ([bulletin, "parse", feed, "--format", "json"], RUNS),
            "xmllint --stream --noout": (["xmllint", "--stream", "--noout", feed], RUNS),
            "feedparser 6": ([python, "-c", "import feedparser, sys; feedparser.parse(open(sys.argv[1], 'rb').read())",
                              feed], 1),
        }
        runs = {name: [] for name in commands}
        for turn in range(RUNS):  # in turn, so a busy moment of the machine hits each tool alike
            for name, (command, count) in commands.items():
                if turn < count:
                    runs[name].append(run(command))
        results = {name: (statistics.median(r[0] for r in done), statistics.median(r[1] for r in done),
                          max(r[2] for r in done)) for name, done in runs.items()}
    print(f"medians of {RUNS} runs (feedparser: 1); peak memory is the largest of the runs")
    print(f"{'tool':30} {'wall s':>7} {'cpu s':>7} {'MB/s wall':>10} {'MB/s cpu':>9} {'peak MB':>8}")
    for name, (wall, cpu, rss) in results.items():
        print(f"{name:30} {wall:7.3f} {cpu:7.3f} {megabytes / wall:10.1f} {megabytes / cpu:9.1f} {rss:8.1f}")
    ours = results["bulletin parse --format json"]
    print(f"bulletin: {items / ours[0]:,.0f} items/s wall, {items / ours[1]:,.0f} items/s cpu")
    for peer in ("xmllint --stream --noout", "feedparser 6"):
        theirs = results[peer]
        print(f"bulletin vs {peer}: {theirs[0] / ours[0]:.2f}x wall, {theirs[1] / ours[1]:.2f}x cpu")


if __name__ == "__main__":
    main()
