#!/bin/sh
# The office's English (issue 11 "Dutch first, English second"): every Dutch msgid the code
# marks (tests/office/msgids.py) has an English msgstr in assets/office/po/en.po, the
# catalogue compiles, and a planted untranslated msgid is caught (the negative twin); no
# page writes a word into its HTML outside W_ (tests/office/untranslated.py), so every page
# (stats, audit and devices too) is English when English is chosen.
. "$(dirname "$0")/lib.sh"
ids() { python3 "$TOP/tests/office/msgids.py" "$1"; }
untranslated() { # SRC PO: prints each msgid of SRC without a non-empty msgstr in PO
	ids "$1" >"$T/ids"
	python3 - "$T/ids" "$2" <<'PY'
import re, sys
po = open(sys.argv[2], encoding='utf-8').read()
tr = {}
for m in re.finditer(r'^msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"', po, re.M):
    tr[m.group(1).replace('\\"', '"')] = m.group(2)
missing = [i for i in open(sys.argv[1], encoding='utf-8').read().split('\n') if i and not tr.get(i)]
print('\n'.join(missing))
sys.exit(1 if missing else 0)
PY
}
check "the code marks more than 100 msgids" test "$(ids "$TOP/sync/office" | wc -l)" -gt 100
check "every one has an English translation" untranslated "$TOP/sync/office" "$TOP/assets/office/po/en.po"
check "the catalogue compiles (msgfmt --check)" msgfmt --check -o "$T/en.mo" "$TOP/assets/office/po/en.po"
mkdir -p "$T/src"; cp "$TOP"/sync/office/*.c "$T/src/"
printf 'static const char *planted(struct req *q) { return W_(q, "Een nieuwe zin zonder vertaling"); }\n' >>"$T/src/web_page.c"
refuse "a planted untranslated msgid is caught" untranslated "$T/src" "$TOP/assets/office/po/en.po"
check "no page writes words straight into its HTML (every word goes through W_)" python3 "$TOP/tests/office/untranslated.py" "$TOP/sync/office"
mkdir -p "$T/src2"; cp "$TOP"/sync/office/*.c "$T/src2/"
printf 'static void planted(struct req *q) { evbuffer_add_printf(q->out, "<p>Niet vertaald</p>"); }\n' >>"$T/src2/page_stats.c"
refuse "... a planted Dutch sentence in a page is caught" python3 "$TOP/tests/office/untranslated.py" "$T/src2"
mkdir -p "$T/src3"; cp "$TOP"/sync/office/*.c "$T/src3/"
printf 'static const char *planted = "<span class=\\"badge\\">Ingetrokken</span>";\n' >>"$T/src3/page_devices.c"
refuse "... and one handed to a page as an argument" python3 "$TOP/tests/office/untranslated.py" "$T/src3"
done_testing
