# cockpit-vf-migration
PACKAGE = vf-migration
PREFIX ?= /usr
DESTDIR ?=
INSTALL_DIR = $(DESTDIR)$(PREFIX)/share/cockpit/$(PACKAGE)
NODE_MODULES_STAMP = node_modules/.package-lock.json

all: dist/manifest.json

$(NODE_MODULES_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

dist/manifest.json: $(NODE_MODULES_STAMP) build.js manifest.json $(shell find src po -type f 2>/dev/null)
	node build.js

install: all
	mkdir -p $(INSTALL_DIR)
	cp -r dist/. $(INSTALL_DIR)/

devel-install: all
	mkdir -p ~/.local/share/cockpit
	ln -sfn $(CURDIR)/dist ~/.local/share/cockpit/$(PACKAGE)

devel-uninstall:
	rm -f ~/.local/share/cockpit/$(PACKAGE)

# The edit loop: lint, types, unit and property tests. No host, no browser.
check-fast: $(NODE_MODULES_STAMP)
	npx eslint --max-warnings 0 .
	npx tsc --noEmit -p .
	node po/po-tools.js check
	npx jest

# Everything: installs what the tests need (Debian 12, root), then every suite with its timing.
check:
	test/install-deps
	test/run-suites

demo:
	test/install-deps
	$(MAKE) all
	test/simhost/demo start

demo-stop:
	test/simhost/demo stop

clean:
	rm -rf dist test/artifacts

.PHONY: all install devel-install devel-uninstall check check-fast demo demo-stop clean
