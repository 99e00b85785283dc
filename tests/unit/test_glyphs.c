/*
 * test_glyphs.c — no missing-glyph boxes in any language (TAP): every translation in
 * assets/po/LANG.po (the msgid where a msgstr is empty), every text of the form in LANG
 * (titles, help, spoken, variants, option labels) and every language's own name is
 * checked against the kiosk's font chain (app/ui/text.c, the same fallback the renderer
 * draws with) at every pixel size the screens use: each logical size from 24 to 56 at
 * the window scales 0.96 (1366x768), 1.0 (1280x800) and 1.35 (1920x1080, 1080x1920), both
 * weights. Usage: test_glyphs PO_DIR FORM LANG...; one ok line per language. The twin:
 * a CJK character counts as missing, and with INLOOP_FONT_DIR on a folder without
 * NotoSansEthiopic the Tigrinya strings fail (tests/t4502).
 */
#include "app/kiosk/kiosk.h"
#include "app/ui/text.h"
#include "sync/rules/form.h"
#include "platform/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STRINGS 4096

static char *strings[MAX_STRINGS];
static size_t n_strings;

static void add(const char *s)
{
	if (s && *s && n_strings < MAX_STRINGS)
		strings[n_strings++] = strdup(s);
}

/* The C string of a quoted .po line (from the first quote), unescaped into out. */
static void unquote(const char *q, char *out, size_t size)
{
	size_t at = 0;

	for (q = strchr(q, '"') + 1; *q && *q != '"' && at + 1 < size; q++) {
		if (*q == '\\' && q[1])
			q++, out[at++] = *q == 'n' ? '\n' : *q;
		else
			out[at++] = *q;
	}
	out[at] = '\0';
}

/* Every string a catalogue shows: its msgstr, or the msgid it falls back to. */
static int read_po(const char *path)
{
	char line[4096], id[4096] = "", str[4096];
	FILE *f = fopen(path, "r");

	if (!f)
		return error("cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "msgid ", 6) || !strncmp(line, "msgid_plural ", 13)) {
			unquote(line, id, sizeof(id));
		} else if (!strncmp(line, "msgstr", 6) && strchr(line, '"')) {
			unquote(line, str, sizeof(str));
			add(str[0] ? str : id);   /* the header (msgid "") is skipped by add("") */
			if (!id[0])
				n_strings -= str[0] != 0;
		}
	}
	fclose(f);
	return 0;
}

static void read_form(const struct form *f, const char *lang)
{
	for (size_t i = 0; i < form_count(f); i++) {
		const struct question *q = form_question(f, i);
		size_t li = 0;
		while (li < form_lang_count(f) && strcmp(form_lang(f, li), lang))
			li++;
		for (int k = 0; k < QT_COUNT && li < form_lang_count(f); k++) {
			add(q->text[k][li]);
			add(q->variant[k][li]);
		}
		for (size_t o = 0; o < q->n_options; o++)
			add(form_option_label(q, &q->options[o], lang));
	}
}

/* Missing glyphs over every string at every size; prints the first offender. */
static int check_all(const char *lang)
{
	static const double scales[] = { 0.96, 1.0, 1.35 };
	int bad = 0;

	for (int size = 24; size <= 56 && !bad; size++)
		for (size_t s = 0; s < sizeof(scales) / sizeof(scales[0]) && !bad; s++) {
			int px = (int)(size * scales[s] + 0.5);
			if (text_open() < 0)
				return -1;
			for (size_t i = 0; i < n_strings && !bad; i++)
				if ((bad = text_missing_glyphs_px(strings[i], px)))
					printf("# %s at %d px: %d character(s) without a glyph in \"%s\"\n",
					       lang, px, bad, strings[i]);
			text_close();   /* each size its own fonts (the face table is bounded) */
		}
	return bad;
}

static void clear(void)
{
	for (size_t i = 0; i < n_strings; i++)
		free(strings[i]);
	n_strings = 0;
}

int main(int argc, char **argv)
{
	struct form *f = NULL;
	char path[4096];
	int n = 0, fail = 0;

	if (argc < 4 || form_load(argv[2], &f) < 0)
		return fprintf(stderr, "usage: test_glyphs PO_DIR FORM LANG...\n"), 2;
	for (int a = 3; a < argc; a++) {
		const char *lang = argv[a];
		size_t before;
		int bad;
		snprintf(path, sizeof(path), "%s/%s.po", argv[1], lang);
		if (read_po(path) < 0 || !form_has_lang(f, lang)) {
			printf("not ok %d - %s: catalogue or form texts missing\n", ++n, lang);
			fail++;
			continue;
		}
		before = n_strings;
		read_form(f, lang);
		for (const char *const *c = (const char *const[]){ "nl", "en", "ar", "tr", "pl", "uk", "ti", NULL }; *c; c++)
			add(kiosk_lang_name(*c));
		bad = check_all(lang);
		printf("%s %d - %s: %zu catalogue and %zu form strings, every glyph at 23..76 px\n",
		       bad ? "not ok" : "ok", ++n, lang, before, n_strings - before);
		fail += bad != 0;
		clear();
	}
	/* the twin: the check does see a character no font of the chain has */
	text_open();
	{
		int miss = text_missing_glyphs_px("\u4e00", 30);
		printf("%s %d - a CJK character counts as missing (%d)\n", miss == 1 ? "ok" : "not ok", ++n, miss);
		fail += miss != 1;
	}
	text_close();
	form_free(f);
	printf("1..%d\n", n);
	return fail ? 1 : 0;
}
