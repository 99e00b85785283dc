/*
 * chrome.c — the bars and button builders every screen uses (see chrome.h).
 */
#include "app/screens/chrome.h"
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>
#include <string.h>

int chrome_button_width(const struct ui_measure *m, const char *label, int size, int icon)
{
	return m->width(m->ctx, label, size, 1) + 40 + (icon ? size * 5 / 4 + 16 : 0);
}

static struct ui_widget *button(struct ui_tree *t, const char *id, const char *label,
				const char *icon, struct ui_rect r, int action, uint32_t fg,
				uint32_t bg)
{
	struct ui_widget *w = ui_add(t, ROLE_BUTTON, id, label, r);

	if (!w)
		return NULL;
	w->fg = fg;
	w->bg = bg;
	w->size = THEME_TEXT_BODY;
	w->bold = 1;
	w->align = ALIGN_CENTER;
	w->flags = UI_FOCUSABLE;
	w->action = action;
	w->icon = kiosk_icon(icon);
	return w;
}

struct ui_widget *chrome_primary(struct ui_tree *t, const char *id, const char *label,
				 const char *icon, struct ui_rect r, int action)
{
	return button(t, id, label, icon, r, action, THEME_PRIMARY_FG, THEME_PRIMARY_BG);
}

struct ui_widget *chrome_secondary(struct ui_tree *t, const char *id, const char *label,
				   const char *icon, struct ui_rect r, int action)
{
	return button(t, id, label, icon, r, action, THEME_SECOND_FG, THEME_SECOND_BG);
}

void chrome_note(struct ui_tree *t, const struct ui_measure *m, const char *id,
		 const char *text, int x, int *y, int w)
{
	int h = layout_text_height(m, text, THEME_TEXT_BODY, 0, w - 48) + 32;
	struct ui_widget *p = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ x, *y, w, h });
	int ty = *y + 16;

	if (p)
		p->bg = THEME_NOTE_BG;
	layout_text(t, m, id, text, THEME_TEXT_BODY, 0, x + 24, &ty, w - 48, THEME_NOTE_FG,
		    THEME_NOTE_BG, 0);
	*y += h + THEME_GAP;
}

struct ui_widget *chrome_host_ltr(const struct ui_tree *t, struct ui_widget *w)
{
	if (t->rtl && strcmp(i18n_host_lang(), "ar"))
		w->flags |= UI_LTR_TEXT;
	return w;
}

int chrome_host_banner(struct ui_tree *t, const struct ui_measure *m, int y, const char *msgid)
{
	struct ui_widget *p = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ 0, y, t->lw, 0 });
	int by = y + 12;
	struct ui_widget *w;

	w = layout_text(t, m, "host-banner", H_(msgid), THEME_TEXT_BODY, 1, THEME_MARGIN, &by,
			t->lw - 2 * THEME_MARGIN, THEME_ALERT_FG, THEME_ALERT_BG, 12);
	w->align = ALIGN_CENTER;
	if (t->rtl && strcmp(i18n_host_lang(), "ar"))
		w->flags |= UI_LTR_TEXT;   /* a Latin host text keeps its direction in Arabic */
	if (p)
		p->bg = THEME_ALERT_BG, p->r.h = by - y;
	return by;
}

void chrome_crisis_phone(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
			 int x, int *y, int w)
{
	char text[256];

	if (!k->cfg.crisis_phone[0])
		return;
	snprintf(text, sizeof(text), _("Urgent? If no one can help you here, call \u2066%s\u2069."),
		 k->cfg.crisis_phone);
	chrome_note(t, m, "crisis-phone", text, x, y, w);
}

void chrome_title(struct ui_tree *t, const struct ui_measure *m, const char *title,
		  const char *help, struct ui_rect *area)
{
	int y = area->y;

	layout_text(t, m, "title", title, THEME_TEXT_TITLE, 1, area->x, &y, area->w, THEME_TEXT,
		    THEME_BG, THEME_GAP);
	if (help && *help)
		layout_text(t, m, "help", help, THEME_TEXT_BODY, 0, area->x, &y, area->w, THEME_TEXT,
			    THEME_BG, THEME_GAP);
	area->h -= y - area->y;   /* layout_text left THEME_GAP below the last line */
	area->y = y;
}

/* The speaker button: "read aloud", "stop reading aloud" while it reads (the visible sign;
 * tap again to stop), or, where espeak-ng has no voice (Tigrinya), a disabled button
 * that says so instead of reading another language. */
static struct ui_widget *speaker(struct kiosk *k, struct ui_tree *t, struct ui_rect r)
{
	int can = kiosk_can_speak(k), on = can && kiosk_speaking(k);
	const char *label = !can ? _("Read aloud is not available in this language") :
			    on ? _("Stop reading aloud") : _("Read aloud");
	struct ui_widget *w = chrome_secondary(t, "read-aloud", label, on ? "times" : "speaker", r,
					       ACT_SPEAK);

	k->speaking_shown = on;
	if (w && !can)
		w->flags |= UI_DISABLED, w->icon = kiosk_icon("volume-off"), w->bold = 0;
	if (w && on)
		w->flags |= UI_SELECTED, w->fg = THEME_SELECTED_FG, w->bg = THEME_SELECTED_BG;
	return w;
}

/* The width the speaker button keeps while it switches between its labels. */
static int speaker_width(struct kiosk *k, const struct ui_measure *m)
{
	int a = chrome_button_width(m, _("Read aloud"), THEME_TEXT_BODY, 1);
	int b = chrome_button_width(m, _("Stop reading aloud"), THEME_TEXT_BODY, 1);

	if (!kiosk_can_speak(k))
		return chrome_button_width(m, _("Read aloud is not available in this language"),
					   THEME_TEXT_BODY, 1);
	return a > b ? a : b;
}

/* The bar's left button: on Welcome the "always read aloud" switch, elsewhere the
 * language button (the current language named in itself; it opens the chooser). */
static struct ui_widget *bar_left(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
				  int flags, int x, int y, int h)
{
	const char *label = flags & CHROME_WELCOME ? _("Always read aloud") : kiosk_lang_name(k->lang);
	int bw = chrome_button_width(m, label, THEME_TEXT_BODY, 1);
	struct ui_widget *w;

	if (flags & CHROME_NO_LANG)
		return NULL;
	if (!(flags & CHROME_WELCOME)) {
		w = chrome_secondary(t, "lang-menu", label, "language", (struct ui_rect){ x, y, bw, h },
				     ACT_LANG_MENU);
		if (w)
			w->bold = 0;
		return w;
	}
	w = chrome_secondary(t, "always-read-aloud", label, k->always_speak ? "check" : "speaker",
			     (struct ui_rect){ x, y, bw, h }, ACT_ALWAYS_SPEAK);
	if (w && k->always_speak)
		w->flags |= UI_SELECTED, w->fg = THEME_SELECTED_FG, w->bg = THEME_SELECTED_BG;
	if (w && !kiosk_can_speak(k))   /* no voice: the muted speaker, as on read aloud */
		w->flags |= UI_DISABLED, w->bold = 0, w->icon = kiosk_icon("volume-off");
	return w;
}

/* The language (or always-read-aloud) button and read-aloud; returns the bar's height. */
static int top_bar(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int flags)
{
	int y = 16, h = 64, row = 96, sw = speaker_width(k, m), lw;
	struct ui_widget *w = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ 0, 0, t->lw, row }), *left;

	if (w)
		w->bg = THEME_BAR_BG;
	if (sw > t->lw - 2 * THEME_MARGIN)
		sw = t->lw - 2 * THEME_MARGIN;
	left = bar_left(k, t, m, flags, THEME_MARGIN, y, h);
	lw = left ? left->r.w + 24 : 0;
	if (left && left->r.w > t->lw - 2 * THEME_MARGIN)
		left->r.w = t->lw - 2 * THEME_MARGIN;
	if (lw + sw + 2 * THEME_MARGIN > t->lw) {
		row = 176;   /* read aloud on a second row */
		if (w)
			w->r.h = row;
	}
	speaker(k, t, (struct ui_rect){ t->lw - THEME_MARGIN - sw, row == 96 ? y : 96, sw, h });
	return row;
}

void chrome_lang_grid(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int size,
		      int h, int x, int *y, int w)
{
	size_t n = kiosk_lang_count(k), first = 0;
	int gap = 12;
	char id[UI_ID_MAX];

	while (first < n) {   /* one row at a time, centred, as many buttons as fit */
		size_t end = first;
		int row_w = 0, bx;
		while (end < n) {
			int bw = chrome_button_width(m, kiosk_lang_name(kiosk_lang_code(k, end)), size, 0);
			bw = bw < 140 ? 140 : bw;
			if (end > first && row_w + gap + bw > w)
				break;
			row_w += (end > first ? gap : 0) + bw;
			end++;
		}
		bx = x + (w - (row_w < w ? row_w : w)) / 2;
		for (size_t i = first; t && i < end; i++) {
			const char *code = kiosk_lang_code(k, i), *name = kiosk_lang_name(code);
			int bw = chrome_button_width(m, name, size, 0);
			struct ui_widget *b;
			bw = bw < 140 ? 140 : bw > w ? w : bw;
			snprintf(id, sizeof(id), "lang-%s", code);
			b = chrome_secondary(t, id, name, NULL, (struct ui_rect){ bx, *y, bw, h }, ACT_LANG);
			if (b) {
				b->arg = (int)i;
				b->bold = 0;
				b->size = size;
				if (!strcmp(code, k->lang))
					b->flags |= UI_SELECTED, b->fg = THEME_SELECTED_FG, b->bg = THEME_SELECTED_BG;
			}
			bx += bw + gap;
		}
		*y += h + gap;
		first = end;
	}
}

/* "Question 2 of 9" and the bar beside it, under the top bar; returns the new y. */
static int progress(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, int y)
{
	char text[128];
	int pos, total, tw, th;
	struct ui_widget *w;

	kiosk_progress(k, &pos, &total);
	snprintf(text, sizeof(text), _("Question %d"), pos);   /* no "of N": the total may shrink */
	tw = m->width(m->ctx, text, THEME_TEXT_SMALL, 0) + 8;
	th = m->height(m->ctx, text, THEME_TEXT_SMALL, 0);
	y += 12;
	w = ui_add(t, ROLE_TEXT, "progress-text", text, (struct ui_rect){ THEME_MARGIN, y, tw, th });
	if (w)
		w->size = THEME_TEXT_SMALL, w->fg = THEME_TEXT, w->bg = THEME_BG;
	w = ui_add(t, ROLE_PROGRESS, "progress", "",
		   (struct ui_rect){ THEME_MARGIN + tw + 16, y + (th - 16) / 2,
				     t->lw - 2 * THEME_MARGIN - tw - 16, 16 });
	if (w) {
		w->arg = pos;
		w->arg2 = total;
		w->fg = THEME_PROGRESS;
		w->bg = 0xFFFFFF;
	}
	return y + th;
}

struct ui_rect chrome_bars(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
			   int flags, const char *next_label, int next_action)
{
	int top = top_bar(k, t, m, flags), top_rows = top > 96 ? 2 : 1, bh = 112, y0, avail = t->lw - 2 * THEME_MARGIN;
	int bw = 0, nw = 0, x, by;
	const char *back = _("Back"), *staff = _("Talk to a staff member");
	struct ui_widget *w;

	if (flags & CHROME_PROGRESS)
		top = progress(k, t, m, top);
	if (!(flags & (CHROME_BACK | CHROME_STAFF)) && !next_label)   /* no bottom bar */
		return (struct ui_rect){ THEME_MARGIN, top + 24, avail, t->lh - top - 48 };
	if (flags & CHROME_BACK)
		bw = chrome_button_width(m, back, THEME_TEXT_BODY, 1);
	if (next_label)
		nw = chrome_button_width(m, next_label, THEME_TEXT_BODY, 1), nw = nw < 220 ? 220 : nw;
	if ((flags & CHROME_STAFF) && top_rows == 1 && t->lh > t->lw &&
	    chrome_button_width(m, staff, THEME_TEXT_BODY, 1) > avail - bw - nw - 2 * 24)
		bh += THEME_TARGET_MAIN + 12;   /* portrait: the staff button on its own row, on one line */
	y0 = t->lh - bh;
	by = t->lh - 100;   /* Back and Next: the bar's lowest row */
	w = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ 0, y0, t->lw, bh });
	if (w)
		w->bg = THEME_BAR_BG;
	if (flags & CHROME_BACK)
		chrome_secondary(t, "back", back, k->rtl ? "arrow-right" : "arrow-left",
				 (struct ui_rect){ THEME_MARGIN, by, bw, THEME_TARGET_MAIN }, ACT_BACK);
	if (next_label) {
		w = chrome_primary(t, "next", next_label, k->rtl ? "arrow-left" : "arrow-right",
				   (struct ui_rect){ t->lw - THEME_MARGIN - nw, by, nw, THEME_TARGET_MAIN },
				   next_action);
		if (w)
			w->flags |= UI_ICON_END | UI_MAIN;
	}
	if ((flags & CHROME_STAFF) && top_rows == 2) {   /* narrow: beside read aloud, on top */
		int sw = chrome_button_width(m, staff, THEME_TEXT_BODY, 1);
		struct ui_widget *rd = ui_find(t, "read-aloud");
		int room = (rd ? rd->r.x : t->lw - THEME_MARGIN) - THEME_MARGIN - 16;
		w = chrome_secondary(t, "staff", staff, "hand",
				     (struct ui_rect){ THEME_MARGIN, 96, sw < room ? sw : room, 64 }, ACT_STAFF);
		if (w)
			w->bold = 0, w->size = sw <= room ? THEME_TEXT_BODY : THEME_TEXT_SMALL;
	} else if ((flags & CHROME_STAFF) && bh > 112) {   /* its own row, the whole width */
		int sw = chrome_button_width(m, staff, THEME_TEXT_BODY, 1);
		sw = sw > avail ? avail : sw;
		w = chrome_secondary(t, "staff", staff, "hand",
				     (struct ui_rect){ THEME_MARGIN + (avail - sw) / 2, y0 + 12, sw, THEME_TARGET_MAIN },
				     ACT_STAFF);
		if (w)
			w->bold = 0;
	} else if (flags & CHROME_STAFF) {
		int room = avail - bw - nw - 2 * 24, sw = chrome_button_width(m, staff, THEME_TEXT_BODY, 1);
		sw = sw > room ? room : sw;
		x = THEME_MARGIN + bw + 24 + (room - sw) / 2;
		w = chrome_secondary(t, "staff", staff, "hand",
				     (struct ui_rect){ x, by, sw, THEME_TARGET_MAIN }, ACT_STAFF);
		if (w)
			w->bold = 0;
	}
	return (struct ui_rect){ THEME_MARGIN, top + 20, avail, y0 - top - 36 };
}

void chrome_say(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf), l = s ? strlen(s) : 0;
	const char *end = l ? s + l - 1 : s;
	int stop = l && (strchr(".?!:", *end) || (l >= 3 && !strcmp(s + l - 3, "\u1362")));

	if (l && n < size)
		snprintf(buf + n, size - n, "%s%s%s", n ? " " : "", s, stop ? "" : ".");
}

/* One question as read aloud. A choice: its title, every option's label, "I don't know"
 * where the form offers it, then the help; another type: the form's spoken text, which
 * writes examples and dates out ("zero six, one two three four"). */
static void spoken_one(struct kiosk *k, const struct question *q, char *buf, size_t size)
{
	if (q->type != Q_SINGLE && q->type != Q_MULTI) {
		chrome_say(buf, size, form_text_for(q, "spoken", k->lang, k->person.answers));
		return;
	}
	chrome_say(buf, size, form_text_for(q, "title", k->lang, k->person.answers));
	for (size_t i = 0; i < q->n_options; i++)
		chrome_say(buf, size, form_option_label(q, &q->options[i], k->lang));
	if (q->allow_unknown)
		chrome_say(buf, size, _("I don't know"));
	chrome_say(buf, size, form_text_for(q, "help", k->lang, k->person.answers));
}

void chrome_spoken_question(struct kiosk *k, char *buf, size_t size)
{
	const struct form *f = k->sub.form;
	const struct question *q = kiosk_question(k);

	if (size)
		buf[0] = '\0';
	if (!q)
		return;
	spoken_one(k, q, buf, size);
	for (size_t i = (size_t)k->qi + 1; i < form_count(f) && form_question(f, i)->same_screen; i++)
		if (form_is_visible(f, form_question(f, i), k->person.answers))
			spoken_one(k, form_question(f, i), buf, size);   /* the phone under "call me" */
}

int chrome_event_done(struct kiosk *k, const struct kiosk_event *ev)
{
	if ((ev->kind == EV_ACTIVATE && ev->w->action == ACT_DONE) ||
	    (ev->kind == EV_KEY && ev->key == KEY_ENTER)) {
		kiosk_wipe(k);
		return 1;
	}
	return 0;
}
