#!/usr/bin/env python3
"""A feed server for Bulletin's tests and benchmarks, on 127.0.0.1 only.

Routes come from the command line, one per argument, `/path=TARGET`:
    FILE                    serve FILE (with an ETag and Last-Modified; honours
                            If-None-Match and If-Modified-Since with 304)
    gzip:FILE               the same, gzip-encoded when the client accepts it, with a
                            weak ETag (W/"..."), as nginx does
    bytes:TEXT              serve TEXT (UTF-8) as application/xml, no validators
    status:CODE             answer CODE with a short text body
    retry:CODE:VALUE        answer CODE with Retry-After: VALUE
    redirect:CODE:/to       answer CODE with Location: /to
    truncated:FILE          promise FILE's length, send half of it, close
    chunked:N               send N bytes of XML, chunked (no Content-Length)
    sized:N                 send N bytes of XML with Content-Length
    bomb:N                  gzip of N spaces (a decompression bomb), small on the wire
    coded:CODING:FILE       FILE's bytes as they are, sent as `Content-Encoding: CODING`
                            (whatever the client asked for)
    hang                    read the request and never answer
    delay:MS:TARGET         wait MS milliseconds, then answer as TARGET
Any other path is 404. `--latency MS` delays every answer (304s too). `--log FILE`
appends one JSON line per request (method, path, headers, when it arrived and when its
answer began, after the latency). `--files-fixed` promises that no served file changes
while the server runs: each is read and hashed once, as a real server keeps what it
serves in memory, so a benchmark times its client rather than this server. The server
binds a free port (or `--port`), prints "PORT <n>" on stdout, and stops by itself when its
standard input closes (whoever started it is gone) or after --lifetime seconds.
"""
import argparse
import email.utils
import gzip
import hashlib
import http.server
import json
import os
import sys
import threading
import time
import zlib

STOP = threading.Event()
LOG_LOCK = threading.Lock()
FILLER = b"<item><title>filler</title></item>\n"


def parse_routes(specs):
    routes = {}
    for spec in specs:
        path, _, target = spec.partition("=")
        routes[path] = target
    return routes


def gzip_bomb(size):
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b" " * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(size >> 20)]
    parts.append(compressor.compress(b" " * (size & ((1 << 20) - 1))))
    parts.append(compressor.flush())
    return b"".join(parts)


class Handler(http.server.BaseHTTPRequestHandler):
    routes = {}
    latency = 0.0
    log_file = None
    server_version = "BulletinTestFeeds/1"
    protocol_version = "HTTP/1.1"
    cache = {}
    files_fixed = False

    def log_message(self, fmt, *args):
        pass

    def record_request(self, started):
        if not self.log_file:
            return
        line = json.dumps({"method": self.command, "path": self.path, "start": started, "end": time.time(),
                           "headers": {k.lower(): v for k, v in self.headers.items()}})
        with LOG_LOCK, open(self.log_file, "a") as f:
            f.write(line + "\n")

    def do_GET(self):
        started = time.time()
        if self.latency:
            time.sleep(self.latency)
        target = self.routes.get(self.path.split("?", 1)[0])
        self.record_request(started)  # before answering, so the client never sees the answer first
        if target is None:
            return self.answer(404, b"not found\n", "text/plain")
        self.serve(target)

    def serve(self, target):
        kind, _, rest = target.partition(":")
        if kind == "delay":
            ms, _, inner = rest.partition(":")
            time.sleep(int(ms) / 1000)
            return self.serve(inner)
        if kind == "status":
            return self.answer(int(rest), b"status %s\n" % rest.encode(), "text/plain")
        if kind == "retry":
            code, _, value = rest.partition(":")
            return self.answer(int(code), b"slow down\n", "text/plain", {"Retry-After": value})
        if kind == "redirect":
            code, _, location = rest.partition(":")
            return self.answer(int(code), b"", "text/plain", {"Location": location})
        if kind == "bytes":
            return self.answer(200, rest.encode("utf-8"), "application/xml")
        if kind == "hang":
            STOP.wait()
            self.close_connection = True
            return
        if kind == "sized":
            body = (FILLER * (int(rest) // len(FILLER) + 1))[: int(rest)]
            return self.answer(200, body, "application/xml")
        if kind == "chunked":
            return self.send_chunked(int(rest))
        if kind == "bomb":
            body = self.cached(target, lambda: gzip_bomb(int(rest)))
            return self.answer(200, body, "application/xml", {"Content-Encoding": "gzip"})
        if kind == "coded":
            coding, _, path = rest.partition(":")
            return self.answer(200, self.read(path), "application/xml", {"Content-Encoding": coding})
        if kind == "truncated":
            body = self.read(rest)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if kind == "gzip":
            return self.serve_file(rest, compress=True)
        return self.serve_file(target, compress=False)

    def serve_file(self, path, compress):
        if self.files_fixed:
            body, tag, modified = self.cached(("file", path), lambda: self.describe(path))
        else:
            body, tag, modified = self.describe(path)
        etag = ('W/"%s"' if compress else '"%s"') % tag
        validators = {"ETag": etag, "Last-Modified": modified}
        if self.headers.get("If-None-Match") == etag or (
            self.headers.get("If-None-Match") is None and self.headers.get("If-Modified-Since") == modified
        ):
            return self.answer(304, b"", None, validators)
        if compress and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            # Compressed once per content: a benchmark's 300 feeds would otherwise cost the
            # server seconds of CPU, and time its own work rather than the client's.
            body = self.cached(("gzip", tag, len(body)), lambda: gzip.compress(body))
            validators["Content-Encoding"] = "gzip"
        self.answer(200, body, "application/rss+xml", validators)

    def send_chunked(self, size):
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        sent = 0
        try:
            while sent < size:
                chunk = FILLER * min(1024, (size - sent) // len(FILLER) + 1)
                chunk = chunk[: size - sent]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def read(self, path):
        with open(path, "rb") as f:
            return f.read()

    def describe(self, path):
        """The file's bytes, the tag its ETag is made of, and its Last-Modified date."""
        body = self.read(path)
        return body, hashlib.sha256(body).hexdigest()[:16], email.utils.formatdate(os.path.getmtime(path), usegmt=True)

    def cached(self, key, make):
        if key not in Handler.cache:
            Handler.cache[key] = make()
        return Handler.cache[key]

    def answer(self, code, body, content_type, headers=None):
        self.send_response(code)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if code != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if self.command != "HEAD" and code != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lifetime", type=float, default=300)
    parser.add_argument("--latency", type=float, default=0, help="milliseconds before every answer")
    parser.add_argument("--log", help="append one JSON line per request to this file")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--routes-file", help="more routes, one per line")
    parser.add_argument("--files-fixed", action="store_true", help="no served file changes: read each once")
    parser.add_argument("routes", nargs="*")
    args = parser.parse_args()
    specs = list(args.routes)
    if args.routes_file:
        with open(args.routes_file) as f:
            specs += [line.strip() for line in f if line.strip()]
    Handler.routes = parse_routes(specs)
    Handler.latency = args.latency / 1000
    Handler.log_file = args.log
    Handler.files_fixed = args.files_fixed
    http.server.ThreadingHTTPServer.request_queue_size = 1024
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)

    def stop():
        STOP.set()
        server.shutdown()

    def stop_when_orphaned():
        sys.stdin.read()  # returns at end of input: the parent closed it or died
        stop()

    threading.Thread(target=stop_when_orphaned, daemon=True).start()
    timer = threading.Timer(args.lifetime, stop)
    timer.daemon = True
    timer.start()
    server.serve_forever()


if __name__ == "__main__":
    main()
