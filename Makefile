# The two commands: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
# System libraries Bulletin links against, and what the build finds them with.
PACKAGES := libcurl4-openssl-dev libxml2-dev libsqlite3-dev pkg-config
# Also needed by the tests: python3 runs the HTTP test server on 127.0.0.1.
TEST_PACKAGES := $(PACKAGES) python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Arguments for `make run`, e.g. make run ARGS="--verbose".
ARGS ?=

.PHONY: run test build deps test-deps clean bench-fetch

run: deps
	$(SWIFT) build -c release --product bulletin
	.build/release/bulletin run $(ARGS)

build: deps
	$(SWIFT) build -c release --product bulletin

test: test-deps
	$(SWIFT) test

deps:
	@$(call install,$(PACKAGES))

test-deps:
	@$(call install,$(TEST_PACKAGES))

clean:
	rm -rf .build

# The fetcher beside newsboat and rss2email: 300 feeds, 50 host names, 200 ms latency
# (see Benchmarks/fetch/bench.py). PEERS=newsboat skips rss2email's minutes-long runs.
PEERS ?= newsboat,rss2email
bench-fetch: deps
	@$(call install,newsboat rss2email python3)
	$(SWIFT) build -c release --product bulletin
	python3 Benchmarks/fetch/bench.py --bulletin .build/release/bulletin --peers "$(PEERS)"

# Installs the Debian packages in $(1) that are not installed yet.
define install
	missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef
