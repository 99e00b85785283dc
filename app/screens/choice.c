/*
 * choice.c — a question answered by tapping: one option (single) or several (multi, an
 * exclusive "none" stands alone). Every option has an icon and a label; "don't know" is
 * one more option where the form allows it. The follow-up the form asks on the same
 * screen (same_screen) shows under the options once the answer calls for it: the phone
 * number under "call me" (fields and keyboard from entry.c), the interpreter's language
 * under "yes" (options "sub-<id>").
 */
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/entry.h"
#include "app/ui/keyboard.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"
#include "platform/util.h"

#include <stdio.h>
#include <string.h>

/* 1 when the option id is (part of) the answer v. */
static int chosen(const json_t *v, const char *id)
{
	size_t i;
	json_t *e;

	if (json_is_string(v))
		return !strcmp(json_string_value(v), id);
	json_array_foreach(v, i, e)
		if (json_is_string(e) && !strcmp(json_string_value(e), id))
			return 1;
	return 0;
}

/* The follow-up question shown on this screen now, or NULL. */
static const struct question *follower(const struct kiosk *k)
{
	const struct form *f = k->sub.form;

	for (size_t i = (size_t)k->qi + 1; i < form_count(f) && form_question(f, i)->same_screen; i++)
		if (form_is_visible(f, form_question(f, i), k->person.answers))
			return form_question(f, i);
	return NULL;
}

static int is_entry(const struct question *q)
{
	return q && q->type != Q_SINGLE && q->type != Q_MULTI && q->type != Q_CONSENT;
}

/* An option: the renderer draws its check box (empty, or filled with a tick when
 * selected); its own pictogram stays, so the tick never stands for an option. */
static void option(struct ui_tree *t, const char *prefix, const char *id, const char *label,
		   const char *icon, struct ui_rect r, int sel, int action, int arg)
{
	char wid[UI_ID_MAX];
	struct ui_widget *w;

	snprintf(wid, sizeof(wid), "%s-%s", prefix, id);
	w = ui_add(t, ROLE_CHOICE, wid, label, r);
	if (!w)
		return;
	w->fg = sel ? THEME_SELECTED_FG : THEME_CHOICE_FG;
	w->bg = sel ? THEME_SELECTED_BG : THEME_CHOICE_BG;
	w->size = THEME_TEXT_BODY;
	w->flags = UI_FOCUSABLE | (prefix[0] == 's' ? 0 : UI_MAIN) | (sel ? UI_SELECTED : 0);
	w->icon = prefix[0] == 's' ? 0 : kiosk_icon(icon);   /* a language list: names only */
	w->action = action;
	w->arg = arg;
}

/* Lays out q's options (prefix "opt" or "sub") in area a: all in one row `row` px high
 * (the options above a follow-up), else a grid where every label fits on at most two lines
 * where it can (layout_grid: 2 columns when wide, up to 3, or 4 for a follow-up list).
 * Returns the bottom. */
static int options(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		   const struct question *q, const char *prefix, struct ui_rect a, int row)
{
	const json_t *v = json_object_get(k->person.answers, q->id);
	int n = (int)q->n_options + (q->allow_unknown ? 1 : 0), i, sub = prefix[0] == 's';
	int act = sub ? ACT_SUB : ACT_OPTION;
	const char *labels[33];
	struct layout_grid g;

	n = n > 33 ? 33 : n;
	if (n == 0)   /* a consent: asked on the review page, not here */
		return a.y;
	for (i = 0; i < n; i++)
		labels[i] = (size_t)i < q->n_options ? form_option_label(q, &q->options[i], k->lang)
						     : _("I don't know");
	if (row && a.w >= 900) {   /* narrow: the options above a follow-up stack as a grid */
		g = (struct layout_grid){ .cols = n, .rows = 1, .cw = (a.w - (n - 1) * THEME_GAP) / n };
		g.h = layout_row_height(m, labels, n, THEME_TEXT_BODY, g.cw, row);   /* a long label wraps: taller */
	} else
		layout_grid(m, labels, n, THEME_TEXT_BODY, a, a.w >= 900 ? 2 : 1,
			    a.w >= 900 ? (sub ? 4 : 3) : 2, sub ? 56 : 72, sub ? 72 : THEME_TARGET_MAIN, &g);
	for (i = 0; i < n; i++) {
		struct ui_rect r = { a.x + (i % g.cols) * (g.cw + THEME_GAP),
				     a.y + (i / g.cols) * (g.h + THEME_GAP), g.cw, g.h };
		if ((size_t)i < q->n_options)
			option(t, prefix, q->options[i].id, labels[i], q->options[i].icon, r,
			       chosen(v, q->options[i].id), act, i);
		else
			option(t, prefix, "unknown", labels[i], "question", r, chosen(v, "unknown"),
			       sub ? act : ACT_UNKNOWN, -1);
	}
	return a.y + g.rows * (g.h + THEME_GAP);
}

/* A follow-up with fields: its title and fields beside the keyboard (under it when
 * narrow); the fields' column gives way so that the keys keep 48 px. */
static void typed_follower(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
			   const struct question *f, struct ui_rect a)
{
	int side = a.w >= 900, y = a.y, kw = keyboard_min_width((enum kb_layout)k->kb_mode);
	struct ui_rect left = { a.x, a.y, side ? a.w * 2 / 5 : a.w, a.h };

	if (side && a.w - left.w - 48 < kw)
		left.w = a.w - 48 - kw;

	layout_text(t, m, "sub-title", form_text_for(f, "title", k->lang, k->person.answers), THEME_TEXT_BODY,
		    1, left.x, &y, left.w, THEME_TEXT, THEME_BG, 8);
	left.h -= y - left.y;
	left.y = y;
	y = entry_fields(k, t, m, f, left);
	if (side)
		entry_keyboard(k, t, m, f, (struct ui_rect){ a.x + left.w + 48, a.y, a.w - left.w - 48, a.h });
	else
		entry_keyboard(k, t, m, f, (struct ui_rect){ a.x, y, a.w, a.y + a.h - y });
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	const struct question *q = kiosk_question(k), *f;
	const char *help;
	struct ui_rect a;
	int y;

	if (!q)
		return;
	f = follower(k);
	a = chrome_bars(k, t, m, CHROME_BACK | CHROME_PROGRESS | CHROME_STAFF, _("Next"), ACT_NEXT);
	snprintf(t->screen, sizeof(t->screen), "q-%s", q->id);
	help = f ? NULL : form_text_for(q, "help", k->lang, k->person.answers);   /* a follow-up: read aloud */
	chrome_title(t, m, form_text_for(q, "title", k->lang, k->person.answers), help, &a);
	if (q->type == Q_MULTI) {
		y = a.y - THEME_GAP;
		layout_text(t, m, "hint", _("You can choose more than one answer."), THEME_TEXT_BODY,
			    0, a.x, &y, a.w, THEME_TEXT, THEME_BG, THEME_GAP);
		a.h -= y - a.y + THEME_GAP;
		a.y = y + THEME_GAP;
	}
	if (k->problem && !is_entry(f)) {   /* a typed follow-up shows it beside its field */
		y = a.y;
		chrome_note(t, m, "problem", _(k->problem), a.x, &y, a.w);
		a.h -= y - a.y;
		a.y = y;
	}
	y = options(k, t, m, q, "opt", a, !f ? 0 : is_entry(f) ? THEME_TARGET_MAIN : 72);   /* labels: 2 lines */
	if (!f)
		return;
	a.h -= y - a.y;
	a.y = y;
	if (is_entry(f))
		return typed_follower(k, t, m, f, a);
	y = a.y;
	layout_text(t, m, "sub-title", form_text_for(f, "title", k->lang, k->person.answers), THEME_TEXT_BODY,
		    1, a.x, &y, a.w, THEME_TEXT, THEME_BG, 8);
	a.h -= y - a.y;
	a.y = y;
	options(k, t, m, f, "sub", a, 0);
}

/* Toggles option o in a multi answer; an exclusive option clears the rest and the rest
 * clear it. */
static void toggle(struct kiosk *k, const struct question *q, const struct q_option *o)
{
	json_t *v = json_object_get(k->person.answers, q->id), *arr = json_array();
	int had = chosen(v, o->id);
	size_t i;
	json_t *e;

	if (json_is_array(v) && !o->exclusive)
		json_array_foreach(v, i, e) {
			const struct q_option *p = NULL;
			for (size_t j = 0; j < q->n_options; j++)
				if (json_is_string(e) && !strcmp(q->options[j].id, json_string_value(e)))
					p = &q->options[j];
			if (p && !p->exclusive && strcmp(p->id, o->id))
				json_array_append(arr, e);
		}
	if (!had)
		json_array_append_new(arr, json_string(o->id));
	kiosk_set_answer(k, q->id, json_array_size(arr) ? arr : NULL);
	if (!json_array_size(arr))
		json_decref(arr);
}

/* Option arg of q (-1: "don't know"). */
static void pick_option(struct kiosk *k, const struct question *q, int arg)
{
	if (arg < 0)
		kiosk_set_answer(k, q->id, json_string("unknown"));
	else if (q->type == Q_SINGLE)
		kiosk_set_answer(k, q->id, json_string(q->options[arg].id));
	else
		toggle(k, q, &q->options[arg]);
}

/* A tap on an option of the question (or of its follow-up, "sub-"): the follow-up that
 * now shows starts from what this person typed for it before. */
static void pick(struct kiosk *k, const struct question *q, const struct ui_widget *w)
{
	const struct question *before = follower(k), *f;

	if (w->action == ACT_SUB && before)
		pick_option(k, before, w->arg);
	else
		pick_option(k, q, w->action == ACT_UNKNOWN ? -1 : w->arg);
	k->problem = NULL;
	f = follower(k);
	if (f != before && is_entry(f))
		entry_load(k, f);
}

/* Checks q's answer (absent on an optional question: nothing stored). 0 ok, -1 problem. */
static int check(struct kiosk *k, const struct question *q)
{
	const json_t *v = json_object_get(k->person.answers, q->id);
	const char *msgid = NULL;

	if (!v && !q->required)
		return 0;
	if (form_check(q, v, &msgid) < 0) {
		k->problem = msgid ? msgid : N_("Please answer this question.");
		return -1;
	}
	return 0;
}

static void next(struct kiosk *k, const struct question *q)
{
	const struct question *f;

	if (check(k, q) < 0)
		return;
	f = follower(k);
	if (f && (is_entry(f) ? entry_store(k, f) : check(k, f)) < 0)
		return;
	kiosk_next_question(k);
}

static void enter(struct kiosk *k)
{
	const struct question *f = kiosk_question(k) ? follower(k) : NULL;

	util_cleanse(k->person.edit, sizeof(k->person.edit));
	if (is_entry(f))
		entry_load(k, f);
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	const struct question *q = kiosk_question(k), *f;

	if (!q)
		return 0;
	if (ev->kind == EV_KEY && ev->key == KEY_ENTER)
		return next(k, q), 1;
	f = follower(k);
	if (ev->kind == EV_ACTIVATE && (ev->w->action == ACT_OPTION || ev->w->action == ACT_SUB ||
					ev->w->action == ACT_UNKNOWN))
		return pick(k, q, ev->w), 1;
	if (is_entry(f) && entry_input(k, f, ev))
		return 1;
	if (ev->kind != EV_ACTIVATE)
		return 0;
	switch (ev->w->action) {
	case ACT_NEXT:
		next(k, q);
		return 1;
	case ACT_BACK:
		kiosk_prev_question(k);
		return 1;
	}
	return 0;
}

const struct screen screen_choice = { "question", enter, build, event, chrome_spoken_question };
