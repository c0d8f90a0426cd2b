#!/usr/bin/env python3
"""`make soak`: a year of daily `bulletin run`s in minutes, with faults, then checks.

In a temporary directory, on 127.0.0.1 only: three HTTP servers (three "hosts") serve
twenty RSS and Atom feeds whose content changes every simulated day (new entries naming
the inventory's services, old ones rolling off, some revised; ETag and Last-Modified
honoured, so some days are 304s), and an SMTP server (aiosmtpd) keeps every message it
accepts. The release binary then runs once per simulated day, `BULLETIN_NOW` set to that
day's 06:00Z, with weekly `prune --older-than 90d --all` as the retention policy, and on
chosen days a fault: 5xx answers, feeds stalling past the fetch timeout, the SMTP server
down, SIGKILL mid-fetch, mid-send (the server has the message but holds back its 250) and
at a random moment, a full disk (the store lives on a small tmpfs the driver fills; it
runs in a private mount namespace, through `unshare`, so the mount ends with it), and a
three-day outage of one feed. The checks at the end each print a line with their figures
and PASS or FAIL (or SKIP); any FAIL exits 1.

Usage: soak.py --bulletin .build/release/bulletin [--days 365] [--seed N] [--keep]
Python 3 from Debian with python3-aiosmtpd; nothing else.
"""
import argparse
import collections
import ctypes
import email
import email.policy
import errno
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import world as worldmodel  # noqa: E402
from servers import FeedServers, SMTPServer, free_port  # noqa: E402

PRUNE_EVERY = 7
PRUNE_AGE_DAYS = 90
FIRST_RUN_DAYS = 14
STORE_TMPFS = "64m"
RUN_LIMIT = 120      # seconds one run may take before it counts as hung
SOAK_LIMIT = 3600    # the whole soak gives up after this

# Faults: (where in the year, as a fraction of the days, what). Each lands on its own day.
SCHEDULE = [
    (0.025, "http-5xx"),
    (0.063, "timeout"),
    (0.110, "smtp-down"),
    (0.159, "kill-fetch"),
    (0.211, "kill-send"),
    (0.260, "disk-full"),
    (0.301, "outage-3-days"),
    (0.360, "kill-random"),
    (0.411, "kill-random"),
    (0.468, "disk-nearly-full"),
    (0.548, "kill-send"),
    (0.600, "kill-random"),
    (0.630, "smtp-down"),
    (0.680, "kill-random"),
    (0.712, "kill-fetch"),
    (0.822, "kill-random"),
    (0.880, "kill-random"),
    (0.912, "timeout"),
    (0.960, "http-5xx"),
]
# Which exit codes each kind of day may end with (-9: killed, as it should be).
EXPECTED_CODES = {
    "normal": {0},
    "http-5xx": {3}, "timeout": {3}, "outage-3-days": {3}, "smtp-down": {3},
    "kill-fetch": {-9}, "kill-send": {-9}, "kill-random": {-9},
    "disk-full": {1, 3}, "disk-nearly-full": {0, 1, 3},
}


def log(text=""):
    print(text, flush=True)


# ---------------------------------------------------------------- the mount namespace

def enter_namespace():
    """Runs this script again in a private mount namespace (as root, or as root of a new
    user namespace), so the store's tmpfs ends with it. Returns when already there or
    when that cannot be done (then there is no small disk to fill)."""
    if os.environ.get("BULLETIN_SOAK_NAMESPACE"):
        return
    os.environ["BULLETIN_SOAK_NAMESPACE"] = "tried"
    unshare = shutil.which("unshare")
    if not unshare:
        return
    command = [unshare, "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        command[1:1] = ["--user", "--map-root-user"]
    probe = subprocess.run(command + ["true"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if probe.returncode != 0:
        return
    os.environ["BULLETIN_SOAK_NAMESPACE"] = "private"
    os.execv(unshare, command + ["--", sys.executable] + sys.argv)


def mount_tmpfs(directory):
    if os.environ.get("BULLETIN_SOAK_NAMESPACE") != "private":
        return "no private mount namespace (unshare failed)"
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s,mode=0700" % STORE_TMPFS, "soak-store", directory],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return None if result.returncode == 0 else "mount: " + result.stdout.strip()


def fill_disk(directory, leave=0):
    """Fills the file system of `directory` up to `leave` bytes free, with one file."""
    path = os.path.join(directory, "filler")
    with open(path, "wb", buffering=0) as f:
        for size in (1 << 20, 1 << 16, 1 << 12, 512):
            chunk = b"\0" * size
            while True:
                stat = os.statvfs(directory)
                if leave and stat.f_bavail * stat.f_frsize - size < leave:
                    break
                try:
                    f.write(chunk)
                except OSError as error:
                    if error.errno in (errno.ENOSPC, errno.EDQUOT):
                        break
                    raise
    stat = os.statvfs(directory)
    return stat.f_bavail * stat.f_frsize


# ---------------------------------------------------------------- running bulletin

_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent():
    _libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the child never outlives its parent


# Starts each bulletin and reports its exit and its largest resident size. A separate,
# small process: a child's ru_maxrss also counts what the process had before its exec,
# which for a child forked from this driver (tens of MiB: the world, the exports) would
# be the driver's size. Forked from this launcher it is at most the launcher's (a few MiB).
LAUNCHER = r"""
import ctypes, json, os, signal, sys
libc = ctypes.CDLL(None)
for line in sys.stdin:
    job = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
            libc.prctl(1, signal.SIGKILL)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(os.open(job["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
            os.dup2(os.open(job["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
            os.execve(job["argv"][0], job["argv"], job["env"])
        finally:
            os._exit(127)
    print(json.dumps({"pid": pid}), flush=True)
    _, status, usage = os.wait4(pid, 0)
    print(json.dumps({"code": os.waitstatus_to_exitcode(status), "maxrss": usage.ru_maxrss}), flush=True)
"""


class Launched:
    def __init__(self, pid):
        self.pid = pid
        self.done = threading.Event()

    def running(self):
        return not self.done.is_set()

    def kill(self):
        if self.running():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class Bulletin:
    def __init__(self, binary, config, logs):
        self.binary = binary
        self.config = config
        self.logs = logs
        self.launcher = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)

    def start(self, now, arguments, name):
        env = dict(os.environ, BULLETIN_NOW=worldmodel.iso(now), NO_COLOR="1")
        env.pop("BULLETIN_CONFIG", None)
        job = {"argv": [self.binary, "--config", self.config] + arguments, "env": env,
               "out": os.path.join(self.logs, name + ".out"), "err": os.path.join(self.logs, name + ".err")}
        self.launcher.stdin.write(json.dumps(job) + "\n")
        self.launcher.stdin.flush()
        return Launched(json.loads(self.launcher.stdout.readline())["pid"])

    def wait(self, process, name, limit=RUN_LIMIT):
        """(exit code, -signal when killed; max RSS in KiB; seconds; stdout; stderr; hung)."""
        started = time.monotonic()
        hung = []

        def watchdog():
            hung.append(True)
            process.kill()
        timer = threading.Timer(limit, watchdog)
        timer.start()
        result = json.loads(self.launcher.stdout.readline())
        process.done.set()
        timer.cancel()
        seconds = time.monotonic() - started
        with open(os.path.join(self.logs, name + ".out"), "rb") as f:
            out = f.read().decode("utf-8", "replace")
        with open(os.path.join(self.logs, name + ".err"), "rb") as f:
            err = f.read().decode("utf-8", "replace")
        return result["code"], result["maxrss"], seconds, out, err, bool(hung)

    def call(self, now, arguments, name):
        code, rss, seconds, out, err, hung = self.wait(self.start(now, arguments, name), name)
        return code, out, err

    def close(self):
        self.launcher.stdin.close()
        self.launcher.wait()


# ---------------------------------------------------------------- the soak

class Soak:
    def __init__(self, args):
        self.args = args
        self.days = args.days
        self.work = tempfile.mkdtemp(prefix="bulletin-soak-")
        self.store_dir = os.path.join(self.work, "store")
        self.logs = os.path.join(self.work, "logs")
        os.makedirs(self.store_dir)
        os.makedirs(self.logs)
        self.tmpfs_problem = mount_tmpfs(self.store_dir)
        ports = [free_port() for _ in range(3)]
        self.world = worldmodel.World(self.days, ports, seed=args.seed)
        self.http = FeedServers(ports)
        self.http.load(self.world)
        self.smtp = SMTPServer(os.path.join(self.work, "mail"))
        self.smtp.start()
        self.database = os.path.join(self.store_dir, "bulletin.sqlite3")
        self.config = os.path.join(self.work, "config")
        self.write_config()
        self.bulletin = Bulletin(args.bulletin, self.config, self.logs)
        self.plan = self.make_plan()
        self.records = []        # one per day
        self.exports = {}        # (feed url, entry id) -> last exported row
        self.prunes = []         # (day, cutoff, exit code, output)
        self.doctor = []         # (day, fault, exit code, output)
        self.sizes = {}          # day -> the store's figures after a checkpoint
        self.last_export = set()  # (feed url, entry id) of the latest export
        self.rng = random.Random(args.seed + 1)

    def write_config(self):
        os.makedirs(self.config)
        outlines = "\n".join(
            '    <outline type="rss" text="%s" title="%s" xmlUrl="%s" category="%s"/>'
            % (feed.title, feed.title, feed.url, feed.category) for feed in self.world.feeds)
        with open(os.path.join(self.config, "feeds.opml"), "w") as f:
            f.write('<?xml version="1.0"?>\n<opml version="2.0"><head><title>soak</title></head><body>\n'
                    + outlines + "\n</body></opml>\n")
        with open(os.path.join(self.config, "inventory.toml"), "w") as f:
            f.write("\n".join("[[service]]\n" + table for table in worldmodel.INVENTORY.values()))
        with open(os.path.join(self.config, "bulletin.toml"), "w") as f:
            f.write("""database = "%s"
feeds = ["feeds.opml"]

[fetch]
concurrency = 20
per_host = 2
connect_timeout = 2
timeout = 3
max_backoff = 86400
flag_after = 3

[digest]
first_run_days = %d
heartbeat = true

[run]
lock_wait = 5

[[channel]]
name = "soak-mail"
kind = "email"
to = ["ops@example.com"]
from = "Bulletin soak <bulletin@example.com>"
smtp_url = "smtp://127.0.0.1:%d"
tls = "off"
timeout = 10
""" % (self.database, FIRST_RUN_DAYS, self.smtp.port))

    def make_plan(self):
        plan = {}
        for fraction, fault in SCHEDULE:
            day = max(2, round(fraction * self.days))
            span = 3 if fault == "outage-3-days" else 1
            while day + span - 1 < self.days and any(d in plan for d in range(day - 1, day + span + 1)):
                day += 1
            if day + span - 1 >= self.days or any(d in plan for d in range(day, day + span)):
                continue  # too few days for every fault: fewer faults
            for d in range(day, day + span):
                plan[d] = fault
        return plan

    # ------------------------------------------------------------ one day

    def run_day(self, day):
        fault = self.plan.get(day, "normal")
        now = worldmodel.run_time(day)
        self.http.day = day
        self.smtp.sink.day = day
        faults = self.http.faults
        faults.by_feed = {}
        faults.stalled.clear()
        faults.release.clear()
        self.smtp.sink.stalled.clear()
        note = ""
        skipped = False
        if fault == "http-5xx":
            faults.by_feed = {"ubuntu": ("status", 500), "ghsa-npm": ("status", 503), "pg-news": ("status", 502)}
        elif fault == "outage-3-days":
            faults.by_feed = {"cisa": ("status", 502)}
        elif fault == "timeout":
            faults.by_feed = {"alas": ("stall", 8), "kernel": ("stall", 8), "blog": ("stall", 8)}
        elif fault == "smtp-down":
            self.smtp.stop()
        elif fault == "kill-fetch":
            faults.by_feed = {"rhsa": ("kill",)}
        elif fault == "kill-send":
            self.smtp.sink.stall_next = True
        elif fault in ("disk-full", "disk-nearly-full"):
            if self.tmpfs_problem:
                skipped = True
                note = "not injected: " + self.tmpfs_problem
            else:
                left = fill_disk(self.store_dir, leave=0 if fault == "disk-full" else 192 * 1024)
                note = "%d KiB left free" % (left // 1024)

        name = "day%03d-run" % day
        process = self.bulletin.start(now, ["run", "--format", "json"], name)
        killed = threading.Event()
        trigger = None
        if fault == "kill-fetch":
            trigger = faults.stalled
        elif fault == "kill-send":
            trigger = self.smtp.sink.stalled
        killer = None
        if trigger is not None:
            def kill_on(event=trigger):
                if event.wait(60) and process.running():
                    killed.set()
                    process.kill()
            killer = threading.Thread(target=kill_on, daemon=True)
            killer.start()
        elif fault == "kill-random":
            # Somewhere in the fetch, store and tag stages: once the servers have answered a
            # few of the day's requests, and a little later.
            requests = self.http.requests + self.rng.randint(1, len(self.world.feeds))
            delay = self.rng.uniform(0, 0.08)
            note = "killed %.0f ms after request %d of the day" % (delay * 1000, requests - self.http.requests)

            def kill_later():
                while process.running() and self.http.requests < requests:
                    time.sleep(0.002)
                time.sleep(delay)
                if process.running():
                    killed.set()
                    process.kill()
            killer = threading.Thread(target=kill_later, daemon=True)
            killer.start()
        code, rss, seconds, out, err, hung = self.bulletin.wait(process, name)
        if killer is not None and hasattr(killer, "cancel"):
            killer.cancel()
        faults.release.set()
        if fault == "kill-random" and not killed.is_set():
            note = "finished before the kill (%.0f ms)" % (seconds * 1000)
        elif fault == "kill-random":
            note += ", %.0f ms into the run" % (seconds * 1000)

        summary = None
        try:
            summary = json.loads(out) if out.strip() else None
        except ValueError:
            pass
        record = {"day": day, "fault": fault, "code": code, "rss_kib": rss, "seconds": round(seconds, 3),
                  "killed": killed.is_set(), "hung": hung, "note": note, "skipped": skipped,
                  "summary": summary, "stderr": err}
        if fault in ("kill-fetch", "kill-send") and not killed.is_set():
            record["note"] = "fault not injected: the run ended before the stall (%s)" % err.strip()[-200:]
            record["not_injected"] = True

        if killed.is_set() or fault in ("disk-full", "disk-nearly-full"):
            dcode, dout, derr = self.bulletin.call(now, ["doctor"], "day%03d-doctor" % day)
            self.doctor.append((day, fault, dcode, (dout + derr).strip()))
            record["doctor"] = (dcode, (dout + derr).strip())
        if fault in ("disk-full", "disk-nearly-full") and not skipped:
            os.remove(os.path.join(self.store_dir, "filler"))
        if fault == "smtp-down":
            self.smtp.start()

        if day % PRUNE_EVERY == 0 or day == self.days:
            self.export(day)
        if day % PRUNE_EVERY == 0:
            prune_at = now + worldmodel.datetime.timedelta(minutes=45)
            pcode, pout, perr = self.bulletin.call(prune_at, ["prune", "--older-than", "%dd" % PRUNE_AGE_DAYS,
                                                              "--all"], "day%03d-prune" % day)
            cutoff = prune_at - PRUNE_AGE_DAYS * worldmodel.DAY
            self.prunes.append((day, cutoff, pcode, (pout + perr).strip()))
            record["prune"] = (pcode, (pout + perr).strip())
        record["db_bytes"] = size(self.database)
        record["wal_bytes"] = size(self.database + "-wal")
        if day % 30 == 0 or day == self.size_day() or day == self.days:
            self.sizes[day] = self.checkpointed_size()
        self.records.append(record)
        return record

    def size_day(self):
        return 120 if self.days >= 240 else None

    def checkpointed_size(self):
        connection = sqlite3.connect(self.database)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            entries = connection.execute("SELECT count(*) FROM entry").fetchone()[0]
            pages, page_size = (connection.execute("PRAGMA page_count").fetchone()[0],
                                connection.execute("PRAGMA page_size").fetchone()[0])
            free = connection.execute("PRAGMA freelist_count").fetchone()[0]
        finally:
            connection.close()
        return {"bytes": size(self.database), "wal": size(self.database + "-wal"), "entries": entries,
                "pages": pages, "free_pages": free, "page_size": page_size}

    def export(self, day):
        code, out, err = self.bulletin.call(worldmodel.run_time(day) + worldmodel.datetime.timedelta(minutes=30),
                                            ["export", "--format", "jsonl"], "day%03d-export" % day)
        if code != 0:
            raise SystemExit("day %d: bulletin export exited %d: %s" % (day, code, err.strip()))
        self.last_export = set()
        for line in out.splitlines():
            if line.strip():
                row = json.loads(line)
                row["exported_on"] = day
                key = (row["feed"]["url"], row["id"])
                self.exports[key] = row
                self.last_export.add(key)

    # ------------------------------------------------------------ the whole year

    def run(self):
        log("soak: %d days from %s, %d feeds on 3 ports, SMTP on %d, work dir %s"
            % (self.days, worldmodel.iso(worldmodel.RUN_0), len(self.world.feeds), self.smtp.port, self.work))
        log("soak: store on %s" % ("a %s tmpfs (a private mount namespace)" % STORE_TMPFS if not self.tmpfs_problem
                                   else "the temp dir's file system: " + self.tmpfs_problem))
        log("soak: faults: " + ", ".join("day %d %s" % (d, f) for d, f in sorted(self.plan.items())))
        started = time.monotonic()
        previous_fault = None
        for day in range(1, self.days + 1):
            record = self.run_day(day)
            fault = record["fault"]
            interesting = fault != "normal" or previous_fault not in (None, "normal") or day == 1
            if interesting:
                log("day %3d %-17s exit %3s  %5.2f s  %6.1f MiB  %s" % (
                    day, fault, record["code"], record["seconds"], record["rss_kib"] / 1024, describe(record)))
            elif day % 30 == 0:
                log("day %3d (%.0f s so far) store %.1f MiB, %d mails" % (
                    day, time.monotonic() - started, record["db_bytes"] / 1048576, len(self.smtp.sink.messages)))
            previous_fault = fault
            if time.monotonic() - started > SOAK_LIMIT:
                raise SystemExit("soak: gave up after %d s at day %d" % (SOAK_LIMIT, day))
        self.wall = time.monotonic() - started
        with open(os.path.join(self.work, "days.jsonl"), "w") as f:
            for record in self.records:
                f.write(json.dumps(record) + "\n")
        return Checks(self).run()


def size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def describe(record):
    parts = []
    summary = record.get("summary")
    if summary:
        parts.append("new %d, failed %d" % (summary.get("new_entries", 0), len(summary.get("failed", []))))
        for delivery in summary.get("deliveries", []):
            parts.append("%s %s %s" % (delivery["channel"], delivery["status"],
                                       "(%d entries)" % delivery["entries"] if delivery["status"] == "delivered"
                                       else (delivery.get("detail") or "")[:80]))
    if record["note"]:
        parts.append(record["note"])
    if "doctor" in record:
        parts.append("doctor: exit %d %s" % (record["doctor"][0], record["doctor"][1][-40:]))
    warnings = [line for line in record["stderr"].splitlines() if "may arrive twice" in line or line.startswith("Error")]
    parts += [w[:160] for w in warnings]
    return "; ".join(parts)


# ---------------------------------------------------------------- the checks

ID_PATTERN = re.compile(r"\b(?:USN-\d+-\d+|DSA-\d+-\d+|ALAS-\d{4}-\d+|RHSA-\d{4}:\d+|GHSA(?:-[2-9cfghjmpqrvwx]{4}){3}"
                        r"|CVE-\d{4}-\d+)\b")
LINK_PATTERN = re.compile(r"https?://[^\s<>\"]+")


class Mail:
    def __init__(self, path, day):
        with open(path, "rb") as f:
            message = email.message_from_bytes(f.read(), policy=email.policy.default)
        self.day = day
        self.subject = str(message["Subject"])
        self.message_id = str(message["Message-ID"]).strip("<>").split("@")[0]
        self.text = message.get_body(("plain",)).get_content()
        rows = self.text
        for heading in ("\nAlso mentioned (", "\nFeed health\n"):
            cut = rows.find(heading)
            if cut >= 0:
                rows = rows[:cut]
        self.keys = set(ID_PATTERN.findall(rows)) | set(LINK_PATTERN.findall(rows))


class Checks:
    def __init__(self, soak):
        self.soak = soak
        self.results = []

    def check(self, name, ok, figure):
        state = "PASS" if ok is True else "FAIL" if ok is False else "SKIP"
        self.results.append(state)
        log("%-4s %-44s %s" % (state, name, figure))

    def run(self):
        soak, world, days = self.soak, self.soak.world, self.soak.days
        records = soak.records
        mails = [Mail(path, day) for path, day in soak.smtp.sink.messages]
        by_key = {}
        for entry in world.entries():
            for key in entry.keys:
                by_key[key] = entry
        arrivals = collections.defaultdict(list)  # entry -> [mail index]
        for index, mail in enumerate(mails):
            for entry in {by_key[k] for k in mail.keys if k in by_key}:
                arrivals[entry].append(index)

        published = world.published(days)
        cutoff_first = worldmodel.run_time(1) - FIRST_RUN_DAYS * worldmodel.DAY
        deliverable = [e for e in published if e.subjects and e.published >= cutoff_first]
        skipped_first = [e for e in published if e.subjects and e.published < cutoff_first]

        # Sends killed before their 250: the next runs must say so ("may arrive twice").
        warned = set()
        for record in records:
            for line in record["stderr"].splitlines():
                if "may arrive twice" in line:
                    warned.update(re.findall(r"Message-ID ([0-9a-f-]{36})", line))
        killed_sends = [(r["day"]) for r in records if r["fault"] == "kill-send" and r["killed"]]
        killed_mails = {i for i, m in enumerate(mails) if m.day in killed_sends}
        excusable = {i for i in killed_mails if mails[i].message_id in warned}
        # A kill at a random moment may also fall between the server's 250 and the store's record.
        for i, mail in enumerate(mails):
            if mail.message_id in warned:
                excusable.add(i)

        log("")
        log("checks")
        # 1. Every deliverable entry arrived, once (or again, after a material revision or a killed send).
        missing, duplicates, excused, redelivered, revision_missed = [], [], [], 0, []
        for entry in deliverable:
            got = sorted(arrivals.get(entry, []), key=lambda i: mails[i].day)
            if not got:
                missing.append(entry)
                continue
            allowed = 1
            revised = entry.material_revision_day
            if revised is not None and mails[got[0]].day < revised:
                allowed += 1
                if len(got) >= 2:
                    redelivered += 1
                else:
                    revision_missed.append(entry)
            extra = len(got) - allowed
            if extra > 0:
                excuses = sum(1 for i in got[:-1] if i in excusable)
                if extra <= excuses:
                    excused.append(entry)
                else:
                    duplicates.append((entry, [(mails[i].day, mails[i].subject[:60]) for i in got]))
        early = [e for e in skipped_first if arrivals.get(e)]
        unexpected = [e for e in published if not e.subjects and arrivals.get(e)]
        arrived = len(deliverable) - len(missing)
        self.check("deliverable entries arrived", not missing,
                   "%d of %d (subject-tagged; %d older than first_run_days marked seen on day 1)"
                   % (arrived, len(deliverable), len(skipped_first)))
        for entry in missing[:8]:
            log("       missing: day %d %s %s" % (entry.visible, entry.feed.key, entry.versions[-1][1]))
        self.check("each arrived exactly once", not duplicates,
                   "%d duplicates; %d re-sent after a killed send ('may arrive twice' reported); "
                   "%d re-sent as material revisions (expected)" % (len(duplicates), len(excused), redelivered))
        for entry, got in duplicates[:8]:
            log("       twice: %s %s (day %d, dated %s): mails of days %s" % (
                entry.feed.key, entry.versions[-1][1][:70], entry.visible, worldmodel.iso(entry.published),
                [d for d, _ in got]))
        self.check("material revisions sent again", not revision_missed,
                   "%d of %d revised after their first digest" % (redelivered, redelivered + len(revision_missed)))
        self.check("nothing sent that should not be", not early and not unexpected,
                   "%d older than first_run_days, %d not about a service" % (len(early), len(unexpected)))
        killed_warned = [d for d in killed_sends
                         if any(mails[i].message_id in warned for i in killed_mails if mails[i].day == d)]
        self.check("killed sends reported 'may arrive twice'", len(killed_warned) == len(killed_sends),
                   "%d of %d (days %s)" % (len(killed_warned), len(killed_sends), killed_sends))

        # 2. Nothing lost: everything published was stored, and is still, or was pruned by policy.
        stored = {key for key in soak.exports}
        last_cutoff = max((cutoff for _, cutoff, _, _ in soak.prunes), default=None)
        never_stored = [e for e in published if (e.feed.url, e.guid) not in stored]
        final = soak.last_export
        gone = [e for e in published if (e.feed.url, e.guid) not in final
                and not (last_cutoff and e.published < last_cutoff)]
        back = [e for e in published if (e.feed.url, e.guid) in final and last_cutoff and e.published < last_cutoff]
        self.check("every published entry stored", not never_stored,
                   "%d published, %d stored at some point" % (len(published), len(published) - len(never_stored)))
        for entry in never_stored[:5]:
            log("       never stored: %s day %d %s" % (entry.feed.key, entry.visible, entry.versions[-1][1][:70]))
        self.check("in the store or pruned by policy", not gone,
                   "%d in the final store, %d pruned (dated before %s), %d gone otherwise"
                   % (len(final), len(published) - len(final) + len(back) - len(gone),
                      worldmodel.iso(last_cutoff) if last_cutoff else "-", len(gone)))
        if back:
            log("       note: %d entries dated before the last prune cutoff are in the store again" % len(back))

        # 3. Tags as the digest rules say (the world's design, read back through export).
        wrong = []
        for entry in published:
            row = soak.exports.get((entry.feed.url, entry.guid))
            if row is None:
                continue
            subjects = sorted({t["service"] for t in row["tags"] if t["strength"] == "subject"})
            if subjects != sorted(entry.subjects):
                wrong.append((entry, subjects))
        self.check("subject tags as designed", not wrong, "%d of %d stored entries differ"
                   % (len(wrong), len(published) - len(never_stored)))
        for entry, subjects in wrong[:8]:
            log("       %s: %r tagged %s, designed %s" % (entry.feed.key, entry.versions[-1][1][:70], subjects,
                                                         list(entry.subjects)))

        # 4. Faults injected, exit codes, recovery, the store after kills and a full disk.
        kinds = collections.Counter(r["fault"] for r in records if r["fault"] != "normal")
        missed = [r for r in records if r.get("not_injected") or (r["fault"] == "kill-random" and not r["killed"])]
        skipped = [r for r in records if r["skipped"]]
        figure = ", ".join("%s %d" % (kind, count) for kind, count in sorted(kinds.items()))
        if any(r.get("not_injected") for r in records):
            self.check("faults injected", False, figure + "; not injected: days %s" % [r["day"] for r in missed])
        elif skipped:
            self.check("faults injected", None, figure + "; full disks skipped (%s)" % skipped[0]["note"])
        else:
            self.check("faults injected", True, figure + ("; a random kill came after the run ended on days %s"
                                                        % [r["day"] for r in missed] if missed else ""))
        odd = []
        for record in records:
            expected = EXPECTED_CODES[record["fault"]]
            if record["skipped"]:
                expected = {0}
            if record["fault"] == "kill-random" and not record["killed"]:
                expected = {0}
            if record["code"] not in expected or record["hung"] or record.get("not_injected"):
                odd.append(record)
        self.check("exit codes as expected", not odd, "%d of %d runs as expected" % (len(records) - len(odd), len(records)))
        for record in odd[:10]:
            log("       day %d (%s): exit %s%s %s" % (record["day"], record["fault"], record["code"],
                                                    " (hung)" if record["hung"] else "", record["note"]))
            log("         " + " | ".join(record["stderr"].strip().splitlines()[-3:])[:400])
        after = [r for r in records if r["fault"] == "normal" and r["day"] > 1
                 and records[r["day"] - 2]["fault"] != "normal"]
        unrecovered = [r for r in after if r["code"] != 0 or not r["summary"]
                       or any(d["status"] != "delivered" for d in r["summary"].get("deliveries", []))]
        self.check("the day after each fault recovers", not unrecovered,
                   "%d of %d (exit 0, every feed fetched, digest delivered)" % (len(after) - len(unrecovered), len(after)))
        for record in unrecovered[:5]:
            log("       day %d: exit %s %s" % (record["day"], record["code"], describe(record)[:300]))
        bad_doctor = [d for d in soak.doctor if d[2] != 0 or not d[3].endswith("ok")]
        self.check("bulletin doctor after kills and full disks", not bad_doctor,
                   "%d of %d ok" % (len(soak.doctor) - len(bad_doctor), len(soak.doctor)))
        for day, why, code, output in bad_doctor:
            log("       day %d (%s): exit %d %s" % (day, why, code, output[:300]))
        bad_prunes = [p for p in soak.prunes if p[2] != 0]
        self.check("prunes", not bad_prunes, "%d weekly prunes, %d failed" % (len(soak.prunes), len(bad_prunes)))

        # 5. The store's size is flat under the prune policy.
        points = sorted(soak.sizes.items())
        log("       store (checkpointed): " + ", ".join(
            "day %d %.2f MiB/%d entries/%d free pages" % (d, s["bytes"] / 1048576, s["entries"], s["free_pages"])
            for d, s in points))
        mark = soak.size_day()
        if mark and mark in soak.sizes:
            first, last = soak.sizes[mark], soak.sizes[days]
            growth = last["bytes"] / first["bytes"] - 1
            self.check("store size flat", growth <= 0.15,
                       "day %d %.2f MiB, day %d %.2f MiB (%+.1f%%; at most +15%%)"
                       % (mark, first["bytes"] / 1048576, days, last["bytes"] / 1048576, growth * 100))
        else:
            self.check("store size flat", None, "needs 240 days or more (the prune horizon is %d)" % PRUNE_AGE_DAYS)

        # 6. Memory is flat: the largest resident size of each run that was not killed.
        runs = [r for r in records if not r["killed"] and r["fault"] == "normal"]
        months = collections.OrderedDict()
        for r in runs:
            months.setdefault((r["day"] - 1) // 30, []).append(r["rss_kib"])
        log("       max RSS by 30 days (MiB, median/max): " + ", ".join(
            "%.1f/%.1f" % (statistics.median(v) / 1024, max(v) / 1024) for v in months.values()))
        if len(runs) >= 60:
            start = [r["rss_kib"] for r in runs if r["day"] > days // 3][:30]
            end = [r["rss_kib"] for r in runs][-30:]
            early_median, late_median = statistics.median(start), statistics.median(end)
            ok = late_median <= early_median * 1.10 + 4096
            self.check("memory flat", ok, "median max RSS %.1f MiB (30 runs from day %d) -> %.1f MiB (last 30 runs); "
                       "largest %.1f MiB" % (early_median / 1024, days // 3 + 1, late_median / 1024,
                                            max(r["rss_kib"] for r in runs) / 1024))
        else:
            self.check("memory flat", None, "needs 60 or more ordinary runs")

        # Figures.
        new = sum((r["summary"] or {}).get("new_entries", 0) for r in records)
        unchanged = sum((r["summary"] or {}).get("unchanged", 0) for r in records)
        log("")
        log("figures: %d days in %.0f s (%.2f s a run); %d entries published, %d stored at some point, "
            "%d new entries reported by runs, %d feed fetches unchanged (%d HTTP 304 of %d requests); "
            "%d mails, %d deliverable entries delivered"
            % (days, soak.wall, soak.wall / days, len(published), len(stored), new, unchanged,
               soak.http.not_modified, soak.http.requests, len(mails), arrived))
        failed = self.results.count("FAIL")
        log("soak: %s (%d checks, %d failed, %d skipped)" % ("FAIL" if failed else "PASS", len(self.results), failed,
                                                             self.results.count("SKIP")))
        return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bulletin", required=True)
    parser.add_argument("--days", type=int, default=int(os.environ.get("SOAK_DAYS") or 365))
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, mail, store)")
    args = parser.parse_args()
    args.bulletin = os.path.abspath(args.bulletin)
    if args.days < 14:
        parser.error("--days: at least 14")
    enter_namespace()
    soak = Soak(args)
    code = 1
    try:
        code = soak.run()
    finally:
        soak.http.faults.release.set()
        soak.smtp.stop()
        soak.bulletin.close()
        if args.keep:
            if not soak.tmpfs_problem:  # the tmpfs ends with this namespace: keep a copy
                shutil.copytree(soak.store_dir, os.path.join(soak.work, "store-kept"),
                                ignore=shutil.ignore_patterns("filler"))
            log("soak: kept %s" % soak.work)
        else:
            if not soak.tmpfs_problem:
                subprocess.run(["umount", soak.store_dir], stderr=subprocess.DEVNULL)
            shutil.rmtree(soak.work, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
