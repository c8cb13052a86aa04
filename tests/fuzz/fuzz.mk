# tests/fuzz/fuzz.mk - libFuzzer targets and their regression replay.
#
#   make fuzz                      build every target with clang and seed
#                                  the corpora (= make -f tests/fuzz/fuzz.mk)
#   make -f tests/fuzz/fuzz.mk fuzz-run [FUZZ_SECONDS=600] [FUZZ_RUNS=5000000]
#                                  [FUZZ_TARGETS="csv mime"]
#                                  run each target, one after the other, until
#                                  FUZZ_SECONDS or FUZZ_RUNS, whichever first;
#                                  findings land in tests/fuzz/build/artifacts/
#   make -f tests/fuzz/fuzz.mk replay BUILD=build|build-asan
#                                  the normal-compiler replay binary that
#                                  tests/fuzz/replay.sh runs from make test
#
# One target per input path, tests/fuzz/fuzz_<name>.c.  Adding a target is
# adding that file, its name below and in replay.c, and seeds if any.
# The core (src/*.c minus main.c, parsers/*.c) is compiled once with
# coverage instrumentation and linked into every target.  Everything built
# goes to tests/fuzz/build/ (gitignored).  Corpora are seeded from
# logs-sample/ and tests/fixtures/ (tests/fuzz/seed.sh) and from
# tests/fuzz/seeds/<name>/ (public sample lines, named after the sample
# file they were copied from, and hand-written edge cases); committed
# crash inputs are in tests/fuzz/regress/<name>/.
#
# libFuzzer comes with clang: on Debian 12 the packages are clang and
# libclang-rt-14-dev (a Recommends of clang-14, so it is missing after
# apt-get --no-install-recommends).

FUZZ_CC      ?= clang
FUZZ_TARGETS ?= postfix exim directadmin gws emaillabs detect lineio csv mime textsafe \
		query timeparse load
FUZZ_SECONDS ?= 600
FUZZ_RUNS    ?= 5000000
FZ           := tests/fuzz/build

# Longest input per target: a few log lines for line formats, room for
# 64 KiB lines and multi-line records for the reader and the CSV reader
# (those two also start at full length, -len_control=0: libFuzzer would
# otherwise take most of a run to grow inputs past the 64 KiB limits).
MAXLEN_lineio := 200000
MAXLEN_csv    := 200000
MAXLEN_detect := 16384
MAXLEN_load   := 65536
MAXLEN_DEFAULT := 4096

CORE_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard parsers/*.c)
COMMON_CPPFLAGS := -std=c11 -D_GNU_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 -Iinclude -Itests/fuzz
LIBS := -lpcre2-8 -lz -lpthread -lm

# UBSan is left recoverable in the fuzzers: fuzz-run makes every report a
# crash with UBSAN_OPTIONS=halt_on_error=1, and FUZZ_UBSAN_OPTIONS=
# halt_on_error=0 lets a run go on past a known, unfixed report (each
# distinct report is then printed once in the log).
FUZZ_CFLAGS := $(COMMON_CPPFLAGS) -g -O1 -fno-omit-frame-pointer -Wall -Wextra
FUZZ_UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
FUZZ_CORE_OBJ := $(patsubst %.c,$(FZ)/obj/%.o,$(CORE_SRC))
FUZZ_BINS := $(addprefix $(FZ)/fuzz_,$(FUZZ_TARGETS))

.PHONY: all fuzz-build fuzz-seeds fuzz-run replay
.DELETE_ON_ERROR:
# keep the objects (they are only named in pattern rules, which would make
# them intermediate files, deleted after every build)
.SECONDARY:

all: fuzz-build fuzz-seeds

fuzz-build: $(FUZZ_BINS)

$(FZ)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP \
		-c $< -o $@

$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_CORE_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $< $(FUZZ_CORE_OBJ) \
		-o $@ $(LIBS)

# Seeds from logs-sample/ and tests/fixtures/, regenerated when those or
# the script change.
SAMPLES := $(shell find logs-sample tests/fixtures -type f 2>/dev/null)
fuzz-seeds: $(addprefix $(FZ)/seeds/,$(addsuffix /.stamp,$(FUZZ_TARGETS)))

$(FZ)/seeds/%/.stamp: $(SAMPLES) tests/fuzz/seed.sh
	@sh tests/fuzz/seed.sh $* $(dir $@)
	@touch $@

# One target after the other (the machine is shared); every target runs
# even when one finds something, and the run fails at the end if any did.
fuzz-run: all
	@mkdir -p $(FZ)/logs; failed=""; \
	for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FZ)/corpus/$$t $(FZ)/artifacts/$$t; \
		dirs="$(FZ)/corpus/$$t $(FZ)/seeds/$$t"; \
		for d in tests/fuzz/seeds/$$t tests/fuzz/regress/$$t; do \
			[ -d $$d ] && dirs="$$dirs $$d"; \
		done; \
		dict=""; [ -f tests/fuzz/dict/$$t.dict ] && dict="-dict=tests/fuzz/dict/$$t.dict"; \
		lc=""; case $$t in lineio) ml=$(MAXLEN_lineio) lc=-len_control=0;; \
			csv) ml=$(MAXLEN_csv) lc=-len_control=0;; \
			detect) ml=$(MAXLEN_detect);; \
			load) ml=$(MAXLEN_load);; \
			*) ml=$(MAXLEN_DEFAULT);; esac; \
		echo "fuzz $$t: up to $(FUZZ_SECONDS) s or $(FUZZ_RUNS) runs (log $(FZ)/logs/$$t.log)"; \
		if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
		   UBSAN_OPTIONS=$(FUZZ_UBSAN_OPTIONS) \
		   $(FZ)/fuzz_$$t -max_len=$$ml -rss_limit_mb=2048 -timeout=10 \
			-max_total_time=$(FUZZ_SECONDS) -runs=$(FUZZ_RUNS) -print_final_stats=1 \
			-artifact_prefix=$(FZ)/artifacts/$$t/ $$lc $$dict $$dirs \
			>$(FZ)/logs/$$t.log 2>&1; then \
			grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' \
				$(FZ)/logs/$$t.log | sed "s/^/  $$t: /"; \
		else \
			echo "  $$t: FINDING, see $(FZ)/logs/$$t.log and $(FZ)/artifacts/$$t/"; \
			failed="$$failed $$t"; \
		fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: findings in:$$failed"; exit 1; fi

# --- replay with the normal compiler (make test) ------------------------
#
# Each target is compiled with LLVMFuzzerTestOneInput renamed to
# fuzz_<name>_one and linked into one binary with replay.c.  BUILD names
# the main build it goes with: build-asan adds the project's sanitizers.

BUILD ?= build
RP := $(FZ)/replay-$(BUILD)
REPLAY_CC ?= $(CC)
REPLAY_WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
REPLAY_SAN := $(if $(filter build-asan,$(BUILD)),$(SAN_FLAGS))
REPLAY_CFLAGS := $(COMMON_CPPFLAGS) -g -O1 -pthread $(REPLAY_SAN)
REPLAY_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_OBJ := $(patsubst %.c,$(RP)/obj/%.o,$(CORE_SRC)) \
	$(addprefix $(RP)/t/fuzz_,$(addsuffix .o,$(REPLAY_TARGETS))) $(RP)/t/replay.o

replay: $(RP)/replay

$(RP)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(REPLAY_CC) $(REPLAY_CFLAGS) -MMD -MP -c $< -o $@

$(RP)/t/fuzz_%.o: tests/fuzz/fuzz_%.c
	@mkdir -p $(dir $@)
	@$(REPLAY_CC) $(REPLAY_CFLAGS) $(REPLAY_WARN) -DLLVMFuzzerTestOneInput=fuzz_$*_one \
		-MMD -MP -c $< -o $@

$(RP)/t/replay.o: tests/fuzz/replay.c
	@mkdir -p $(dir $@)
	@$(REPLAY_CC) $(REPLAY_CFLAGS) $(REPLAY_WARN) -MMD -MP -c $< -o $@

$(RP)/replay: $(REPLAY_OBJ)
	@$(REPLAY_CC) $(REPLAY_CFLAGS) $^ -o $@ $(LIBS)

-include $(shell find $(FZ) -name '*.d' 2>/dev/null)
