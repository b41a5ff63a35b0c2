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
	install -D -m 0644 $(METAINFO) $(DESTDIR)$(PREFIX)/share/metainfo/$(notdir $(METAINFO))

devel-install: all
	mkdir -p ~/.local/share/cockpit
	ln -sfn $(CURDIR)/dist ~/.local/share/cockpit/$(PACKAGE)

devel-uninstall:
	rm -f ~/.local/share/cockpit/$(PACKAGE)

# The edit loop: lint, types, unit and property tests. No host, no browser.
check-fast: $(NODE_MODULES_STAMP)
	npx eslint --max-warnings 0 .
	shellcheck src/steps/lib.sh
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
	rm -f cockpit-vf-migration-*.tar.xz cockpit-vf-migration-*.rpm
	rm -rf dist test/artifacts

# Release: a source tarball that carries the built dist/ (packagers need no npm), and a noarch RPM built from it.
# The tarball holds the files git tracks or would track (not ignored), as they are in the work tree.
RPM_NAME = cockpit-$(PACKAGE)
VERSION := $(shell sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' package.json)
TARFILE = $(RPM_NAME)-$(VERSION).tar.xz
SPEC_IN = packaging/$(RPM_NAME).spec.in
METAINFO = packaging/org.cockpit_project.vf_migration.metainfo.xml
PKG_TMP = $(CURDIR)/tmp/packaging
# reproducible: fixed order, owners and modes, every file dated at the last commit
TAR_ARGS = --sort=name --mtime=@$$(git log -1 --format=%ct 2>/dev/null || echo 0) \
	--owner=0 --group=0 --numeric-owner --mode=go=rX,u+rw,a-s

dist: $(NODE_MODULES_STAMP)
	node build.js
	appstreamcli validate --no-net $(METAINFO)
	rm -rf $(PKG_TMP)/spec && mkdir -p $(PKG_TMP)/spec
	bundled=$$(node -e 'const d = require("./package.json").dependencies; \
		for (const [n, v] of Object.entries(d)) console.log(`Provides: bundled(npm($${n})) = $${v}`)') && \
	awk -v v='$(VERSION)' -v b="$$bundled" '{ gsub(/@VERSION@/, v); gsub(/@BUNDLED@/, b) } 1' \
		$(SPEC_IN) > $(PKG_TMP)/spec/$(RPM_NAME).spec
	# the file list comes from git; files deleted in the work tree are left out
	git rev-parse --git-dir >/dev/null
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ ! -e "$$f" ] || printf "%s\0" "$$f"; done' - > $(PKG_TMP)/spec/files
	tar --xz $(TAR_ARGS) --transform 's,^,$(RPM_NAME)-$(VERSION)/,' -cf $(TARFILE).tmp \
		--null -T $(PKG_TMP)/spec/files dist -C $(PKG_TMP)/spec $(RPM_NAME).spec
	mv $(TARFILE).tmp $(TARFILE)
	rm -rf $(PKG_TMP)/spec
	@ls -l $(TARFILE)

# rpmbuild with a private _topdir; Debian's rpm database knows no dpkg package, hence --nodeps (BuildRequires).
rpm: dist
	rm -rf $(PKG_TMP)/rpmbuild && mkdir -p $(PKG_TMP)/rpmbuild
	rpmbuild -tb --nodeps --define '_topdir $(PKG_TMP)/rpmbuild' --define '_tmppath $(PKG_TMP)/rpmbuild/tmp' $(TARFILE)
	mv $(PKG_TMP)/rpmbuild/RPMS/noarch/$(RPM_NAME)-$(VERSION)-*.noarch.rpm .
	rm -rf $(PKG_TMP)/rpmbuild
	@ls -l $(RPM_NAME)-$(VERSION)-*.noarch.rpm

.PHONY: dist rpm
.PHONY: all install devel-install devel-uninstall check check-fast demo demo-stop clean
