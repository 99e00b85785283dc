/*
 * keyboard.c — the key layouts and their placement (see keyboard.h). A layout is a few
 * rows of keys; a key is as wide as a number of half letters (a letter 2, shift 3,
 * backspace 4, space 8), so the rows line up like a printed keyboard.
 */
#include "app/ui/keyboard.h"
#include "platform/i18n.h"
#include "app/ui/layout.h"
#include "app/ui/text.h"
#include "app/ui/theme.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_ROWS 5
#define MAX_KEYS 16          /* per row */
#define KEY_MIN 48           /* logical px: the least touch target */
#define KEY_GAP (THEME_GAP / 2)
#define LAM_ALEF_MARK "\x01" /* in a row string: the لا key */

struct key_def {
	const char *label;   /* borrowed: a row string's piece (copied at add) or a literal */
	char buf[8];         /* the label of a letter key */
	int arg;             /* code point, KB_BACKSPACE, or the layout for a mode key */
	int mode;            /* 1: switches layout (ACT_KEYMODE) */
	int halves;          /* width in half letters */
	int selected;
	char id[UI_ID_MAX];
};

struct kb_rows {
	int n;
	int len[MAX_ROWS];
	struct key_def k[MAX_ROWS][MAX_KEYS];
};

/* Letters as printed, left to right. */
static const char *const latin[] = { "qwertyuiop", "asdfghjkl'", "zxcvbnm-" };
static const char *const latin_up[] = { "QWERTYUIOP", "ASDFGHJKL'", "ZXCVBNM-" };
static const char *const accents[] = { "áàâäąçćčéèê", "ëęğíîïıłñńó", "ôöśşšúüźżž" };
static const char *const accents_up[] = { "ÁÀÂÄĄÇĆČÉÈÊ", "ËĘĞÍÎÏİŁÑŃÓ", "ÔÖŚŞŠÚÜŹŻŽ" };
/* Ukrainian (ЙЦУКЕН) as printed; ґ (AltGr+г on most keyboards) ends the middle row, the
 * apostrophe of names such as Мар'яна and the hyphen get keys beside space. */
static const char *const cyrillic[] = { "йцукенгшщзхї", "фівапролджєґ", "ячсмитьбю" };
static const char *const cyrillic_up[] = { "ЙЦУКЕНГШЩЗХЇ", "ФІВАПРОЛДЖЄҐ", "ЯЧСМИТЬБЮ" };
/* Arabic (101) as printed: ض on the Q key; the shifted hamza forms and ذ (the key left
 * of 1 on a PC) get keys of their own. */
static const char *const arabic[] = { "ضصثقفغعهخحجد", "شسيبلاتنمكط",
				      "ئءؤر" LAM_ALEF_MARK "ىةوزظذ" };
/* Tigrinya's consonants in the order of the Ge'ez syllabary (the fidel chart), first
 * order; a key opens the consonant's vowel orders. */
static const char *const geez[] = { "ሀለሐመረሰሸቀቐበቨ", "ተቸኀነኘአከኸወዐዘ", "ዠየደጀገጠጨጰጸፀፈፐ" };
static const char *const phone[] = { "123", "456", "789", "+0" };
static const char *const phone_flat[] = { "1234567890", "+" };
static const char *const house[] = { "123a", "456b", "789c", "0-d" };
static const char *const house_flat[] = { "1234567890", "abcd-" };
static const char *const postcode[] = { "1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM" };
static const char *const email[] = { "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm@._-" };

static struct key_def *add_key(struct kb_rows *R, int row, const char *label, int arg, int mode,
			       int halves, const char *id)
{
	struct key_def *d;

	if (row >= MAX_ROWS || R->len[row] >= MAX_KEYS)
		return NULL;
	d = &R->k[row][R->len[row]++];
	memset(d, 0, sizeof(*d));
	d->label = label;
	d->arg = arg;
	d->mode = mode;
	d->halves = halves;
	snprintf(d->id, sizeof(d->id), "%s", id);
	if (R->n <= row)
		R->n = row + 1;
	return d;
}

/* One key per character of s (UTF-8) appended to row. */
static void add_letters(struct kb_rows *R, int row, const char *s)
{
	size_t at = 0, len = strlen(s);

	while (at < len) {
		unsigned cp;
		int k = text_utf8_next(s + at, len - at, &cp);
		struct key_def *d;
		char id[UI_ID_MAX];
		if (k < 0)
			return;
		if (cp == 1) {
			d = add_key(R, row, "لا", KB_LAM_ALEF, 0, 2, "key-lam-alef");
		} else {
			if (cp < 0x80 && isalnum((int)cp))
				snprintf(id, sizeof(id), "key-%c", (char)cp);
			else
				snprintf(id, sizeof(id), "key-u%04x", cp);
			d = add_key(R, row, NULL, (int)cp, 0, 2, id);
			if (d) {
				memcpy(d->buf, s + at, (size_t)k);
				d->buf[k] = '\0';
				d->label = d->buf;
			}
		}
		at += (size_t)k;
	}
}

static void add_rows(struct kb_rows *R, const char *const rows[], int n)
{
	for (int i = 0; i < n; i++)
		add_letters(R, i, rows[i]);
}

static int shifted(enum kb_layout l)
{
	return l == KB_LATIN_SHIFT || l == KB_ACCENTS_SHIFT || l == KB_CYRILLIC_SHIFT;
}

static int latin_page(enum kb_layout l)
{
	return l == KB_LATIN || l == KB_LATIN_SHIFT || l == KB_ACCENTS || l == KB_ACCENTS_SHIFT;
}

/* The script switch (Arabic, Cyrillic or Ge'ez <-> Latin), when the screen has one: it shows the
 * first letters of the script it switches to. */
static void add_script_key(struct kb_rows *R, int row, int switch_to)
{
	if (switch_to >= 0)
		add_key(R, row, switch_to == KB_ARABIC ? "أ ب ج" : switch_to == KB_CYRILLIC ? "А Б В" :
			switch_to == KB_GEEZ ? "ሀ ለ ሐ" : "A B C", switch_to, 1, 4, "key-mode");
}

/* A Latin page: three rows of letters, shift before the last, then the accents (or
 * letters) key, the script key, space and backspace. */
static void latin_rows(struct kb_rows *R, enum kb_layout l, int switch_to)
{
	int acc = l == KB_ACCENTS || l == KB_ACCENTS_SHIFT, up = shifted(l);
	const char *const *rows = acc ? (up ? accents_up : accents) : (up ? latin_up : latin);
	struct key_def *d;

	add_rows(R, rows, 2);
	d = add_key(R, 2, "\u21E7", up ? (acc ? KB_ACCENTS : KB_LATIN) :
		    (acc ? KB_ACCENTS_SHIFT : KB_LATIN_SHIFT), 1, 3, "key-shift");
	if (d)
		d->selected = up;
	add_letters(R, 2, rows[2]);
	if (acc)
		add_key(R, 3, "a b c", KB_LATIN, 1, 4, "key-letters");
	else
		add_key(R, 3, "é ş ł", KB_ACCENTS, 1, 4, "key-accents");
	add_script_key(R, 3, switch_to);
	add_key(R, 3, _("space"), ' ', 0, 8, "key-space");
	add_key(R, 3, _("delete"), KB_BACKSPACE, 0, 4, "key-backspace");
}

/* The Ukrainian page: three rows of letters, shift before the last, then the script key,
 * apostrophe, hyphen, space and backspace. */
static void cyrillic_rows(struct kb_rows *R, enum kb_layout l, int switch_to)
{
	int up = shifted(l);
	const char *const *rows = up ? cyrillic_up : cyrillic;
	struct key_def *d;

	add_rows(R, rows, 2);
	d = add_key(R, 2, "\u21E7", up ? KB_CYRILLIC : KB_CYRILLIC_SHIFT, 1, 3, "key-shift");
	if (d)
		d->selected = up;
	add_letters(R, 2, rows[2]);
	add_script_key(R, 3, switch_to);
	add_letters(R, 3, "'-");
	add_key(R, 3, _("space"), ' ', 0, 8, "key-space");
	add_key(R, 3, _("delete"), KB_BACKSPACE, 0, 6, "key-backspace");   /* 12 keys a row: narrow */
}

static int is_geez_page(int l)
{
	return l >= KB_GEEZ_FIRST && l <= KB_GEEZ_LAST;
}

/* The consonants: a key per consonant (id key-cXXXX, a mode key: it opens that consonant's
 * orders), then the script key, the hyphen, space and backspace. */
static void geez_rows(struct kb_rows *R, int switch_to)
{
	for (int r = 0; r < 3; r++) {
		add_letters(R, r, geez[r]);
		for (int i = 0; i < R->len[r]; i++) {   /* letters become mode keys */
			struct key_def *d = &R->k[r][i];
			snprintf(d->id, sizeof(d->id), "key-c%04x", (unsigned)d->arg);
			d->mode = 1;
		}
	}
	add_script_key(R, 3, switch_to);
	add_letters(R, 3, "-");
	add_key(R, 3, _("space"), ' ', 0, 8, "key-space");
	add_key(R, 3, _("delete"), KB_BACKSPACE, 0, 4, "key-backspace");
}

/* The -wa form Tigrinya writes with consonant c, or 0: base + 7 for most, the labialized
 * block for ቀ ከ ገ (ቋ ኳ ጓ), none for the gutturals, ወ and የ. */
static unsigned geez_wa(unsigned c)
{
	switch (c) {
	case 0x1240: return 0x124B;
	case 0x12A8: return 0x12B3;
	case 0x1308: return 0x1313;
	case 0x1200: case 0x1250: case 0x1280: case 0x12A0: case 0x12B8: case 0x12C8:
	case 0x12D0: case 0x12E8: return 0;
	default: return c + 7;
	}
}

/* A consonant's page: its seven orders (ä u i a e ə o) and its -wa form on one row, big;
 * then the way back to the consonants (key-consonants), space and backspace. */
static void geez_order_rows(struct kb_rows *R, unsigned c)
{
	char s[40] = "";
	size_t n = 0;
	unsigned wa = geez_wa(c);

	for (unsigned o = 0; o < 8; o++) {
		char u[8];
		unsigned cp = o < 7 ? c + o : wa;
		if (!cp)
			continue;
		keyboard_key_text((int)cp, u, sizeof(u));
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%s", u);
	}
	add_letters(R, 0, s);
	for (int i = 0; i < R->len[0]; i++)
		R->k[0][i].halves = 3;   /* fewer keys: wider ones */
	add_key(R, 1, "ሀ ለ ሐ", KB_GEEZ, 1, 6, "key-consonants");
	add_key(R, 1, _("space"), ' ', 0, 8, "key-space");
	add_key(R, 1, _("delete"), KB_BACKSPACE, 0, 6, "key-backspace");
}

static void arabic_rows(struct kb_rows *R, int switch_to)
{
	add_rows(R, arabic, 3);
	add_script_key(R, 3, switch_to);
	add_key(R, 3, "أ", 0x0623, 0, 2, "key-u0623");
	add_key(R, 3, "إ", 0x0625, 0, 2, "key-u0625");
	add_key(R, 3, "آ", 0x0622, 0, 2, "key-u0622");
	add_key(R, 3, _("space"), ' ', 0, 8, "key-space");
	add_key(R, 3, _("delete"), KB_BACKSPACE, 0, 4, "key-backspace");
}

/* Pads and the postcode / e-mail layouts: rows of keys, backspace ends the last (the
 * first for e-mail). */
static void plain_rows(struct kb_rows *R, enum kb_layout l, int flat)
{
	const char *const *rows = l == KB_PHONE ? (flat ? phone_flat : phone) :
				  l == KB_HOUSE ? (flat ? house_flat : house) :
				  l == KB_POSTCODE ? postcode : email;
	int n = flat ? 2 : 4;

	add_rows(R, rows, n);
	/* e-mail: backspace after the digits, as on a PC, so that no row is wider than 24
	 * halves and the keys keep 48 px in the column beside the contact question */
	add_key(R, l == KB_EMAIL ? 0 : n - 1, _("delete"), KB_BACKSPACE, 0, 4, "key-backspace");
}

static void rows_of(struct kb_rows *R, enum kb_layout l, int switch_to, int flat)
{
	memset(R, 0, sizeof(*R));
	if (latin_page(l))
		latin_rows(R, l, switch_to);
	else if (l == KB_ARABIC)
		arabic_rows(R, switch_to);
	else if (l == KB_CYRILLIC || l == KB_CYRILLIC_SHIFT)
		cyrillic_rows(R, l, switch_to);
	else if (l == KB_GEEZ)
		geez_rows(R, switch_to);
	else if (is_geez_page((int)l))
		geez_order_rows(R, (unsigned)l);
	else
		plain_rows(R, l, flat && (l == KB_PHONE || l == KB_HOUSE));
}

static int rows_height(int n)
{
	return n * KEY_MIN + (n - 1) * KEY_GAP;
}

int keyboard_min_height(enum kb_layout layout)
{
	static struct kb_rows R;

	rows_of(&R, layout, -1, 0);
	return rows_height(R.n);
}

/* The widest row in half letters. */
static int widest_row(const struct kb_rows *R)
{
	int widest = 1;

	for (int r = 0; r < R->n; r++) {
		int h = 0;
		for (int i = 0; i < R->len[r]; i++)
			h += R->k[r][i].halves;
		widest = h > widest ? h : widest;
	}
	return widest;
}

int keyboard_min_width(enum kb_layout layout)
{
	static struct kb_rows R;

	rows_of(&R, layout, KB_LATIN, 0);   /* with a script key: the widest it gets */
	return widest_row(&R) * ((KEY_MIN + KEY_GAP + 1) / 2) - KEY_GAP;
}

/* The half-letter width (gap included) that fits the widest row into w, capped so a
 * letter is at most cap wide. */
static int half_width(const struct kb_rows *R, int w, int cap)
{
	int widest = widest_row(R), hw;

	hw = (w + KEY_GAP) / widest;
	return 2 * hw - KEY_GAP > cap ? (cap + KEY_GAP) / 2 : hw;
}

/* 1 when the key types a letter or digit (its label one character, or لا) or opens a
 * Ge'ez consonant's orders, not a word key (space, delete, the script and shift keys). */
static int letter_key(const struct key_def *d)
{
	return d->mode ? is_geez_page(d->arg) : d->arg != ' ' && d->arg != KB_BACKSPACE;
}

static void place_key(struct ui_tree *t, const struct key_def *d, struct ui_rect r,
		      int action_key, int action_mode)
{
	struct ui_widget *w = ui_add(t, ROLE_KEY, d->id, d->label, r);

	if (!w)
		return;
	w->fg = d->selected ? THEME_SELECTED_FG : THEME_KEY_FG;
	w->bg = d->selected ? THEME_SELECTED_BG : THEME_KEY_BG;
	/* tall keys (portrait) get bigger letters; word labels keep the body size to fit */
	w->size = r.h > THEME_KEY_H_MAX && letter_key(d) ? THEME_TEXT_KEY_BIG : THEME_TEXT_BODY;
	w->align = ALIGN_CENTER;
	w->flags = UI_FOCUSABLE | (d->selected ? UI_SELECTED : 0);
	w->action = d->mode ? action_mode : action_key;
	w->arg = d->arg;
}

int keyboard_build(struct ui_tree *t, enum kb_layout layout, int switch_to, struct ui_rect area,
		   int action_key, int action_mode)
{
	static struct kb_rows R;   /* the UI is single-threaded */
	int pad = layout == KB_PHONE || layout == KB_HOUSE, first = t->n, y = area.y, hw, kh;
	int cap = t->lh > t->lw ? THEME_KEY_H_TALL : THEME_KEY_H_MAX;   /* portrait: taller keys */

	rows_of(&R, layout, switch_to, 0);
	if (pad && rows_height(R.n) > area.h)
		rows_of(&R, layout, switch_to, 1);   /* short area: two long rows */
	hw = half_width(&R, area.w, pad ? 150 : 96);
	kh = (area.h - (R.n - 1) * KEY_GAP) / R.n;
	kh = kh > cap ? cap : kh < KEY_MIN ? KEY_MIN : kh;
	for (int r = 0; r < R.n; r++, y += kh + KEY_GAP) {
		int halves = 0, x;
		for (int i = 0; i < R.len[r]; i++)
			halves += R.k[r][i].halves;
		x = area.x + (area.w - (halves * hw - KEY_GAP)) / 2;
		for (int i = 0; i < R.len[r]; i++) {
			int w = R.k[r][i].halves * hw - KEY_GAP;
			place_key(t, &R.k[r][i], (struct ui_rect){ x, y, w, kh }, action_key, action_mode);
			x += w + KEY_GAP;
		}
	}
	/* Keys stay where they are printed in a right-to-left screen: mirror them inside the
	 * area now, so the tree's mirror moves the block but not the keys. */
	for (int i = first; t->rtl && i < t->n; i++)
		t->w[i].r.x = 2 * area.x + area.w - t->w[i].r.x - t->w[i].r.w;
	return y - KEY_GAP - area.y;
}

void keyboard_fit_labels(struct ui_tree *t, int first, const struct ui_measure *m)
{
	for (int i = first; m && i < t->n; i++) {
		struct ui_widget *w = &t->w[i];
		int room = w->r.w - 2 * layout_control_pad(t, w);
		while (w->role == ROLE_KEY && w->size > THEME_TEXT_BODY &&
		       m->width(m->ctx, w->text, w->size, w->bold) > room)
			w->size -= 2;
	}
}

void keyboard_key_text(int arg, char *out, size_t size)
{
	unsigned cp = (unsigned)arg;

	if (size < 8) {
		if (size)
			out[0] = '\0';
		return;
	}
	if (arg == KB_LAM_ALEF) {
		snprintf(out, size, "%s", "\u0644\u0627");
		return;
	}
	out[0] = '\0';
	if (arg == KB_BACKSPACE || arg < 0x20 || arg > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return;
	if (cp < 0x80) {
		out[0] = (char)cp, out[1] = '\0';
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6)), out[1] = (char)(0x80 | (cp & 0x3F)), out[2] = '\0';
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12)), out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F)), out[3] = '\0';
	} else {
		out[0] = (char)(0xF0 | (cp >> 18)), out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), out[3] = (char)(0x80 | (cp & 0x3F));
		out[4] = '\0';
	}
}

enum kb_layout keyboard_after_key(enum kb_layout layout)
{
	return layout == KB_LATIN_SHIFT ? KB_LATIN : layout == KB_ACCENTS_SHIFT ? KB_ACCENTS :
	       layout == KB_CYRILLIC_SHIFT ? KB_CYRILLIC : is_geez_page((int)layout) ? KB_GEEZ : layout;
}

enum kb_layout keyboard_for_lang(const char *lang)
{
	return !lang ? KB_LATIN : !strcmp(lang, "ar") ? KB_ARABIC :
	       !strcmp(lang, "uk") ? KB_CYRILLIC : !strcmp(lang, "ti") ? KB_GEEZ : KB_LATIN;
}

enum kb_layout keyboard_script(enum kb_layout layout)
{
	return layout == KB_ARABIC ? KB_ARABIC :
	       layout == KB_CYRILLIC || layout == KB_CYRILLIC_SHIFT ? KB_CYRILLIC :
	       layout == KB_GEEZ || is_geez_page((int)layout) ? KB_GEEZ : KB_LATIN;
}
