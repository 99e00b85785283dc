/*
 * date.c — a date set with big steps: day, month and year each with − and + (the year
 * also by ten), the whole date written out above, "don't know" where allowed. No tiny
 * calendar to hit.
 */
#include "app/form.h"
#include "app/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/words.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>
#include <string.h>

enum { STEP_DAY, STEP_MONTH, STEP_YEAR, STEP_YEAR10 };

static void enter(struct kiosk *k)
{
	const struct question *q = kiosk_question(k);
	const json_t *v = q ? json_object_get(k->answers, q->id) : NULL;

	if (json_is_string(v) && ymd_parse(json_string_value(v), &k->date) == 0)
		return;
	if (ymd_today(&k->date) < 0)
		k->date = (struct ymd){ 2026, 1, 1 };
	if (q && q->range == RANGE_PAST)   /* a birth date: start in the middle of life */
		k->date = (struct ymd){ k->date.y - 40, 1, 1 };
}

static int month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* A − or + button stepping `step` by dir, an icon with a short label ("10" for the
 * ten-year steps). */
static void step_button(struct ui_tree *t, const char *id, const char *label, struct ui_rect r,
			int step, int dir)
{
	struct ui_widget *w = chrome_secondary(t, id, label, *label ? NULL : dir < 0 ? "minus" : "plus",
					       r, ACT_STEP);   /* "+10" needs no icon */

	if (w) {
		w->arg = step;
		w->arg2 = dir;
	}
}

/* One column: label, value, and its step buttons ("<name>-minus", "<name>-plus"; the year
 * also "year-minus10", "year-plus10"). */
static void column(struct ui_tree *t, const struct ui_measure *m, const char *name,
		   const char *label, const char *value, int step, struct ui_rect r)
{
	char id[UI_ID_MAX];
	int y = r.y, n = step == STEP_YEAR ? 4 : 2, bw = (r.w - (n - 1) * 8) / n, x = r.x;
	struct ui_widget *w;

	layout_text(t, m, name, label, THEME_TEXT_BODY, 1, r.x, &y, r.w, THEME_TEXT, THEME_BG, 4)
		->align = ALIGN_CENTER;
	snprintf(id, sizeof(id), "%s-value", name);
	w = layout_text(t, m, id, value, THEME_TEXT_TITLE, 1, r.x, &y, r.w, THEME_TEXT, THEME_BG, 8);
	w->align = ALIGN_CENTER;
	y = r.y + r.h;   /* the buttons of all columns on one line, whatever the script */
	if (n == 4) {
		step_button(t, "year-minus10", "-10", (struct ui_rect){ x, y, bw, THEME_TARGET_MAIN - 12 },
			    STEP_YEAR10, -1);
		x += bw + 8;
	}
	snprintf(id, sizeof(id), "%s-minus", name);
	step_button(t, id, "", (struct ui_rect){ x, y, bw, THEME_TARGET_MAIN - 12 }, step, -1);
	snprintf(id, sizeof(id), "%s-plus", name);
	step_button(t, id, "", (struct ui_rect){ x + bw + 8, y, bw, THEME_TARGET_MAIN - 12 }, step, 1);
	if (n == 4)
		step_button(t, "year-plus10", "+10",
			    (struct ui_rect){ x + 2 * (bw + 8), y, bw, THEME_TARGET_MAIN - 12 }, STEP_YEAR10, 1);
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	const struct question *q = kiosk_question(k);
	char day[8], year[8], whole[160];
	struct ui_rect a;
	int cw, y, x, dk = 0, gap = 32, y0;

	if (!q)
		return;
	a = chrome_bars(k, t, m, CHROME_BACK | CHROME_PROGRESS | CHROME_STAFF, _("Next"), ACT_NEXT);
	snprintf(t->screen, sizeof(t->screen), "q-%s", q->id);
	chrome_title(t, m, form_text(q, "title", k->lang), form_text(q, "help", k->lang), &a);
	if (q->allow_unknown) {
		dk = chrome_button_width(m, _("I don't know"), THEME_TEXT_BODY, 1);
		chrome_secondary(t, "opt-unknown", _("I don't know"), "question",
				 (struct ui_rect){ a.x + a.w - dk, a.y, dk, THEME_TARGET }, ACT_UNKNOWN);
	}
	words_date(k->date, whole, sizeof(whole));
	y = a.y + (dk ? (THEME_TARGET - m->height(m->ctx, whole, THEME_TEXT_BODY, 1)) / 2 : 0);
	layout_text(t, m, "date-words", whole, THEME_TEXT_BODY, 1, a.x, &y, a.w - dk - THEME_GAP,
		    THEME_TEXT, THEME_BG, THEME_GAP)->flags |= UI_PERSONAL;
	y = y > a.y + THEME_TARGET + THEME_GAP ? y : a.y + THEME_TARGET + THEME_GAP;
	if (k->problem)
		chrome_note(t, m, "problem", _(k->problem), a.x, &y, a.w);
	snprintf(day, sizeof(day), "%d", k->date.d);
	snprintf(year, sizeof(year), "%d", k->date.y);
	cw = (a.w - 2 * gap) / 4;   /* day and month one part, the year two */
	cw = cw > 240 ? 240 : cw;
	x = a.x + (a.w - 4 * cw - 2 * gap) / 2;
	/* the height above the buttons: the tallest label and value (Arabic lines are taller) */
	y0 = m->height(m->ctx, _("Month"), THEME_TEXT_BODY, 1) + 4 + 8 +
	     m->height(m->ctx, words_month(k->date.m), THEME_TEXT_TITLE, 1);
	column(t, m, "day", _("Day"), day, STEP_DAY, (struct ui_rect){ x, y, cw, y0 });
	column(t, m, "month", _("Month"), words_month(k->date.m), STEP_MONTH,
	       (struct ui_rect){ x + cw + gap, y, cw, y0 });
	column(t, m, "year", _("Year"), year, STEP_YEAR, (struct ui_rect){ x + 2 * (cw + gap), y, 2 * cw, y0 });
}

static void step(struct kiosk *k, int what, int dir)
{
	struct ymd *d = &k->date;

	if (what == STEP_DAY) {
		*d = ymd_add_days(*d, dir);
		return;
	}
	if (what == STEP_MONTH) {
		d->m += dir;
		if (d->m < 1) d->m = 12, d->y--;
		if (d->m > 12) d->m = 1, d->y++;
	} else {
		d->y += what == STEP_YEAR10 ? 10 * dir : dir;
	}
	d->y = d->y < 1900 ? 1900 : d->y > 2199 ? 2199 : d->y;
	if (d->d > month_days(d->y, d->m))
		d->d = month_days(d->y, d->m);
}

static void next(struct kiosk *k, const struct question *q)
{
	char s[11];
	const char *msgid = NULL;
	json_t *v;

	ymd_format(k->date, s);
	v = json_string(s);
	if (form_check(q, v, &msgid) < 0) {
		json_decref(v);
		k->problem = msgid ? msgid : N_("Please choose a date: day, month and year.");
		return;
	}
	kiosk_set_answer(k, q->id, v);
	kiosk_next_question(k);
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	const struct question *q = kiosk_question(k);

	if (!q || ev->kind != EV_ACTIVATE)
		return 0;
	switch (ev->w->action) {
	case ACT_STEP:
		step(k, ev->w->arg, ev->w->arg2);
		k->problem = NULL;
		return 1;
	case ACT_UNKNOWN:
		kiosk_set_answer(k, q->id, json_string("unknown"));
		kiosk_next_question(k);
		return 1;
	case ACT_NEXT:
		next(k, q);
		return 1;
	case ACT_BACK:
		kiosk_prev_question(k);
		return 1;
	}
	return 0;
}

const struct screen screen_date = { "question", enter, build, event, chrome_spoken_question };
