#!/usr/bin/env python3
"""A webhook receiver for Bulletin's tests, on 127.0.0.1 only.

Every POST is recorded as one JSON line in --record FILE: {"path", "headers", "body",
"signature": "valid" | "invalid" | "missing"}. With --secret S the signature is checked
as Bulletin documents it: X-Bulletin-Signature = "sha256=" + hex HMAC-SHA256(S,
X-Bulletin-Timestamp + "." + body); an invalid or missing signature is answered 401.
--responses 500,200 answers the first request 500, the next 200, and repeats the last.
It binds a free port, prints "PORT <n>" on stdout, and stops by itself when its standard
input closes or after --lifetime seconds.
"""
import argparse
import hashlib
import hmac
import http.server
import json
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    secret = None
    answers = [200]
    record = None
    count = 0
    lock = threading.Lock()

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.command, fmt % args))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        signature = "missing"
        given = self.headers.get("X-Bulletin-Signature")
        if given is not None and self.secret is not None:
            timestamp = self.headers.get("X-Bulletin-Timestamp", "")
            mac = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            signature = "valid" if hmac.compare_digest(given, "sha256=" + mac) else "invalid"
        with Handler.lock:
            status = self.answers[min(Handler.count, len(self.answers) - 1)]
            Handler.count += 1
            if self.secret is not None and signature != "valid":
                status = 401
            with open(self.record, "a") as f:
                f.write(json.dumps({"path": self.path, "headers": dict(self.headers.items()),
                                    "body": body.decode("utf-8", "replace"), "signature": signature,
                                    "status": status}) + "\n")
        answer = b"ok\n" if status < 300 else b"no\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", required=True)
    parser.add_argument("--secret")
    parser.add_argument("--responses", default="200")
    parser.add_argument("--lifetime", type=float, default=120)
    args = parser.parse_args()
    Handler.secret = args.secret
    Handler.answers = [int(code) for code in args.responses.split(",")]
    Handler.record = args.record
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)

    def stop_when_orphaned():
        sys.stdin.read()
        server.shutdown()

    threading.Thread(target=stop_when_orphaned, daemon=True).start()
    timer = threading.Timer(args.lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    server.serve_forever()


if __name__ == "__main__":
    main()
