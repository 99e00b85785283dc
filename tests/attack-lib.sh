# tests/attack-lib.sh — the shell side of tests/casestore_attack.py for t5201 (the case
# store) and t5204 (the web office), sourced after lib.sh.
#   A PHASE ARGS...      runs a phase against $PORT with $GOOD (the device folder, or the
#                        CA file for a browser); its key=value lines on stdout
#   val KEY FILE         the value of KEY in $T/FILE
#   emfile_checks PID LOG  the fd-exhaustion phase and its checks: the accept back-off
#                        logged with a count, no log flood, no busy loop, no libevent
#                        spin message, and the good client served once it ends
A() { ph=$1; shift; python3 "$TOP/tests/casestore_attack.py" "$ph" "$PORT" "$GOOD" "$@" 2>&1; }
val() { sed -n "s/^$1=//p" "$T/$2"; }
emfile_checks() { # PID LOG
	A emfile "$1" "$2" 60 2.0 >"$T/emfile"
	echo "# EMFILE phase (fd limit $(val fd_limit emfile)): $(val accept_lines emfile) accept log lines, $(val cpu_ms emfile) ms CPU in ~2 s; after: $(val after_status emfile) in $(val after_ms emfile) ms"
	check "accept failed with EMFILE and was logged with a count" grep -q "accept failed: Too many open files (.* in the last second" "$2"
	check "... at most 4 accept lines in ~2 s (no log flood)" test "$(val accept_lines emfile)" -le 4
	check "... no busy loop: under 0.5 s of CPU" test "$(val cpu_ms emfile)" -lt 500
	refuse "no libevent accept spin message" grep -q "Error from accept() call" "$2"
	check "the good client is served once the attack ends" test "$(val after_status emfile)" = 200
}
