#!/usr/bin/python3
# tests/office/msgids.py [SRC] — the office's Dutch msgids, one per line, as the code marks
# them: W_(q, "..."), WN_("..."), both arms of W_(q, c ? "..." : "..."), and the Dutch
# strings handed to the helpers that translate their arguments (web_page_begin, web_fail,
# fact, form_open, form_close, field_open, section) and the words tables of words.c.
# t7003 checks that assets/office/po/en.po translates every one.
import glob, re, sys
src = sys.argv[1] if len(sys.argv) > 1 else 'sync/office'
S = r'"((?:[^"\\]|\\.)*)"'
pats = [r'\bW_\(q, ' + S + r'\)', r'\bWN_\(' + S + r'\)', r'W_\(q, [^")]*\? ' + S + ' : ' + S + r'\)',
        r'web_page_begin\(q, ' + S, r'\bfact\(q, ' + S, r'form_open\(q, [^,]+, "[^"]*", ' + S,
        r'form_close\(q, "[^"]*", ' + S, r'field_open\(q, "[^"]*", ' + S,
        r'section\(q, "[^"]*", ' + S + ', ' + S + ', ' + S]
seen = []
for f in sorted(glob.glob(src + '/*.c')):
    s = open(f, encoding='utf-8').read()
    for p in pats:
        for m in re.finditer(p, s):
            seen += [g for g in m.groups() if g]
    for m in re.finditer(r'web_fail\(q, [^,]+, (.*?)\)[,;]', s, re.S):
        seen += re.findall(S, m.group(1))
    if f.endswith('/words.c'):
        seen += re.findall(r'\{ "[a-z_]+", ' + S + r' \}', s)
out = []
for x in seen:
    if x not in out and re.search('[a-z]', x, re.I):
        out.append(x)
print('\n'.join(out))
