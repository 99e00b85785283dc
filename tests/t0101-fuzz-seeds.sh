#!/bin/sh
# The libFuzzer targets (tests/fuzz/) stay buildable and pass their seed corpora: each
# runs for a few seconds on its seeds (make fuzz runs them for longer). Without clang the
# targets are not built: the test says so and skips.
. "$(dirname "$0")/lib.sh"
names=$(cd "$TOP/tests/fuzz/seeds" && ls)
if ! command -v clang-14 >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
	echo "1..0 # SKIP clang is not installed (Debian packages clang-14 libclang-rt-14-dev)"
	exit 0
fi
for n in $names; do
	if [ ! -x "$B/fuzz/fuzz_$n" ]; then
		not_ok "fuzz_$n is built (make test builds build/fuzz/)"
		continue
	fi
	if INLOOP_BUILD="$B" sh "$TOP/tests/fuzz/run.sh" --smoke "${FUZZ_SMOKE_SECONDS:-3}" "$n" >"$T/$n.out" 2>&1; then
		ok "fuzz_$n: $(sed 's/^fuzz [a-z_]*: //' "$T/$n.out")"
	else
		not_ok "fuzz_$n found something or did not run"
		sed 's/^/# /' "$T/$n.out"
	fi
done
# Negative twin: a target that crashes (here a stand-in that reports as ASan does) fails
# the run and its report is shown, not passed over.
mkdir -p "$T/b/fuzz"
printf '#!/bin/sh\necho "==1==ERROR: AddressSanitizer: heap-buffer-overflow"\nexit 1\n' >"$T/b/fuzz/fuzz_form_check"
chmod +x "$T/b/fuzz/fuzz_form_check"
refuse "a crashing target fails the run" env INLOOP_BUILD="$T/b" sh "$TOP/tests/fuzz/run.sh" --smoke 1 form_check
cp "$T/.out" "$T/crash.out"
check "... and its report is shown" grep -q "AddressSanitizer" "$T/crash.out"
done_testing
