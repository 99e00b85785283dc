#!/bin/sh
# Host mode speaks every host_lang: each message of the host screens (the staff menu, the
# PIN pad and their notes, the closed screen, and every string a screen shows through H_()
# or in the host's plural) has a translation in nl, ar, tr, pl, uk and ti (English is the
# msgid itself): not missing, not fuzzy, not the English copied, with every plural form
# filled and the same printf conversions (msgfmt --check). The host msgids are taken from
# the sources each run (xgettext), so a new H_() string without translations fails here.
# Twins: a blanked, a fuzzy and a copied-English translation, a missing plural form and a
# new H_() string in a source are each caught and named. The glyphs of these strings (the
# Ethiopic font for ti) are t4502's; the shots of the host screens in tr/pl/uk/ti are in
# `make shots`.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
PO="$TOP/assets/po"

# host_pot OUT SOURCE...: the host msgids of the kiosk sources given
host_pot() {
	out=$1; shift
	files=$(for f in "$@"; do
		case $f in */host_*.c|*/closed.c) echo "$f"; continue ;; esac
		grep -l 'H_(\|i18n_host_' "$f"
	done)
	# every string of a host file (its tables are N_() and shown through H_()), and the
	# H_() and host-plural literals of any other file
	xgettext --no-wrap --no-location --from-code=UTF-8 -k_ -kN_ -kH_ -kP_:1,2 -ki18n_plural:2,3 \
		-o "$out.files" $files &&
	xgettext --no-wrap --no-location --from-code=UTF-8 -k -kH_ -ki18n_plural:2,3 \
		-o "$out.h" "$@" &&
	sed -i 's/charset=CHARSET/charset=UTF-8/' "$out.files" "$out.h" &&
	msgcat --no-wrap --use-first -o "$out" "$out.files" "$out.h"
}

# complete LANG.po POT: every msgid of POT translated in LANG.po; prints what is not
complete() {
	msgfmt --check -o /dev/null "$1" || return 1
	msgmerge -q --no-wrap --no-fuzzy-matching -o "$T/m.po" "$1" "$2" || return 1
	msgattrib --no-obsolete --no-wrap -o "$T/m.po" "$T/m.po" || return 1
	awk '
		function flush() {
			if (id != "" && (fuzzy || empty || same))
				printf "%s: %s\n", fuzzy ? "fuzzy" : empty ? "missing" : "English copied", id
			bad += id != "" && (fuzzy || empty || same)
			id = ""; fuzzy = empty = same = 0
		}
		/^#,.*fuzzy/ { fuzzy = 1 }
		/^msgid "/ { id = substr($0, 7); if (id == "\"\"") id = "" }   # (the header)
		/^msgstr(\[[0-9]+\])? "/ {
			s = $0; sub(/^msgstr(\[[0-9]+\])? /, "", s)
			if (id != "" && s == "\"\"") empty = 1
			# the English kept as it is: only a word without small letters ("OK") may
			if (id != "" && s == id && id ~ /[a-z]/) same = 1
		}
		/^$/ { flush() }
		END { flush(); exit bad > 0 }' "$T/m.po"
}

APP=$(git ls-files 'app/*.c')
check "the host msgids are extracted from the sources" host_pot "$T/host.pot" $APP
n=$(grep -c '^msgid "[^"]' "$T/host.pot")
echo "# $n host msgids"
check "... the staff menu, the PIN pad and their messages are among them (over 60)" test "$n" -gt 60
for id in 'Staff menu' 'Wrong PIN. Please try again.' 'Printer: ready.' \
	'Too many wrong PINs. You can try again in %d second.' 'This kiosk is closed for today.'; do
	check "... '$id'" grep -qxF "msgid \"$id\"" "$T/host.pot"
done
for l in nl ar tr pl uk ti; do
	check "$l: every host msgid is translated (none missing, fuzzy or English)" complete "$PO/$l.po" "$T/host.pot"
done
check "en: the msgids are the English (the catalogue compiles)" msgfmt --check -o /dev/null "$PO/en.po"
check "uk: the plural of the PIN wait has three forms" sh -c "
	grep -A5 '^msgid \"Too many wrong PINs. You can try again in %d minute.\"' '$PO/uk.po' | grep -q '^msgstr\[2\] \"[^\"]'"

# twins, each on a copy of the Turkish catalogue
awk '/^msgid "Staff menu"$/ { print; getline; print "msgstr \"\""; next } { print }' "$PO/tr.po" >"$T/blank.po"
refuse "twin: a blanked translation is caught" complete "$T/blank.po" "$T/host.pot"
cp "$T/.out" "$T/why"
check "... and named" grep -q '^missing: "Staff menu"' "$T/why"
awk '/^msgid "Send now"$/ { print "#, fuzzy" } { print }' "$PO/tr.po" >"$T/fuzzy.po"
refuse "twin: a fuzzy translation is caught" complete "$T/fuzzy.po" "$T/host.pot"
cp "$T/.out" "$T/why"
check "... and named" grep -q '^fuzzy: "Send now"' "$T/why"
awk '/^msgid "Printer: ready."$/ { print; getline; print "msgstr \"Printer: ready.\""; next } { print }' "$PO/tr.po" >"$T/copied.po"
refuse "twin: the English copied as the translation is caught" complete "$T/copied.po" "$T/host.pot"
cp "$T/.out" "$T/why"
check "... and named" grep -q '^English copied: "Printer: ready."' "$T/why"
awk '/^msgid "Too many wrong PINs. You can try again in %d second."$/ { p = 1 }
	p && /^msgstr\[2\]/ { print "msgstr[2] \"\""; p = 0; next } { print }' "$PO/pl.po" >"$T/plural.po"
refuse "twin: a missing plural form (pl) is caught" complete "$T/plural.po" "$T/host.pot"
printf '#include "platform/i18n.h"\nconst char *x(void) { return H_("A message for the host added today."); }\n' >"$T/new_host.c"
check "a new H_() string in a source ..." host_pot "$T/new.pot" $APP "$T/new_host.c"
refuse "... without translations fails for tr" complete "$PO/tr.po" "$T/new.pot"
cp "$T/.out" "$T/why"
check "... and is named" grep -q '^missing: "A message for the host added today."' "$T/why"
done_testing
