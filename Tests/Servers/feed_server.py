#!/usr/bin/env python3
"""A feed server for Bulletin's tests, on 127.0.0.1 only.

Routes come from the command line, one per argument:
    /path=FILE              serve FILE (with an ETag and Last-Modified; honours
                            If-None-Match and If-Modified-Since with 304)
    /path=status:CODE       answer CODE with a short text body
    /path=redirect:CODE:/to answer CODE with Location: /to
    /path=bytes:TEXT        serve TEXT (UTF-8) as application/xml
Any other path is 404. The server binds a free port, prints "PORT <n>" on stdout, logs
each request as one line on stderr, and stops by itself when its standard input closes
(the test that started it is gone) or after --lifetime seconds.
"""
import argparse
import email.utils
import hashlib
import http.server
import os
import sys
import threading


def parse_routes(specs):
    routes = {}
    for spec in specs:
        path, _, target = spec.partition("=")
        routes[path] = target
    return routes


class Handler(http.server.BaseHTTPRequestHandler):
    routes = {}
    server_version = "BulletinTestFeeds/1"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.command, fmt % args))

    def do_GET(self):
        target = self.routes.get(self.path.split("?", 1)[0])
        if target is None:
            return self.answer(404, b"not found\n", "text/plain")
        kind, _, rest = target.partition(":")
        if kind == "status":
            return self.answer(int(rest), b"status %s\n" % rest.encode(), "text/plain")
        if kind == "redirect":
            code, _, location = rest.partition(":")
            return self.answer(int(code), b"", "text/plain", {"Location": location})
        if kind == "bytes":
            return self.answer(200, rest.encode("utf-8"), "application/xml")
        with open(target, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        modified = email.utils.formatdate(os.path.getmtime(target), usegmt=True)
        validators = {"ETag": etag, "Last-Modified": modified}
        if self.headers.get("If-None-Match") == etag or (
            self.headers.get("If-None-Match") is None and self.headers.get("If-Modified-Since") == modified
        ):
            return self.answer(304, b"", None, validators)
        self.answer(200, body, "application/rss+xml", validators)

    def answer(self, code, body, content_type, headers=None):
        self.send_response(code)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lifetime", type=float, default=300)
    parser.add_argument("routes", nargs="*")
    args = parser.parse_args()
    Handler.routes = parse_routes(args.routes)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)

    def stop_when_orphaned():
        sys.stdin.read()  # returns at end of input: the parent closed it or died
        server.shutdown()

    threading.Thread(target=stop_when_orphaned, daemon=True).start()
    timer = threading.Timer(args.lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    server.serve_forever()


if __name__ == "__main__":
    main()
