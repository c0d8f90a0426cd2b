#!/usr/bin/env python3
"""`make bench-gzip`: Bulletin's gzip (Sources/Compression, pure Swift) beside Python's zlib.

Two sets of documents, each compressed and decompressed whole, file by file, as the store
keeps each feed's raw document:
- the shared corpus of real feeds ($BULLETIN_CORPUS, else ../shared/corpus/feeds);
- the 300 feeds `make bench-fetch` serves (Benchmarks/fetch/bench.py's generate(), same seed).
Ours: GzipBench (release build) runs ROUNDS rounds (default 7) and reports median seconds;
it checks every round trip. The peer: zlib (through Python's zlib module, gzip container)
at levels 1 and 6 on the same bytes in the same run, median of the same number of rounds;
its time includes Python's per-call overhead (about a microsecond a file). MB/s are of
uncompressed bytes; ratio is uncompressed / compressed. Generated feeds go to a temp dir.
"""
import glob
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "fetch"))
import bench as fetch_bench  # noqa: E402  (generate() makes the bench-fetch feeds)

ROUNDS = int(os.environ.get("ROUNDS", "7"))
GZIP_BENCH = os.path.join(ROOT, ".build", "release", "GzipBench")


def gzip_bytes(data, level):
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)  # 31: gzip header and trailer
    return compressor.compress(data) + compressor.flush()


def peer(files, level):
    documents = [open(f, "rb").read() for f in files]
    compress_times, decompress_times = [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        blobs = [gzip_bytes(d, level) for d in documents]
        compress_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        restored = [zlib.decompress(b, 31) for b in blobs]
        decompress_times.append(time.perf_counter() - start)
        assert restored == documents
    return {"in": sum(map(len, documents)), "out": sum(map(len, blobs)),
            "compress_s": statistics.median(compress_times), "decompress_s": statistics.median(decompress_times)}


def ours(files):
    result = subprocess.run([GZIP_BENCH] + files, check=True, capture_output=True, text=True,
                            env=dict(os.environ, ROUNDS=str(ROUNDS)))
    return json.loads(result.stdout)


def row(name, figures):
    mb = figures["in"] / 1e6
    return "  %-22s %10.0f %12.0f %8.2f" % (name, mb / figures["compress_s"], mb / figures["decompress_s"],
                                           figures["in"] / figures["out"])


def report(title, files):
    print("%s: %d files, %.1f MB" % (title, len(files), sum(os.path.getsize(f) for f in files) / 1e6))
    print("  %-22s %10s %12s %8s" % ("", "compress", "decompress", "ratio"))
    print("  %-22s %10s %12s %8s" % ("", "MB/s", "MB/s", ""))
    mine = ours(files)
    print(row("bulletin (Swift)", mine))
    for level in (1, 6):
        theirs = peer(files, level)
        print(row("zlib level %d" % level, theirs))
        print("  %-22s %10.2f %12.2f %8.2f" % ("  bulletin / zlib %d" % level,
                                               theirs["compress_s"] / mine["compress_s"],
                                               theirs["decompress_s"] / mine["decompress_s"],
                                               (mine["in"] / mine["out"]) / (theirs["in"] / theirs["out"])))
    print()


def main():
    corpus = os.environ.get("BULLETIN_CORPUS") or os.path.join(os.path.dirname(ROOT), "shared", "corpus", "feeds")
    corpus_files = sorted(f for f in glob.glob(os.path.join(corpus, "*")) if os.path.isfile(f))
    if not corpus_files:
        sys.exit("bench-gzip: no corpus at %s (set BULLETIN_CORPUS)" % corpus)
    print("median of %d rounds each; every file compressed and decompressed on its own\n" % ROUNDS)
    report("corpus (real feeds)", corpus_files)
    directory = tempfile.mkdtemp(prefix="bench-gzip-")
    try:
        feeds = fetch_bench.generate(directory, random.Random(4))
        report("bench-fetch feeds (generated)", [file for _, _, file in feeds])
    finally:
        shutil.rmtree(directory)


if __name__ == "__main__":
    main()
