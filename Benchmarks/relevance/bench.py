#!/usr/bin/env python3
"""`make bench-relevance`: how well Bulletin's subject tags agree with hand labels.

Serves the corpus files listed in `relevance/feeds.tsv` on 127.0.0.1 (each feed titled
with its file name, or with `--feed-titles own` by its own title as `bulletin feeds add`
names a feed, with the category the list gives it), fetches them with the real
`bulletin fetch` into an empty store with `relevance/inventory.toml` as it is, reads the
subject tags through `bulletin export --format jsonl`, and prints precision and recall
against `relevance/labels-dev.jsonl`: overall, for security feeds, and the wrong and
missed tags by service (`--details` lists each one).

The relevance set lives beside the corpus: `$BULLETIN_RELEVANCE` (default
`../shared/relevance`) and `$BULLETIN_CORPUS` (default `../shared/corpus/feeds`).
"""
import argparse
import collections
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from xml.sax.saxutils import quoteattr

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def read_feeds(relevance):
    with open(os.path.join(relevance, "feeds.tsv")) as lines:
        rows = [line.rstrip("\n").split("\t") for line in lines if line.strip()]
    return [(name, category) for name, category in rows[1:]]


def own_titles(binary, corpus, feeds):
    """Each feed's own title, as `bulletin parse` reads it (and `bulletin feeds add` names a
    feed), made unique; the file name when it has none."""
    titles = {}
    for name, _ in feeds:
        parse = subprocess.run([binary, "parse", os.path.join(corpus, name), "--format", "json"],
                               capture_output=True, text=True)
        try:
            title = " ".join((json.loads(parse.stdout)["feed"].get("title") or "").split())
        except (ValueError, KeyError):
            title = ""
        title = title or name
        titles[name] = title if title not in titles.values() else "%s (%s)" % (title, name)
    return titles


def fetch_and_export(binary, corpus, relevance, feeds, titles):
    server = serve(corpus)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-relevance-") as config:
            base = "http://127.0.0.1:%d/" % server.server_address[1]
            outlines = "\n".join(
                '<outline type="rss" text=%s title=%s xmlUrl=%s category="%s"/>'
                % (quoteattr(titles[name]), quoteattr(titles[name]), quoteattr(base + name), category)
                for name, category in feeds)
            with open(os.path.join(config, "feeds.opml"), "w") as out:
                out.write('<?xml version="1.0"?>\n<opml version="2.0"><head><title>relevance</title></head>'
                          "<body>\n%s\n</body></opml>\n" % outlines)
            with open(os.path.join(config, "bulletin.toml"), "w") as out:
                out.write('database = "bulletin.sqlite3"\nfeeds = ["feeds.opml"]\n')
            with open(os.path.join(relevance, "inventory.toml")) as source, \
                    open(os.path.join(config, "inventory.toml"), "w") as out:
                out.write(source.read())
            fetch = subprocess.run([binary, "--config", config, "--quiet", "fetch"],
                                   capture_output=True, text=True)
            if fetch.returncode not in (0, 3):
                sys.exit("bulletin fetch failed (%d): %s" % (fetch.returncode, fetch.stderr.strip()))
            export = subprocess.run([binary, "--config", config, "export", "--format", "jsonl"],
                                    capture_output=True, text=True)
            if export.returncode != 0:
                sys.exit("bulletin export failed (%d): %s" % (export.returncode, export.stderr.strip()))
            return [json.loads(line) for line in export.stdout.splitlines() if line.strip()]
    finally:
        server.shutdown()


def score(labels, exported, categories, files):
    """(true positives, tags set, labels) overall and per category, and the errors;
    `files` gives each feed title's file."""
    found = {}
    for row in exported:
        key = (files[row["feed"]["title"]], row["id"])
        services = {tag["service"] for tag in row["tags"] if tag["strength"] == "subject"}
        found.setdefault(key, {"services": set(), "row": row})["services"] |= services
    totals = collections.defaultdict(lambda: [0, 0, 0])
    wrong, missed, unknown = [], [], []
    for label in labels:
        key = (label["file"], label["id"])
        if key not in found:
            unknown.append(label)
            continue
        want, got = set(label["services"]), found[key]["services"]
        for group in ("all", categories[label["file"]]):
            totals[group][0] += len(want & got)
            totals[group][1] += len(got)
            totals[group][2] += len(want)
        row = found[key]["row"]
        for service in sorted(got - want):
            wrong.append((service, label, row))
        for service in sorted(want - got):
            missed.append((service, label, row))
    return totals, wrong, missed, unknown


def ratio(a, b):
    return a / b if b else 1.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulletin", default=os.path.join(ROOT, ".build/release/bulletin"))
    parser.add_argument("--details", action="store_true", help="list every wrong and missed tag")
    parser.add_argument("--feed-titles", choices=["file", "own"], default="file",
                        help="name each feed by its file (the default, as the scores are compared) or by its "
                             "own title, as `bulletin feeds add` does")
    args = parser.parse_args()
    relevance = os.environ.get("BULLETIN_RELEVANCE", os.path.join(SHARED, "relevance"))
    corpus = os.environ.get("BULLETIN_CORPUS", os.path.join(SHARED, "corpus", "feeds"))
    if not os.path.isdir(relevance) or not os.path.isdir(corpus):
        sys.exit("relevance set or corpus not found (%s, %s): set BULLETIN_RELEVANCE and BULLETIN_CORPUS"
                 % (relevance, corpus))
    feeds = read_feeds(relevance)
    categories = dict(feeds)
    with open(os.path.join(relevance, "labels-dev.jsonl")) as lines:
        labels = [json.loads(line) for line in lines if line.strip()]
    titles = own_titles(args.bulletin, corpus, feeds) if args.feed_titles == "own" else {name: name for name, _ in feeds}
    exported = fetch_and_export(args.bulletin, corpus, relevance, feeds, titles)
    totals, wrong, missed, unknown = score(labels, exported, categories, {title: name for name, title in titles.items()})

    print("relevance: %d labeled entries of %d feeds (titled by their %s), %d entries exported"
          % (len(labels), len(feeds), "own titles" if args.feed_titles == "own" else "file names", len(exported)))
    print("%-14s %9s %7s %6s %7s" % ("", "precision", "recall", "tags", "labels"))
    for group in ("all", "security", "announcements"):
        right, tags, wanted = totals[group]
        print("%-14s %9.3f %7.3f %6d %7d" % (group, ratio(right, tags), ratio(right, wanted), tags, wanted))
    if unknown:
        print("labeled entries not in the store: %d (e.g. %s %s)" % (len(unknown), unknown[0]["file"], unknown[0]["id"]))
    by_service = collections.defaultdict(lambda: [0, 0])
    for service, _, _ in wrong:
        by_service[service][0] += 1
    for service, _, _ in missed:
        by_service[service][1] += 1
    if by_service:
        print("\n%-18s %6s %7s" % ("service", "wrong", "missed"))
        for service, (w, m) in sorted(by_service.items(), key=lambda item: -sum(item[1])):
            print("%-18s %6d %7d" % (service, w, m))
    if args.details:
        for title, errors in (("wrong", wrong), ("missed", missed)):
            print("\n%s tags:" % title)
            for service, label, row in errors:
                tags = [t for t in row["tags"] if t["service"] == service]
                how = "; ".join("%s %s %s %r" % (t["strength"], t["rule"], t["field"], t["alias"]) for t in tags)
                print("  %-16s %s | %s | %s" % (service, label["file"], (label["title"] or "")[:90], how or "-"))


if __name__ == "__main__":
    main()
