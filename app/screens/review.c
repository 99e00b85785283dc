/*
 * review.c — every answer in words with a Change button, page by page when they do not
 * fit, and Send on the last page. Send seals and stores (kiosk_send); the receipt only
 * follows when that call has returned "stored".
 */
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/words.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"
#include "platform/util.h"

#include <stdio.h>
#include <string.h>

/* Send without the consent: a short message, so it takes no more room than the text. */
static const char msg_consent[] = N_("First tap the box below.");

static void enter(struct kiosk *k)
{
	(void)k;   /* a problem set by kiosk_send (a consent refused) stays */
}

/* The answers asked on the screen of question i (it and its follow-ups), in words. */
static void screen_words(struct kiosk *k, size_t i, char *buf, size_t size)
{
	const struct form *f = k->sub.form;
	char part[512];

	const struct question *q = form_question(f, i);
	const json_t *v = json_object_get(k->person.answers, q->id);
	struct ymd d;

	if (q->type == Q_DATE && json_is_string(v) && ymd_parse(json_string_value(v), &d) == 0)
		snprintf(buf, size, "%d %s %d", d.d, words_month_in_date(d.m), d.y);   /* short: one line */
	else
		words_answer(k, q, buf, size);
	for (size_t j = i + 1; j < form_count(f) && form_question(f, j)->same_screen; j++) {
		size_t n = strlen(buf);
		if (!form_is_visible(f, form_question(f, j), k->person.answers))
			continue;
		words_answer(k, form_question(f, j), part, sizeof(part));
		if (part[0] && n < size)
			snprintf(buf + n, size - n, "%s%s", n ? ": " : "", part);
		util_cleanse(part, sizeof(part));
	}
}

/* Height of the row of the screen led by question i, and its widgets when add is set. */
static int row(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, size_t i,
	       struct ui_rect a, int y, int add)
{
	const struct question *q = form_question(k->sub.form, i);
	int cw = THEME_TARGET, tw = a.w - cw - THEME_GAP;   /* Change: a pencil (one page) */
	char answer[1024], id[UI_ID_MAX];
	const char *title = form_text_for(q, "title", k->lang, k->person.answers);
	int h, y0 = y;

	screen_words(k, i, answer, sizeof(answer));
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
		w = chrome_secondary(t, id, "", "pencil",
				     (struct ui_rect){ a.x + a.w - cw, y0 + (h - THEME_TARGET) / 2, cw,
						       THEME_TARGET }, ACT_CHANGE);
		if (w)
			w->arg = (int)i, w->bold = 0;
		w = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ a.x, y0 + h + 2, a.w, 2 });
		if (w)
			w->bg = 0x9A9384;
	}
	util_cleanse(answer, sizeof(answer));
	return h + 6;
}

/* The consent (privacy) asked beside Send: its text and one option "opt-yes"; the height,
 * and the widgets when add is set. Once Send was refused without it, its message comes
 * under the text, just above the box, and the text stays: the person still reads what
 * they confirm. That room stays for the rest of the visit (consent_room), so the box does
 * not jump under the finger when the message goes. */
static int consent(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		   const struct question *q, struct ui_rect a, int y, int add)
{
	const char *help = form_text(q, "help", k->lang), *msg = _(msg_consent);
	int sel = json_is_true(json_object_get(k->person.answers, q->id));
	int th = help ? layout_text_height(m, help, THEME_TEXT_SMALL, 0, a.w) : 0;
	int nh = layout_text_height(m, k->problem ? _(k->problem) : msg, THEME_TEXT_BODY, 0, a.w - 48) + 12;
	int room = th + 8 + (k->consent_room || k->problem ? nh + 8 : 0), ty = y;
	int oh = layout_text_height(m, form_text(q, "title", k->lang), THEME_TEXT_BODY, 0,
				    a.w - 2 * 16 - 52 - (THEME_TEXT_BODY * 5 / 4 + 16)) + 24;
	struct ui_widget *w;

	oh = oh < 72 ? 72 : oh;   /* the label, beside the check box and the pictogram */
	if (!add)
		return room + oh + 12;
	if (help)
		layout_text(t, m, "privacy-text", help, THEME_TEXT_SMALL, 0, a.x, &ty, a.w, THEME_TEXT,
			    THEME_BG, 0);
	ty = y + th + 8;
	if (k->problem) {   /* a slim note: chrome_note's, with less padding */
		w = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ a.x, ty, a.w, nh });
		if (w)
			w->bg = THEME_NOTE_BG;
		ty += 6;
		layout_text(t, m, "problem", _(k->problem), THEME_TEXT_BODY, 0, a.x + 24, &ty, a.w - 48,
			    THEME_NOTE_FG, THEME_NOTE_BG, 0);
	}
	w = ui_add(t, ROLE_CHOICE, "opt-yes", form_text(q, "title", k->lang),
		   (struct ui_rect){ a.x, y + room, a.w, oh });
	if (w) {
		w->fg = sel ? THEME_SELECTED_FG : THEME_CHOICE_FG;
		w->bg = sel ? THEME_SELECTED_BG : THEME_CHOICE_BG;
		w->size = THEME_TEXT_BODY;
		w->flags = UI_FOCUSABLE | UI_MAIN | (sel ? UI_SELECTED : 0);
		w->icon = kiosk_icon(q->icon);
		w->action = ACT_YES;
		w->arg = (int)(q - form_question(k->sub.form, 0));
	}
	return room + oh + 12;
}

/* The visible consent questions' total height at width w (widgets too when add). */
static int consents(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		    struct ui_rect a, int y, int add)
{
	const struct form *f = k->sub.form;
	int h = 0;

	for (size_t i = 0; i < form_count(f); i++) {
		const struct question *q = form_question(f, i);
		if (q->type == Q_CONSENT && form_is_visible(f, q, k->person.answers))
			h += consent(k, t, m, q, a, y + h, add);
	}
	return h;
}

/* One page: the rows split over the columns, the consent under both (full width) or
 * under the shorter column. 0 when that does not fit. */
static int one_page(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		    struct ui_rect a, const size_t *leads, size_t n, int cols, int cw)
{
	int hs[64], left = 0, right = 0, full, colh;
	size_t split = cols == 2 ? (n + 1) / 2 : n;
	struct ui_rect c = { a.x, a.y, cw, a.h };

	for (size_t j = 0; j < n; j++) {
		hs[j] = row(k, t, m, leads[j], c, 0, 0);
		*(j < split ? &left : &right) += hs[j];
	}
	full = consents(k, t, m, a, 0, 0);
	colh = consents(k, t, m, (struct ui_rect){ a.x, a.y, cw, a.h }, 0, 0);
	if ((left > right ? left : right) + full > a.h &&
	    (cols < 2 || (left > right ? left : right) > a.h || (left < right ? left : right) + colh > a.h))
		return 0;
	for (size_t j = 0, y = (size_t)a.y; j < n; j++) {
		if (j == split)
			y = (size_t)a.y, c.x = a.x + cw + 48;
		row(k, t, m, leads[j], c, (int)y, 1);
		y += (size_t)hs[j];
	}
	if ((left > right ? left : right) + full <= a.h)
		consents(k, t, m, a, a.y + (left > right ? left : right), 1);
	else
		consents(k, t, m, (struct ui_rect){ left <= right ? a.x : a.x + cw + 48, a.y, cw, a.h },
			 a.y + (left < right ? left : right), 1);
	return 1;
}

/* The rows of the screens in columns (two when wide) with the consent on one page when
 * they fit; else page by page, the consent under the last. Returns the number of pages. */
static int rows(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m, struct ui_rect a)
{
	const struct form *f = k->sub.form;
	int cols = a.w >= 900 ? 2 : 1, col = 0, page = 0, cw = (a.w - (cols - 1) * 48) / cols;
	struct ui_rect c = { a.x, a.y, cw, a.h };
	int y = a.y, bottom;
	size_t leads[64], n = 0;

	for (size_t i = 0; i < form_count(f) && n < 64; i++)
		if (form_is_lead(f, i) && form_is_visible(f, form_question(f, i), k->person.answers))
			leads[n++] = i;
	if (one_page(k, t, m, a, leads, n, cols, cw))
		return 1;
	bottom = consents(k, t, m, a, 0, 0);
	c.h = a.h - bottom;
	for (size_t j = 0; j < n; j++) {
		int h = row(k, t, m, leads[j], c, y, 0);
		if (y + h > c.y + c.h && y > c.y) {
			if (++col == cols)
				col = 0, page++;
			c.x = a.x + col * (cw + 48);
			y = a.y;
		}
		if (page == k->review_page)
			row(k, t, m, leads[j], c, y, 1);
		y += h;
	}
	if (page == k->review_page)
		consents(k, t, m, a, a.y + a.h - bottom, 1);
	return page + 1;
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_rect a;
	int last, mark;

	/* the pages first (Send only on the last), then the rows of this page */
	a = chrome_bars(k, t, m, CHROME_BACK | CHROME_STAFF, _("Send"), ACT_SEND);
	if (!k->consent_room) {   /* after a refused Send the consent's message needs its room */
		chrome_title(t, m, _("Check your answers"), NULL, &a);   /* the help is read aloud */
		a.y -= THEME_GAP / 2;   /* rows are separated by lines: half the gap under the title */
		a.h += THEME_GAP / 2;
	}
	mark = t->n;
	k->review_pages = rows(k, t, m, a);
	if (k->review_page < 0 || k->review_page >= k->review_pages) {
		/* the last page asked for (a refused Send), or past it (the message gone) */
		t->n = mark;
		k->review_page = k->review_pages - 1;
		k->review_pages = rows(k, t, m, a);
	}
	last = k->review_page >= k->review_pages - 1;
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

/* The consent tapped: yes, or no longer. */
static void toggle_consent(struct kiosk *k, int i)
{
	const struct question *q = form_question(k->sub.form, (size_t)i);

	if (!q)
		return;
	kiosk_set_answer(k, q->id, json_is_true(json_object_get(k->person.answers, q->id)) ? NULL : json_true());
	k->problem = NULL;
}

/* Send: a consent not given keeps the person here with its message. */
static void send(struct kiosk *k)
{
	const struct form *f = k->sub.form;
	const char *msgid = NULL;

	for (size_t i = 0; i < form_count(f); i++) {
		const struct question *q = form_question(f, i);
		if (q->type == Q_CONSENT && form_is_visible(f, q, k->person.answers) &&
		    form_check(q, json_object_get(k->person.answers, q->id), &msgid) < 0) {
			k->problem = msg_consent;
			k->consent_room = 1;   /* room for the message: the pages may grow by one */
			k->review_page = -1;   /* the last page, counted when built */
			return;
		}
	}
	kiosk_send(k);
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
		send(k);
		return 1;
	case ACT_YES:
		toggle_consent(k, ev->w->arg);
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

/* Read aloud: the title, each question asked with its answer in words (dates without the
 * numbers), the consent (its privacy text, then the box's words), and what to tap. The text holds the answers: the caller (kiosk.c)
 * cleanses it after synthesis. */
static void spoken(struct kiosk *k, char *buf, size_t size)
{
	const struct form *f = k->sub.form;
	char answer[1024];

	buf[0] = '\0';
	chrome_say(buf, size, _("Check your answers"));
	for (size_t i = 0; i < form_count(f); i++) {
		const struct question *q = form_question(f, i);
		if (!form_is_visible(f, q, k->person.answers) || (q->type != Q_CONSENT && !form_is_lead(f, i)))
			continue;
		if (q->type == Q_CONSENT) {   /* what the person confirms, then the box's words */
			chrome_say(buf, size, form_text(q, "help", k->lang));
			chrome_say(buf, size, form_text_for(q, "title", k->lang, k->person.answers));
			continue;
		}
		chrome_say(buf, size, form_text_for(q, "title", k->lang, k->person.answers));
		screen_words(k, i, answer, sizeof(answer));
		chrome_say(buf, size, answer[0] ? answer : _("Not answered"));
	}
	chrome_say(buf, size, _("Tap the pencil to correct an answer. Then tap Send."));
	util_cleanse(answer, sizeof(answer));
}

const struct screen screen_review = { "review", enter, build, event, spoken };
