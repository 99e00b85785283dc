#!/bin/sh
# tests/fuzz/run.sh — runs the libFuzzer targets (build/fuzz/fuzz_*), one after the other,
# one process each (-jobs=1: the machine is shared).
#   run.sh SECONDS [NAME...]          `make fuzz`: each for SECONDS on its growing corpus in
#                                     build/fuzz/corpus/NAME (seeded from tests/fuzz/seeds/NAME);
#                                     findings go to build/fuzz/artifacts/
#   run.sh --smoke SECONDS [NAME...]  `make test`: each for SECONDS on a copy of its seeds only
# The target's own stderr (the refusals it prints for every bad input) is closed; the
# sanitizers' reports and libFuzzer's figures still come through. Exit status 1 when a
# target found something.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B="${INLOOP_BUILD:-$TOP/build}"
smoke=0
[ "${1:-}" = --smoke ] && { smoke=1; shift; }
secs=${1:-60}
shift 2>/dev/null || true
names=${*:-$(cd "$TOP/tests/fuzz/seeds" && ls)}
export INLOOP_FUZZ_DIR="$TOP/tests/fuzz" INLOOP_ASSETS="$TOP/assets"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p "$B/fuzz/artifacts"
rc=0
for n in $names; do
	bin="$B/fuzz/fuzz_$n"
	[ -x "$bin" ] || { echo "fuzz $n: $bin is not built (make fuzz)"; rc=1; continue; }
	if [ $smoke = 1 ]; then
		corpus=$(mktemp -d "${TMPDIR:-/tmp}/inloop-fuzz-corpus.XXXXXX")
	else
		corpus="$B/fuzz/corpus/$n"
		mkdir -p "$corpus"
	fi
	log="$B/fuzz/$n.log"
	[ $smoke = 1 ] && log="$corpus.log"
	dict=""
	[ -f "$TOP/tests/fuzz/$n.dict" ] && dict="-dict=$TOP/tests/fuzz/$n.dict"
	# shellcheck disable=SC2086
	(cd "$TOP" && "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
		-close_fd_mask=2 -print_final_stats=1 $dict \
		-artifact_prefix="$B/fuzz/artifacts/$n-" "$corpus" "$TOP/tests/fuzz/seeds/$n") >"$log" 2>&1
	st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -a -o 'cov: [0-9]*' "$log" | tail -1)
	echo "fuzz $n: exit $st, ${runs:-?} runs in ${secs}s (${speed:-?}/s), $cov"
	if [ $st != 0 ]; then
		rc=1
		grep -a -E "ERROR|SUMMARY|deadly|Test unit written|fuzz: " "$log" | head -8 | sed 's/^/#   /'
	fi
	[ $smoke = 1 ] && rm -rf "$corpus" "$log"
done
exit $rc
