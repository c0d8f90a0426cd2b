#!/usr/bin/env python3
"""make bench-store: the store and search benchmark, ours beside the sqlite3 CLI.

1. StoreBench generates ENTRIES deterministic, realistic entries (1000 feeds of 1000; see
   StoreBench/Generator.swift) into a fresh database through Store.recordFetches, BATCH feeds
   (default 25) per transaction as a bulk load does (BATCH=1: one per feed, the worst case):
   insert rate (wall and per CPU second) and size.
2. The sqlite3 CLI (the peer) inserts the same rows into a plain FTS5 table, one transaction,
   with FTS5's default settings (ours, from migration 7: 32 MiB of pending terms before a
   segment is written, segments merged 16 at a time). Then, as the floor for our own SQL, the
   CLI copies our rows into an empty database with our schema (made by `bulletin fetch`, so
   the same tables, indexes, triggers and FTS5 settings), as many entries per transaction as
   ours: the same SQLite work without Swift, staging or upsert.
   Steps 1 and 2 take turns INSERT_ROUNDS times (default 3): the machine's speed drifts
   within minutes, and one run of each would compare different phases. Medians, and each run.
3. 20 queries of different kinds: `bulletin search` end to end (process start included) and
   the query alone (in process, StoreBench query); the peer runs the same FTS5 MATCH
   (`.timer on` for the query alone, the sqlite3 process for end to end).
Medians of 5 runs per query; the summary gives the median and the worst over the queries.
Generated data lives in a temporary directory and is removed at the end.
"""
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, ".build", "release")
ENTRIES = int(os.environ.get("ENTRIES", "1000000"))
BATCH = int(os.environ.get("BATCH", "25"))
RUNS = 5
INSERT_ROUNDS = int(os.environ.get("INSERT_ROUNDS", "3"))

QUERIES = [
    "openssl",
    '"denial of service"',
    "nginx OR apache2",
    "kernel -android",
    "CVE-2024-3094",
    "cve:CVE-2024-1*",
    "service:nginx",
    "feed:ubuntu openssl",
    "since:2025-01-01",
    "since:2024-01-01 until:2024-06-30 curl",
    "category:announcements lambda",
    "tagged:yes",
    '"SQL injection" tagged:no',
    "prototype*",
    '"remote code execution" linux',
    "xz-utils OR zstd OR libxml2",
    "-windows openssl",
    "glibc buffer overflow",
    '"privilege escalation" category:security since:2y',
    "NEAR( \"'; DROP TABLE entry;-- *",
]


def median_and_worst(values):
    return statistics.median(values), max(values)


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command, **kwargs):
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    elapsed = (time.perf_counter() - started) * 1000
    if result.returncode != 0:
        sys.exit(f"bench-store: {' '.join(command[:3])}… failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, result


def remove_database(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def load_ours(path):
    """StoreBench fills a fresh database: (seconds storing, CPU seconds, bytes)."""
    _, result = timed([os.path.join(BIN, "StoreBench"), "generate", path, str(ENTRIES), str(BATCH)])
    ours = json.loads(result.stdout)
    subprocess.run(["sqlite3", path, "PRAGMA wal_checkpoint(TRUNCATE)"], capture_output=True)
    return ours["seconds"], ours["cpu_seconds"], os.path.getsize(path)


def load_cli(path, script):
    """The sqlite3 CLI runs `script` on a fresh `path`: (seconds, CPU seconds, bytes)."""
    cpu_before = children_cpu()
    elapsed, _ = timed(["sqlite3", path], input=script)
    return elapsed / 1000, children_cpu() - cpu_before, os.path.getsize(path)


def load_peer(path, source):
    """The peer: `source`'s rows into a plain FTS5 table, one transaction."""
    return load_cli(path, f"""PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;
CREATE VIRTUAL TABLE f USING fts5(title, summary, advisory_terms, tokenize='unicode61 remove_diacritics 2');
ATTACH '{source}' AS src;
BEGIN; INSERT INTO f SELECT title, summary, advisory_terms FROM src.entry ORDER BY id; COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
""")


def load_same(path, source, config, catalog):
    """Our SQL alone: `source`'s rows copied into an empty database with our schema (made by
    `bulletin fetch` with no feeds), as many entries per transaction as ours."""
    timed([os.path.join(BIN, "bulletin"), "--config", config, "--feeds", catalog, "--db", path, "--quiet", "fetch"])
    columns = ("id, feed_id, entry_id, title, link, published, updated, summary, authors, categories, advisories, "
               "first_seen, content_hash, previous_hash, revised_at")
    step = BATCH * 1000
    return load_cli(path, "PRAGMA cache_size=-65536; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    f"PRAGMA temp_store=MEMORY;\nATTACH '{source}' AS src;\nINSERT INTO main.feed SELECT * FROM src.feed;\n"
                    + "".join(f"BEGIN; INSERT INTO main.entry ({columns}) SELECT {columns} FROM src.entry "
                              f"WHERE id > {start} AND id <= {start + step}; COMMIT;\n"
                              for start in range(0, ENTRIES, step))
                    + "PRAGMA wal_checkpoint(TRUNCATE);\n")


def main():
    if not shutil.which("sqlite3"):
        sys.exit("bench-store: the sqlite3 CLI is missing (apt-get install sqlite3)")
    work = tempfile.mkdtemp(prefix="bulletin-bench-store-")
    try:
        run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work):
    db = os.path.join(work, "bulletin.sqlite3")
    config = os.path.join(work, "config")
    os.mkdir(config)
    cli = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    print(f"bench-store: {ENTRIES:,} entries ({BATCH} feeds per transaction), {len(QUERIES)} queries, "
          f"median of {RUNS} runs each; sqlite3 CLI {cli}; load average {os.getloadavg()[0]:.1f}")

    # 1 and 2. Inserts: ours, then each peer, INSERT_ROUNDS times in turn (the machine's speed
    # drifts within minutes, so one run of each would compare different phases); medians.
    catalog = os.path.join(work, "empty.opml")
    with open(catalog, "w") as f:
        f.write('<?xml version="1.0"?><opml version="2.0"><head/><body/></opml>')
    peer = os.path.join(work, "peer.sqlite3")
    loads = {"ours": [], "peer": [], "same": []}
    for round in range(INSERT_ROUNDS):
        # The first round's databases stay for the queries; later rounds' are removed.
        again = round > 0
        target = os.path.join(work, "again.sqlite3") if again else db
        loads["ours"].append(load_ours(target))
        target_peer = os.path.join(work, "peer-again.sqlite3") if again else peer
        loads["peer"].append(load_peer(target_peer, db))
        loads["same"].append(load_same(os.path.join(work, "same-schema.sqlite3"), db, config, catalog))
        for path in ([target, target_peer] if again else []) + [os.path.join(work, "same-schema.sqlite3")]:
            remove_database(path)

    print()
    print(f"{'insert':<22}{'entries/s':>12}{'CPU entries/s':>15}{'seconds':>10}{'MiB':>8}   each run, seconds")
    rates = {}
    for key, name in [("ours", "bulletin (Store)"), ("peer", "sqlite3 CLI, FTS5 only"), ("same", "sqlite3 CLI, our SQL")]:
        seconds = statistics.median(run[0] for run in loads[key])
        cpu = statistics.median(run[1] for run in loads[key])
        rates[key] = (ENTRIES / seconds, ENTRIES / cpu)
        print(f"{name:<22}{int(rates[key][0]):>12,}{int(rates[key][1]):>15,}{seconds:>10.1f}"
              f"{loads[key][0][2] / 1048576:>8.0f}   " + " ".join(f"{run[0]:.1f}" for run in loads[key]))
    print(f"  (medians of {INSERT_ROUNDS} rounds, each round ours then the two peers;"
          " FTS5 only: the peer's FTS5 index and its content; our SQL: the CLI copying our rows into our schema,"
          " triggers and FTS5 settings, the same entries per transaction; ours also stages, upserts and tags)")

    # 3. Queries.
    _, result = timed([os.path.join(BIN, "StoreBench"), "query", db] + QUERIES)
    alone = [json.loads(line) for line in result.stdout.splitlines()]
    rows = []
    for query, inproc in zip(QUERIES, alone):
        command = [os.path.join(BIN, "bulletin"), "--config", config, "--db", db, "search", "--format", "json",
                   "--verbose", "--", query]
        times, cpu_times = [], []
        match = None
        for _ in range(RUNS):
            cpu_before = children_cpu()
            elapsed, result = timed(command)
            cpu_times.append((children_cpu() - cpu_before) * 1000)
            times.append(elapsed)
            found = re.search(r"search: FTS5 MATCH (.*)", result.stderr)
            match = found.group(1) if found else None
        peer_alone = peer_e2e = None
        if match:
            sql = (".timer on\nSELECT rowid, highlight(f, 0, char(1), char(2)) FROM f WHERE f MATCH '"
                   + match.replace("'", "''") + "' ORDER BY bm25(f, 10.0, 1.0, 5.0) LIMIT 20;\n")
            p_alone, p_e2e = [], []
            for _ in range(RUNS):
                elapsed, result = timed(["sqlite3", peer], input=sql)
                p_e2e.append(elapsed)
                p_alone.append(float(re.search(r"Run Time: real ([0-9.]+)", result.stdout).group(1)) * 1000)
            peer_alone, peer_e2e = statistics.median(p_alone), statistics.median(p_e2e)
        rows.append((query, inproc["results"], inproc["median_ms"], statistics.median(times), peer_alone, peer_e2e,
                     inproc["cpu_median_ms"], statistics.median(cpu_times)))

    print()
    print(f"{'query':<52}{'hits':>5}{'alone ms':>10}{'(CPU)':>7}{'e2e ms':>8}{'(CPU)':>7}{'peer alone':>12}"
          f"{'peer e2e':>10}")
    for query, hits, ours_alone, ours_e2e, p_alone, p_e2e, alone_cpu, e2e_cpu in rows:
        peer_text = f"{p_alone:>12.1f}{p_e2e:>10.1f}" if p_alone is not None else f"{'-':>12}{'-':>10}"
        print(f"{query[:51]:<52}{hits:>5}{ours_alone:>10.1f}{alone_cpu:>7.1f}{ours_e2e:>8.1f}{e2e_cpu:>7.1f}{peer_text}")
    a_med, a_worst = median_and_worst([r[2] for r in rows])
    e_med, e_worst = median_and_worst([r[3] for r in rows])
    fts = [r for r in rows if r[4] is not None]
    pa_med, pa_worst = median_and_worst([r[4] for r in fts])
    pe_med, pe_worst = median_and_worst([r[5] for r in fts])
    fa_med, _ = median_and_worst([r[2] for r in fts])
    fe_med, _ = median_and_worst([r[3] for r in fts])
    print()
    print(f"bulletin search, query alone: median {a_med:.1f} ms, worst {a_worst:.1f} ms (target: median <= 20 ms)")
    print(f"bulletin search, end to end:  median {e_med:.1f} ms, worst {e_worst:.1f} ms (target: median <= 60 ms)")
    print(f"CPU time: query alone median {statistics.median(r[6] for r in rows):.1f} ms, "
          f"end to end median {statistics.median(r[7] for r in rows):.1f} ms")
    print(f"on the {len(fts)} queries with words: ours alone {fa_med:.1f} ms, e2e {fe_med:.1f} ms; "
          f"sqlite3 CLI alone {pa_med:.1f} ms (worst {pa_worst:.1f}), e2e {pe_med:.1f} ms (worst {pe_worst:.1f})")
    ours, peer_rate, same = rates["ours"], rates["peer"], rates["same"]
    print(f"insert: {int(ours[0]):,} entries/s ({int(ours[1]):,} per CPU second), {ours[0] / peer_rate[0]:.2f}x the "
          f"sqlite3 CLI's FTS5-only insert ({ours[1] / peer_rate[1]:.2f}x per CPU second), {ours[0] / same[0]:.2f}x "
          f"the CLI running our SQL ({ours[1] / same[1]:.2f}x per CPU second) "
          f"(target >= 50,000; the peer figure is 123,000)")


if __name__ == "__main__":
    main()
