# tend: one make file (GNU make), no configure, only libc.
#   make                 build every program into bin/
#   make check           build and run the unit and black-box tests
#   make bench           run the benchmarks in t/bench/ (not part of check)
#   make stress          the long chaos, fuzz and soak runs (minutes; see
#                        doc/reliability.md for the knobs)
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

check: all $(UNITS) $(HELPERS)
	sh t/run.sh $(UNITS)

bench: all
	sh t/bench/run.sh

# make stress STRESS_SERVICES=16 STRESS_SECONDS=600 [CHAOS_SEED=N]
STRESS_SERVICES = 16
STRESS_SECONDS = 600
STRESS_RATE = 1000
STRESS_KILL_MS = 150
CHAOS_SEED =
stress: all $(HELPERS)
	sh t/chaos.sh $(STRESS_SERVICES) $(STRESS_SECONDS) $(STRESS_RATE) \
	    $(STRESS_KILL_MS) $(CHAOS_SEED)

run: all
	bin/svscan sv

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8
	for p in $(PROGS); do cp $$p $(DESTDIR)$(BINDIR)/ || exit 1; done
	for m in $(MAN8); do cp $$m $(DESTDIR)$(MANDIR)/man8/ || exit 1; done

clean:
	rm -rf bin src/lib/*.o src/lib/libsv.a $(UNITS) t/helpers/bin

.PHONY: all check bench stress run install clean
