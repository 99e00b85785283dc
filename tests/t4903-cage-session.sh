#!/bin/sh
# The installed kiosk inside cage, as the unit runs it (SDL_VIDEODRIVER from the unit), on
# wlroots' headless backend with the pixman renderer and no input devices: it opens its
# own Wayland window (no Xwayland) at the output's 1280x720 from the first buffer, reaches
# Welcome, answers a tap (replay: the widget tree proves each screen), runs its real loop
# until SIGTERM ends it cleanly, and grim can take a shot of the output. cage refuses root,
# so as root the session runs as nobody (the unit: User=inloop). cage exits 0 whatever
# its application returns, so each run writes its exit status to a file.
#
# Pixels come from the kiosk's own read-back (replay `shot`): PLATFORM.md §3 measured that
# headless cage 0.1.4 gives grim a black frame for a client that draws only on change.
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/inloop-cage.XXXXXX")
trap 'rm -rf "$T" "$W"' EXIT
chmod 0755 "$W"
make -C "$TOP" -s --no-print-directory install B="$B" DESTDIR="$W/root" 2>/dev/null
# The replays dump and shoot, so they run the kiosk's test build (the same objects plus
# replay_test.c), placed beside the installed kiosk so it finds the installed assets alike.
install -m 0755 "$B/inloop-test" "$W/root/usr/local/lib/inloop/bin/inloop-test"
K="$W/root/usr/local/lib/inloop/bin/inloop-test"
U="$W/root/usr/local/lib/systemd/system/inloop-kiosk.service"
VIDEO=$(sed -n 's/^Environment=.*SDL_VIDEODRIVER=\([a-z0-9]*\).*/\1/p' "$U")
"$B/inloopctl" init-demo "$W/pki" >/dev/null 2>&1
S="$W/pki/device"
O="$W/out"
mkdir -m 0700 "$W/run"
mkdir "$O"
if [ "$(id -u)" = 0 ]; then
	uid=$(id -u nobody) gid=$(id -g nobody)
	chown -R "$uid:$gid" "$W/pki" "$W/run" "$O"
	as_user() { setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$@"; }
	# Xwayland's socket folder as systemd-tmpfiles makes it at boot (x11.conf): left to
	# cage, nobody would create it 0755 and own it, and other X servers would fail.
	[ -d /tmp/.X11-unix ] || install -d -m 1777 -o root -g root /tmp/.X11-unix
else
	as_user() { "$@"; }
fi
export K S O

# in_cage NAME BODY [VIDEO]: the shell snippet BODY is cage's one application. No leak
# check there (SAN=1): LeakSanitizer must ptrace the kiosk, which is not dumpable, and
# nobody lacks CAP_SYS_PTRACE; the kiosk's other tests check leaks as root.
in_cage() {
	printf '%s\n' "$2" >"$W/$1.sh"
	as_user env -u DISPLAY -u WAYLAND_DISPLAY HOME="$O" XDG_RUNTIME_DIR="$W/run" \
		WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
		SDL_AUDIODRIVER=dummy SDL_VIDEODRIVER="${3:-$VIDEO}" \
		ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
		timeout 60 cage -d -- sh "$W/$1.sh" >"$O/$1.cage" 2>&1
}
# replay NAME [VIDEO]: the kiosk on $W/NAME.replay, the client's Wayland log in NAME.err.
replay() {
	in_cage "$1" 'WAYLAND_DEBUG=client "$K" --state "$S" --replay "'"$W/$1.replay"'" 2>"$O/'"$1"'.err"
echo $? >"$O/'"$1"'.rc"' "${2:-}"
}
rc_is() { [ "$(cat "$O/$2.rc" 2>/dev/null)" = "$1" ]; }
png_size() { identify -format '%wx%h' "$1" 2>/dev/null; }
# light PNG: the mean of every channel is above one half (Welcome's cream, not black).
light() { [ "$(convert "$1" -format '%[fx:mean > 0.5]' info: 2>/dev/null)" = 1 ]; }
# Pictures need shared memory: wlroots' pixman renderer and SDL's Wayland buffers are
# shm_open()ed in /dev/shm, which a real machine mounts as a tmpfs open to all (1777). A
# chroot that binds /dev without its tmpfs (../shared/tools/fresh-root) has a root-only
# folder there; then the picture checks are skipped and say why (the kiosk still runs).
SHM=$(stat -c %a /dev/shm 2>/dev/null)
# picture check|refuse "description" command...
picture() {
	how=$1 d=$2; shift 2
	case "$SHM" in
	1777) "$how" "$d" "$@" ;;
	*) skip "$d" "/dev/shm is mode ${SHM:-missing}, not 1777: no shared memory for the kiosk's user" ;;
	esac
}

check "the unit asks SDL for Wayland" [ "$VIDEO" = wayland ]
cat >"$W/tap.replay" <<EOF
expect welcome
dump $O/welcome.dump
shot $O/welcome.png
tap start
expect q-crisis
dump $O/tap.dump
EOF
replay tap
check "the kiosk ran inside cage and its replay passed" rc_is 0 tap
check "it reached Welcome" grep -q '^screen welcome lang=nl' "$O/welcome.dump"
check "laid out for the whole 1280x720 output" grep -q '^screen welcome .* size=1422x800 ' "$O/welcome.dump"
check "a tap on Start answers: the first question" grep -q '^screen q-crisis ' "$O/tap.dump"
check "its own Wayland window (xdg_toplevel), not Xwayland" grep -q 'xdg_wm_base@[0-9]*\.get_xdg_surface' "$O/tap.err"
check "fullscreen from the first buffer (1280x720)" \
	sh -c 'grep -m1 "create_buffer" "$1" | grep -q ", 1280, 720, "' - "$O/tap.err"
check "what it drew: a 1280x720 shot" [ "$(png_size "$O/welcome.png")" = 1280x720 ]
picture check "and a light Welcome, not a black window" light "$O/welcome.png"
picture refuse "the cage log has no error but the GPU probe" \
	sh -c 'grep -v "drmGetDevices2 failed" "$1" | grep -i "error"' - "$O/tap.cage"

# Negative twins: a failing replay is seen through cage; an X11 kiosk has no xdg_toplevel.
printf 'expect receipt\n' >"$W/wrong.replay"
replay wrong
check "a replay expecting the wrong screen fails inside cage" rc_is 1 wrong
cp "$W/tap.replay" "$W/x11.replay"
sed -i "s|$O/|$O/x11-|" "$W/x11.replay"
replay x11 x11
check "with SDL_VIDEODRIVER=x11 the kiosk runs too (through Xwayland)" rc_is 0 x11
refuse "but opens no Wayland window of its own" grep -q 'get_xdg_surface' "$O/x11.err"

# The real loop, as the unit starts it: still up after 2 s, a shot of the output, and
# SIGTERM (the unit's ExecStop) ends it with status 0, so cage exits by itself.
in_cage loop '"$K" --state "$S" 2>"$O/loop.err" & p=$!
sleep 2
kill -0 $p && echo up >"$O/loop.up"
grim "$O/grim.png"; echo $? >"$O/grim.rc"
kill $p; wait $p; echo $? >"$O/loop.rc"'
check "the kiosk's own loop is still up after 2 s" [ -f "$O/loop.up" ]
refuse "and wrote no error" grep -qi 'error' "$O/loop.err"
picture check "grim takes a shot of cage's output" rc_is 0 grim
picture check "of the whole 1280x720 output" [ "$(png_size "$O/grim.png")" = 1280x720 ]
check "SIGTERM ends the kiosk cleanly (status 0)" rc_is 0 loop
[ -n "${INLOOP_CAGE_SHOTS:-}" ] && cp "$O"/*.png "$INLOOP_CAGE_SHOTS"/ 2>/dev/null

if [ "$(id -u)" = 0 ]; then
	mkdir -m 0700 "$T/run"
	env XDG_RUNTIME_DIR="$T/run" WLR_BACKENDS=headless WLR_RENDERER=pixman \
		WLR_LIBINPUT_NO_DEVICES=1 timeout 20 cage -- true >"$T/root.err" 2>&1
	check "as root cage refuses to start (hence User=inloop)" grep -q 'Unable to drop root' "$T/root.err"
fi
done_testing
