/*
 * keyboard.c — the key layouts and their placement (see keyboard.h).
 */
#include "app/ui/keyboard.h"
#include "app/i18n.h"
#include "app/ui/text.h"
#include "app/ui/theme.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_ROWS 5

/* Rows of keys as UTF-8 strings, one character per key. */
static const char *const rows_latin[] = { "qwertyuiop", "asdfghjkl", "zxcvbnm-'", NULL };
static const char *const rows_arabic[] = { "ضصثقفغعهخحج", "شسيبلاتنمكط", "ئءؤرىةوزظد", NULL };
static const char *const rows_phone[] = { "123", "456", "789", "+0", NULL };
static const char *const rows_house[] = { "123a", "456b", "789c", "0-d", NULL };
static const char *const rows_postcode[] = { "1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM", NULL };
static const char *const rows_email[] = { "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm@._-",
					  NULL };

static const char *const *rows_of(enum kb_layout l)
{
	switch (l) {
	case KB_ARABIC: return rows_arabic;
	case KB_PHONE: return rows_phone;
	case KB_HOUSE: return rows_house;
	case KB_POSTCODE: return rows_postcode;
	case KB_EMAIL: return rows_email;
	default: return rows_latin;
	}
}

/* Number of code points in a row string. */
static int row_len(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static struct ui_widget *key(struct ui_tree *t, const char *id, const char *label,
			     struct ui_rect r, int action, int arg, int mirror)
{
	struct ui_widget *w = ui_add(t, ROLE_KEY, id, label, r);

	if (!w)
		return NULL;
	w->fg = THEME_KEY_FG;
	w->bg = THEME_KEY_BG;
	w->size = THEME_TEXT_BODY;
	w->align = ALIGN_CENTER;
	w->flags = UI_FOCUSABLE;
	(void)mirror;
	w->action = action;
	w->arg = arg;
	return w;
}

/* One row of character keys, centred in width w at (x0, y). */
static void char_row(struct ui_tree *t, const char *row, int x0, int y, int w, int kw, int kh,
		     int action, int mirror)
{
	int n = row_len(row), x = x0 + (w - n * kw - (n - 1) * THEME_GAP / 2) / 2;
	size_t at = 0, len = strlen(row);

	while (at < len) {
		unsigned cp;
		int k = text_utf8_next(row + at, len - at, &cp);
		char label[8], id[UI_ID_MAX];
		if (k < 0)
			break;
		memcpy(label, row + at, (size_t)k);
		label[k] = '\0';
		if (cp < 0x80 && isalnum((int)cp))
			snprintf(id, sizeof(id), "key-%c", (char)cp);
		else
			snprintf(id, sizeof(id), "key-u%04x", cp);
		key(t, id, label, (struct ui_rect){ x, y, kw, kh }, action, (int)cp, mirror);
		x += kw + THEME_GAP / 2;
		at += (size_t)k;
	}
}

static int has_space_row(enum kb_layout l)
{
	return l == KB_LATIN || l == KB_ARABIC;
}

/* Rows of a layout and the most keys in a row. */
static int row_count(enum kb_layout l, int *widest)
{
	const char *const *rows = rows_of(l);
	int n = 0;

	*widest = 0;
	for (; rows[n]; n++)
		if (row_len(rows[n]) > *widest)
			*widest = row_len(rows[n]);
	if (!has_space_row(l) && row_len(rows[n - 1]) + 2 > *widest)
		*widest = row_len(rows[n - 1]) + 2;   /* backspace (two keys wide) ends the last row */
	return n;
}

int keyboard_min_height(enum kb_layout layout)
{
	int widest, n = row_count(layout, &widest) + has_space_row(layout);
	return n * 52 + (n - 1) * THEME_GAP / 2;
}

/* The last row of letter layouts: mode switch, space, backspace. */
static void space_row(struct ui_tree *t, int switch_to, struct ui_rect area, int y, int kw,
		      int kh, int action_key, int action_mode)
{
	int bw = kw * 2 > 160 ? kw * 2 : 160, sw = kw * 4, x;
	int total = bw + sw + THEME_GAP + (switch_to >= 0 ? bw + THEME_GAP : 0);

	x = area.x + (area.w - total) / 2;
	if (switch_to >= 0) {
		key(t, "key-mode", switch_to == KB_ARABIC ? "أ ب ج" : "A B C",
		    (struct ui_rect){ x, y, bw, kh }, action_mode, switch_to, 0);
		x += bw + THEME_GAP;
	}
	key(t, "key-space", _("space"), (struct ui_rect){ x, y, sw, kh }, action_key, ' ', 0);
	x += sw + THEME_GAP;
	key(t, "key-backspace", _("delete"), (struct ui_rect){ x, y, bw, kh }, action_key,
	    KB_BACKSPACE, 0);
}

int keyboard_build(struct ui_tree *t, enum kb_layout layout, int switch_to, struct ui_rect area,
		   int action_key, int action_mode)
{
	const char *const *rows = rows_of(layout);
	int widest, n = row_count(layout, &widest), kw, kh, y = area.y, mirror = layout == KB_ARABIC;
	int pad = layout == KB_PHONE || layout == KB_HOUSE, space = has_space_row(layout);
	int all = n + space, first = t->n;

	kw = (area.w - (widest - 1) * THEME_GAP / 2) / widest;
	kw = kw > (pad ? 150 : 96) ? (pad ? 150 : 96) : kw;
	kh = (area.h - (all - 1) * THEME_GAP / 2) / all;
	kh = kh > THEME_KEY_H_MAX ? THEME_KEY_H_MAX : kh < 52 ? 52 : kh;   /* tall keys where there is room (portrait) */
	for (int i = 0; i < n; i++, y += kh + THEME_GAP / 2) {
		int len = row_len(rows[i]), last = i == n - 1 && !space;
		int rw = (len + last * 2) * kw + (len + last - 1) * THEME_GAP / 2;
		int x0 = area.x + (area.w - rw) / 2;
		char_row(t, rows[i], x0, y, len * kw + (len - 1) * THEME_GAP / 2, kw, kh, action_key,
			 mirror);
		if (last)
			key(t, "key-backspace", _("delete"),
			    (struct ui_rect){ x0 + len * (kw + THEME_GAP / 2), y, 2 * kw, kh }, action_key,
			    KB_BACKSPACE, 0);
	}
	if (space)
		space_row(t, switch_to, area, y, kw, kh, action_key, action_mode);
	else
		y -= kh + THEME_GAP / 2;
	/* Latin letters and digits keep their order in a right-to-left screen: mirror them
	 * inside the area now, so the tree's mirror moves the block but not the keys. */
	for (int i = first; t->rtl && layout != KB_ARABIC && i < t->n; i++)
		t->w[i].r.x = 2 * area.x + area.w - t->w[i].r.x - t->w[i].r.w;
	return y + kh - area.y;
}
