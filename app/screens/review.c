/*
 * review.c — every answer in words with a Change button, page by page when they do not
 * fit, and Send on the last page. Send seals and stores (kiosk_send); the receipt only
 * follows when that call has returned "stored".
 */
#include "app/form.h"
#include "app/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/words.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"
#include "app/util.h"

#include <stdio.h>
#include <string.h>

static void enter(struct kiosk *k)
{
	k->problem = NULL;
}

/* Height of question i's row, and its widgets when add is set. */
static int row(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, size_t i,
	       struct ui_rect a, int y, int add)
{
	const struct question *q = form_question(k->sub.form, i);
	const char *change = _("Change");
	int cw = chrome_button_width(m, change, THEME_TEXT_BODY, 1), tw = a.w - cw - THEME_GAP;
	char answer[1024], id[UI_ID_MAX];
	const char *title = form_text(q, "title", k->lang);
	int h, y0 = y;

	words_answer(k, q, answer, sizeof(answer));
	if (!answer[0])
		snprintf(answer, sizeof(answer), "%s", _("Not answered"));
	h = layout_text_height(m, title, THEME_TEXT_SMALL, 1, tw) + 4 +
	    layout_text_height(m, answer, THEME_TEXT_BODY, 0, tw);
	h = h < THEME_TARGET ? THEME_TARGET : h;
	if (add) {
		struct ui_widget *w;
		snprintf(id, sizeof(id), "title-%s", q->id);
		layout_text(t, m, id, title, THEME_TEXT_SMALL, 1, a.x, &y, tw, THEME_TEXT, THEME_BG, 4);
		snprintf(id, sizeof(id), "answer-%s", q->id);
		layout_text(t, m, id, answer, THEME_TEXT_BODY, 0, a.x, &y, tw, THEME_TEXT, THEME_BG, 0)
			->flags |= UI_PERSONAL;
		snprintf(id, sizeof(id), "change-%s", q->id);
		w = chrome_secondary(t, id, change, "pencil",
				     (struct ui_rect){ a.x + a.w - cw, y0 + (h - THEME_TARGET) / 2, cw,
						       THEME_TARGET }, ACT_CHANGE);
		if (w)
			w->arg = (int)i, w->bold = 0;
		w = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ a.x, y0 + h + 10, a.w, 2 });
		if (w)
			w->bg = 0x9A9384;
	}
	util_cleanse(answer, sizeof(answer));
	return h + 22;
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	int last, page = 0, y;
	struct ui_rect a;

	/* the pages first (Send only on the last), then the rows of this page */
	a = chrome_bars(k, t, m, CHROME_BACK | CHROME_STAFF, _("Send"), ACT_SEND);
	chrome_title(t, m, _("Check your answers"), _("Tap Change to correct an answer. Then tap Send."), &a);
	{   /* two columns when wide; a new page when both are full */
		int cols = a.w >= 1200 ? 2 : 1, col = 0, cw = (a.w - (cols - 1) * 48) / cols;
		struct ui_rect c = { a.x, a.y, cw, a.h };
		y = a.y;
		for (size_t i = 0; i < form_count(k->sub.form); i++) {
			const struct question *q = form_question(k->sub.form, i);
			int h;
			if (!form_is_visible(k->sub.form, q, k->answers))
				continue;
			h = row(k, t, m, i, c, y, 0);
			if (y + h > a.y + a.h && y > a.y) {
				if (++col == cols)
					col = 0, page++;
				c.x = a.x + col * (cw + 48);
				y = a.y;
			}
			if (page == k->review_page)
				row(k, t, m, i, c, y, 1);
			y += h;
		}
	}
	k->review_pages = page + 1;
	last = k->review_page >= page;
	if (!last) {   /* Next instead of Send: the last page holds Send */
		struct ui_widget *w = ui_find(t, "next");
		if (w) {
			snprintf(w->text, sizeof(w->text), "%s", _("Next"));
			w->action = ACT_NEXT;
			w->r.w = chrome_button_width(m, w->text, THEME_TEXT_BODY, 1);
			w->r.w = w->r.w < 220 ? 220 : w->r.w;
			w->r.x = t->lw - THEME_MARGIN - w->r.w;
		}
	} else {
		struct ui_widget *w = ui_find(t, "next");
		if (w) {
			snprintf(w->id, sizeof(w->id), "send");
			w->icon = kiosk_icon("send");
		}
	}
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	if (ev->kind != EV_ACTIVATE)
		return 0;
	switch (ev->w->action) {
	case ACT_CHANGE:
		kiosk_open_question(k, ev->w->arg);
		k->from_review = 1;
		return 1;
	case ACT_NEXT:
		if (k->review_page + 1 < k->review_pages)
			k->review_page++;
		return 1;
	case ACT_SEND:
		kiosk_send(k);
		return 1;
	case ACT_BACK:
		if (k->review_page > 0) {
			k->review_page--;
			return 1;
		}
		k->qi = (int)form_count(k->sub.form);
		kiosk_prev_question(k);
		return 1;
	}
	return 0;
}

static void spoken(struct kiosk *k, char *buf, size_t size)
{
	(void)k;
	snprintf(buf, size, "%s %s", _("Check your answers"),
		 _("Tap Change to correct an answer. Then tap Send."));
}

const struct screen screen_review = { "review", enter, build, event, spoken };
