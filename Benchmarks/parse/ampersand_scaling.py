#!/usr/bin/env python3
"""Time `bulletin parse` on one bare '&' followed by N x 'é' in a title (issue 16: libxml2's
reader took time growing with the square of the text after a bare '&').

Two shapes, each at N = 1M, 2M, 4M, 8M:
  one-run    '&' then N x 'é' in one text node (past 3 MB the run is cut before reading)
  split      '&' then N x 'é' in 64 KB text nodes split by <br/>, so nothing is cut

Linear means each doubling of N about doubles the time (ratio ~2, not ~4).
Usage: ampersand_scaling.py BULLETIN [--rounds 3]
"""
import os
import subprocess
import sys
import tempfile
import time


def document(n, split):
    if split:
        chunk = "é" * 32768
        text = "<br/>".join([chunk] * (n // 32768))
    else:
        text = "é" * n
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
            '<item><title>a &' + text + '</title><link>http://x/1</link></item>'
            '<item><title>after</title></item></channel></rss>').encode()


def main():
    bulletin = sys.argv[1]
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    sizes = [1 << 20, 2 << 20, 4 << 20, 8 << 20]
    with tempfile.TemporaryDirectory() as tmp:
        for split in (False, True):
            previous = None
            for n in sizes:
                path = os.path.join(tmp, f"amp-{n}-{split}.xml")
                with open(path, "wb") as f:
                    f.write(document(n, split))
                times = []
                for _ in range(rounds):
                    start = time.perf_counter()
                    result = subprocess.run([bulletin, "parse", path, "--format", "json"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                    times.append(time.perf_counter() - start)
                    if result.returncode != 0:
                        sys.exit(f"bulletin parse failed: {result.stderr.decode()}")
                median = sorted(times)[len(times) // 2]
                ratio = f"x{median / previous:.2f}" if previous else ""
                shape = "split  " if split else "one-run"
                print(f"{shape} N={n // (1 << 20)}M é ({os.path.getsize(path) / 1e6:5.1f} MB): {median:6.3f} s {ratio}")
                previous = median


if __name__ == "__main__":
    main()
