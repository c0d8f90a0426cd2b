"""The soak's servers, on 127.0.0.1 only, as threads of the driver (they end with it):
three HTTP servers (three "hosts") serving the world's feeds as they are on the current
simulated day, with ETag / Last-Modified and faults, and an SMTP server (aiosmtpd) that
keeps every message it accepts.
"""
import asyncio
import email.utils
import http.server
import logging
import os
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FeedFaults:
    """What goes wrong today, by feed key: ("status", code), ("stall", seconds) or ("kill",)."""

    def __init__(self):
        self.by_feed = {}
        self.stalled = threading.Event()   # set when a ("kill",) response is half sent
        self.release = threading.Event()   # ends every stall at once


class FeedServers:
    def __init__(self, ports):
        self.ports = ports
        self.world = None
        self.day = 1
        self.faults = FeedFaults()
        self.requests = 0
        self.not_modified = 0
        self.lock = threading.Lock()
        self.servers = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 30

            def log_message(self, *args):
                pass

            def do_GET(self):
                try:
                    owner.serve(self)
                except (BrokenPipeError, ConnectionResetError, socket.timeout):
                    pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client killed mid-request is part of the soak

        for port in ports:
            server = Server(("127.0.0.1", port), Handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)
        self.feeds = {}

    def load(self, world):
        self.world = world
        self.feeds = {(feed.port, feed.path): feed for feed in world.feeds}

    def serve(self, request):
        port = request.server.server_address[1]
        feed = self.feeds.get((port, request.path))
        with self.lock:
            self.requests += 1
        if feed is None:
            return self.plain(request, 404, b"no such feed\n")
        fault = self.faults.by_feed.get(feed.key)
        if fault and fault[0] == "status":
            headers = [("Retry-After", "3600")] if fault[1] == 503 else []
            return self.plain(request, fault[1], b"the soak says no today\n", headers)
        if fault and fault[0] == "stall":
            # Answer nothing until well past the fetch timeout.
            self.faults.release.wait(fault[1])
            return self.plain(request, 200, b"too late\n")
        body, changed, etag = feed.document(self.day)
        gzipped = feed.gzip and "gzip" in (request.headers.get("Accept-Encoding") or "")
        if gzipped:
            etag = "W/" + etag
        headers = []
        if feed.validators in ("both", "etag"):
            headers.append(("ETag", etag))
        if feed.validators in ("both", "lastmod"):
            headers.append(("Last-Modified", email.utils.format_datetime(changed, usegmt=True)))
        if not (fault and fault[0] == "kill") and self.fresh(request, feed, etag, changed):
            with self.lock:
                self.not_modified += 1
            request.send_response(304)
            for name, value in headers:
                request.send_header(name, value)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        payload = feed.gzipped(body) if gzipped else body
        request.send_response(200)
        request.send_header("Content-Type", "application/atom+xml" if feed.format == "atom" else "application/rss+xml")
        if gzipped:
            request.send_header("Content-Encoding", "gzip")
        for name, value in headers:
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        if fault and fault[0] == "kill":
            # Half the document, then nothing: the driver kills bulletin now.
            request.wfile.write(payload[:len(payload) // 2])
            request.wfile.flush()
            self.faults.stalled.set()
            self.faults.release.wait(20)
            return
        request.wfile.write(payload)

    @staticmethod
    def fresh(request, feed, etag, changed):
        tags = request.headers.get("If-None-Match")
        if tags is not None and feed.validators in ("both", "etag"):
            return etag in [t.strip() for t in tags.split(",")] or tags.strip() == "*"
        since = request.headers.get("If-Modified-Since")
        if since and feed.validators in ("both", "lastmod"):
            try:
                return changed.replace(microsecond=0) <= email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    @staticmethod
    def plain(request, status, body, headers=()):
        request.send_response(status)
        request.send_header("Content-Type", "text/plain")
        for name, value in headers:
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)


class MailSink:
    """aiosmtpd's handler: every message accepted is kept (bytes, day, time) in order.
    With `stall_next`, the next message is kept (the server has it: it was accepted) but its
    250 is held back, so a client killed now never learns that."""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.messages = []  # (file, day)
        self.day = 0
        self.stall_next = False
        self.stalled = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            name = os.path.join(self.directory, "%05d.eml" % len(self.messages))
            with open(name, "wb") as f:
                f.write(envelope.original_content)
            self.messages.append((name, self.day))
            stall, self.stall_next = self.stall_next, False
        if stall:
            self.stalled.set()
            await asyncio.sleep(20)
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, directory):
        self.port = free_port()
        self.sink = MailSink(directory)
        self.controller = None
        logging.getLogger("mail.log").setLevel(logging.CRITICAL)

    def start(self):
        if self.controller is None:
            self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port, ready_timeout=10)
            for attempt in range(50):
                try:
                    self.controller.start()
                    break
                except (OSError, RuntimeError):
                    # The port of the last start may still be closing.
                    time.sleep(0.1)
            else:
                raise RuntimeError("SMTP server cannot start on port %d" % self.port)

    def stop(self):
        """Down: connections are refused until `start`."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
