#!/usr/bin/env python3
"""An SMTP server for Bulletin's tests, on 127.0.0.1 only (aiosmtpd).

Each message it accepts is saved, byte for byte as received, into the Maildir --maildir
(in new/, one file each), and its envelope as one JSON line {"from": ..., "to": [...], "file": ...} in
<maildir>/envelopes.jsonl. Options:
    --starttls CERT KEY     offer STARTTLS and require it before MAIL
    --implicit-tls CERT KEY TLS from the first byte (smtps)
    --auth USER:PASSWORD    require AUTH (PLAIN/LOGIN) with these credentials
    --fault STAGE:CODE[:N]  answer CODE at STAGE (rcpt or data) to the first N transactions
                            (all when N is missing), then behave
    --silent                accept connections and never say a word
It binds a free port, prints "PORT <n>" on stdout, logs one line per event on stderr, and
stops by itself when its standard input closes (the test is gone) or after --lifetime s.
"""
import argparse
import asyncio
import json
import mailbox
import os
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def log(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


class Handler:
    def __init__(self, maildir, faults):
        self.maildir = maildir
        mailbox.Maildir(maildir, create=True)  # cur/, new/, tmp/
        self.saved = 0
        self.faults = faults  # stage -> [code, remaining or None]

    def fault(self, stage):
        entry = self.faults.get(stage)
        if entry is None:
            return None
        code, remaining = entry
        if remaining is not None:
            if remaining <= 0:
                return None
            entry[1] = remaining - 1
        text = "try again later" if code.startswith("4") else "refused by the test server"
        return "%s %s" % (code, text)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.fault("rcpt")
        if answer:
            log("RCPT %s -> %s" % (address, answer))
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        answer = self.fault("data")
        if answer:
            log("DATA -> %s" % answer)
            return answer
        # Byte for byte as received (mailbox.Maildir.add would rewrite the line endings).
        key = "%d.%d.bulletin-test" % (os.getpid(), self.saved)
        self.saved += 1
        temporary = os.path.join(self.maildir, "tmp", key)
        with open(temporary, "wb") as f:
            f.write(envelope.original_content)
        os.rename(temporary, os.path.join(self.maildir, "new", key))
        with open(os.path.join(self.maildir, "envelopes.jsonl"), "a") as f:
            f.write(json.dumps({"from": envelope.mail_from, "to": envelope.rcpt_tos, "file": key}) + "\n")
        log("DATA accepted %d bytes for %s" % (len(envelope.original_content), envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth")
    parser.add_argument("--fault", action="append", default=[])
    parser.add_argument("--silent", action="store_true")
    parser.add_argument("--lifetime", type=float, default=120)
    args = parser.parse_args()

    faults = {}
    for spec in args.fault:
        parts = spec.split(":")
        faults[parts[0]] = [parts[1], int(parts[2]) if len(parts) > 2 else None]
    handler = Handler(args.maildir, faults)

    def authenticator(server, session, envelope, mechanism, auth_data):
        user, _, password = args.auth.partition(":")
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() \
            and auth_data.password == password.encode()
        log("AUTH %s %s" % (mechanism, "ok" if ok else "refused"))
        return AuthResult(success=ok, handled=False)

    def factory():
        options = {}
        if args.starttls:
            options.update(tls_context=context(*args.starttls), require_starttls=True)
        if args.auth:
            options.update(authenticator=authenticator, auth_required=True,
                           auth_require_tls=bool(args.starttls or args.implicit_tls))
        return SMTP(handler, hostname="bulletin-test", ident="Bulletin test SMTP", **options)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    async def silent_client(reader, writer):
        log("connection held open in silence")
        await asyncio.sleep(args.lifetime)
        writer.close()

    if args.silent:
        server = loop.run_until_complete(asyncio.start_server(silent_client, "127.0.0.1", 0))
    else:
        tls = context(*args.implicit_tls) if args.implicit_tls else None
        server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0, ssl=tls))
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)

    def stop_when_orphaned():
        sys.stdin.read()  # returns at end of input: the parent closed it or died
        loop.call_soon_threadsafe(loop.stop)

    threading.Thread(target=stop_when_orphaned, daemon=True).start()
    loop.call_later(args.lifetime, loop.stop)
    loop.run_forever()


if __name__ == "__main__":
    main()
