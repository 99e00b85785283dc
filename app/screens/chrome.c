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
	area->h -= y + THEME_GAP - area->y;
	area->y = y + THEME_GAP;
}

/* The language buttons and read-aloud; returns the bar's height. */
static int top_bar(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	const struct form *f = k->sub.form;
	size_t n = f ? form_lang_count(f) : 0;
	int x = THEME_MARGIN, y = 16, h = 64, row = 96;
	char id[UI_ID_MAX];
	const char *speak = kiosk_can_speak(k) ? _("Read aloud") : _("Read aloud is not available in this language");
	int sw = chrome_button_width(m, speak, THEME_TEXT_BODY, 1), langs_w = 0;
	struct ui_widget *w;

	for (size_t i = 0; i < n; i++)
		langs_w += chrome_button_width(m, kiosk_lang_name(form_lang(f, i)), THEME_TEXT_BODY, 0) + 12;
	if (sw > t->lw - 2 * THEME_MARGIN)
		sw = t->lw - 2 * THEME_MARGIN;
	if (langs_w + sw + 2 * THEME_MARGIN > t->lw)
		row = 176;   /* read aloud on a second row */
	w = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ 0, 0, t->lw, row });
	if (w)
		w->bg = THEME_BAR_BG;
	for (size_t i = 0; i < n; i++) {
		const char *name = kiosk_lang_name(form_lang(f, i));
		int bw = chrome_button_width(m, name, THEME_TEXT_BODY, 0);
		snprintf(id, sizeof(id), "lang-%s", form_lang(f, i));
		w = chrome_secondary(t, id, name, NULL, (struct ui_rect){ x, y, bw, h }, ACT_LANG);
		if (w) {
			w->arg = (int)i;
			w->bold = 0;
			if (!strcmp(form_lang(f, i), k->lang))
				w->flags |= UI_SELECTED, w->fg = THEME_SELECTED_FG, w->bg = THEME_SELECTED_BG;
		}
		x += bw + 12;
	}
	w = chrome_secondary(t, "read-aloud", speak, "speaker",
			     (struct ui_rect){ t->lw - THEME_MARGIN - sw, row == 96 ? y : 96, sw, h },
			     ACT_SPEAK);
	if (w && !kiosk_can_speak(k))
		w->flags |= UI_DISABLED, w->icon = kiosk_icon("volume-off"), w->bold = 0;
	return row;
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
	int top = top_bar(k, t, m), top_rows = top > 96 ? 2 : 1, bh = 112, y0 = t->lh - bh, avail = t->lw - 2 * THEME_MARGIN;
	int bw = 0, nw = 0, x;
	const char *back = _("Back"), *staff = _("Talk to a staff member");
	struct ui_widget *w;

	if (flags & CHROME_PROGRESS)
		top = progress(k, t, m, top);
	if (!(flags & (CHROME_BACK | CHROME_STAFF)) && !next_label)   /* no bottom bar */
		return (struct ui_rect){ THEME_MARGIN, top + 24, avail, t->lh - top - 48 };
	w = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ 0, y0, t->lw, bh });
	if (w)
		w->bg = THEME_BAR_BG;
	if (flags & CHROME_BACK) {
		bw = chrome_button_width(m, back, THEME_TEXT_BODY, 1);
		chrome_secondary(t, "back", back, k->rtl ? "arrow-right" : "arrow-left",
				 (struct ui_rect){ THEME_MARGIN, y0 + 12, bw, THEME_TARGET_MAIN }, ACT_BACK);
	}
	if (next_label) {
		nw = chrome_button_width(m, next_label, THEME_TEXT_BODY, 1);
		nw = nw < 220 ? 220 : nw;
		w = chrome_primary(t, "next", next_label, k->rtl ? "arrow-left" : "arrow-right",
				   (struct ui_rect){ t->lw - THEME_MARGIN - nw, y0 + 12, nw, THEME_TARGET_MAIN },
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
	} else if (flags & CHROME_STAFF) {
		int room = avail - bw - nw - 2 * 24, sw = chrome_button_width(m, staff, THEME_TEXT_BODY, 1);
		sw = sw > room ? room : sw;
		x = THEME_MARGIN + bw + 24 + (room - sw) / 2;
		w = chrome_secondary(t, "staff", staff, "hand",
				     (struct ui_rect){ x, y0 + 12, sw, THEME_TARGET_MAIN }, ACT_STAFF);
		if (w)
			w->bold = 0;
	}
	return (struct ui_rect){ THEME_MARGIN, top + 20, avail, y0 - top - 36 };
}

void chrome_spoken_question(struct kiosk *k, char *buf, size_t size)
{
	const struct question *q = kiosk_question(k);
	const char *s = q ? form_text_for(q, "spoken", k->lang, k->person.answers) : NULL;

	snprintf(buf, size, "%s", s ? s : "");
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
