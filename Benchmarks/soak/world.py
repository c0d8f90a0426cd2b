"""The soak's world: twenty feeds whose content changes every simulated day, what each of
their entries is about, and the documents a server gives for them on any day.

Everything is made from one seed, so a soak can be run again exactly. Day d's run happens
at RUN_0 + (d - 1) days (06:00Z); an entry is published between 07:00Z on one day and
05:00Z on the next, so it first shows in the next run's documents, and no entry is dated
near 06:00, where the first digest's cutoff and the prunes fall.

Each entry says what Bulletin should make of it, from the digest rules (README, "What a
bulletin is about"): `subjects`, the inventory services it is about (a structured
advisory's package, a title naming a service with news of it), which make digest rows;
`mentions`, services only named in passing; neither for the rest.
"""
import datetime
import email.utils
import gzip
import hashlib
import random
from xml.sax.saxutils import escape, quoteattr

UTC = datetime.timezone.utc
RUN_0 = datetime.datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
DAY = datetime.timedelta(days=1)

# The inventory: service name -> its TOML table.
INVENTORY = {
    "nginx": 'name = "nginx"\nimpact = 4\nlikelihood = 4\n',
    "OpenSSL": 'name = "OpenSSL"\nimpact = 5\nlikelihood = 3\n',
    "curl": 'name = "curl"\nimpact = 3\nlikelihood = 3\n',
    "PostgreSQL": 'name = "PostgreSQL"\nimpact = 5\nlikelihood = 2\n',
    "Redis": 'name = "Redis"\nimpact = 3\nlikelihood = 2\n',
    "Express": 'name = "Express"\npurl = ["pkg:npm/express"]\nimpact = 3\nlikelihood = 4\n',
    "Django": 'name = "Django"\npurl = ["pkg:pypi/django"]\nimpact = 4\nlikelihood = 3\n',
}

# Distribution packages: (as the advisory writes it, the service it is, or None).
DISTRO_PACKAGES = [
    ("nginx", "nginx"), ("openssl", "OpenSSL"), ("curl", "curl"), ("postgresql", "PostgreSQL"),
    ("redis", "Redis"), ("vim", None), ("imagemagick", None), ("ghostscript", None), ("sudo", None),
    ("bind9", None), ("exim4", None), ("libtiff", None), ("expat", None), ("tar", None),
    ("libxslt", None), ("poppler", None), ("gnutls28", None),
]
NPM_PACKAGES = [("express", "Express"), ("lodash", None), ("minimist", None), ("axios", None),
                ("ws", None), ("semver", None), ("jsonwebtoken", None)]
PIP_PACKAGES = [("django", "Django"), ("jinja2", None), ("pillow", None), ("urllib3", None),
                ("cryptography-vectors", None), ("pyyaml", None)]
GO_PACKAGES = [("github.com/acme/router", None), ("github.com/acme/tar-go", None),
               ("golang.org/x/image", None), ("github.com/acme/yaml", None)]

FLAWS = ["heap buffer overflow", "use-after-free", "request smuggling", "denial of service",
         "integer overflow", "path traversal", "NULL pointer dereference", "out-of-bounds read",
         "memory leak", "prototype pollution", "open redirect", "injection", "cross-site scripting",
         "stack exhaustion", "improper certificate validation", "race condition"]
SEVERITIES = ["low", "medium", "important", "critical"]

# key, title, server (0-2), format, category, kind, entries a day, window days, kept at
# least, validators, gzip.
FEEDS = [
    ("ubuntu", "Ubuntu security notices", 0, "rss2", "security", "usn", 2.0, 14, 5, "both", True),
    ("debian", "Debian security advisories", 0, "rss1", "security", "dsa", 1.2, 14, 5, "lastmod", False),
    ("alas", "Amazon Linux 2023 advisories", 0, "rss2", "security", "alas", 1.0, 21, 5, "etag", False),
    ("rhsa", "Red Hat security advisories", 0, "atom", "security", "rhsa", 1.0, 14, 5, "both", False),
    ("suse", "SUSE security updates", 0, "rss2", "security", "suse", 1.0, 10, 5, "none", False),
    ("gentoo", "Gentoo security advisories", 0, "atom", "security", "glsa", 0.3, 30, 5, "both", False),
    # Few entries, and the last twelve listed whatever their age: entries older than the
    # prune policy's cutoff stay in the document.
    ("freebsd", "FreeBSD security advisories", 0, "rss2", "security", "freebsd", 0.07, 0, 12, "both", False),
    ("ghsa-npm", "GitHub advisories: npm", 1, "atom", "security", "ghsa-npm", 1.5, 14, 5, "etag", True),
    ("ghsa-pip", "GitHub advisories: pip", 1, "atom", "security", "ghsa-pip", 1.0, 14, 5, "etag", False),
    ("ghsa-go", "GitHub advisories: Go", 1, "atom", "security", "ghsa-go", 0.8, 14, 5, "etag", False),
    ("cve", "CVE announcements", 1, "rss2", "security", "cvetitle", 1.5, 10, 5, "both", False),
    ("nginx-sec", "nginx security advisories", 1, "rss2", "security", "prose-nginx", 0.2, 60, 10, "both", False),
    ("redis-sec", "Redis security", 1, "atom", "security", "prose-redis", 0.15, 60, 8, "both", False),
    ("kernel", "Linux kernel CVEs", 1, "atom", "security", "kernel", 2.0, 7, 5, "both", True),
    ("pg-news", "PostgreSQL news", 2, "atom", "announcements", "prose-pg", 0.2, 60, 10, "both", False),
    ("aws-news", "What's New with AWS", 2, "rss2", "announcements", "aws", 3.0, 7, 5, "lastmod", True),
    ("blog", "Engineering blog", 2, "rss2", "announcements", "blog", 0.4, 30, 5, "none", False),
    ("cisa", "CISA advisories", 2, "rss2", "security", "cisa", 0.6, 14, 5, "both", False),
    ("status", "Status page", 2, "atom", "announcements", "status", 0.05, 0, 5, "both", False),
    ("weekly", "Weekly security roundup", 2, "rss2", "security", "weekly", 0.0, 28, 4, "both", False),
]


def run_time(day):
    """When day `day`'s run happens (day 1 is RUN_0)."""
    return RUN_0 + (day - 1) * DAY


class Entry:
    def __init__(self, feed, seq, published, title, link, summary, subjects=(), mentions=(), own_ids=(),
                 cves=()):
        self.feed = feed
        self.seq = seq
        self.guid = "urn:soak:%s:%d" % (feed.key, seq)
        self.published = published
        self.visible = day_of(published)  # the first run whose documents list it
        self.versions = [(self.visible, title, summary)]  # (from day, title, summary)
        self.link = link
        self.subjects = tuple(subjects)
        self.mentions = tuple(mentions)
        self.own_ids = tuple(own_ids)  # ids unique to this entry, as Bulletin writes them
        self.cves = tuple(cves)
        self.twin = None  # an entry of another feed reporting the same advisory
        self.material_revision_day = None

    def version(self, day):
        current = None
        for start, title, summary in self.versions:
            if start <= day:
                current = (start, title, summary)
        return current

    def revise(self, day, title=None, summary=None):
        _, old_title, old_summary = self.versions[-1]
        self.versions.append((day, title or old_title, summary or old_summary))
        if title and title != old_title:
            self.material_revision_day = day

    @property
    def keys(self):
        """What names this entry in a digest row: its link, and its own advisory ids."""
        return (self.link,) + self.own_ids


def day_of(moment):
    """The first run at or after `moment`."""
    delta = moment - RUN_0
    days = delta.days + (1 if delta.seconds > 0 or delta.microseconds > 0 else 0)
    return days + 1


class Feed:
    def __init__(self, spec, ports):
        (self.key, self.title, self.server, self.format, self.category, self.kind, self.rate,
         self.window, self.keep, self.validators, self.gzip) = spec
        self.port = ports[self.server]
        self.path = "/%s/%s.%s" % (["distro", "eco", "news"][self.server], self.key,
                                   "atom" if self.format == "atom" else "rss")
        self.url = "http://127.0.0.1:%d%s" % (self.port, self.path)
        self.entries = []
        self._last = (None, None)

    def listed(self, day):
        """The entries day `day`'s document lists, newest first."""
        visible = [e for e in self.entries if e.visible <= day]
        visible.sort(key=lambda e: e.published, reverse=True)
        recent = [e for e in visible if e.visible > day - self.window]
        chosen = recent if len(recent) >= self.keep else visible[:self.keep]
        return chosen[:60]

    def document(self, day):
        """(body, last-modified, etag) of day `day`'s document; the same bytes for the same content."""
        listed = self.listed(day)
        versions = tuple((e.guid, e.version(day)) for e in listed)
        if self._last[0] == versions:
            return self._last[1]
        changed = max([run_time(e.version(day)[0]) - datetime.timedelta(hours=1) if e.version(day)[0] > e.visible
                       else e.published for e in listed] or [RUN_0 - 400 * DAY])
        body = render(self, listed, day, changed).encode("utf-8")
        result = (body, changed, '"%s"' % hashlib.sha1(body).hexdigest()[:20])
        self._last = (versions, result)
        return result

    def gzipped(self, body):
        return gzip.compress(body, mtime=0)


def rfc822(moment):
    return email.utils.format_datetime(moment, usegmt=True)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def render(feed, entries, day, changed):
    site = "https://%s.example" % feed.key
    if feed.format == "rss2":
        items = []
        for e in entries:
            _, title, summary = e.version(day)
            items.append("<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">%s</guid>"
                         "<pubDate>%s</pubDate><description>%s</description></item>"
                         % (escape(title), escape(e.link), escape(e.guid), rfc822(e.published), escape(summary)))
        return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>%s</title>'
                "<link>%s</link><description>%s</description><lastBuildDate>%s</lastBuildDate>\n%s\n"
                "</channel></rss>\n" % (escape(feed.title), site, escape(feed.title), rfc822(changed),
                                        "\n".join(items)))
    if feed.format == "rss1":
        items, seq = [], []
        for e in entries:
            _, title, summary = e.version(day)
            seq.append("<rdf:li rdf:resource=%s/>" % quoteattr(e.guid))
            items.append("<item rdf:about=%s><title>%s</title><link>%s</link><description>%s</description>"
                         "<dc:date>%s</dc:date></item>" % (quoteattr(e.guid), escape(title), escape(e.link),
                                                            escape(summary), iso(e.published)))
        return ('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
                ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                '<channel rdf:about="%s"><title>%s</title><link>%s</link><description>%s</description>'
                "<dc:date>%s</dc:date><items><rdf:Seq>%s</rdf:Seq></items></channel>\n%s\n</rdf:RDF>\n"
                % (site, escape(feed.title), site, escape(feed.title), iso(changed), "".join(seq), "\n".join(items)))
    items = []
    for e in entries:
        start, title, summary = e.version(day)
        updated = run_time(start) - datetime.timedelta(hours=1) if start > e.visible else e.published
        items.append("<entry><title>%s</title><id>%s</id><link href=%s/><published>%s</published>"
                     "<updated>%s</updated><summary>%s</summary></entry>"
                     % (escape(title), escape(e.guid), quoteattr(e.link), iso(e.published), iso(updated),
                        escape(summary)))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title>'
            "<id>%s/</id><link href=%s/><updated>%s</updated>\n%s\n</feed>\n"
            % (escape(feed.title), site, quoteattr(site), iso(changed), "\n".join(items)))


class World:
    """Every feed and every entry it will ever publish, from `history` days before day 1 to `days`."""

    def __init__(self, days, ports, seed=2027, history=200):
        self.rng = random.Random(seed)
        self.days = days
        self.feeds = [Feed(spec, ports) for spec in FEEDS]
        self.by_key = {feed.key: feed for feed in self.feeds}
        self.counters = {}
        for day in range(1 - history, days + 1):
            # Entries published between this day's run and the next: first listed on day + 1.
            for feed in self.feeds:
                for _ in range(self.count(feed, day)):
                    minutes = self.rng.randrange(60, 23 * 60)  # 07:00 to 05:00 next day
                    published = run_time(day) + datetime.timedelta(minutes=minutes, seconds=self.rng.randrange(60))
                    entry = self.make(feed, published)
                    feed.entries.append(entry)
                    if entry.twin:
                        entry.twin.feed.entries.append(entry.twin)
        for feed in self.feeds:
            for entry in feed.entries:
                self.maybe_revise(entry)

    def count(self, feed, day):
        if feed.kind == "weekly":
            return 4 if run_time(day).weekday() == 0 else 0
        whole = int(feed.rate)
        return whole + (1 if self.rng.random() < feed.rate - whole else 0)

    def next(self, name, start=1):
        self.counters[name] = self.counters.get(name, start - 1) + 1
        return self.counters[name]

    def cves(self, year, count=None):
        count = count or self.rng.choice([1, 1, 2, 3])
        return ["CVE-%d-%d" % (year, 20000 + self.next("cve")) for _ in range(count)]

    def ghsa(self):
        alphabet = "23456789cfghjmpqrvwx"
        return "GHSA-" + "-".join("".join(self.rng.choice(alphabet) for _ in range(4)) for _ in range(3))

    def mention(self, exclude=None):
        """Maybe a second sentence naming an inventory service in passing."""
        if self.rng.random() < 0.25:
            service = self.rng.choice([s for s in ("nginx", "curl", "PostgreSQL", "Redis") if s != exclude])
            return (" Deployments that put %s in front of it are affected as well." % service, (service,))
        return ("", ())

    def make(self, feed, published):
        rng = self.rng
        seq = self.next("seq:" + feed.key)
        year = published.year
        link = "https://%s.example/advisories/%d" % (feed.key, seq)
        flaw = rng.choice(FLAWS)
        kind = feed.kind

        def entry(title, summary, subjects=(), mentions=(), own_ids=(), cves=(), link=link):
            return Entry(feed, seq, published, title, link, summary, subjects, mentions, own_ids, cves)

        if kind in ("usn", "dsa", "alas", "rhsa", "suse", "glsa", "freebsd", "cvetitle"):
            package, service = rng.choice(DISTRO_PACKAGES if kind != "freebsd" else
                                          [("openssl", "OpenSSL"), ("bhyve", None), ("ssh", None), ("libc", None)])
            cves = self.cves(year)
            extra, mentions = self.mention(exclude=service)
            summary = ("A %s was found in %s that could let a remote attacker crash it or run code (%s).%s"
                       % (flaw, package, ", ".join(cves), extra))
            subjects = (service,) if service else ()
            mentions = () if service in mentions else mentions
            if kind == "usn":
                usn = "USN-%d-1" % (7000 + seq)
                made = entry("%s: %s vulnerabilities" % (usn, package), summary, subjects, mentions, (usn,), cves)
                if rng.random() < 0.15:  # Debian reports the same advisory: one digest row, "also: Debian"
                    debian = self.by_key["debian"]
                    dseq = self.next("seq:debian")
                    dsa = "DSA-%d-1" % (6000 + dseq)
                    twin_time = published + datetime.timedelta(minutes=rng.randrange(1, 30))
                    if day_of(twin_time) != day_of(published):
                        twin_time = published - datetime.timedelta(minutes=rng.randrange(1, 30))
                    made.twin = Entry(debian, dseq, twin_time, "%s %s - security update" % (dsa, package),
                                      "https://debian.example/advisories/%d" % dseq, summary, subjects, mentions,
                                      (dsa,), cves)
                    made.twin.twin = made
                return made
            if kind == "dsa":
                dsa = "DSA-%d-1" % (6000 + seq)
                return entry("%s %s - security update" % (dsa, package), summary, subjects, mentions, (dsa,), cves)
            if kind == "alas":
                alas = "ALAS-%d-%d" % (year, 1000 + seq)
                return entry("%s (%s): %s" % (alas, rng.choice(SEVERITIES), package), summary, subjects, mentions,
                             (alas,), cves)
            if kind == "rhsa":
                rhsa = "RHSA-%d:%d" % (year, 1000 + seq)
                return entry("%s: %s: %s security update" % (rhsa, rng.choice(["Important", "Moderate", "Low"]),
                                                             package), summary, subjects, mentions, (rhsa,), cves)
            if kind == "suse":
                return entry("SUSE-SU-%d:%d-1: %s: Security update for %s" % (year, 1000 + seq, rng.choice(
                    ["important", "moderate", "low"]), package), summary, subjects, mentions, (), cves)
            if kind == "glsa":
                return entry("GLSA %d%02d-%02d: %s: Multiple Vulnerabilities" % (year, published.month, seq % 100,
                                                                                  package), summary, subjects,
                             mentions, (), cves)
            if kind == "freebsd":
                return entry("FreeBSD-SA-%02d:%02d.%s" % (year % 100, seq, package), summary, subjects, mentions,
                             (), cves)
            cve = cves[0]
            return entry("%s (%s): %s in %s" % (cve, package, flaw, package), summary, subjects, mentions,
                         (cve,), cves)

        if kind.startswith("ghsa"):
            packages = {"ghsa-npm": NPM_PACKAGES, "ghsa-pip": PIP_PACKAGES, "ghsa-go": GO_PACKAGES}[kind]
            package, service = rng.choice(packages)
            ghsa = self.ghsa()
            cves = self.cves(year, 1)
            extra, mentions = self.mention()
            summary = "%s in %s allows attackers to bypass checks. %s, %s.%s" % (
                flaw.capitalize(), package, ghsa, cves[0], extra)
            return entry("[%s] %s in %s" % (package, flaw.capitalize(), package), summary,
                         (service,) if service else (), mentions, (ghsa,), cves,
                         link="https://github.com/advisories/%s" % ghsa)

        if kind == "kernel":
            cve = self.cves(year, 1)[0]
            area = rng.choice(["net/sched", "fs/ext4", "drm/amdgpu", "mm", "bpf", "usb/core", "netfilter"])
            return entry("%s: %s: fix %s" % (cve, area, flaw), "In the Linux kernel, the following vulnerability "
                         "has been resolved: %s: fix %s." % (area, flaw), (), (), (cve,), (cve,))

        if kind.startswith("prose-"):
            product, major = {"prose-nginx": ("nginx", "1.27"), "prose-redis": ("Redis", "7.4"),
                              "prose-pg": ("PostgreSQL", "17")}[kind]
            version = "%s.%d" % (major, self.next("version:" + product))
            if kind == "prose-pg":
                return entry("%s %s released" % (product, version), "The %s Global Development Group has released "
                             "an update to all supported versions, fixing a %s and several bugs." % (product, flaw),
                             (product,))
            cve = self.cves(year, 1)[0]
            return entry("%s %s fixes a %s (%s)" % (product, version, flaw, cve), "This release of %s fixes %s, a "
                         "%s reachable by remote clients." % (product, cve, flaw), (product,), (), (cve,), (cve,))

        if kind == "aws":
            pick = rng.random()
            if pick < 0.12:
                version = "16.%d" % self.next("version:rds-pg")
                return entry("Amazon RDS for PostgreSQL supports minor version %s" % version, "Amazon Relational "
                             "Database Service now supports minor version %s, with fixes from the community." % version,
                             ("PostgreSQL",))
            if pick < 0.20:
                version = "7.%d" % self.next("version:elasticache")
                return entry("Amazon ElastiCache for Redis %s is now available" % version, "You can now use version "
                             "%s in all commercial regions." % version, ("Redis",))
            service = rng.choice(["Amazon S3", "AWS Lambda", "Amazon EC2", "Amazon DynamoDB", "AWS Glue",
                                  "Amazon SageMaker", "AWS Step Functions", "Amazon Bedrock"])
            feature = rng.choice(["a new console experience", "higher quotas", "three more regions",
                                  "cost allocation tags", "IPv6 endpoints", "resource-based policies"])
            return entry("%s adds %s (%d)" % (service, feature, seq), "Starting today, %s offers %s." % (service, feature))

        if kind == "blog":
            topic = rng.choice(["Meet the team behind our on-call rotation", "How we plan a quarter",
                                "Notes from our hack week", "What we learned moving offices",
                                "A year of pairing"])
            extra, mentions = ("", ())
            if rng.random() < 0.3:
                service = rng.choice(["curl", "Redis", "nginx"])
                extra, mentions = (" One team spent the afternoon reading %s changelogs." % service, (service,))
            return entry("%s, part %d" % (topic, seq), "We wrote down what worked.%s" % extra, (), mentions)

        if kind == "cisa":
            if rng.random() < 0.3:
                version = "8.%d" % self.next("version:curl")
                cve = self.cves(year, 1)[0]
                return entry("curl %s fixes a %s (%s)" % (version, flaw, cve), "The curl project released "
                             "version %s to address %s." % (version, cve), ("curl",), (), (cve,), (cve,))
            vendor = rng.choice(["Ivanti", "Fortinet", "Citrix", "SAP", "Siemens", "Schneider Electric"])
            return entry("%s releases security updates, bulletin %d" % (vendor, seq), "%s has released security "
                         "updates for several products." % vendor)

        if kind == "status":
            return entry("Scheduled maintenance window %d" % seq, "Some dashboards may be slow for an hour.")

        if kind == "weekly":
            extra, mentions = self.mention()
            return entry("Security roundup, week %d item %d" % (published.isocalendar()[1], seq),
                         "Our picks from the week's reading.%s" % extra, (), mentions)
        raise ValueError(kind)

    def maybe_revise(self, entry):
        """Some entries come back changed a day or a few later: a reworded summary (not news:
        delivered once), or a new title (news: every channel gets it again)."""
        rng = self.rng
        if rng.random() >= 0.06:
            return
        day = entry.visible + rng.randrange(1, 4)
        _, title, summary = entry.versions[-1]
        if rng.random() < 0.5 and entry.twin is None and entry.feed.kind in ("usn", "ghsa-npm", "ghsa-pip",
                                                                             "ghsa-go", "prose-nginx", "prose-pg",
                                                                             "kernel", "aws", "blog"):
            entry.revise(day, title=title + " (updated)")
        else:
            entry.revise(day, summary=summary + " Updated: more versions are affected.")

    def entries(self):
        for feed in self.feeds:
            yield from feed.entries

    def published(self, days):
        """The entries some document of days 1 to `days` lists."""
        listed = set()
        for feed in self.feeds:
            for day in range(1, days + 1):
                listed.update(feed.listed(day))
        return [e for e in self.entries() if e in listed]
