# The two commands: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
# System libraries Bulletin links against, and what the build finds them with.
PACKAGES := libcurl4-openssl-dev libxml2-dev libsqlite3-dev zlib1g-dev libssl-dev pkg-config
# Also needed by the tests: python3 runs the HTTP, SMTP and webhook test servers on
# 127.0.0.1, openssl makes their TLS certificate, and aiosmtpd is the SMTP server; all from
# Debian (the tests run /usr/bin/python3, which has python3-aiosmtpd).
TEST_PACKAGES := $(PACKAGES) python3 python3-aiosmtpd openssl
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Arguments for `make run`, e.g. make run ARGS="--verbose".
ARGS ?=
# Release builds link the Swift runtime and FoundationEssentials into the binary: `bulletin`
# then starts in about two thirds of the time (fewer shared libraries to load and bind),
# which is most of what a short command such as `bulletin search` costs.
RELEASE := -c release --static-swift-stdlib

.PHONY: run test build install deps test-deps clean soak bench-parse bench-parse-ampersand toml-test bench-parse-conformance bench-deps-parse bench-match bench-store \
	bench-fetch bench-search-hostile bench-relevance fuzz

run: deps
	$(SWIFT) build $(RELEASE) --product bulletin
	.build/release/bulletin run $(ARGS)

build: deps
	$(SWIFT) build $(RELEASE) --product bulletin

# The real captured feeds some tests read (suites named *CorpusTests); without them those
# suites are skipped with one line, and the rest run on our own fixtures (Tests/Fixtures).
CORPUS := $(or $(BULLETIN_CORPUS),../shared/corpus/feeds)

test: test-deps
	@if [ -d "$(CORPUS)" ]; then $(SWIFT) test; else \
		echo "feed corpus not found at $(abspath $(CORPUS)): $$(cat Tests/*/*CorpusTests.swift | grep -c '@Test') tests skipped; set BULLETIN_CORPUS"; \
		$(SWIFT) test --skip CorpusTests; fi

# A year of daily `bulletin run`s (release build) in minutes, against feeds and an SMTP server
# on 127.0.0.1 whose content changes every simulated day (BULLETIN_NOW), with faults on
# some days (5xx, time-outs, SMTP down, SIGKILL mid-fetch and mid-send, a full disk); then
# checks: every entry delivered once, nothing lost, store size and memory flat. Not part of
# `make test`. SOAK_DAYS=60 for a shorter one; see Benchmarks/soak/soak.py.
SOAK_DAYS ?= 365
soak: test-deps
	$(SWIFT) build $(RELEASE) --product bulletin
	$${BULLETIN_TEST_PYTHON:-/usr/bin/python3} Benchmarks/soak/soak.py --bulletin .build/release/bulletin --days $(SOAK_DAYS)

# `make install` (PREFIX=/usr/local, DESTDIR for packaging): the binary, its man page and
# completions (made by the binary itself), the shipped catalog, an example configuration
# that points at it, and the systemd units. BIN=… installs another build of the binary.
PREFIX ?= /usr/local
BIN ?= .build/release/bulletin
SHARE := $(DESTDIR)$(PREFIX)/share

install: $(BIN)
	install -Dm755 $(BIN) $(DESTDIR)$(PREFIX)/bin/bulletin
	install -d $(SHARE)/man/man1 $(SHARE)/bash-completion/completions $(SHARE)/zsh/site-functions \
		$(SHARE)/fish/vendor_completions.d $(SHARE)/bulletin/feeds $(SHARE)/bulletin/examples \
		$(DESTDIR)$(PREFIX)/lib/systemd/system
	$(BIN) help --man > $(SHARE)/man/man1/bulletin.1
	$(BIN) completions bash > $(SHARE)/bash-completion/completions/bulletin
	$(BIN) completions zsh > $(SHARE)/zsh/site-functions/_bulletin
	$(BIN) completions fish > $(SHARE)/fish/vendor_completions.d/bulletin.fish
	install -m644 Feeds/*.opml $(SHARE)/bulletin/feeds/
	sed 's|^feeds = .*|feeds = ["$(PREFIX)/share/bulletin/feeds/security.opml", "$(PREFIX)/share/bulletin/feeds/announcements.opml"]|' \
		Config/bulletin.toml > $(SHARE)/bulletin/examples/bulletin.toml
	install -m644 Config/inventory.toml $(SHARE)/bulletin/examples/inventory.toml
	for unit in docs/systemd/*.service docs/systemd/*.timer; do \
		sed 's|/usr/local/bin/bulletin|$(PREFIX)/bin/bulletin|g' $$unit > $(DESTDIR)$(PREFIX)/lib/systemd/system/$$(basename $$unit); done

.build/release/bulletin: deps
	$(SWIFT) build $(RELEASE) --product bulletin

deps:
	@$(call install,$(PACKAGES))

test-deps:
	@$(call install,$(TEST_PACKAGES))

# The matcher against pyahocorasick, one Python regex alternation and a naive loop (see
# Benchmarks/match/run.py). Python peers run in a venv under .build; data goes to a temp dir.
BENCH_VENV := .build/bench-venv
bench-match: deps
	@$(call install,python3 python3-venv)
	$(SWIFT) build $(RELEASE) --product MatchBenchmark
	@[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/python -c "import ahocorasick" 2>/dev/null || $(BENCH_VENV)/bin/pip install -q pyahocorasick
	$(BENCH_VENV)/bin/python Benchmarks/match/run.py --swift .build/release/MatchBenchmark

clean:
	rm -rf .build

# Relevance: the subject tags of the real `bulletin fetch` (release build) of the 41 labeled
# corpus feeds, served on 127.0.0.1, against the hand labels of ../shared/relevance/ (or
# $BULLETIN_RELEVANCE and $BULLETIN_CORPUS): precision and recall. DETAILS=--details lists
# every wrong and missed tag.
bench-relevance: deps
	$(SWIFT) build $(RELEASE) --product bulletin
	python3 Benchmarks/relevance/bench.py --bulletin .build/release/bulletin $(DETAILS) $(if $(FEED_TITLES),--feed-titles $(FEED_TITLES))

# Parser speed: bulletin parse beside xmllint --stream and feedparser, on a generated 20 MB feed.
bench-parse: bench-deps-parse
	$(SWIFT) build $(RELEASE) --product bulletin
	python3 Benchmarks/parse/bench.py .build/release/bulletin $(BENCH_VENV)/bin/python

# One bare '&' before 1M/2M/4M/8M x 'é': parse time must double with N, not quadruple.
bench-parse-ampersand: deps
	$(SWIFT) build $(RELEASE) --product bulletin
	python3 Benchmarks/parse/ampersand_scaling.py .build/release/bulletin

# The official toml-test suite (TOML 1.0.0) in $(TOML_TEST): valid documents must decode to
# the JSON beside them, invalid ones must be refused. Ends with `toml-test: P passed, F failed`.
TOML_TEST ?= ../shared/toml-test
toml-test:
	$(SWIFT) build --product TOMLTestDecoder
	python3 Tests/TOMLConformance/run.py .build/debug/TOMLTestDecoder $(TOML_TEST)

# Parser agreement with feedparser 6 on the shared corpus (differences: Benchmarks/parse-conformance/DIFFERENCES.md).
bench-parse-conformance: bench-deps-parse
	$(SWIFT) build $(RELEASE) --product bulletin
	$(BENCH_VENV)/bin/python Benchmarks/parse-conformance/conformance.py .build/release/bulletin \
		$${BULLETIN_CORPUS:-../shared/corpus/feeds} $(DETAILS)

# xmllint (Debian libxml2-utils) and feedparser (PyPI, in a virtualenv under .build).
bench-deps-parse: deps
	@$(call install,libxml2-utils python3 python3-venv)
	@[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/python -c "import feedparser" 2>/dev/null || $(BENCH_VENV)/bin/pip install -q "feedparser==6.*"

# The store benchmark: 1,000,000 generated entries (ENTRIES=… for fewer), insert rate and
# size, then 20 searches; beside the sqlite3 CLI doing the same FTS5 work. Release build.
bench-store: deps
	@$(call install,sqlite3 python3)
	$(SWIFT) build $(RELEASE)
	python3 Benchmarks/store/bench.py

# The fetcher beside newsboat and rss2email: 300 feeds of ../shared/bench's generator, 50 host
# names, 200 ms latency, then bulletin's peak memory at 1,200 feeds (see Benchmarks/fetch/bench.py;
# BED=generated for the script's own feeds). PEERS=newsboat skips rss2email's minutes-long runs.
PEERS ?= newsboat,rss2email
BED ?= shared
bench-fetch: deps
	@$(call install,newsboat rss2email python3)
	$(SWIFT) build $(RELEASE) --product bulletin
	python3 Benchmarks/fetch/bench.py --bulletin .build/release/bulletin --peers "$(PEERS)" --bed $(BED)

# Hostile searches ('a ' x 5000, short prefixes, thousands of words …) over a generated store
# of ENTRIES (1,000,000) entries: each must answer within 1 s or be refused. Release build.
bench-search-hostile: deps
	$(SWIFT) build $(RELEASE) --product bulletin
	$(SWIFT) build $(RELEASE) --product StoreBench
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
		.build/release/StoreBench generate "$$dir/store.sqlite3" $${ENTRIES:-1000000} 25 && \
		python3 Benchmarks/store/hostile_search.py .build/release/bulletin "$$dir/store.sqlite3"

# Fuzzing (libFuzzer, AddressSanitizer with leak detection): each of FUZZ_TARGETS for
# FUZZ_SECONDS, one after the other, seeded from our fixtures; FUZZ_RUNS=N stops a target
# after N inputs. One line per target (runs, rate, coverage, corpus, result); exits 1 when a
# target found something (kept in .build/fuzz/findings/TARGET/). See Fuzz/run.sh.
# A release build (3 to 5 times the inputs a second of a debug one, measured on feed, toml
# and sanitizer), in its own build directory so that it does not disturb the ordinary one.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= feed feed-html toml search opml cyclonedx csv sanitizer
FUZZ_RUNS ?=
FUZZ_BUILD := -c release --scratch-path .build/fuzz/build --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
	-Xswiftc -enable-testing -Xswiftc -DFUZZING --product BulletinFuzz
fuzz: SHELL := /bin/bash
fuzz: .SHELLFLAGS := -o pipefail -c
fuzz: deps
	$(SWIFT) build $(FUZZ_BUILD) 2>&1 | grep -v "Cannot export local symbol '__asan_report_"
	@binary=$$($(SWIFT) build $(FUZZ_BUILD) --show-bin-path)/BulletinFuzz; failed=0; \
	for target in $(FUZZ_TARGETS); do Fuzz/run.sh "$$binary" $$target $(FUZZ_SECONDS) $(FUZZ_RUNS) || failed=1; done; \
	exit $$failed

# Installs the Debian packages in $(1) that are not installed yet.
define install
	missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef
