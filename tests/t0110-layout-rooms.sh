#!/bin/sh
# One room per program (README "Layout"): each program links only the layers it may use,
# and includes point down only. Checked on what make built (nm) and on the sources.
. "$(dirname "$0")/lib.sh"

# symbols BINARY: the functions a program defines.
symbols() { nm --defined-only "$1" 2>/dev/null | awk '$2 == "T" { print $3 }' | sort -u; }
symbols "$B/libinloop.a" >"$T/all"

# lacks BINARY WHAT SYMBOL...: none of SYMBOL is linked into BINARY. Its twin: each symbol
# is defined in the test build (libinloop.a), so a renamed function cannot pass unseen.
lacks() {
	_bin=$1 _what=$2
	shift 2
	symbols "$B/$_bin" >"$T/$_bin.syms"
	for _s; do
		if ! grep -qx "$_s" "$T/all"; then
			not_ok "$_s exists in the test build (libinloop.a)"
		elif grep -qx "$_s" "$T/$_bin.syms"; then
			not_ok "$_bin links $_s ($_what)"
		else
			ok "$_bin has no $_s ($_what)"
		fi
	done
}
# has BINARY SYMBOL: the twin on the binary side: the tool reads what it thinks it reads.
has() { check "$1 defines $2" grep -qx "$2" "$T/$1.syms"; }

lacks inloop "opener" seal_open seal_open_at seal_opener_load
lacks inloop "server" server_run store_put store_open
lacks inloop "office" recheck_record backoffice_export ca_issue_bundle
lacks inloop "the office's visit seal (a device never signs a visit)" visit_seal visit_signer_load
lacks inloop "test replay: faults, shots, monkey" replay_test_step replay_test_fail_store \
	replay_test_shot replay_test_monkey
has inloop submit_answers
has inloop replay_step
has inloop visit_open
# The test build is the same program plus the test replay commands.
symbols "$B/inloop-test" >"$T/inloop-test.syms"
for s in replay_test_step replay_test_fail_store replay_test_shot replay_test_monkey submit_answers; do
	has inloop-test "$s"
done
lacks inloop-test "opener" seal_open seal_opener_load
# ... and so the product refuses a test command that the test build takes.
printf 'expect not-ready\nfail-store seal\n' >"$T/fault.replay"
refuse "build/inloop refuses the replay command fail-store" env SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
	"$B/inloop" --state "$T/nowhere" --windowed 800x600 --replay "$T/fault.replay"
check "build/inloop-test takes it" env SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
	"$B/inloop-test" --state "$T/nowhere" --windowed 800x600 --replay "$T/fault.replay"
lacks inloop-casestore "opener" seal_open seal_opener_load
lacks inloop-casestore "device" seal_record submit_answers outbox_open
has inloop-casestore seal_is_envelope
lacks inloop-office "submit path" submit_answers seal_record outbox_open upload_start
lacks inloop-office "the device's visit opener" visit_open
has inloop-office seal_open
has inloop-office visit_seal
lacks inloopctl "submit path" submit_answers seal_record outbox_open upload_start
lacks inloopctl "the device's visit opener" visit_open
has inloopctl seal_open
has inloopctl visit_signer_load
lacks inloop-casestore "visits are sealed by the office, opened by the device" visit_seal visit_open
lacks inloop-print "records" seal_record seal_open outbox_open

# Includes point down: a file may include its own folder and the folders ranked below it.
# The kiosk loop and its screens are one room (they share struct kiosk): one rank.
cat >"$T/rank" <<'RANKS'
platform 0
platform/linux 0.5
sync/rules 1
sync/record 2
sync/device 3
sync/casestore 3.5
sync/ca 4
sync/office 5
sync/ctl 6
app/media 7
app/ui 8
app/field 8.7
app/print 8.5
app/screens 9
app/kiosk 9
RANKS
# pointing_up FILE: the lines "from to" of FILE that break the rule; app/ never reaches the
# municipality's side (casestore, ca, office, ctl), whatever the ranks say.
pointing_up() {
	awk -v ranks="$T/rank" '
	BEGIN { while ((getline l < ranks) > 0) { split(l, f, " "); r[f[1]] = f[2] } }
	function dir(p) { sub(/\/[^\/]*$/, "", p); return p }
	{
		from = dir($1); to = dir($2)
		if (!(from in r) || !(to in r)) { print $1 " -> " $2 " (folder without a rank)"; next }
		if (from == to) next
		if (r[to] > r[from] || (r[to] == r[from] && r[to] != 9)) print $1 " -> " $2
		else if (from ~ /^app\// && to ~ /^sync\/(casestore|ca|office|ctl)$/) print $1 " -> " $2
	}' "$1"
}
(cd "$TOP" && grep -rHo '^#include "[a-z/_]*\.h"' platform sync app) |
	sed 's|:#include "| |; s|"$||' >"$T/includes"
pointing_up "$T/includes" >"$T/up"
if [ -s "$T/up" ]; then
	not_ok "every include points down ($(wc -l <"$T/up") do not)"
	sed 's/^/# /' "$T/up"
else
	ok "every include points down ($(wc -l <"$T/includes") includes)"
fi
# Twins: an include pointing up, and app/ reaching the office, are caught.
printf 'sync/record/seal.c sync/device/outbox.h\n' >"$T/up1"
check "an include pointing up (record -> device) is caught" test -n "$(pointing_up "$T/up1")"
printf 'app/kiosk/kiosk.c sync/office/recheck.h\n' >"$T/up2"
check "the kiosk including the office is caught" test -n "$(pointing_up "$T/up2")"
done_testing
