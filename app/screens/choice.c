/*
 * choice.c — a question answered by tapping: one option (single), several (multi, an
 * exclusive "none" stands alone), or the privacy consent. Every option has an icon and a
 * label; "don't know" is one more option where the form allows it.
 */
#include "app/form.h"
#include "app/i18n.h"
#include "app/screens/chrome.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"

#include <stdio.h>
#include <string.h>

/* 1 when the option id is (part of) the current answer. */
static int chosen(const json_t *v, const char *id)
{
	size_t i;
	json_t *e;

	if (json_is_string(v))
		return !strcmp(json_string_value(v), id);
	if (json_is_true(v))
		return !strcmp(id, "yes");
	json_array_foreach(v, i, e)
		if (json_is_string(e) && !strcmp(json_string_value(e), id))
			return 1;
	return 0;
}

static void option(struct ui_tree *t, const char *id, const char *label, const char *icon,
		   struct ui_rect r, int sel, int action, int arg)
{
	char wid[UI_ID_MAX];
	struct ui_widget *w;

	snprintf(wid, sizeof(wid), "opt-%s", id);
	w = ui_add(t, ROLE_CHOICE, wid, label, r);
	if (!w)
		return;
	w->fg = sel ? THEME_SELECTED_FG : THEME_CHOICE_FG;
	w->bg = sel ? THEME_SELECTED_BG : THEME_CHOICE_BG;
	w->size = THEME_TEXT_BODY;
	w->flags = UI_FOCUSABLE | UI_MAIN | (sel ? UI_SELECTED : 0);
	w->icon = kiosk_icon(sel ? "check" : icon);
	w->action = action;
	w->arg = arg;
}

/* The label of option i (the consent's one, the form's, or "don't know" after them). */
static const char *label_of(const struct kiosk *k, const struct question *q, int i)
{
	if (q->type == Q_CONSENT)
		return _("Yes, I have read this");
	if ((size_t)i < q->n_options)
		return form_option_label(q, &q->options[i], k->lang);
	return _("I don't know");
}

/* Lays out n options in a grid that fits the area, every label on at most two lines
 * where it can (layout_grid: 2 columns when wide, 3 or 1 when that fits better). */
static void options(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		    const struct question *q, struct ui_rect a)
{
	const json_t *v = json_object_get(k->answers, q->id);
	int n = q->type == Q_CONSENT ? 1 : (int)q->n_options + (q->allow_unknown ? 1 : 0), i;
	const char *labels[32];
	struct layout_grid g;

	n = n > 32 ? 32 : n;
	for (i = 0; i < n; i++)
		labels[i] = label_of(k, q, i);
	layout_grid(m, labels, n, THEME_TEXT_BODY, a, a.w >= 900 ? 2 : 1, a.w >= 900 ? 3 : 2, 72,
		    THEME_TARGET_MAIN, &g);
	for (i = 0; i < n; i++) {
		struct ui_rect r = { a.x + (i % g.cols) * (g.cw + THEME_GAP),
				     a.y + (i / g.cols) * (g.h + THEME_GAP), g.cw, g.h };
		if (q->type == Q_CONSENT)
			option(t, "yes", labels[i], "check", r, json_is_true(v), ACT_OPTION, 0);
		else if ((size_t)i < q->n_options)
			option(t, q->options[i].id, labels[i], q->options[i].icon, r,
			       chosen(v, q->options[i].id), ACT_OPTION, i);
		else
			option(t, "unknown", labels[i], "question", r, chosen(v, "unknown"),
			       ACT_UNKNOWN, 0);
	}
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	const struct question *q = kiosk_question(k);
	struct ui_rect a;

	if (!q)
		return;
	a = chrome_bars(k, t, m, CHROME_BACK | CHROME_PROGRESS | CHROME_STAFF, _("Next"), ACT_NEXT);
	snprintf(t->screen, sizeof(t->screen), "q-%s", q->id);
	chrome_title(t, m, form_text(q, "title", k->lang), form_text(q, "help", k->lang), &a);
	if (q->type == Q_MULTI) {
		int y = a.y - THEME_GAP;
		layout_text(t, m, "hint", _("You can choose more than one answer."), THEME_TEXT_BODY,
			    0, a.x, &y, a.w, THEME_TEXT, THEME_BG, THEME_GAP);
		a.h -= y - a.y + THEME_GAP;
		a.y = y + THEME_GAP;
	}
	if (k->problem) {
		int y = a.y;
		chrome_note(t, m, "problem", _(k->problem), a.x, &y, a.w);
		a.h -= y - a.y;
		a.y = y;
	}
	options(k, t, m, q, a);
}

/* Toggles option o in a multi answer; an exclusive option clears the rest and the rest
 * clear it. */
static void toggle(struct kiosk *k, const struct question *q, const struct q_option *o)
{
	json_t *v = json_object_get(k->answers, q->id), *arr = json_array();
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

static void pick(struct kiosk *k, const struct question *q, const struct ui_widget *w)
{
	if (q->type == Q_CONSENT)
		kiosk_set_answer(k, q->id, json_is_true(json_object_get(k->answers, q->id)) ? NULL : json_true());
	else if (w->action == ACT_UNKNOWN)
		kiosk_set_answer(k, q->id, json_string("unknown"));
	else if (q->type == Q_SINGLE)
		kiosk_set_answer(k, q->id, json_string(q->options[w->arg].id));
	else
		toggle(k, q, &q->options[w->arg]);
	k->problem = NULL;
}

static void next(struct kiosk *k, const struct question *q)
{
	const json_t *v = json_object_get(k->answers, q->id);
	const char *msgid = NULL;

	if (!v && !q->required)
		return kiosk_next_question(k);
	if (form_check(q, v, &msgid) < 0) {
		k->problem = msgid ? msgid : N_("Please answer this question.");
		return;
	}
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
	case ACT_OPTION: case ACT_UNKNOWN:
		pick(k, q, ev->w);
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

const struct screen screen_choice = { "question", NULL, build, event, chrome_spoken_question };
