# anfang: a plain Makefile.  Everything a packager may override uses ?=.
#
#   make              build build/anfang and its message catalogues
#   make run          install missing packages, build, open the program
#   make check        every test: unit, end-to-end, sanitizer build, fuzzers
#   make bench        benchmarks (figures, never pass/fail)
#   make fuzz         run each fuzzer for FUZZ_TIME seconds
#   make install      FHS layout under $(DESTDIR)$(PREFIX)
#   make deb          the Debian package, build/anfang_VERSION_ARCH.deb
#   make po           regenerate packaging/po/anfang.pot, merge it into the
#                     catalogues (then translate what is new)
#   make locales      zh_CN.UTF-8 and zh_TW.UTF-8 in build/locales for tests

VERSION = 0.1.0

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
LOCALEDIR ?= $(DATADIR)/locale
COMPDIR ?= $(DATADIR)/bash-completion/completions
DESTDIR ?=

CC      ?= cc
CLANG   ?= clang
CFLAGS  ?= -O2 -g
LDFLAGS ?=

FUZZ_TIME       ?= 300
FUZZ_CHECK_TIME ?= 10

PKGS = ncursesw sqlcipher libsodium yaml-0.1 jansson
comma := ,

# The sanitizer build lives beside the normal one so both can be tested in
# one `make check` without rebuilding each other.
ifeq ($(SANITIZE),1)
BUILD ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS =
endif

# CI builds with -Werror; a user's newer compiler should not break `make run`.
ifneq ($(CI),)
WERROR = -Werror
endif

WARN = -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
       -Wmissing-prototypes -Wwrite-strings $(WERROR)

# Package flags are found once, after packaging/deps.sh has made sure that
# pkg-config and the libraries exist.
CONFIG = build/config.mk
ifeq ($(filter clean deps,$(MAKECMDGOALS)),)
include $(CONFIG)
endif

ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	     -pthread -Iinclude $(PKG_CFLAGS) $(WARN) $(SANFLAGS) \
	     -DANFANG_VERSION='"$(VERSION)"' \
	     -DANFANG_FORMSDIR='"$(DATADIR)/anfang/forms"' \
	     -DANFANG_LOCALEDIR='"$(LOCALEDIR)"' $(CFLAGS)
ALL_LDFLAGS = -pthread $(SANFLAGS) $(LDFLAGS)

SRCS     = $(sort $(wildcard src/*.c))
LIB_SRCS = $(filter-out src/main.c,$(SRCS))
LIB_OBJS = $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
BIN      = $(BUILD)/anfang
LIB      = $(BUILD)/libanfang.a

TOOL_SRCS  = $(sort $(wildcard tests/tools/*.c))
TOOL_BINS  = $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tools/%)
SHIM_SRCS  = $(sort $(wildcard tests/tools/shim/*.c))
TOOL_BINS += $(SHIM_SRCS:tests/tools/shim/%.c=$(BUILD)/tools/%.so)
UNIT_SRCS  = $(sort $(wildcard tests/unit/test-*.c))
UNIT_BINS  = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)
FUZZ_SRCS  = $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BINS  = $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
BENCH_SRCS = $(sort $(wildcard tests/bench/*.c))
BENCH_BINS = $(BENCH_SRCS:tests/bench/%.c=build/bench/%)

# Message catalogues: packaging/po/LANG.po, compiled beside the binary
# (build/locale/LANG/LC_MESSAGES/anfang.mo), where it looks first.
PO_DIR   = packaging/po
LINGUAS  = zh_CN zh_TW
MO_FILES = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/anfang.mo)
# The locales the tests run the interface in, compiled into the build tree
# (LOCPATH) so that nothing on the machine changes.
TEST_LOCALES = $(LINGUAS:%=build/locales/%.UTF-8/LC_CTYPE)

.PHONY: all run check check-build unit e2e fuzz fuzz-check bench install \
	uninstall deb clean deps format po pot locales check-build-own \
	check-builds check-build-normal check-build-san check-build-fuzz \
	check-build-locales check-tests check-unit check-e2e
.DELETE_ON_ERROR:

all: $(BIN) $(MO_FILES)

$(CONFIG): packaging/deps.sh Makefile
	@packaging/deps.sh
	@mkdir -p $(@D)
	@cflags=$$(pkg-config --cflags $(PKGS)) && \
	 libs=$$(pkg-config --libs $(PKGS)) && \
	 cmocka=$$(pkg-config --cflags --libs cmocka) && \
	 printf 'PKG_CFLAGS = %s\nPKG_LIBS = %s\nCMOCKA = %s\n' \
	     "$$cflags" "$$libs" "$$cmocka" >$@.tmp && mv $@.tmp $@

deps:
	@packaging/deps.sh

# The installed forms and locale directories are compiled in: rebuild what uses it when
# PREFIX or DATADIR change (the stamp is rewritten only when they differ).
$(BUILD)/datadir: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR) $(LOCALEDIR)' | cmp -s - $@ || \
	    echo '$(DATADIR) $(LOCALEDIR)' >$@
$(BUILD)/obj/form-dir.o $(BUILD)/obj/i18n.o: $(BUILD)/datadir
.PHONY: FORCE

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(CMOCKA) \
	    $(PKG_LIBS) -lm $(ALL_LDFLAGS)

$(BUILD)/locale/%/LC_MESSAGES/anfang.mo: $(PO_DIR)/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# The template from every _() and N_() in src/ (locations by file only, so
# that moving code does not change the catalogues), merged into each one:
# new strings arrive untranslated, changed ones fuzzy (make check fails on
# both until they are translated).
XGETTEXT = xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
	   --keyword=C_:1c,2 \
	   --add-comments=TRANSLATORS: --package-name=anfang \
	   --package-version=$(VERSION) --sort-by-file --add-location=file

POT ?= $(PO_DIR)/anfang.pot

pot:
	$(XGETTEXT) -o $(POT) $(SRCS)

po: pot
	@for l in $(LINGUAS); do \
	    msgmerge --quiet --update --backup=none --previous \
	        --add-location=file \
	        $(PO_DIR)/$$l.po $(PO_DIR)/anfang.pot || exit 1; \
	    msgfmt --check --statistics -o /dev/null $(PO_DIR)/$$l.po; \
	done

locales: $(TEST_LOCALES)

build/locales/%.UTF-8/LC_CTYPE:
	@rm -rf build/locales/$*.UTF-8
	@mkdir -p build/locales
	localedef -i $* -f UTF-8 build/locales/$*.UTF-8

# The terminal UI on the default database (offering to create it on the
# first run), with the forms of this tree.
run: deps $(BIN) $(MO_FILES)
	@$(BIN) --forms forms

# Everything, twice: the normal build and the ASan+UBSan build, then the
# fuzzers briefly over their committed corpora.  The three builds are made
# side by side by one make (CHECK_JOBS jobs over all of them: made one after
# the other, each one's last links left a core idle).  Then the unit-test
# binaries and the end-to-end tests of both builds run side by side, as
# jobs of one make -j$(CHECK_SLOTS) (tests/pool.sh takes a slot of make's
# for each job), the longest first: most of an end-to-end test's time is
# spent waiting on a terminal, so other jobs fill its waits, and one more
# job than the cores keeps them busy.  Last the fuzzers, one a core: each
# runs for a time, not a number of inputs.
# A failing stage does not stop the others: the summary at the end counts
# every test and decides the exit status.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CHECK_SLOTS ?= $(shell echo $$(($(CHECK_JOBS) + 1)))
CHECK_UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=build/unit/%) \
		  $(UNIT_SRCS:tests/unit/%.c=build/san/unit/%)

check: deps
	@rm -f build/results build/check-times
	-@$(MAKE) --no-print-directory -j$(CHECK_JOBS) check-builds
	-@$(MAKE) --no-print-directory -j$(CHECK_SLOTS) check-tests
	-@FUZZ_JOBS=$(CHECK_JOBS) tests/fuzz/run.sh $(FUZZ_CHECK_TIME) build/results $(FUZZ_BINS)
	@tests/summary.sh build/results

# What the tests of one build need; the locales are both builds'.
check-build: check-build-own $(TEST_LOCALES)
check-build-own: $(BIN) $(MO_FILES) $(UNIT_BINS) $(TOOL_BINS)

# (each build by its own make, so that a failing one is recorded as such)
check-builds: check-build-normal check-build-san check-build-fuzz \
	      check-build-locales
check-build-normal:
	+@$(MAKE) --no-print-directory check-build-own || \
	    echo "build normal 0 1" >>build/results
check-build-san:
	+@$(MAKE) --no-print-directory SANITIZE=1 check-build-own || \
	    echo "build sanitizer 0 1" >>build/results
check-build-fuzz:
	+@$(MAKE) --no-print-directory $(FUZZ_BINS) || \
	    echo "build fuzzers 0 1" >>build/results
check-build-locales:
	+@$(MAKE) --no-print-directory locales || \
	    echo "build locales 0 1" >>build/results

check-tests: check-unit check-e2e
check-unit:
	+-@POOL_TIMES=build/check-times UNIT_JOBS=$(CHECK_SLOTS) \
	    tests/run-unit.sh build/results $(CHECK_UNIT_BINS)
check-e2e:
	+-@POOL_TIMES=build/check-times E2E_JOBS=$(CHECK_SLOTS) \
	    E2E_BUILDS="build/san/anfang build/anfang" \
	    tests/e2e/run.sh build/results

unit: $(UNIT_BINS)
	@tests/run-unit.sh build/results $(UNIT_BINS)

e2e: $(BIN) $(MO_FILES) $(TOOL_BINS) $(TEST_LOCALES)
	@ANFANG=$(BIN) ANFANG_TOOLS=$(BUILD)/tools tests/e2e/run.sh build/results

# LD_PRELOAD shims the e2e tests put under the program (never sanitized:
# a sanitized program is run with ASAN_OPTIONS=verify_asan_link_order=0).
$(BUILD)/tools/%.so: tests/tools/shim/%.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared -o $@ $< -ldl

# Small programs over the library that tests and benchmarks drive.
$(BUILD)/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) -lm $(ALL_LDFLAGS)

# libFuzzer targets, built by clang with ASan and UBSan over the same sources.
FUZZ_FLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
	     -pthread \
	     -Iinclude $(PKG_CFLAGS) -DANFANG_VERSION='"$(VERSION)"' \
	     -DANFANG_FORMSDIR='"$(DATADIR)/anfang/forms"' \
	     -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

# The library once for all fuzzers (-fsanitize=fuzzer-no-link), each
# target then linked with libFuzzer's main.
FUZZ_OBJS = $(LIB_SRCS:src/%.c=build/fuzz/obj/%.o)
.SECONDARY: $(FUZZ_OBJS)

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CLANG) $(subst -fsanitize=fuzzer$(comma),-fsanitize=fuzzer-no-link$(comma),$(FUZZ_FLAGS)) \
	    -MMD -MP -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS) -lm

fuzz-check: $(FUZZ_BINS)
	-@tests/fuzz/run.sh $(FUZZ_CHECK_TIME) build/results $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_TIME) build/results $(FUZZ_BINS)

build/bench/%: tests/bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) -lm $(ALL_LDFLAGS)

bench: deps $(BIN) $(BENCH_BINS) $(TOOL_BINS)
	@ANFANG=$(BIN) ANFANG_TOOLS=$(BUILD)/tools tests/bench/run.sh

install: $(BIN) $(MO_FILES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/anfang/forms/sites \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(COMPDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/anfang
	install -m 0644 forms/*.yaml $(DESTDIR)$(DATADIR)/anfang/forms/
	install -m 0644 forms/sites/*.yaml \
	    $(DESTDIR)$(DATADIR)/anfang/forms/sites/
	install -m 0644 packaging/anfang.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 packaging/anfang-forms.5 packaging/anfang-batch.5 \
	    $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 packaging/completion $(DESTDIR)$(COMPDIR)/anfang
	for l in $(LINGUAS); do \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	    install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/anfang.mo \
	        $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/ || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/anfang $(DESTDIR)$(MANDIR)/man1/anfang.1 \
	    $(DESTDIR)$(MANDIR)/man5/anfang-forms.5 \
	    $(DESTDIR)$(MANDIR)/man5/anfang-batch.5 \
	    $(DESTDIR)$(COMPDIR)/anfang \
	    $(LINGUAS:%=$(DESTDIR)$(LOCALEDIR)/%/LC_MESSAGES/anfang.mo)
	rm -rf $(DESTDIR)$(DATADIR)/anfang

# The Debian package.  The top level has no debian/: a copy of the sources
# in build/deb/anfang-VERSION gets packaging/debian as its debian/ and
# dpkg-buildpackage builds there; the .deb is copied to build/, the rest of
# its output (log, .changes, .buildinfo, -dbgsym) stays in build/deb/.
# Rebuilt only when something packaged changed (tests/ is not packaged).
DEB_INPUTS = Makefile README.md $(SRCS) $(wildcard src/*.h include/*/*.h \
	     forms/* forms/*/* packaging/* packaging/*/* packaging/*/*/*)
DEB_TREE   = build/deb/anfang-$(VERSION)

deb: build/deb/stamp

build/deb/stamp: $(DEB_INPUTS)
	@packaging/deps.sh
	@v=$$(dpkg-parsechangelog -l packaging/debian/changelog -S Version) && \
	 [ "$$v" = "$(VERSION)" ] || { echo "deb: packaging/debian/changelog" \
	     "is at $$v, the Makefile at $(VERSION)" >&2; exit 1; }
	@rm -rf build/deb build/anfang_*.deb
	@mkdir -p $(DEB_TREE)
	@cp -R Makefile README.md forms include src packaging $(DEB_TREE)/
	@cp -R packaging/debian $(DEB_TREE)/debian
	@echo "deb: dpkg-buildpackage in $(DEB_TREE) (log: build/deb/build.log)"
	@cd $(DEB_TREE) && dpkg-buildpackage -us -uc -b -jauto \
	     >../build.log 2>&1 || { tail -n 30 ../build.log >&2; exit 1; }
	@cp build/deb/anfang_$(VERSION)_*.deb build/
	@touch $@
	@ls build/anfang_$(VERSION)_*.deb

format:
	clang-format -i src/*.c include/anfang/*.h tests/unit/*.c \
	    tests/unit/*.h tests/fuzz/*.c tests/bench/*.c

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(BUILD)/obj/main.d $(FUZZ_OBJS:.o=.d)
