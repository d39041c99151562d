# jiceng: `make` builds build/jiceng and renders public/; `make test` runs
# every test.  Dependencies come through pkg-config (scripts/deps.sh).

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CFLAGS  ?= -O2 -g
LDFLAGS ?=

-include Makefile.local
-include $(BUILD)/config.mk

ALL_CFLAGS = -std=c11 -Wall -Wextra -D_DEFAULT_SOURCE -D_GNU_SOURCE \
	-MMD -MP $(DEP_CFLAGS) $(CFLAGS)
LIBS = $(DEP_LIBS) -lpthread -lm

LIB_SRCS  := $(sort $(shell find generator -name '*.c' ! -name main.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all site test unit-bins install clean bench golden-update

all: $(BUILD)/jiceng site

# Re-read by make whenever it is rebuilt, so flags appear after installing.
$(BUILD)/config.mk: scripts/deps.sh
	@mkdir -p $(BUILD)
	sh scripts/deps.sh > $@.tmp && mv $@.tmp $@

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

unit-bins: $(TEST_BINS)

# Everything: unit tests, the Mustache spec, golden pages, the whole site,
# imports, errors; once as built and once under ASan and UBSan.
test: $(BUILD)/jiceng unit-bins
	sh scripts/test-deps.sh
	$(MAKE) BUILD=build/san CFLAGS="-O1 -g -fno-omit-frame-pointer \
	    -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    build/san/jiceng build/san/unit-bins-stamp
	sh tests/run.sh $(BUILD) build/san

$(BUILD)/unit-bins-stamp: $(TEST_BINS)
	@touch $@

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

install: $(BUILD)/jiceng
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(BUILD)/jiceng $(DESTDIR)$(PREFIX)/bin/jiceng
	install -m 644 man/jiceng.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/jiceng.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 man/jiceng-template.7 $(DESTDIR)$(PREFIX)/share/man/man7/

clean:
	rm -rf build public

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
