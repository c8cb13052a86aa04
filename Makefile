# mailtrail - one non-recursive GNU Makefile.
#
#   make run     set up (installs packages when root), build, open logs-sample/
#   make test    set up, build, run every test (also under ASan+UBSan)
#   make bench   generate a >= 1 GiB rotated set and measure against zcat
#   make fuzz    libFuzzer targets (clang)
#   make install PREFIX=/usr/local DESTDIR=   (build with the same PREFIX:
#                the catalogue path is compiled in; `make clean` first)
#
# Sources are found by wildcard so that adding a module or a parser is
# adding a file: src/*.c and parsers/*.c are the core, src/tui/*.c the
# curses front end, tests/unit/test_*.c one cmocka binary each.

PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

CC      ?= cc
PKGS    := ncursesw libpcre2-8 zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
CPPFLAGS_ALL := -Iinclude -D_GNU_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 \
	-DMAILTRAIL_VERSION='"$(VERSION)"' -DLOCALEDIR='"$(PREFIX)/share/locale"' $(PKG_CFLAGS)
OPT     ?= -O2 -g
CFLAGS_ALL := -std=c11 $(WARN) $(OPT) -pthread -MMD -MP $(CPPFLAGS_ALL) $(CFLAGS)
LDLIBS_ALL := $(PKG_LIBS) -lpthread -lm $(LDLIBS)

SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

CORE_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard parsers/*.c)
TUI_SRC  := $(wildcard src/tui/*.c)
MAIN_SRC := src/main.c
TEST_SRC := $(wildcard tests/unit/test_*.c)
TESTS    := $(patsubst tests/unit/%.c,%,$(TEST_SRC))

# $(call objs,dir,sources)
objs = $(patsubst %.c,$(1)/obj/%.o,$(2))

B  := build
BA := build-asan

.SECONDARY:

.PHONY: all run test test-only build asan deps bench fuzz install uninstall clean check-layers check-deps

all: $(B)/mailtrail

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BA)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(SAN) -c $< -o $@

$(B)/mailtrail: $(call objs,$(B),$(MAIN_SRC) $(CORE_SRC) $(TUI_SRC))
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_ALL)

$(BA)/mailtrail: $(call objs,$(BA),$(MAIN_SRC) $(CORE_SRC) $(TUI_SRC))
	$(CC) $(CFLAGS_ALL) $(SAN) $^ -o $@ $(LDLIBS_ALL)

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(call objs,$(B),$(CORE_SRC) $(TUI_SRC))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDLIBS_ALL) $(CMOCKA_LIBS)

$(BA)/tests/%: $(BA)/obj/tests/unit/%.o $(call objs,$(BA),$(CORE_SRC) $(TUI_SRC))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(SAN) $^ -o $@ $(LDLIBS_ALL) $(CMOCKA_LIBS)

# Translations: build/locale/<lang>/LC_MESSAGES/mailtrail.mo, found by the
# binaries in build/ and build-asan/ next to themselves (src/i18n.c).
MO := $(patsubst po/%.po,$(B)/locale/%/LC_MESSAGES/mailtrail.mo,$(wildcard po/*.po))
$(B)/locale/%/LC_MESSAGES/mailtrail.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

build: check-deps $(B)/mailtrail $(addprefix $(B)/tests/,$(TESTS)) $(MO)

asan: check-deps $(BA)/mailtrail $(addprefix $(BA)/tests/,$(TESTS)) $(MO)

# Set-up: install what is missing when root, else print the exact line.
DEB_PKGS := gcc make pkg-config libncurses-dev libpcre2-dev zlib1g-dev libcmocka-dev tmux gettext tzdata
check-deps:
	@sh tests/deps.sh $(DEB_PKGS)

run: check-deps $(B)/mailtrail $(MO)
	./$(B)/mailtrail logs-sample/

# Every test: unit, golden, hostile, end-to-end (normal build), then the
# whole suite again under ASan+UBSan.  tests/run.sh prints "N passed, N failed".
test: check-deps
	@$(MAKE) --no-print-directory -j$$(nproc 2>/dev/null || echo 2) build asan
	@sh tests/run.sh

test-only:
	@sh tests/run.sh

check-layers:
	@sh tests/check-layers.sh

bench: check-deps $(B)/mailtrail
	@sh tests/bench/bench.sh

fuzz:
	@sh tests/deps.sh clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk

install: $(B)/mailtrail
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/mailtrail $(DESTDIR)$(PREFIX)/bin/mailtrail
	install -m 644 mailtrail.1 $(DESTDIR)$(PREFIX)/share/man/man1/mailtrail.1
	@for po in po/*.po; do [ -f "$$po" ] || continue; l=$$(basename $$po .po); \
	  install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES; \
	  msgfmt -o $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/mailtrail.mo $$po; done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mailtrail $(DESTDIR)$(PREFIX)/share/man/man1/mailtrail.1
	rm -f $(DESTDIR)$(PREFIX)/share/locale/*/LC_MESSAGES/mailtrail.mo

clean:
	rm -rf $(B) $(BA)

-include $(shell find $(B) $(BA) -name '*.d' 2>/dev/null)
