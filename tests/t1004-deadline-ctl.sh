#!/bin/sh
# `inloopctl deadline YYYY-MM-DD [--crisis]`: DOMAIN.md §1 worked examples through the real
# program, the holiday table read at run time (a changed copy changes the answer), and bad
# dates and broken tables refused with a clear message; past the table a provisional date.
. "$(dirname "$0")/lib.sh"

# expect "desc" WANT args...: the first output line equals WANT
expect() {
	d=$1 want=$2
	shift 2
	got=$("$B/inloopctl" deadline "$@" 2>"$T/err" | head -1)
	if [ "$got" = "$want" ]; then ok "$d"; else not_ok "$d (got '$got')"; sed 's/^/# /' "$T/err"; fi
}
# refuse_msg "desc" SUBSTRING args...: fails with SUBSTRING on stderr and nothing on stdout
refuse_msg() {
	d=$1 want=$2
	shift 2
	if "$B/inloopctl" deadline "$@" >"$T/out" 2>"$T/err"; then
		not_ok "$d (was accepted)"
	elif ! grep -qF -- "$want" "$T/err" || [ -s "$T/out" ]; then
		not_ok "$d (message: $(cat "$T/err"))"
	else
		ok "$d"
	fi
}

expect "Fri 24 Apr 2026 crisis -> Thu 30 Apr (King's Day skipped)" 2026-04-30 2026-04-24 --crisis
expect "Thu 30 Apr 2026 crisis -> Wed 6 May (5 May skipped)" 2026-05-06 2026-04-30 --crisis
expect "Tue 12 May 2026 crisis -> Tue 19 May (Ascension + decree day)" 2026-05-19 --crisis 2026-05-12
expect "Wed 1 Apr 2026 crisis -> Wed 8 Apr (Easter)" 2026-04-08 2026-04-01 --crisis
expect "Fri 24 Apr 2026 -> Fri 22 May (+28 days)" 2026-05-22 2026-04-24
expect "Thu 16 Apr 2026 -> Mon 18 May (Atw art. 1 past Ascension)" 2026-05-18 2026-04-16
check "the moved target is shown, labelled" sh -c \
	"'$B/inloopctl' deadline 2026-04-16 | grep -qx 'target: 2026-05-14'"
check "the holiday table version is shown" sh -c \
	"'$B/inloopctl' deadline 2026-04-16 | grep -qx 'holidays: atw-2025-2028.1'"

# Next year's decree without a recompile: a copy of the assets with one more decree day.
mkdir -p "$T/assets"
sed 's/{ "date": "2026-05-15"/{ "date": "2026-04-28" },\n    &/' "$TOP/assets/holidays.json" \
	>"$T/assets/holidays.json"
check "the changed table holds the extra day" grep -q 2026-04-28 "$T/assets/holidays.json"
INLOOP_ASSETS="$T/assets" expect "an added decree day moves the deadline" 2026-05-01 2026-04-24 --crisis
expect "the shipped table is unchanged" 2026-04-30 2026-04-24 --crisis

refuse_msg "no date" "usage" 
refuse_msg "not a real date" "not a real date" 2026-02-30
refuse_msg "Dutch order is not ISO" "not a real date" 24-04-2026
refuse_msg "trailing text" "not a real date" "2026-04-24x"
refuse_msg "unknown option" "usage" 2026-04-24 --urgent
refuse_msg "two dates" "usage" 2026-04-24 2026-04-25
# Past the table (issue 8): computed from the statutory holidays, marked provisional.
expect "Sat 2 Dec 2028 -> Tue 2 Jan 2029 (past the table: New Year computed)" 2029-01-02 2028-12-02
check "... marked provisional" sh -c "'$B/inloopctl' deadline 2028-12-02 | grep -q '^provisional: yes'"
expect "a crisis running into 2029 skips New Year's Day" 2029-01-04 2028-12-29 --crisis
expect "a year before the table" 2025-01-06 2024-12-31 --crisis
refuse "a deadline inside the table is not provisional" sh -c \
	"'$B/inloopctl' deadline 2028-12-01 | grep -q '^provisional'"
printf '{"version": "x", "first_year": 2026, "last_year": 2028, "decree_days": [' >"$T/assets/holidays.json"
INLOOP_ASSETS="$T/assets" refuse_msg "a malformed table is refused, naming the file" \
	"$T/assets/holidays.json:1:" 2026-04-24
INLOOP_ASSETS="$T/none" refuse_msg "a missing table is refused, naming the file" \
	"$T/none/holidays.json" 2026-04-24
done_testing
