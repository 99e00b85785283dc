/*
 * entry.c — a question answered by typing: a name (letters in the language's script,
 * Arabic or Ukrainian Cyrillic, with a switch to Latin and back), a phone number (numeric pad), an e-mail address, or postcode and
 * house number. The on-screen keyboard and a physical keyboard type into the same edit
 * buffer; the buffers are cleansed when the kiosk forgets the person.
 */
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "app/screens/chrome.h"
#include "app/screens/entry.h"
#include "app/ui/keyboard.h"
#include "app/ui/layout.h"
#include "app/ui/text.h"
#include "app/ui/theme.h"
#include "platform/util.h"

#include <ctype.h>
#include <fribidi.h>
#include <stdio.h>
#include <string.h>

static int n_fields(const struct question *q)
{
	return q->type == Q_ADDRESS ? 2 : 1;
}

/* The keyboard for field i of q in the current language. */
static int layout_for(const struct kiosk *k, const struct question *q, int i)
{
	switch (q->type) {
	case Q_PHONE: return KB_PHONE;
	case Q_EMAIL: return KB_EMAIL;
	case Q_ADDRESS: return i == 0 ? KB_POSTCODE : KB_HOUSE;
	default: return keyboard_for_lang(k->lang);
	}
}

/* 1 when q's answer is "don't know" (the person chose it on this screen). */
static int is_unknown(const struct kiosk *k, const struct question *q)
{
	const char *ids[2];
	const json_t *v;

	form_answer_ids(q, ids);
	v = json_object_get(k->person.answers, ids[0]);
	return q->allow_unknown && json_is_string(v) && !strcmp(json_string_value(v), "unknown");
}

struct ui_widget *entry_unknown_option(struct ui_tree *t, struct ui_rect r, int sel)
{
	struct ui_widget *w = ui_add(t, ROLE_CHOICE, "opt-unknown", _("I don't know"), r);

	if (!w)
		return NULL;
	w->fg = sel ? THEME_SELECTED_FG : THEME_CHOICE_FG;
	w->bg = sel ? THEME_SELECTED_BG : THEME_CHOICE_BG;
	w->size = THEME_TEXT_BODY;
	w->flags = UI_FOCUSABLE | (sel ? UI_SELECTED : 0);
	w->icon = kiosk_icon("question");
	w->action = ACT_UNKNOWN;
	return w;
}

static void enter(struct kiosk *k)
{
	const struct question *q = kiosk_question(k);

	util_cleanse(k->person.edit, sizeof(k->person.edit));
	k->edit_field = 0;
	if (q)
		entry_load(k, q);
}

void entry_load(struct kiosk *k, const struct question *q)
{
	const char *ids[2];
	size_t n;

	util_cleanse(k->person.edit, sizeof(k->person.edit));
	k->edit_field = 0;
	n = form_answer_ids(q, ids);
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_object_get(k->person.answers, ids[i]);
		if (json_is_string(v) && strcmp(json_string_value(v), "unknown"))
			snprintf(k->person.edit[i], sizeof(k->person.edit[i]), "%s", json_string_value(v));
	}
	k->kb_mode = layout_for(k, q, 0);
}

/* 1 when the first strong character of s runs left to right: a Latin name typed on an
 * Arabic screen then reads, and keeps its caret, left to right. */
static int starts_ltr(const char *s)
{
	size_t i = 0, n = strlen(s);
	unsigned cp;
	int len;

	while (i < n && (len = text_utf8_next(s + i, n - i, &cp)) > 0) {
		FriBidiCharType type = fribidi_get_bidi_type(cp);
		if (FRIBIDI_IS_STRONG(type))
			return !FRIBIDI_IS_RTL(type);
		i += (size_t)len;
	}
	return 0;
}

/* Field i with its label above it; returns the field's bottom. */
static int field(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		 const struct question *q, int i, struct ui_rect r)
{
	static const char *const labels[2] = { N_("Postcode"), N_("House number") };
	char id[UI_ID_MAX], shown[KIOSK_EDIT_MAX + 4];
	int y = r.y;
	struct ui_widget *w;

	if (q->type == Q_ADDRESS)
		layout_text(t, m, i ? "label-house" : "label-postcode", _(labels[i]), THEME_TEXT_BODY, 1,
			    r.x, &y, r.w, THEME_TEXT, THEME_BG, 8);
	snprintf(id, sizeof(id), "field-%d", i);
	snprintf(shown, sizeof(shown), "%s%s", k->person.edit[i], k->edit_field == i ? "|" : "");
	w = ui_add(t, ROLE_FIELD, id, shown, (struct ui_rect){ r.x, y, r.w, 88 });
	util_cleanse(shown, sizeof(shown));
	if (!w)
		return y + 88;
	w->fg = THEME_FIELD_FG;
	w->bg = THEME_FIELD_BG;
	w->size = THEME_TEXT_TITLE;
	w->flags = UI_FOCUSABLE | UI_PERSONAL | (k->edit_field == i ? UI_SELECTED : 0) |
		   (q->type != Q_TEXT || starts_ltr(k->person.edit[i]) ? UI_LTR_TEXT : 0);
	w->action = ACT_FIELD;
	w->arg = i;
	return y + 88;
}

/* The fields (side by side when there is room, else stacked), "don't know" after them
 * and the problem note; returns the bottom. */
int entry_fields(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		 const struct question *q, struct ui_rect a)
{
	int nf = n_fields(q), y = a.y, dk = 0, side = a.w >= 420, fw, beside, top = a.y;

	if (q->allow_unknown)
		dk = chrome_button_width(m, _("I don't know"), THEME_TEXT_BODY, 1) + 56;   /* + box */
	beside = dk && side && a.w - dk - THEME_GAP >= 600;   /* room: "don't know" on the fields' row */
	fw = side ? (a.w - (beside ? dk + THEME_GAP : 0) - (nf - 1) * THEME_GAP) / nf : a.w;
	fw = fw > 700 ? 700 : fw;
	for (int i = 0; i < nf; i++) {
		struct ui_rect r = { a.x + (side ? i * (fw + THEME_GAP) : 0), side ? a.y : y, fw, 0 };
		int b = field(k, t, m, q, i, r) + THEME_GAP;
		y = b > y ? b : y;
		top = b - THEME_GAP - 88;
	}
	if (dk) {
		struct ui_rect r = beside ? (struct ui_rect){ a.x + a.w - dk, top + (88 - THEME_TARGET) / 2, dk,
							      THEME_TARGET }
					  : (struct ui_rect){ a.x, y, dk > a.w ? a.w : dk, THEME_TARGET };
		entry_unknown_option(t, r, is_unknown(k, q));
		if (!beside)
			y += THEME_TARGET + THEME_GAP;
	}
	if (k->problem)
		chrome_note(t, m, "problem", _(k->problem), a.x, &y, a.w);
	return y;
}

static void build(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m)
{
	const struct question *q = kiosk_question(k);
	const char *help;
	struct ui_rect a, left, right;
	int y, wide;

	if (!q)
		return;
	a = chrome_bars(k, t, m, CHROME_BACK | CHROME_PROGRESS | CHROME_STAFF, _("Next"), ACT_NEXT);
	snprintf(t->screen, sizeof(t->screen), "q-%s", q->id);
	wide = a.w >= 1200;   /* landscape: question left, keyboard right */
	left = a;
	if (wide)
		left.w = a.w * 2 / 5;
	help = form_text(q, "help", k->lang);
	if (!wide && layout_text_height(m, help ? help : "", THEME_TEXT_BODY, 0, a.w) + 300 +
		     keyboard_min_height(k->kb_mode) > a.h)
		help = NULL;   /* no room: the help is read aloud instead */
	{
		struct ui_rect col = left;
		int mark = t->n;

		chrome_title(t, m, form_text_for(q, "title", k->lang, k->person.answers), help, &left);
		y = entry_fields(k, t, m, q, left);
		if (help && y > a.y + a.h) {   /* too long for the column: the help is read aloud */
			t->n = mark;
			left = col;
			chrome_title(t, m, form_text_for(q, "title", k->lang, k->person.answers), NULL, &left);
			y = entry_fields(k, t, m, q, left);
		}
	}
	right = wide ? (struct ui_rect){ a.x + left.w + 48, a.y, a.w - left.w - 48, a.h }
		     : (struct ui_rect){ a.x, y, a.w, a.y + a.h - y };
	entry_keyboard(k, t, m, q, right);
}

/* A typed answer in a language with its own script gets the script key: to Latin from the
 * script's page, back from a Latin page. E-mail, phone and address keep their layouts. */
void entry_keyboard(struct kiosk *k, struct ui_tree *t, const struct ui_measure *m,
		    const struct question *q, struct ui_rect a)
{
	enum kb_layout script = keyboard_for_lang(k->lang);
	int sw = q->type != Q_TEXT || script == KB_LATIN ? -1 :
		 keyboard_script((enum kb_layout)k->kb_mode) == script ? (int)KB_LATIN : (int)script;
	int first = t->n;

	keyboard_build(t, k->kb_mode, sw, a, ACT_KEY, ACT_KEYMODE);
	keyboard_fit_labels(t, first, m);
}

/* 1 when cp may be typed into field i of q. */
static int allowed(const struct question *q, int i, unsigned cp)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
		return 0;
	switch (q->type) {
	case Q_PHONE: return (cp < 0x80 && isdigit((int)cp)) || cp == '+' || cp == ' ' || cp == '-';
	case Q_EMAIL: return cp > ' ' && cp < 0x7F;
	case Q_ADDRESS: return cp < 0x80 && (isalnum((int)cp) || cp == ' ' || (i == 1 && cp == '-'));
	default: return 1;
	}
}

static size_t utf8_count(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Typing replaces a "don't know" chosen before. */
static void clear_unknown(struct kiosk *k, const struct question *q)
{
	const char *ids[2];
	size_t n = form_answer_ids(q, ids);

	for (size_t i = 0; i < n; i++)
		kiosk_set_answer(k, ids[i], NULL);
}

/* Appends text to the active field, dropping what the field does not take. */
static void type(struct kiosk *k, const struct question *q, const char *text)
{
	char *buf = k->person.edit[k->edit_field];
	size_t n = strlen(text), at = 0, len = strlen(buf);

	if (n && is_unknown(k, q))
		clear_unknown(k, q);
	while (at < n) {
		unsigned cp;
		int step = text_utf8_next(text + at, n - at, &cp);
		if (step < 0)
			return;
		if (allowed(q, k->edit_field, cp) && len + (size_t)step < KIOSK_EDIT_MAX - 1 &&
		    (q->type != Q_TEXT || !q->max_chars || utf8_count(buf) < q->max_chars)) {
			memcpy(buf + len, text + at, (size_t)step);
			len += (size_t)step;
			buf[len] = '\0';
		}
		at += (size_t)step;
	}
	k->problem = NULL;
}

static void backspace(struct kiosk *k)
{
	char *buf = k->person.edit[k->edit_field];
	size_t len = strlen(buf);

	while (len > 0 && ((unsigned char)buf[len - 1] & 0xC0) == 0x80)
		buf[--len] = '\0';
	if (len > 0)
		buf[--len] = '\0';
}

/* An on-screen key types what it shows (no capitals added: "van der Berg" stays); a
 * shift holds for one letter. */
static void press(struct kiosk *k, const struct question *q, int cp)
{
	char s[8];

	if (cp == KB_BACKSPACE)
		return backspace(k);
	keyboard_key_text(cp, s, sizeof(s));
	type(k, q, s);
	k->kb_mode = keyboard_after_key(k->kb_mode);
}

int entry_store(struct kiosk *k, const struct question *q)
{
	const char *ids[2], *msgid = NULL;
	size_t n = form_answer_ids(q, ids);
	json_t *value;

	if (!k->person.edit[0][0] && !k->person.edit[1][0] && is_unknown(k, q))
		return 0;   /* "don't know", chosen on this screen */
	if (!k->person.edit[0][0] && !k->person.edit[1][0] && !q->required) {
		for (size_t i = 0; i < n; i++)
			kiosk_set_answer(k, ids[i], NULL);
		return 0;
	}
	if (q->type == Q_ADDRESS)
		value = json_pack("{s:s, s:s}", "postcode", k->person.edit[0], "house_number", k->person.edit[1]);
	else
		value = json_string(k->person.edit[0]);
	if (!value)
		return -1;
	if (form_check(q, value, &msgid) < 0) {
		json_decref(value);
		k->problem = msgid ? msgid : N_("Please answer this question.");
		if (q->type == Q_ADDRESS && msgid && strstr(msgid, "house"))
			k->edit_field = 1, k->kb_mode = KB_HOUSE;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		kiosk_set_answer(k, ids[i], json_incref(q->type == Q_ADDRESS ?
			json_object_get(value, ids[i]) : value));
	json_decref(value);
	return 0;
}

/* "Don't know" selects (the fields empty), like an option; Next then moves on. */
static void unknown(struct kiosk *k, const struct question *q)
{
	const char *ids[2];
	size_t n = form_answer_ids(q, ids);

	for (size_t i = 0; i < n; i++)
		kiosk_set_answer(k, ids[i], json_string("unknown"));
	util_cleanse(k->person.edit, sizeof(k->person.edit));
	k->problem = NULL;
}

static int activate(struct kiosk *k, const struct question *q, const struct ui_widget *w)
{
	switch (w->action) {
	case ACT_KEY:
		press(k, q, w->arg);
		return 1;
	case ACT_KEYMODE:
		k->kb_mode = w->arg;
		return 1;
	case ACT_FIELD:
		k->edit_field = w->arg;
		k->kb_mode = layout_for(k, q, w->arg);
		return 1;
	case ACT_UNKNOWN:
		unknown(k, q);
		return 1;
	}
	return 0;
}

int entry_input(struct kiosk *k, const struct question *q, const struct kiosk_event *ev)
{
	switch (ev->kind) {
	case EV_ACTIVATE:
		return activate(k, q, ev->w);
	case EV_TEXT:
		type(k, q, ev->text);
		return 1;
	case EV_KEY:
		if (ev->key != KEY_BACKSPACE)
			return 0;
		backspace(k);
		return 1;
	}
	return 0;
}

static int event(struct kiosk *k, const struct kiosk_event *ev)
{
	const struct question *q = kiosk_question(k);

	if (!q)
		return 0;
	if ((ev->kind == EV_KEY && ev->key == KEY_ENTER) ||
	    (ev->kind == EV_ACTIVATE && ev->w->action == ACT_NEXT)) {
		if (entry_store(k, q) == 0)
			kiosk_next_question(k);
		return 1;
	}
	if (ev->kind == EV_ACTIVATE && ev->w->action == ACT_BACK) {
		kiosk_prev_question(k);
		return 1;
	}
	return entry_input(k, q, ev);
}

const struct screen screen_entry = { "question", enter, build, event, chrome_spoken_question };
