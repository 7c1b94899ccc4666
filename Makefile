# tend: one make file (GNU make), no configure, only libc.
#   make                 build every program into bin/
#   make check           build and run the unit and black-box tests
#   make bench           run the benchmarks in t/bench/ (not part of check)
#   make bench-web       svweb's requests/s and memory (t/bench/bench-web.sh)
#   make stress          the long chaos, fuzz and soak runs (minutes; see
#                        doc/reliability.md for the knobs)
#   make fuzz FUZZ_SECONDS=N   each libFuzzer harness in t/fuzz/ for N s
#   make install PREFIX=/usr/local DESTDIR=
#   make CC=musl-gcc LDFLAGS=-static    static binaries
#   make WERROR=-Werror  warnings as errors (CI does this)

CC = cc
CFLAGS = -O2 -g
WERROR =
WARN = -std=c99 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter $(WERROR)
CPPFLAGS_ALL = -D_GNU_SOURCE -Isrc/lib $(CPPFLAGS)
LDFLAGS =
CHECK_LIBS = `pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread`
CHECK_CFLAGS = `pkg-config --cflags check 2>/dev/null`
PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DESTDIR =

LIBSRC = $(wildcard src/lib/*.c)
LIBOBJ = $(LIBSRC:.c=.o)
LIBHDR = $(wildcard src/lib/*.h)
PROGSRC = $(wildcard src/*.c)
PROGS = $(patsubst src/%.c,bin/%,$(PROGSRC))
UNITSRC = $(wildcard t/unit/check_*.c)
UNITS = $(UNITSRC:.c=)
MAN8 = $(wildcard doc/*.8)
HELPERSRC = $(wildcard t/helpers/*.c)
HELPERS = $(patsubst t/helpers/%.c,t/helpers/bin/%,$(HELPERSRC))

all: $(PROGS)

src/lib/%.o: src/lib/%.c $(LIBHDR)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -c -o $@ $<

src/lib/libsv.a: $(LIBOBJ)
	rm -f $@
	ar rc $@ $(LIBOBJ)
	ranlib $@

bin/%: src/%.c src/lib/libsv.a $(LIBHDR)
	@mkdir -p bin
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< src/lib/libsv.a

t/unit/check_%: t/unit/check_%.c src/lib/libsv.a $(LIBHDR)
	$(CC) $(CPPFLAGS_ALL) $(CHECK_CFLAGS) $(WARN) -Wno-pedantic $(CFLAGS) \
	    -o $@ $< src/lib/libsv.a $(CHECK_LIBS)

t/helpers/bin/%: t/helpers/%.c
	@mkdir -p t/helpers/bin
	$(CC) -D_GNU_SOURCE $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $<

# The unit tests need the Check library: t/deps.sh installs it as root on
# Debian; elsewhere they are reported as skipped, with the reason.
check: all $(HELPERS)
	@if why=$$(sh t/deps.sh "$(CC)"); then \
	    $(MAKE) -s units && sh t/run.sh $(UNITS); \
	else \
	    UNITS_SKIPPED="$$why" sh t/run.sh; \
	fi

units: $(UNITS)

bench: all
	sh t/bench/run.sh

bench-web: all
	sh t/bench/bench-web.sh

# libFuzzer harnesses (clang; Debian: clang, libclang-rt-14-dev). The
# library is built apart with the fuzzer's instrumentation.
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
FUZZ_SECONDS = 60
FUZZSRC = $(wildcard t/fuzz/fuzz_*.c)
FUZZERS = $(patsubst t/fuzz/%.c,t/fuzz/bin/%,$(FUZZSRC))
FUZZOBJ = $(patsubst src/lib/%.c,t/fuzz/obj/%.o,$(LIBSRC))

t/fuzz/obj/%.o: src/lib/%.c $(LIBHDR)
	@mkdir -p t/fuzz/obj
	$(FUZZ_CC) $(CPPFLAGS_ALL) -std=c99 $(FUZZ_FLAGS) \
	    -fsanitize=fuzzer-no-link -c -o $@ $<

t/fuzz/bin/%: t/fuzz/%.c t/fuzz/fuzz.h $(FUZZOBJ)
	@mkdir -p t/fuzz/bin
	$(FUZZ_CC) $(CPPFLAGS_ALL) -std=c99 $(FUZZ_FLAGS) -fsanitize=fuzzer \
	    -o $@ $< $(FUZZOBJ)

fuzz-build: $(FUZZERS)

fuzz: fuzz-build
	sh t/fuzz/run.sh $(FUZZ_SECONDS)

# make stress STRESS_SERVICES=16 STRESS_SECONDS=600 [CHAOS_SEED=N]
STRESS_SERVICES = 16
STRESS_SECONDS = 600
STRESS_RATE = 1000
STRESS_KILL_MS = 150
STRESS_FUZZ_SECONDS = 600
STRESS_SOAK_N = 10000
CHAOS_SEED =
stress: all $(HELPERS)
	sh t/chaos.sh $(STRESS_SERVICES) $(STRESS_SECONDS) $(STRESS_RATE) \
	    $(STRESS_KILL_MS) $(CHAOS_SEED)
	sh t/soak.sh $(STRESS_SOAK_N)
	$(MAKE) fuzz FUZZ_SECONDS=$(STRESS_FUZZ_SECONDS)

run: all
	bin/svscan sv

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8
	for p in $(PROGS); do cp $$p $(DESTDIR)$(BINDIR)/ || exit 1; done
	for m in $(MAN8); do cp $$m $(DESTDIR)$(MANDIR)/man8/ || exit 1; done

clean:
	rm -rf bin src/lib/*.o src/lib/libsv.a $(UNITS) t/helpers/bin \
	    t/fuzz/bin t/fuzz/obj

.PHONY: all check units bench bench-web stress fuzz fuzz-build run install \
	clean
