# jiceng: `make` builds build/jiceng and renders public/; `make test` runs
# every test.  Dependencies come through pkg-config (scripts/deps.sh).

VERSION  = 0.9.0
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CFLAGS  ?= -O2 -g
LDFLAGS ?=
# What `jiceng init` copies: templates, assets and the sample site.
DATADIR  = $(PREFIX)/share/jiceng
# The second build `make test` runs every suite with, in build/san.
SAN_CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all

-include Makefile.local
# Goals that compile nothing themselves are not configured here: `make
# test` configures in tests/run.sh, which keeps its output in the log.
ifneq ($(if $(MAKECMDGOALS),$(filter-out test check-unit clean,$(MAKECMDGOALS)),all),)
-include $(BUILD)/config.mk
endif

# One job per core unless a -j is given.  Only at the top: sub-makes
# share its job slots.
ifeq ($(MAKELEVEL),0)
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif
endif

ALL_CFLAGS = -std=c11 -Wall -Wextra -D_DEFAULT_SOURCE -D_GNU_SOURCE \
	-I$(BUILD) -MMD -MP $(DEP_CFLAGS) $(CFLAGS)
LIBS = $(DEP_LIBS) -lpthread -lm

LIB_SRCS  := $(sort $(shell find generator -name '*.c' ! -name main.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/%)
# The fuzz targets' own build: clang with libFuzzer, ASan and UBSan.
FUZZ_CFLAGS = -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: all site test check-unit unit-bins fuzz fuzz-bins install clean FORCE \
	bench golden-update

all: $(BUILD)/jiceng site

# Objects are kept, not removed as intermediates, so that a second run
# builds nothing; a recipe that fails leaves no half-made target.
.SECONDARY:
.DELETE_ON_ERROR:

# Re-read by make whenever it is rebuilt, so flags appear after installing.
$(BUILD)/config.mk: scripts/deps.sh
	@mkdir -p $(BUILD)
	CC="$(CC)" sh scripts/deps.sh > $@.tmp && mv $@.tmp $@

# The version and the data folder the binary reports and looks in.
# Rewritten only when they change, so that nothing is compiled again.
$(BUILD)/version.h: FORCE
	@mkdir -p $(@D)
	@printf '#define JICENG_VERSION "%s"\n#define JICENG_DATADIR "%s"\n' \
	    '$(VERSION)' '$(DATADIR)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

FORCE:

$(BUILD)/obj/generator/main.o $(BUILD)/obj/generator/init.o: \
	$(BUILD)/version.h

$(BUILD)/obj/%.o: %.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libjiceng.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

$(BUILD)/jiceng: $(BUILD)/obj/generator/main.o $(BUILD)/libjiceng.a
	$(CC) $(CFLAGS) $(LDFLAGS) -Wl,--build-id -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libjiceng.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LIBS)

site: $(BUILD)/jiceng
	$(BUILD)/jiceng build

# libFuzzer targets (tests/fuzz/fuzz_*.c) in build/fuzz/, against a
# library built for them; tests/fuzz.once.sh runs each for a while.
fuzz:
	$(MAKE) BUILD=build/fuzz CC=clang \
	    CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" fuzz-bins

fuzz-bins: $(FUZZ_BINS)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/libjiceng.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(BUILD)/libjiceng.a $(LIBS)

unit-bins: $(TEST_BINS)

$(BUILD)/unit-bins-stamp: $(TEST_BINS)
	@touch $@

# Everything, once as built and once under ASan and UBSan: tests/run.sh
# installs what the tests need, builds both, runs every suite and prints
# a line for each; the whole output goes to $(BUILD)/test.log.
test:
	@+MAKE="$(MAKE)" SAN_CFLAGS="$(SAN_CFLAGS)" \
	    sh tests/run.sh $(BUILD) build/san

# The unit tests alone, on the plain build: the quick loop.
check-unit:
	@+MAKE="$(MAKE)" sh tests/run.sh --unit $(BUILD)

# Rewrites tests/golden/*/expected from the current build and shows the diff.
golden-update: $(BUILD)/jiceng
	UPDATE=1 JICENG=$(BUILD)/jiceng TOP=$(CURDIR) sh tests/golden.test.sh

# jiceng against Hugo and the floor, and incremental builds; see
# bench/run.sh for its settings.  Writes bench/RESULTS.md.
bench: $(BUILD)/jiceng $(BUILD)/gensite $(BUILD)/floor
	sh bench/run.sh $(BUILD)/jiceng

$(BUILD)/gensite: bench/gensite.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ bench/gensite.c

$(BUILD)/floor: bench/floor.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ bench/floor.c $(DEP_LIBS) -lpthread

# The binary, the man pages, and what `jiceng init` copies into a new
# site (the folder is replaced whole, so no file of an older version
# lingers).
install: $(BUILD)/jiceng
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(BUILD)/jiceng $(DESTDIR)$(PREFIX)/bin/jiceng
	install -m 644 man/jiceng.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/jiceng.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 man/jiceng-template.7 $(DESTDIR)$(PREFIX)/share/man/man7/
	rm -rf $(DESTDIR)$(DATADIR)
	install -d $(DESTDIR)$(DATADIR)
	cp -R templates assets sample $(DESTDIR)$(DATADIR)/
	chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)

# The site readers see, its back tree, lock and trash (see jiceng(1)).
clean:
	rm -rf build public .public.back .public.trash .public.lock \
	    .jiceng-cache

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
