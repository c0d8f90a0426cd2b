#!/usr/bin/env python3
"""Agreement of `bulletin parse` with Python's feedparser 6 on the shared feed corpus.

Usage: conformance.py BULLETIN CORPUS_DIR [--details]

For every entry feedparser finds (matched by position), four fields are compared:
- title: both sides as plain text (tags stripped, entities decoded, whitespace collapsed);
- link;
- id, when the feed gives one (feedparser has none otherwise; we derive one);
- date: the entry's date to the second, published or else updated, on each side.
  (feedparser files dc:date under `updated`, Bulletin's contract under `published`, so
  the two fields are compared as the one date an entry is sorted by.)
A field counts when either side has a value. Prints the agreement per field and overall
and, with --details, every difference (each is explained in DIFFERENCES.md).
"""
import calendar
import html
import json
import os
import re
import subprocess
import sys

import feedparser

INLINE = "a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strike|strong|sub|sup|time|tt|u|var"
INLINE_TAG = re.compile(r"</?(?:%s)\b[^>]*>" % INLINE, re.I)
TAG = re.compile(r"<[^>]*>")


def text(value):
    if value is None:
        return None
    value = html.unescape(TAG.sub(" ", INLINE_TAG.sub("", value)))
    value = " ".join(value.split())
    return value or None


def seconds(struct):
    return calendar.timegm(struct) if struct else None


def ours_seconds(value):
    if not value:
        return None
    from datetime import datetime, timezone
    return int(datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


def main():
    bulletin, corpus = sys.argv[1], sys.argv[2]
    details = "--details" in sys.argv
    agree = total = 0
    differences = []
    per_field = {}
    files = sorted(f for f in os.listdir(corpus) if f.endswith(".xml"))
    for name in files:
        path = os.path.join(corpus, name)
        with open(path, "rb") as f:
            reference = feedparser.parse(f.read())
        run = subprocess.run([bulletin, "parse", path, "--format", "json"], capture_output=True)
        ours = json.loads(run.stdout)["entries"] if run.returncode == 0 else []
        for index, theirs in enumerate(reference.entries):
            mine = ours[index] if index < len(ours) else None
            fields = {
                "title": (text(theirs.get("title")), mine and mine["title"]),
                "link": (theirs.get("link") or None, mine and mine["link"]),
                "id": (theirs.get("id") or None, mine and mine["id"]),
                "date": (seconds(dict.get(theirs, "published_parsed") or dict.get(theirs, "updated_parsed")),
                         mine and ours_seconds(mine["published"] or mine["updated"])),
            }
            for field, (expected, actual) in fields.items():
                if expected is None and (field == "id" or not actual):
                    continue
                if field == "title" and actual is not None:
                    actual = " ".join(actual.split())
                total += 1
                counts = per_field.setdefault(field, [0, 0])
                counts[1] += 1
                if expected == actual:
                    agree += 1
                    counts[0] += 1
                else:
                    differences.append((name, index, field, expected, actual))
    if details:
        for name, index, field, expected, actual in differences:
            print(f"{name} #{index} {field}: feedparser {expected!r} / bulletin {actual!r}")
    for field, (same, count) in per_field.items():
        print(f"  {field:9} {same}/{count} ({100 * same / count:.2f} %)")
    print(f"agreement with feedparser {feedparser.__version__}: {agree}/{total} fields = {100 * agree / total:.2f} %"
          f" over {len(files)} documents")


if __name__ == "__main__":
    main()
