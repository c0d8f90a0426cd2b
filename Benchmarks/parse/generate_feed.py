#!/usr/bin/env python3
"""Writes a deterministic RSS 2.0 feed of realistic security bulletins, ~20 MB, ~15k items.

Usage: generate_feed.py OUT.xml [TARGET_BYTES]

The items imitate what the catalog's feeds serve: ALAS/USN/DSA/GHSA/AWS titles with CVE
ids, pubDate in RFC 822, guid, dc:creator, categories, and descriptions that are a mix of
escaped HTML (most publishers), CDATA HTML and plain text (USN, ALAS).
"""
import random
import sys

PACKAGES = ["openssl", "nginx", "kernel", "curl", "glibc", "openssh", "postgresql", "python3",
            "nodejs", "containerd", "runc", "docker", "sudo", "bind9", "apache2", "tomcat",
            "libxml2", "sqlite3", "git", "vim", "systemd", "expat", "zlib", "libwebp", "firefox"]
SEVERITIES = ["low", "medium", "important", "critical"]
WORDS = ("a remote attacker could exploit this vulnerability to cause a denial of service or possibly "
         "execute arbitrary code when processing specially crafted input the issue was discovered in "
         "the handling of certificates buffer overflow heap use after free integer overflow in the "
         "parser allows authenticated users to bypass access restrictions via crafted requests").split()
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def cve(rng):
    return f"CVE-{rng.randint(2019, 2025)}-{rng.randint(1000, 52000)}"


def title(rng, i, package, cves):
    kind = i % 5
    if kind == 0:
        return f"ALAS2-2024-{2000 + i % 9000} ({rng.choice(SEVERITIES)}): {package}"
    if kind == 1:
        return f"USN-{6000 + i % 3000}-{1 + i % 3}: {package.capitalize()} vulnerabilities"
    if kind == 2:
        return f"[DSA {5000 + i % 900}-1] {package} security update"
    if kind == 3:
        return f"{package} affected by {cves[0]} &amp; {len(cves)} more issues"
    return f"AWS-2024-{i % 999:03d}: Security update for {package} &lt;= {rng.randint(1, 9)}.{rng.randint(0, 20)}"


def description(rng, i, package, cves):
    paragraphs = [sentence(rng, rng.randint(18, 40)) for _ in range(rng.randint(3, 5))]
    kind = i % 3
    if kind == 0:  # escaped HTML, the common case
        body = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in paragraphs)
        refs = "".join(f'&lt;li&gt;&lt;a href="https://nvd.nist.gov/vuln/detail/{c}"&gt;{c}&lt;/a&gt;&lt;/li&gt;'
                       for c in cves)
        return f"<description>{body}&lt;ul&gt;{refs}&lt;/ul&gt;</description>"
    if kind == 1:  # CDATA HTML
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        refs = " ".join(f'<a href="https://security-tracker.debian.org/tracker/{c}">{c}</a>' for c in cves)
        return f"<description><![CDATA[{body}<p>References: {refs}</p>]]></description>"
    body = "\n\n".join(paragraphs)  # plain text
    return f"<description>{body}\n\n{' '.join(cves)}</description>"


def main():
    out = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 20 * 1024 * 1024
    rng = random.Random(20240101)
    with open(out, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
                '<title>Security Bulletins (generated)</title>\n'
                '<link>https://security.example.com/</link>\n'
                '<atom:link href="https://security.example.com/rss.xml" rel="self" type="application/rss+xml"/>\n'
                '<description>Generated benchmark feed</description>\n'
                '<lastBuildDate>Mon, 01 Jan 2024 00:00:00 GMT</lastBuildDate>\n')
        i = 0
        while f.tell() < target:
            package = rng.choice(PACKAGES)
            cves = [cve(rng) for _ in range(rng.randint(1, 6))]
            seconds = 1_700_000_000 - i * 1800
            day, rest = divmod(seconds, 86400)
            h, m = divmod(rest // 60, 60)
            y, mo, d = civil(day)
            date = f"{DAYS[(day + 3) % 7]}, {d:02d} {MONTHS[mo - 1]} {y} {h:02d}:{m:02d}:{rest % 60:02d} GMT"
            f.write("<item>\n"
                    f"<title>{title(rng, i, package, cves)}</title>\n"
                    f"<link>https://security.example.com/advisories/{i}.html</link>\n"
                    f'<guid isPermaLink="false">bulletin-{i}</guid>\n'
                    f"<pubDate>{date}</pubDate>\n"
                    f"<dc:creator>Security Team</dc:creator>\n"
                    f"<category>{package}</category><category>{rng.choice(SEVERITIES)}</category>\n"
                    f"{description(rng, i, package, cves)}\n"
                    "</item>\n")
            i += 1
        f.write("</channel>\n</rss>\n")
    print(f"{out}: {i} items", file=sys.stderr)


def civil(days):
    """Year, month, day for days since 1970-01-01 (H. Hinnant)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if m <= 2 else 0), m, d


if __name__ == "__main__":
    main()
