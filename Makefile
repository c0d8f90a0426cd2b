# The two commands: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
# System libraries Bulletin links against, and what the build finds them with.
PACKAGES := libcurl4-openssl-dev libxml2-dev libsqlite3-dev pkg-config
# Also needed by the tests: python3 runs the HTTP, SMTP and webhook test servers on
# 127.0.0.1, openssl makes their TLS certificate, and aiosmtpd (from PyPI, in a venv under
# .build, which the tests find by themselves) is the SMTP server.
TEST_PACKAGES := $(PACKAGES) python3 python3-venv openssl
TEST_VENV := .build/test-venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Arguments for `make run`, e.g. make run ARGS="--verbose".
ARGS ?=

.PHONY: run test build deps test-deps clean

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
	@$(TEST_VENV)/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { \
		echo "installing aiosmtpd into $(TEST_VENV)"; \
		rm -rf $(TEST_VENV) && python3 -m venv $(TEST_VENV) && $(TEST_VENV)/bin/pip install --quiet aiosmtpd; }

clean:
	rm -rf .build

# Installs the Debian packages in $(1) that are not installed yet.
define install
	missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef
