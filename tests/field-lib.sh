# tests/field-lib.sh — field mode helpers (t46xx), sourced after lib.sh and sync-lib.sh.
#   field_device DIR      a demo PKI in DIR (pki) with consultants anna and bram
#   intake_replay FILE    writes the full intake (keyboard and mouse) as a replay to FILE
#   field REPLAY [ARGS]   runs build/inloop in field mode at 1366x768 (FIELD_SIZE) on the replay
# The canaries are this run's own (tests run side by side and leave dumps in /tmp that
# hold theirs): a name and an amount no other test types.
CANARY_NAME="Canary Pieterse-$(echo $$ | tr 0-9 a-j)"
CANARY_AMOUNT=$((900000 + $$ % 100000))
ANNA_PASS="anna pass 1"
BRAM_PASS="bram pass 2"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
field_device() {
	pki "$1"
	printf '%s\n' "$ANNA_PASS" | "$B/inloop" --state "$1/device" consultant add anna >/dev/null &&
	printf '%s\n' "$BRAM_PASS" | "$B/inloop" --state "$1/device" consultant add bram >/dev/null
}
field() {
	_r=$1
	shift
	"$B/inloop-test" --state "$S" --mode field --lang "${FIELD_LANG:-nl}" --windowed "${FIELD_SIZE:-1366x768}" --replay "$_r" "$@"
}
intake_replay() {
	soon=$(date -d '+10 days' +%d-%m-%Y)
	past=$(date -d '-10 days' +%d-%m-%Y)
	sed "s/@SOON@/$soon/; s/@PAST@/$past/; s/@NAME@/$CANARY_NAME/; s/@AMOUNT@/$CANARY_AMOUNT/" \
		"$TOP/tests/replays/field/intake.replay" >"$1"
}
