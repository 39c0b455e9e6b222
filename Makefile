# mmsim: every entry point. See README.md.
#   make            build build/mmsim
#   make run        replay every scenario under scenarios/
#   make check      build and run the Criterion suite
#   make check-asan the whole suite (tests and scenarios) under ASan+UBSan
#   make coverage   gcovr HTML and text summary under reports/coverage/
#   make bench      the benchmarks in tests/bench
#   make determinism  same bytes out at -O0 and -O2
#   make fuzz       libFuzzer on `mmsim run`'s entry point for FUZZ_SECONDS
#                   (default 600, two workers; needs clang, installed if missing)
#   make fuzz-smoke the same for 120 s (CI)
#   make install    build/mmsim, the man pages and the vim syntax under
#                   $(DESTDIR)$(PREFIX) (default /usr/local); make uninstall
# `run` and `check` install missing build dependencies first (Debian).

BUILD    ?= build
OPT      ?= -O2
EXTRA    ?=
CC       ?= gcc
PKGS     := glib-2.0
CFLAGS   := -std=c11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Werror \
            -Wno-unused-parameter -Imodel -Isim $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(EXTRA)
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TESTLIBS := $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

MODEL_SRC := $(wildcard model/*.c)
SIM_SRC   := $(filter-out sim/main.c,$(wildcard sim/*.c))
TEST_SRC  := $(wildcard tests/unit/*.c tests/scenarios/*.c tests/property/*.c)
BENCH_SRC := $(wildcard tests/bench/*.c)
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS  := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer

MODEL_OBJ := $(MODEL_SRC:%.c=$(BUILD)/%.o)
SIM_OBJ   := $(SIM_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o)
BENCH_OBJ := $(BENCH_SRC:%.c=$(BUILD)/%.o)

SCENARIOS := $(sort $(wildcard scenarios/*/*.scn))

# GNU install directories
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
VIMDIR   ?= $(PREFIX)/share/vim/vimfiles
INSTALLED := $(BINDIR)/mmsim $(MANDIR)/man1/mmsim.1 $(MANDIR)/man5/mmsim-scenario.5 \
             $(VIMDIR)/syntax/scn.vim $(VIMDIR)/ftdetect/scn.vim

.PHONY: all run check check-asan coverage bench determinism deps clean install uninstall fuzz fuzz-smoke
all: $(BUILD)/mmsim

deps:
	@scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libmodel.a: $(MODEL_OBJ)
	@ar rcs $@ $^

$(BUILD)/mmsim: $(BUILD)/sim/main.o $(SIM_OBJ) $(BUILD)/libmodel.a
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/mmsim-tests: $(TEST_OBJ) $(SIM_OBJ) $(BUILD)/libmodel.a
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(TESTLIBS) $(LDLIBS)

$(BUILD)/mmsim-bench: $(BENCH_OBJ) $(SIM_OBJ) $(BUILD)/libmodel.a
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/mmsim-fuzz: $(BUILD)/tests/fuzz/fuzz_run.o $(SIM_OBJ) $(BUILD)/libmodel.a
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

run: deps
	@$(MAKE) -s $(BUILD)/mmsim
	$(BUILD)/mmsim run --lockdep $(SCENARIOS)

check: deps
	@$(MAKE) -s $(BUILD)/mmsim-tests $(BUILD)/mmsim
	MMSIM=$(BUILD)/mmsim $(BUILD)/mmsim-tests --jobs 2

check-asan: deps
	@$(MAKE) -s BUILD=build-asan OPT=-O1 \
	  EXTRA="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  build-asan/mmsim-tests build-asan/mmsim
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 \
	  MMSIM=build-asan/mmsim build-asan/mmsim-tests --jobs 2
	ASAN_OPTIONS=detect_leaks=1 build-asan/mmsim run $(SCENARIOS)

coverage: deps
	@rm -rf build-cov reports/coverage && mkdir -p reports/coverage
	@$(MAKE) -s BUILD=build-cov OPT=-O0 EXTRA=--coverage build-cov/mmsim-tests build-cov/mmsim
	-MMSIM=build-cov/mmsim build-cov/mmsim-tests --jobs 1 >/dev/null
	-build-cov/mmsim run $(SCENARIOS) >/dev/null
	gcovr -r . --object-directory build-cov -f model/ -f sim/ \
	  --html-details reports/coverage/index.html --txt reports/coverage/summary.txt
	@cat reports/coverage/summary.txt

bench: deps
	@$(MAKE) -s $(BUILD)/mmsim-bench
	tests/bench/run.sh $(BUILD)/mmsim-bench

determinism: deps
	@$(MAKE) -s BUILD=build-O0 OPT=-O0 build-O0/mmsim
	@$(MAKE) -s $(BUILD)/mmsim
	@scripts/determinism.sh build-O0/mmsim $(BUILD)/mmsim $(SCENARIOS)

# clang only here: run, check and the rest build with $(CC)
fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) -s BUILD=build-fuzz CC=clang OPT=-O1 EXTRA="$(FUZZ_CFLAGS)" build-fuzz/mmsim-fuzz
	tests/fuzz/run.sh build-fuzz/mmsim-fuzz $(FUZZ_SECONDS)

fuzz-smoke:
	@$(MAKE) -s fuzz FUZZ_SECONDS=120

install: $(BUILD)/mmsim
	install -D -m 755 $(BUILD)/mmsim $(DESTDIR)$(BINDIR)/mmsim
	install -D -m 644 man/mmsim.1 $(DESTDIR)$(MANDIR)/man1/mmsim.1
	install -D -m 644 man/mmsim-scenario.5 $(DESTDIR)$(MANDIR)/man5/mmsim-scenario.5
	install -D -m 644 vim/syntax/scn.vim $(DESTDIR)$(VIMDIR)/syntax/scn.vim
	install -D -m 644 vim/ftdetect/scn.vim $(DESTDIR)$(VIMDIR)/ftdetect/scn.vim

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

clean:
	rm -rf build build-asan build-cov build-O0 build-fuzz reports/coverage

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
