/*
 * date.c — a date picked in three taps: the day from a grid of 1..31, the month from a
 * grid of twelve names, the year from the few the question allows (a birth date: first
 * the decade). The screen starts empty: nothing is pre-filled, so only a date the person
 * set, or "don't know", is ever stored. The error line's room is kept free, so nothing
 * moves under the finger when a message shows.
 */
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/entry.h"
#include "app/screens/words.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>
#include <string.h>

enum pick { PICK_DAY, PICK_MONTH, PICK_YEAR };                  /* k->date_pick */
enum { ARG_TAB, ARG_DAY, ARG_MONTH, ARG_YEAR, ARG_DECADE };     /* widget arg of ACT_STEP */

static const char msg_choose[] = N_("Choose a date, or tap: I don't know.");

static int month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = y == 0 || (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;   /* no year yet: 29 */

	return m < 1 || m > 12 ? 31 : m == 2 && leap ? 29 : days[m - 1];
}

/* The years the question's range offers: [*lo, *hi]. */
static void year_span(const struct question *q, int *lo, int *hi)
{
	struct ymd today;

	if (ymd_today(&today) < 0)
		today = (struct ymd){ 2026, 1, 1 };
	*lo = q->range == RANGE_NEAR ? today.y - 1 : 1900;
	*hi = q->range == RANGE_NEAR ? today.y + 2 : q->range == RANGE_PAST ? today.y : today.y + 10;
}

static int is_unknown(const struct kiosk *k, const struct question *q)
{
	const json_t *v = json_object_get(k->person.answers, q->id);

	return json_is_string(v) && !strcmp(json_string_value(v), "unknown");
}

/* Starts empty, or with the date this person stored before (Back, Change). */
static void enter(struct kiosk *k)
{
	const struct question *q = kiosk_question(k);
	const json_t *v = q ? json_object_get(k->person.answers, q->id) : NULL;

	k->person.date = (struct ymd){ 0, 0, 0 };
	k->date_pick = PICK_DAY;
	k->date_decade = 0;
	if (json_is_string(v) && ymd_parse(json_string_value(v), &k->person.date) < 0)
		k->person.date = (struct ymd){ 0, 0, 0 };
}

/* A grid of n buttons in the area: as many rows as fit at 56 px or more (at most
 * max_rows), at least min_w wide each. Writes the cell size and columns. */
static int grid_cols(struct ui_rect a, int n, int min_w, int max_rows, int *cw, int *ch)
{
	int rows = 1, cols;

	while (rows < max_rows && (a.h - rows * THEME_GAP / 2) / (rows + 1) >= 56)
		rows++;
	cols = (n + rows - 1) / rows;
	while (cols > 1 && (a.w - (cols - 1) * THEME_GAP / 2) / cols < min_w)
		cols--;
	rows = (n + cols - 1) / cols;
	*cw = (a.w - (cols - 1) * THEME_GAP / 2) / cols;
	*ch = (a.h - (rows - 1) * THEME_GAP / 2) / rows;
	*ch = *ch > THEME_TARGET_MAIN ? THEME_TARGET_MAIN : *ch < 48 ? 48 : *ch;
	return cols;
}

/* One picker cell: "day-30", "month-4", "year-1986", "decade-1980"; the few years of a
 * near date are named from today ("year-last", "year-this", "year-next", "year-after"),
 * so a replay stays right in any year. */
static void cell(struct ui_tree *t, const char *kind, int value, const char *label,
		 struct ui_rect r, int arg, int sel, int off)
{
	static const char *const near[] = { "last", "this", "next", "after" };
	char id[UI_ID_MAX];
	struct ui_widget *w;
	struct ymd today;

	snprintf(id, sizeof(id), "%s-%d", kind, value);
	if (!strcmp(kind, "near") && ymd_today(&today) == 0 && value - today.y + 1 >= 0 &&
	    value - today.y + 1 < 4)
		snprintf(id, sizeof(id), "year-%s", near[value - today.y + 1]);
	w = chrome_secondary(t, id, label, NULL, r, ACT_STEP);
	if (!w)
		return;
	w->arg = arg;
	w->arg2 = value;
	w->bold = sel;
	if (sel)
		w->flags |= UI_SELECTED, w->fg = THEME_SELECTED_FG, w->bg = THEME_SELECTED_BG;
	if (off)
		w->flags |= UI_DISABLED;
}

/* n cells laid out in a, values first, first + step, ... (labels[i] or the number);
 * chosen is selected, values over max_valid are disabled. */
static void grid(struct ui_tree *t, const struct ui_measure *m, struct ui_rect a,
		 const char *kind, int arg, int first, int step, int n, const char *const *labels,
		 int chosen, int max_valid, int max_rows)
{
	int min_w = 72, cw, ch, cols;
	char num[16];

	for (int i = 0; labels && i < n; i++) {
		int bw = chrome_button_width(m, labels[i], THEME_TEXT_BODY, 0);
		min_w = bw > min_w ? bw : min_w;
	}
	cols = grid_cols(a, n, min_w, max_rows, &cw, &ch);
	for (int i = 0; i < n; i++) {
		int v = first + i * step;
		struct ui_rect r = { a.x + (i % cols) * (cw + THEME_GAP / 2),
				     a.y + (i / cols) * (ch + THEME_GAP / 2), cw, ch };
		snprintf(num, sizeof(num), "%d", v);
		cell(t, kind, v, labels ? labels[i] : num, r, arg, v == chosen, v > max_valid);
	}
}

static void picker(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		   const struct question *q, struct ui_rect a)
{
	const char *labels[16];
	char dec[16][32];
	int lo, hi, d0, nd;

	year_span(q, &lo, &hi);
	if (k->date_pick == PICK_DAY)
		return grid(t, m, a, "day", ARG_DAY, 1, 1, 31, NULL, k->person.date.d,
			    month_days(k->person.date.y, k->person.date.m), 5);
	if (k->date_pick == PICK_MONTH) {
		for (int i = 0; i < 12; i++)
			labels[i] = words_month(i + 1);
		return grid(t, m, a, "month", ARG_MONTH, 1, 1, 12, labels, k->person.date.m, 12, 4);
	}
	if (hi - lo < 12)
		return grid(t, m, a, q->range == RANGE_NEAR ? "near" : "year", ARG_YEAR, lo, 1,
			    hi - lo + 1, NULL, k->person.date.y, hi, 1);
	if (k->date_decade)
		return grid(t, m, a, "year", ARG_YEAR, k->date_decade, 1, 10, NULL, k->person.date.y, hi, 2);
	d0 = lo / 10 * 10;   /* a long span: the decade first ("1980-1989"), then the year */
	nd = hi / 10 - lo / 10 + 1;
	nd = nd > 16 ? 16 : nd;
	for (int i = 0; i < nd; i++) {
		snprintf(dec[i], sizeof(dec[i]), "%d-%d", d0 + 10 * i, d0 + 10 * i + 9);
		labels[i] = dec[i];
	}
	grid(t, m, a, "decade", ARG_DECADE, d0, 10, nd, labels, k->person.date.y ? k->person.date.y / 10 * 10 : 0,
	     hi, 4);
}

/* The three part buttons ("pick-day": "Day: 30") and "don't know"; returns the row's
 * bottom. */
static int parts(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		 const struct question *q, struct ui_rect a)
{
	static const char *const names[3] = { N_("Day"), N_("Month"), N_("Year") };
	static const char *const ids[3] = { "pick-day", "pick-month", "pick-year" };
	int dk = 0, pw, x = a.x, below;
	char label[96];

	if (q->allow_unknown)
		dk = chrome_button_width(m, _("I don't know"), THEME_TEXT_BODY, 1) + 56 + THEME_GAP;
	below = dk && a.w < 900;   /* narrow: "don't know" on a row of its own, under the parts */
	if (dk)
		entry_unknown_option(t, below ? (struct ui_rect){ a.x, a.y + THEME_TARGET + THEME_GAP,
								   dk - THEME_GAP, THEME_TARGET }
					      : (struct ui_rect){ a.x + a.w - dk + THEME_GAP, a.y,
								   dk - THEME_GAP, THEME_TARGET },
				     is_unknown(k, q));
	pw = (a.w - (below ? 0 : dk) - 2 * THEME_GAP / 2) / 3;
	for (int i = 0; i < 3; i++, x += pw + THEME_GAP / 2) {
		int v = i == 0 ? k->person.date.d : i == 1 ? k->person.date.m : k->person.date.y;
		struct ui_widget *w;
		if (i == 1 && v)   /* the value once set ("april"), else the part's name ("Maand") */
			snprintf(label, sizeof(label), "%s", words_month(v));
		else if (v)
			snprintf(label, sizeof(label), "%d", v);
		else
			snprintf(label, sizeof(label), "%s", _(names[i]));
		w = chrome_secondary(t, ids[i], label, NULL, (struct ui_rect){ x, a.y, pw, THEME_TARGET },
				     ACT_STEP);
		if (!w)
			continue;
		w->arg = ARG_TAB;
		w->arg2 = i;
		w->bold = 0;
		w->flags |= UI_PERSONAL;
		if (k->date_pick == i)
			w->flags |= UI_SELECTED, w->fg = THEME_SELECTED_FG, w->bg = THEME_SELECTED_BG;
	}
	if (below)
		return a.y + 2 * (THEME_TARGET + THEME_GAP);
	return a.y + THEME_TARGET + THEME_GAP;
}

/* The height kept for the bottom line: the date in words, or a message in its place. */
static int bottom_room(const struct ui_measure *m, int w)
{
	static const char *const msgs[] = { msg_choose, N_("Please choose a date: day, month and year."),
		N_("This date is in the future. Please check the date."),
		N_("Please check the year of this date.") };
	int h = 0;

	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		int n = layout_text_height(m, _(msgs[i]), THEME_TEXT_BODY, 0, w - 48) + 32;
		h = n > h ? n : h;
	}
	return h;
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	const struct question *q = kiosk_question(k);
	const char *help;
	struct ui_rect a, g;
	int room, y, need;

	if (!q)
		return;
	a = chrome_bars(k, t, m, CHROME_BACK | CHROME_PROGRESS | CHROME_STAFF, _("Next"), ACT_NEXT);
	snprintf(t->screen, sizeof(t->screen), "q-%s", q->id);
	room = bottom_room(m, a.w);
	help = form_text_for(q, "help", k->lang, k->person.answers);
	need = THEME_TARGET + THEME_GAP + 3 * 56 + 2 * THEME_GAP + room;   /* parts, 3 rows, line */
	if (help && layout_text_height(m, form_text_for(q, "title", k->lang, k->person.answers),
				       THEME_TEXT_TITLE, 1, a.w) + THEME_GAP +
		    layout_text_height(m, help, THEME_TEXT_BODY, 0, a.w) + THEME_GAP + need > a.h)
		help = NULL;   /* no room: the help is read aloud */
	chrome_title(t, m, form_text_for(q, "title", k->lang, k->person.answers), help, &a);
	y = parts(k, t, m, q, a);
	g = (struct ui_rect){ a.x, y, a.w, a.y + a.h - room - THEME_GAP - y };
	picker(k, t, m, q, g);
	y = a.y + a.h - room;
	if (k->problem) {
		chrome_note(t, m, "problem", _(k->problem), a.x, &y, a.w);
	} else if (k->person.date.d && k->person.date.m && k->person.date.y) {
		char whole[160];
		words_date(k->person.date, whole, sizeof(whole));
		y += 16;
		layout_text(t, m, "date-words", whole, THEME_TEXT_BODY, 1, a.x, &y, a.w, THEME_TEXT,
			    THEME_BG, 0)->flags |= UI_PERSONAL;
	}
}

/* A tap on a part or a cell: set it, then open the next part not yet set. */
static void pick(struct kiosk *k, const struct question *q, int arg, int value)
{
	struct ymd *d = &k->person.date;

	if (arg == ARG_TAB) {
		k->date_pick = value;
		k->date_decade = value == PICK_YEAR ? 0 : k->date_decade;
		return;
	}
	if (arg == ARG_DECADE) {
		k->date_decade = value;
		return;
	}
	if (is_unknown(k, q))
		kiosk_set_answer(k, q->id, NULL);   /* a date part replaces "don't know" */
	if (arg == ARG_DAY)
		d->d = value;
	else if (arg == ARG_MONTH)
		d->m = value;
	else
		d->y = value;
	if (d->d > month_days(d->y, d->m)) {   /* 31 April: pick the day again */
		d->d = 0;
		k->date_pick = PICK_DAY;
		return;
	}
	k->date_pick = !d->d ? PICK_DAY : !d->m ? PICK_MONTH : !d->y ? PICK_YEAR : k->date_pick;
	if (arg == ARG_YEAR && d->d && d->m)
		k->date_pick = PICK_YEAR;
}

/* Next: "don't know" or a whole, valid date is stored; nothing chosen stores nothing on
 * an optional question and is refused on a required one; half a date is refused. */
static void next(struct kiosk *k, const struct question *q)
{
	const char *msgid = NULL;
	char s[11];
	json_t *v;

	if (is_unknown(k, q))
		return kiosk_next_question(k);
	if (!k->person.date.d && !k->person.date.m && !k->person.date.y) {
		if (q->required) {
			k->problem = q->allow_unknown ? msg_choose
						      : N_("Please choose a date: day, month and year.");
			return;
		}
		kiosk_set_answer(k, q->id, NULL);
		return kiosk_next_question(k);
	}
	if (!k->person.date.d || !k->person.date.m || !k->person.date.y) {
		k->problem = N_("Please choose a date: day, month and year.");
		k->date_pick = !k->person.date.d ? PICK_DAY : !k->person.date.m ? PICK_MONTH : PICK_YEAR;
		return;
	}
	ymd_format(k->person.date, s);
	v = json_string(s);
	if (!v || form_check(q, v, &msgid) < 0) {
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

	if (!q)
		return 0;
	if (ev->kind == EV_KEY && ev->key == KEY_ENTER)
		return next(k, q), 1;
	if (ev->kind != EV_ACTIVATE)
		return 0;
	switch (ev->w->action) {
	case ACT_STEP:
		pick(k, q, ev->w->arg, ev->w->arg2);
		k->problem = NULL;
		return 1;
	case ACT_UNKNOWN:   /* selects; Next moves on, as on every screen */
		kiosk_set_answer(k, q->id, json_string("unknown"));
		k->person.date = (struct ymd){ 0, 0, 0 };
		k->problem = NULL;
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
