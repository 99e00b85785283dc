#!/usr/bin/python3
# tests/office/untranslated.py [SRC] — words written straight into the office's pages
# instead of through W_() (so an English page would show them in Dutch): the text outside
# the tags of each format string given to html_printf / evbuffer_add_printf in SRC/*.c.
# Prints one "file: text" per finding; t7003 wants none. Names that stay the same in every
# language (ACUUT, CSV, JSON, the municipality, the product) are allowed.
import glob, re, sys
src = sys.argv[1] if len(sys.argv) > 1 else 'sync/office'
S = r'"((?:[^"\\]|\\.)*)"'
ALLOWED = {'ACUUT', 'CSV', 'JSON', 'Gemeente', 'Voorbeeld', 'inloop'}
out = []
for f in sorted(glob.glob(src + '/*.c')):
    s = re.sub(r'/\*.*?\*/', '', open(f, encoding='utf-8').read(), flags=re.S)
    for m in re.finditer(r'\b(?:html_printf|evbuffer_add_printf)\([^,]+,\s*((?:' + S + r'\s*)+)', s):
        fmt = ''.join(re.findall(S, m.group(1)))
        text = re.sub(r'<[^>]*>|<[^>]*$|^[^<]*>', ' ', re.sub(r'\\.', ' ', fmt))
        text = re.sub(r'%[-0-9.]*l{0,2}[a-zA-Z]|&[a-z]+;|&#[0-9]+;', ' ', text)
        words = [w for w in re.findall(r'[A-Za-z]{2,}', text) if w not in ALLOWED]
        if words:
            out.append('%s: %s' % (f, ' '.join(words)))
    for m in re.finditer(S, s):   # any literal: text between two tags (e.g. a badge as an argument)
        for t in re.findall(r'>([^<>]*)<', m.group(1)):
            t = re.sub(r'%[-0-9.]*l{0,2}[a-zA-Z]|&[a-z]+;|\\.', ' ', t)
            words = [w for w in re.findall(r'[A-Za-z]{2,}', t) if w not in ALLOWED]
            if words and '%s: %s' % (f, ' '.join(words)) not in out:
                out.append('%s: %s' % (f, ' '.join(words)))
print('\n'.join(out))
sys.exit(1 if out else 0)
