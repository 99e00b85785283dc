#!/bin/sh
# bench/ui.sh — the kiosk's figures beside the floor (issue 4 "Figures", UI.md "The floor"):
# start -> first frame, RSS and PSS on Welcome, idle CPU over 10 s, and time per frame while
# typing (p50, p99), for build/inloop and for bench/ui_floor (a bare SDL2 + SDL2_ttf
# program drawing a similar screen), one after the other on one Xvfb 1920x1080x24, with
# the software renderer. Medians of UI_BENCH_RUNS runs (default 5; idle CPU on the first
# UI_BENCH_IDLE_RUNS, default 3). Figures, not pass/fail: prints goals beside them.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="${INLOOP_BUILD:-$TOP/build}"
RUNS="${UI_BENCH_RUNS:-5}"
IDLE_RUNS="${UI_BENCH_IDLE_RUNS:-3}"
IDLE_S=10
TYPE_N=300
W=$(mktemp -d "${TMPDIR:-/tmp}/inloop-uibench.XXXXXX")
XPID=""
APID=""

cleanup() {
	[ -n "$APID" ] && kill "$APID" 2>/dev/null
	[ -n "$XPID" ] && kill "$XPID" 2>/dev/null
	[ -n "${UI_BENCH_KEEP:-}" ] && echo "ui bench: kept $W" >&2 || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Starts Xvfb on a free display number (another may be taken); sets DISPLAY and XPID.
start_xvfb() {
	for _try in 1 2 3 4 5 6 7 8 9 10; do
		n=$((100 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 400))
		[ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
		Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >"$W/xvfb.log" 2>&1 &
		XPID=$!
		for _w in $(seq 50); do
			[ -e "/tmp/.X11-unix/X$n" ] && break
			kill -0 "$XPID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$XPID" 2>/dev/null && [ -e "/tmp/.X11-unix/X$n" ]; then
			export DISPLAY=":$n"
			return 0
		fi
		XPID=""
	done
	echo "ui bench: could not start Xvfb (see $W/xvfb.log)" >&2
	return 1
}

# median: of the numbers on stdin, one a line (empty when none).
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
# pct P: the P-th percentile (nearest rank) of the numbers on stdin.
pct() { sort -g | awk -v p="$1" '{a[NR]=$1} END {if (NR) {i=int(NR*p/100+0.999); if (i<1) i=1; print a[i]}}'; }

# cpu_ticks PID: utime + stime of the whole process (fields 14, 15 after the comm).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# wakeups PID: context switches of all its threads (each is a wake-up or a preemption).
wakeups() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s + 0}'; }
# mem PID: "RSS_kB PSS_kB" from smaps_rollup.
mem() { awk '/^Rss:/ {r=$2} /^Pss:/ {p=$2} END {print r, p}' "/proc/$1/smaps_rollup"; }

# launch NAME CMD...: starts CMD with the bench hooks, waits for first_frame_ms (10 s at
# most); sets APID and FF (the ms), or returns 1 with the program's last words in
# $W/NAME.err.
launch() {
	name=$1
	shift
	INLOOP_BENCH_FIRST_FRAME=1 "$@" >"$W/$name.out" 2>"$W/$name.err" &
	APID=$!
	for _w in $(seq 200); do
		FF=$(sed -n 's/^first_frame_ms=//p' "$W/$name.err" | head -1)
		[ -n "$FF" ] && return 0
		kill -0 "$APID" 2>/dev/null || break
		sleep 0.05
	done
	stop_app
	return 1
}

stop_app() {
	[ -n "$APID" ] || return 0
	kill "$APID" 2>/dev/null
	wait "$APID" 2>/dev/null
	APID=""
}

# measure NAME CMD...: RUNS starts; appends to $W/NAME.{ff,rss,pss,cpu,wake}.
measure() {
	name=$1
	shift
	for r in $(seq "$RUNS"); do
		launch "$name" "$@" || return 1
		echo "$FF" >>"$W/$name.ff"
		sleep 1                                     # let Welcome settle
		mem "$APID" | { read -r rss pss; echo "$rss" >>"$W/$name.rss"; echo "$pss" >>"$W/$name.pss"; }
		if [ "$r" -le "$IDLE_RUNS" ]; then
			t0=$(cpu_ticks "$APID"); w0=$(wakeups "$APID")
			sleep "$IDLE_S"
			t1=$(cpu_ticks "$APID"); w1=$(wakeups "$APID")
			awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v s="$IDLE_S" \
				'BEGIN {printf "%.2f\n", 100 * d / hz / s}' >>"$W/$name.cpu"
			echo $(((w1 - w0) / IDLE_S)) >>"$W/$name.wake"
		fi
		stop_app
	done
}

# frames NAME FILE SKIP CMD...: one typing run with INLOOP_BENCH_FRAMES=FILE, which must end
# by itself within 60 s; the first SKIP frames (start, screen changes) are not typing.
# Appends this run's p50 and p99 (ms) of the typing frames.
frames() {
	name=$1
	file=$2
	skip=$3
	shift 3
	INLOOP_BENCH_FRAMES="$file" "$@" >"$W/$name.tout" 2>"$W/$name.terr" &
	APID=$!
	for _w in $(seq 600); do
		kill -0 "$APID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$APID" 2>/dev/null; then
		stop_app
		echo "$name typing run did not finish in 60 s"
		return 1
	fi
	wait "$APID"
	rc=$?
	APID=""
	if [ "$rc" -ne 0 ] || [ ! -s "$file" ]; then
		echo "$name typing run failed ($rc): $(tail -1 "$W/$name.terr")"
		return 1
	fi
	tail -n +$((skip + 1)) "$file" >"$file.typing"
	echo "$(wc -l <"$file.typing")" >>"$W/$name.nframes"
	awk '{print $1 / 1000}' "$file.typing" | pct 50 >>"$W/$name.p50"
	awk '{print $1 / 1000}' "$file.typing" | pct 99 >>"$W/$name.p99"
}

# The replay that brings inloop to the name field (no crisis: the date is skipped) and
# types TYPE_N characters, one replay line (one frame) each, clearing every 25.
write_replay() {
	{
		echo "expect welcome"
		echo "tap start"
		echo "tap opt-none"
		echo "tap next"
		i=0
		while [ $i -lt "$TYPE_N" ]; do
			echo "type $(echo "FatimadeVriesElAmraniJanK" | cut -c$((i % 25 + 1)))"
			i=$((i + 1))
			[ $((i % 25)) -eq 0 ] && for _k in $(seq 25); do echo "key Backspace"; done
		done
	} >"$W/typing.replay"
}

# ratio A B: A/B with one decimal, or "?" when either is missing.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || b == "" || b == 0) print "?"; else printf "%.1f", a / b}'; }
kib_mib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
med() { [ -s "$W/$1" ] && median <"$W/$1"; }

floor_figures() {
	measure floor "$B/bench/ui_floor" || { echo "ui bench: the floor did not draw:" >&2; tail -3 "$W/floor.err" >&2; return 1; }
	for r in $(seq "$RUNS"); do
		frames floor "$W/floor.frames.$r" 0 "$B/bench/ui_floor" --type "$TYPE_N" || return 1
	done
}

inloop_figures() {
	[ -x "$B/inloop" ] && [ -x "$B/inloopctl" ] || { echo "inloop kiosk not built yet ($B/inloop missing)"; return 1; }
	"$B/inloopctl" init-demo "$W/demo" --url "https://127.0.0.1:9" >"$W/init.log" 2>&1 ||
		{ echo "inloop kiosk: init-demo failed: $(tail -1 "$W/init.log")"; return 1; }
	if ! measure inloop "$B/inloop" --state "$W/demo/device"; then
		echo "inloop kiosk not built yet (no first frame: $(tail -1 "$W/inloop.err" 2>/dev/null))"
		return 1
	fi
	write_replay
	# Frames before the first typed character: the same replay without the typing.
	head -4 "$W/typing.replay" >"$W/prefix.replay"
	INLOOP_BENCH_FRAMES="$W/prefix.frames" "$B/inloop" --state "$W/demo/device" \
		--replay "$W/prefix.replay" >/dev/null 2>"$W/prefix.err" ||
		{ echo "inloop typing: the replay to the name field failed: $(tail -1 "$W/prefix.err")"; return 0; }
	skip=$(wc -l <"$W/prefix.frames")
	for r in $(seq "$RUNS"); do
		frames inloop "$W/inloop.frames.$r" "$skip" "$B/inloop" --state "$W/demo/device" \
			--replay "$W/typing.replay" || break
	done
	return 0
}

start_xvfb || exit 0
export SDL_VIDEODRIVER=x11 SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0
export SDL_AUDIODRIVER=dummy
echo "ui bench: Xvfb $DISPLAY 1920x1080x24, software renderer, $RUNS runs (idle: $IDLE_RUNS x ${IDLE_S} s), medians"
floor_figures || exit 0
inloop_figures

f_ff=$(med floor.ff); i_ff=$(med inloop.ff)
f_pss=$(med floor.pss); i_pss=$(med inloop.pss)
f_rss=$(med floor.rss); i_rss=$(med inloop.rss)
f_cpu=$(med floor.cpu); i_cpu=$(med inloop.cpu)
f_wk=$(med floor.wake); i_wk=$(med inloop.wake)
f_50=$(med floor.p50); i_50=$(med inloop.p50)
f_99=$(med floor.p99); i_99=$(med inloop.p99)
na=${i_ff:+x}
show() { if [ -n "$1" ]; then echo "$1"; else echo "-"; fi; }
printf 'first frame:        inloop %s ms | floor %s ms  (%s×, goal <= 2×)\n' \
	"$(show "$i_ff")" "$f_ff" "$(ratio "$i_ff" "$f_ff")"
printf 'PSS on Welcome:     inloop %s MiB | floor %s MiB  (%s×, goal <= 1.5×)\n' \
	"$(show "$(kib_mib "$i_pss")")" "$(kib_mib "$f_pss")" "$(ratio "$i_pss" "$f_pss")"
printf 'RSS on Welcome:     inloop %s MiB | floor %s MiB  (%s×)\n' \
	"$(show "$(kib_mib "$i_rss")")" "$(kib_mib "$f_rss")" "$(ratio "$i_rss" "$f_rss")"
printf 'idle CPU (%s s):    inloop %s %% (%s wake-ups/s) | floor %s %% (%s wake-ups/s)  (goal 0.0 %%)\n' \
	"$IDLE_S" "$(show "$i_cpu")" "$(show "$i_wk")" "$f_cpu" "$f_wk"
printf 'frame while typing: inloop p50 %s ms p99 %s ms | floor p50 %s ms p99 %s ms  (goal p99 < 8 ms; %s | %s frames a run)\n' \
	"$(show "$i_50")" "$(show "$i_99")" "$f_50" "$f_99" "$(show "$(med inloop.nframes)")" "$(med floor.nframes)"
[ -n "$na" ] || echo "(inloop figures missing: the kiosk is not built yet or did not draw)"
exit 0
