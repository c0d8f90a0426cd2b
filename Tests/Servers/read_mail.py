#!/usr/bin/env python3
"""Reads one raw message (a file from the test SMTP server's Maildir) with Python's
`email` package and prints what the tests check, as JSON: decoded headers, the MIME
structure, each part's charset, transfer encoding and decoded text, and facts about the
raw bytes (CRLF only, longest line, non-ASCII bytes)."""
import email
import json
import sys
from email import policy


def main():
    raw = open(sys.argv[1], "rb").read()
    message = email.message_from_bytes(raw, policy=policy.default)
    lines = raw.split(b"\r\n")
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append({
            "type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "encoding": part.get("Content-Transfer-Encoding"),
            "text": part.get_content(),
        })
    print(json.dumps({
        "headers": {name: str(value) for name, value in message.items()},
        "header_names": list(message.keys()),
        "type": message.get_content_type(),
        "parts": parts,
        "defects": [type(d).__name__ for d in message.defects],
        "crlf_only": b"\n" not in raw.replace(b"\r\n", b""),
        "longest_line": max(len(line) for line in lines),
        "ascii_only": all(b < 128 for b in raw),
    }))


if __name__ == "__main__":
    main()
