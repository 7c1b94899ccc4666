#!/bin/sh
# t/fuzz.sh: a few seconds of each libFuzzer harness in t/fuzz/ (what
# `make fuzz FUZZ_SECONDS=N` runs for longer): the parsers of the status
# record, control bytes, config values, history records, svlog's line
# splitter and svtail's names and stamps, under ASan and UBSan. Skipped,
# visibly, without clang or its fuzzer runtime.
. "$(dirname "$0")/lib.sh"

SECS=${FUZZ_CHECK_SECONDS:-2}
if ! command -v clang >/dev/null 2>&1; then
	skip "fuzz harnesses" "clang not installed: apt-get install clang"
	done_testing
	exit
fi
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$T/probe.c"
if ! clang -fsanitize=fuzzer,address,undefined -o "$T/probe" "$T/probe.c" \
    >"$T/probe.err" 2>&1; then
	skip "fuzz harnesses" "clang's fuzzer runtime missing: apt-get install libclang-rt-14-dev"
	done_testing
	exit
fi
make -s -C "$TOP" fuzz-build >"$T/build.out" 2>&1
check "the harnesses build" [ $? -eq 0 ]
for f in "$TOP"/t/fuzz/fuzz_*.c; do
	n=$(basename "$f" .c)
	n=${n#fuzz_}
	out=$(sh "$TOP/t/fuzz/run.sh" "$SECS" "$n" 2>&1)
	r=$?
	echo "# $out" | head -n 20
	check "fuzz_$n: $SECS s without a finding" [ "$r" -eq 0 ]
done
done_testing
