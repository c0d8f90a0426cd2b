#!/usr/bin/env python3
"""`make bench-fetch`: Bulletin's fetcher beside newsboat and rss2email, same server, one run.

A loopback server (Tests/Servers/feed_server.py) serves 300 feeds under 50 host names
h01.localhost ... h50.localhost (6 feeds a host), with 200 ms latency on every response,
304s included. The feeds (`--bed`):
- `shared` (the default): ../shared/bench/gen_feeds.py's realistic bulletins (31,904
  entries, 48.6 MB, HTML summaries, severity words, CVSS vectors), served gzip-encoded;
  then bulletin alone fetches the same generator's 1,200-feed bed cold, and its peak memory
  is printed beside the 300-feed one (memory must not grow with the catalog);
- `generated`: this script's own 300 feeds of random words (20-200 entries each).

Before any tool runs, every feed is asked for once, untimed, so the server's one-time
compression of the bed is billed to no tool. Each tool fetches the feeds twice: cold
(nothing stored) and warm (everything answers 304); bulletin and newsboat do so `--runs`
times (3), each time on a new database, and their medians are compared (rss2email, minutes
a run, once). The last line says which targets were met, with the load average: on a
machine shared with other work the times stretch. We report wall time, CPU time (user +
system) and peak memory (max RSS) of each run, and the ratios.

libcurl resolves *.localhost to 127.0.0.1 by itself; newsboat and rss2email use the
system resolver, so the host names are added to /etc/hosts when missing (as root).
Generated data lives in a temporary directory and is removed afterwards.
"""
import argparse
import concurrent.futures
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED_GENERATOR = os.path.join(os.path.dirname(ROOT), "shared", "bench", "gen_feeds.py")
HOSTS = ["h%02d.localhost" % i for i in range(1, 51)]
FEEDS_PER_HOST = 6
WORDS = ("openssl nginx kernel privilege escalation remote code execution denial of service buffer "
         "overflow advisory update patch release critical important moderate low linux amazon aws "
         "lambda s3 ec2 iam cross site scripting injection bypass authentication").split()


def generate(directory, rng):
    """Writes the feeds; returns [(host, path, file)]."""
    feeds = []
    for h, host in enumerate(HOSTS):
        for f in range(FEEDS_PER_HOST):
            path = "/%s/feed%d.xml" % (host.split(".")[0], f)
            items = []
            for i in range(rng.randint(20, 200)):
                title = " ".join(rng.choice(WORDS) for _ in range(8))
                summary = " ".join(rng.choice(WORDS) for _ in range(60))
                day = 1 + (i % 28)
                items.append(
                    "<item><title>%s</title><link>https://%s/advisory/%d/%d</link>"
                    "<guid>https://%s/advisory/%d/%d</guid><pubDate>Tue, %02d Oct 2023 12:00:00 GMT</pubDate>"
                    "<description>CVE-2023-%05d %s</description></item>"
                    % (title, host, f, i, host, f, i, day, h * 1000 + i, summary))
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>%s feed %d</title>'
                    "<link>https://%s/</link><description>generated</description>%s</channel></rss>\n"
                    % (host, f, host, "\n".join(items)))
            file = os.path.join(directory, "%s-feed%d.xml" % (host, f))
            with open(file, "w") as out:
                out.write(body)
            feeds.append((host, path, file))
    return feeds


def generate_shared(directory, count):
    """Writes ../shared/bench's bed of `count` feeds; returns [(host, path, route)], the
    feeds spread over the host names in turn, each served gzip-encoded."""
    out = os.path.join(directory, "shared-%d" % count)
    subprocess.run([sys.executable, SHARED_GENERATOR, "--out", out, "--feeds", str(count), "--large-mb", "0.01",
                    "--keywords", "", "--match-entries", "0"], check=True, stdout=subprocess.DEVNULL)
    files = sorted(os.listdir(os.path.join(out, "feeds")))
    feeds = []
    for n, name in enumerate(files):
        host = HOSTS[n % len(HOSTS)]
        feeds.append((host, "/%s/%d/%s" % (host.split(".")[0], count, name), "gzip:" + os.path.join(out, "feeds", name)))
    return feeds


def ensure_hosts():
    with open("/etc/hosts") as f:
        known = f.read()
    missing = [h for h in HOSTS if (" " + h) not in known and ("\t" + h) not in known]
    if not missing:
        return True
    if os.geteuid() != 0:
        print("note: %d host names missing from /etc/hosts and not root: peers skipped" % len(missing))
        return False
    with open("/etc/hosts", "a") as f:
        f.write("# bulletin bench-fetch\n" + "".join("127.0.0.1 %s\n" % h for h in missing))
    return True


def start_server(feeds, directory):
    routes = os.path.join(directory, "routes.txt")
    with open(routes, "w") as f:
        for _, path, file in feeds:
            f.write("%s=%s\n" % (path, file))
    server = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "Tests/Servers/feed_server.py"), "--latency", "200",
         "--lifetime", "1800", "--routes-file", routes, "--files-fixed"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline().split()
    if len(line) != 2 or line[0] != "PORT":
        sys.exit("bench-fetch: the feed server did not start")
    return server, int(line[1])


def warm_server(feeds, port):
    """Asks for every feed once, untimed, so the server reads, hashes and (where gzip-encoded)
    compresses each, keeping all of it, before any tool is measured: otherwise the first
    tool's first cold run pays for that work on the whole bed, and the tools after it do not."""
    def get(feed):
        host, path, _ = feed
        request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path),
                                         headers={"Host": host, "Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(get, feeds))


def measure(command, cwd, env=None):
    """Runs command; returns (wall s, cpu s, peak MB, exit status)."""
    # Every run starts with nothing waiting to be written to disk: writing back what came
    # before (the beds this script generates, some 300 MB, or the last run's database)
    # otherwise takes the disk and a processor from whichever run it falls on. The beds'
    # writeback fell on bulletin's first cold run: 1.42 s against 1.21 and 1.12 s after it.
    os.sync()
    # Diagnostics go to a file, not a pipe: a chatty tool would fill the pipe and block.
    with tempfile.TemporaryFile() as errors:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        print("  %s exited %d: %s" % (command[0], code, stderr.strip()[:500]))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def size_of(route):
    return os.path.getsize(route.split(":", 1)[1] if route.startswith("gzip:") else route)


def bulletin_runs(binary, feeds, port, directory, runs):
    """Cold and warm `runs` times over, each pair on a database of its own: the medians."""
    pairs = [bulletin_pair(binary, feeds, port, os.path.join(directory, "bulletin-%d" % n)) for n in range(runs)]
    if runs > 1:
        for n, ((cw, cc, cm, _), (ww, wc, wm, _)) in enumerate(pairs):
            print("  bulletin run %d: cold %.2f s (cpu %.2f s, %.1f MB), warm %.2f s (cpu %.2f s, %.1f MB)"
                  % (n + 1, cw, cc, cm, ww, wc, wm), flush=True)
    return [tuple(statistics.median(pair[kind][field] for pair in pairs) for field in range(4)) for kind in (0, 1)]


def bulletin_pair(binary, feeds, port, work):
    command = bulletin_setup(binary, feeds, port, work)
    return [measure(command, work) for _ in ("cold", "warm")]


def measure_cold(binary, feeds, port, work):
    return measure(bulletin_setup(binary, feeds, port, work), work)


def bulletin_setup(binary, feeds, port, work):
    """A config and a catalog of `feeds` in `work`; returns the fetch command."""
    os.makedirs(os.path.join(work, "config"))
    with open(os.path.join(work, "feeds.opml"), "w") as f:
        f.write('<?xml version="1.0"?><opml version="2.0"><body>\n')
        for host, path, _ in feeds:
            f.write('<outline text="%s%s" xmlUrl="http://%s:%d%s"/>\n' % (host, path, host, port, path))
        f.write("</body></opml>\n")
    open(os.path.join(work, "config", "bulletin.toml"), "w").close()
    return [binary, "fetch", "--quiet", "--config", "config", "--db", "bulletin.sqlite3", "--feeds", "feeds.opml"]


def newsboat_runs(feeds, port, directory, runs=1):
    """Cold and warm `runs` times over, each pair on a cache of its own: the medians."""
    pairs = []
    for n in range(runs):
        work = os.path.join(directory, "newsboat-%d" % n)
        os.makedirs(work)
        with open(os.path.join(work, "urls"), "w") as f:
            for host, path, _ in feeds:
                f.write("http://%s:%d%s\n" % (host, port, path))
        with open(os.path.join(work, "config"), "w") as f:
            f.write("reload-threads 8\n")
        env = dict(os.environ, HOME=work, XDG_CONFIG_HOME=work, XDG_DATA_HOME=work)
        command = ["newsboat", "-x", "reload", "-u", "urls", "-c", "cache.db", "-C", "config"]
        pairs.append([measure(command, work, env) for _ in ("cold", "warm")])
        if runs > 1:
            (cw, cc, cm, _), (ww, wc, wm, _) = pairs[-1]
            print("  newsboat run %d: cold %.2f s (cpu %.2f s, %.1f MB), warm %.2f s (cpu %.2f s, %.1f MB)"
                  % (n + 1, cw, cc, cm, ww, wc, wm), flush=True)
    return [tuple(statistics.median(pair[kind][field] for pair in pairs) for field in range(4)) for kind in (0, 1)]


def rss2email_runs(feeds, port, directory):
    work = os.path.join(directory, "rss2email")
    os.makedirs(work)
    sink = os.path.join(work, "sink.sh")
    with open(sink, "w") as f:
        f.write("#!/bin/sh\ncat > /dev/null\n")
    os.chmod(sink, 0o755)
    with open(os.path.join(work, "r2e.cfg"), "w") as f:
        f.write("[DEFAULT]\nto = bench@example.com\nfrom = bench@example.com\nemail-protocol = sendmail\n"
                "sendmail = %s\ndigest = True\n" % sink)
        for n, (host, path, _) in enumerate(feeds):
            f.write("\n[feed.f%03d]\nurl = http://%s:%d%s\n" % (n, host, port, path))
    command = ["r2e", "-c", "r2e.cfg", "-d", "r2e.json", "run"]
    return [measure(command, work) for _ in ("cold", "warm")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bulletin", default=os.path.join(ROOT, ".build/release/bulletin"))
    parser.add_argument("--peers", default="newsboat,rss2email", help="comma-separated; empty for none")
    parser.add_argument("--runs", type=int, default=3, help="bulletin's cold and warm runs, each on a new database")
    parser.add_argument("--bed", choices=["shared", "generated"], default="shared",
                        help="../shared/bench's realistic feeds (the default), or this script's own")
    parser.add_argument("--large-feeds", type=int, default=1200,
                        help="with --bed shared: the larger bed whose cold peak memory is compared (0: none)")
    args = parser.parse_args()
    if args.bed == "shared" and not os.path.exists(SHARED_GENERATOR):
        print("note: %s is missing: the generated bed instead" % SHARED_GENERATOR)
        args.bed = "generated"
    load_at_start = os.getloadavg()[0]
    directory = tempfile.mkdtemp(prefix="bulletin-bench-fetch-")
    server = None
    try:
        if args.bed == "shared":
            feeds = generate_shared(directory, 300)
            large = generate_shared(directory, args.large_feeds) if args.large_feeds else []
        else:
            feeds, large = generate(directory, random.Random(4)), []
        size = sum(size_of(route) for _, _, route in feeds)
        server, port = start_server(feeds + large, directory)
        warm_server(feeds + large, port)
        print("bench-fetch: %s bed, %d feeds under %d host names, %.1f MB, 200 ms latency per response%s"
              % (args.bed, len(feeds), len(HOSTS), size / 1e6, ", gzip" if args.bed == "shared" else ""), flush=True)
        print("\n%-22s %9s %9s %9s   %9s %9s %9s" % ("tool", "cold s", "cpu s", "peak MB", "warm s", "cpu s", "peak MB"))
        results = {}

        def record(name, runs):
            results[name] = runs
            (cw, cc, cm, _), (ww, wc, wm, _) = runs
            print("%-22s %9.2f %9.2f %9.1f   %9.2f %9.2f %9.1f" % (name, cw, cc, cm, ww, wc, wm), flush=True)

        binary = os.path.abspath(args.bulletin)
        record("bulletin" + (" (median of %d)" % args.runs if args.runs > 1 else ""),
               bulletin_runs(binary, feeds, port, directory, max(1, args.runs)))
        peers = [p for p in args.peers.split(",") if p]
        if peers and ensure_hosts():
            for peer in peers:
                tool = {"newsboat": "newsboat", "rss2email": "r2e"}[peer]
                if shutil.which(tool) is None:
                    print("note: %s is not installed: skipped" % peer)
                    continue
                if peer == "newsboat":
                    # As many runs as bulletin's, medians beside medians: the machine is shared.
                    record("newsboat (8 threads)" + (" (median of %d)" % args.runs if args.runs > 1 else ""),
                           newsboat_runs(feeds, port, directory, max(1, args.runs)))
                else:
                    record(peer, rss2email_runs(feeds, port, directory))
        print()
        ours = next(iter(results.values()))
        for name, runs in list(results.items())[1:]:
            print("bulletin vs %s: %.1fx faster cold, %.1fx faster warm"
                  % (name, runs[0][0] / ours[0][0], runs[1][0] / ours[1][0]))
        if large:
            cold = [measure_cold(binary, large, port, os.path.join(directory, "large-%d" % n))
                    for n in range(max(1, args.runs))]
            peak = statistics.median(run[2] for run in cold)
            print("bulletin peak memory, cold: %.1f MB at %d feeds, %.1f MB at %d feeds (%.2f s, median of %d)"
                  % (ours[0][2], len(feeds), peak, len(large), statistics.median(run[0] for run in cold), len(cold)))
        if args.bed == "shared":
            print("targets: cold <= 1.3 s, peak <= 150 MB at 300 and at 1,200 feeds, >= 10x newsboat with 8 threads")
            newsboat = next((runs for name, runs in results.items() if name.startswith("newsboat")), None)
            verdicts = ["cold %.2f s %s" % (ours[0][0], "met" if ours[0][0] <= 1.3 else "NOT met"),
                        "peak %.1f MB at %d %s" % (ours[0][2], len(feeds), "met" if ours[0][2] <= 150 else "NOT met")]
            if large:
                verdicts.append("peak %.1f MB at %d %s" % (peak, len(large), "met" if peak <= 150 else "NOT met"))
            if newsboat:
                ratio = newsboat[0][0] / ours[0][0]
                verdicts.append("%.1fx newsboat %s" % (ratio, "met" if ratio >= 10 else "NOT met"))
            print("result: " + "; ".join(verdicts) + " (load average %s at the start, %s at the end: "
                  "on a busy machine the times stretch)" % (load_at_start, os.getloadavg()[0]))
        else:
            print("targets: cold <= 1.5 s, warm <= 1.0 s, >= 5x newsboat with 8 threads (floor ~0.6 s)")
    finally:
        if server:
            server.stdin.close()
            server.terminate()
            server.wait()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
