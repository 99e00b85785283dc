#!/bin/sh
# make install into a DESTDIR: every file in its place with its mode, nothing writable by
# others, the installed programs answer --help and find their assets and catalogues
# through the links in PREFIX/bin; the sysusers/tmpfiles snippets give a user inloop and a
# 0700 /var/lib/inloop that is its own. make install never builds, and says so.
. "$(dirname "$0")/lib.sh"
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
unset INLOOP_ASSETS INLOOP_LOCALEDIR INLOOP_STATE

D="$T/root"
L="$D/usr/local/lib/inloop"
install_to() { _dest=$1; shift; make -C "$TOP" -s --no-print-directory install B="$B" DESTDIR="$_dest" "$@"; }
mode() { stat -c %a "$1" 2>/dev/null; }
is_mode() { [ "$(mode "$2")" = "$1" ]; }

check "make install DESTDIR=... succeeds" install_to "$D"
for p in inloop inloop-casestore inloopctl inloop-office; do
	check "$p installed 0755" is_mode 755 "$L/bin/$p"
	check "PREFIX/bin/$p links to it" [ "$(readlink "$D/usr/local/bin/$p")" = "../lib/inloop/bin/$p" ]
	check "installed $p --help" "$D/usr/local/bin/$p" --help
done
check "the print helper installed 0755 beside the kiosk" is_mode 755 "$L/bin/inloop-print"
refuse "but not in PATH (PREFIX/bin)" [ -e "$D/usr/local/bin/inloop-print" ]
"$L/bin/inloop-print" --help 2>"$T/print.help"
check "the installed print helper runs (its usage)" grep -q '^usage: inloop-print' "$T/print.help"
for f in assets/forms/registration.json assets/holidays.json assets/icons.json \
	 bin/locale/nl/LC_MESSAGES/inloop.mo bin/locale/en/LC_MESSAGES/inloop.mo \
	 bin/locale/ar/LC_MESSAGES/inloop.mo bin/office/static/office.css; do
	check "$f installed 0644" is_mode 644 "$L/$f"
done
n_po=$(ls "$TOP"/assets/po/*.po | wc -l)
check "one catalogue per .po ($n_po)" [ "$(ls "$L"/bin/locale/*/LC_MESSAGES/inloop.mo | wc -l)" -eq "$n_po" ]
U="$D/usr/local/lib/systemd/system/inloop-kiosk.service"
check "the receipt PPD installed 0644 for lpadmin" is_mode 644 "$D/usr/local/share/ppd/inloop/receipt80-pdf.ppd"
check "unit installed 0644" is_mode 644 "$U"
check "PAM service installed 0644" is_mode 644 "$D/etc/pam.d/inloop-kiosk"
check "sysusers snippet installed" is_mode 644 "$D/usr/local/lib/sysusers.d/inloop.conf"
check "tmpfiles snippet installed" is_mode 644 "$D/usr/local/lib/tmpfiles.d/inloop.conf"
check "the unit starts the installed kiosk under cage" \
	grep -qx 'ExecStart=/usr/bin/cage -d -- /usr/local/bin/inloop' "$U"
refuse "no placeholder left in the unit" grep -q "@[A-Z]*@" "$U"
refuse "nothing installed is writable by group or others" \
	sh -c 'find "$1" ! -type l -perm /022 | grep .' - "$D"
refuse "no dot files (the build's stamps) installed" sh -c 'find "$1" -name ".*" | grep .' - "$D"

# The installed kiosk finds the form, the holidays and the catalogues beside itself.
"$B/inloopctl" init-demo "$T/pki" >/dev/null 2>&1
for l in nl en; do
	"$D/usr/local/bin/inloop" --state "$T/pki/device" --lang $l --windowed 1280x800 \
		--dump-tree >"$T/w-$l.dump" 2>"$T/w-$l.err"
done
check "installed kiosk shows Welcome (form and holidays found)" grep -q '^screen welcome lang=nl' "$T/w-nl.dump"
check "and reads its catalogues (English start differs from Dutch)" \
	sh -c '[ -n "$1" ] && [ "$1" != "$2" ]' - "$(grep -o 'id=start .*' "$T/w-en.dump")" \
	"$(grep -o 'id=start .*' "$T/w-nl.dump")"
check "installed inloopctl reads the holiday table" "$D/usr/local/bin/inloopctl" deadline 2026-12-01
install_to "$T/broken" >/dev/null 2>&1
rm "$T/broken/usr/local/lib/inloop/assets/forms/registration.json"
"$T/broken/usr/local/bin/inloop" --state "$T/pki/device" --windowed 1280x800 --dump-tree \
	>"$T/broken.dump" 2>/dev/null
check "an install without its form: the not-ready screen (program files)" \
	grep -q 'id=reason-program ' "$T/broken.dump"

# PREFIX=/usr: the unit follows.
check "make install PREFIX=/usr" install_to "$T/usr" PREFIX=/usr
check "PREFIX=/usr: the unit runs /usr/bin/inloop" \
	grep -qx 'ExecStart=/usr/bin/cage -d -- /usr/bin/inloop' "$T/usr/usr/lib/systemd/system/inloop-kiosk.service"

# The user and the state folder, as systemd-sysusers and systemd-tmpfiles make them at boot.
if [ "$(id -u)" = 0 ]; then
	refuse "tmpfiles refuses the state folder before the user exists" \
		systemd-tmpfiles --root="$D" --create
	check "sysusers makes the user inloop" systemd-sysusers --root="$D"
	check "a system user, no shell, home = the state folder" \
		grep -q '^inloop:x:[0-9]*:[0-9]*:[^:]*:/var/lib/inloop:/usr/sbin/nologin$' "$D/etc/passwd"
	uid=$(awk -F: '$1 == "inloop" { print $3 }' "$D/etc/passwd")
	check "a system uid (< 1000)" [ "${uid:-1000}" -lt 1000 ]
	check "tmpfiles makes the state folder" systemd-tmpfiles --root="$D" --create
	check "/var/lib/inloop is 0700" is_mode 700 "$D/var/lib/inloop"
	check "and belongs to inloop" [ "$(stat -c %u "$D/var/lib/inloop")" = "$uid" ]
	check "/var/cache/inloop is 0700 and inloop's" \
		sh -c '[ "$(stat -c %a:%u "$1")" = "700:$2" ]' - "$D/var/cache/inloop" "$uid"
else
	ok "# skip sysusers/tmpfiles --root need root"
fi

# make install copies, never builds: without a build it says what to do.
refuse "make install without a build fails" install_to "$T/none" B="$T/no-build"
install_to "$T/none" B="$T/no-build" 2>"$T/nobuild.err"
check "and says to run make first" grep -q 'run make -j2 first' "$T/nobuild.err"
refuse "a relative PREFIX is refused" install_to "$T/rel" PREFIX=usr/local
done_testing
