# tests/lib.sh — shared by the shell tests (TAP producers run by prove).
# Sets TOP, B (build dir), a per-test scratch dir T (removed on exit), and TAP helpers.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="${INLOOP_BUILD:-$TOP/build}"
T=$(mktemp -d "${TMPDIR:-/tmp}/inloop-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export LSAN_OPTIONS="suppressions=$TOP/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
_n=0
_fail=0
ok()      { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok()  { _n=$((_n + 1)); _fail=$((_fail + 1)); echo "not ok $_n - $*"; }
# check "description" command...: ok if the command succeeds
check()   { d=$1; shift; if "$@" >"$T/.out" 2>&1; then ok "$d"; else not_ok "$d"; sed 's/^/# /' "$T/.out" | head -20; fi; }
# refuse "description" command...: ok if the command fails (the negative twin)
refuse()  { d=$1; shift; if "$@" >"$T/.out" 2>&1; then not_ok "$d (was accepted)"; sed 's/^/# /' "$T/.out" | head -20; else ok "$d"; fi; }
# skip "description" "reason": a check this machine cannot make, said as TAP's SKIP
skip()    { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }
done_testing() { echo "1..$_n"; [ "$_fail" -eq 0 ]; }
