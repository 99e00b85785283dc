/*
 * field_view.c — the widget trees of field mode (field.h): sign-in, lock, the draft
 * list, the intake's pages (questions in two columns, Tab order down each column) and
 * Sent. Laid out for a laptop: keyboard and mouse, smaller than the kiosk's touch sizes
 * but never below 24 logical px of text, the kiosk's colours.
 */
#include "app/field/field.h"
#include "app/ui/layout.h"
#include "app/ui/theme.h"
#include "platform/i18n.h"
#include "sync/rules/form.h"
#include "platform/util.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define BAR_H 72
#define FOOT_H 96
#define CTRL_H 56
#define TXT THEME_TEXT_SMALL
#define LABEL 26

static struct ui_widget *button(struct ui_tree *t, const char *id, const char *label,
				struct ui_rect r, int action, int primary)
{
	struct ui_widget *w = ui_add(t, ROLE_BUTTON, id, label, r);

	if (!w)
		return NULL;
	w->fg = primary ? THEME_PRIMARY_FG : THEME_SECOND_FG;
	w->bg = primary ? THEME_PRIMARY_BG : THEME_SECOND_BG;
	w->size = TXT + 2;
	w->bold = primary;
	w->align = ALIGN_CENTER;
	w->flags = UI_FOCUSABLE;
	w->action = action;
	return w;
}

static int width_of(const struct ui_measure *m, const char *s, int size, int bold)
{
	return m->width(m->ctx, s, size, bold);
}

static int button_w(const struct ui_measure *m, const char *label)
{
	int w = width_of(m, label, TXT + 2, 1) + 2 * LAYOUT_PAD + 16;
	return w < 160 ? 160 : w;
}

/* The top bar: what this is, and Lock while someone is signed in. */
static void top_bar(struct field *f, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_widget *p = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ 0, 0, t->lw, BAR_H });
	int y = 18;

	if (p)
		p->bg = THEME_BAR_BG;
	layout_text(t, m, "mode", _("Home visit"), TXT, 1, THEME_MARGIN, &y, t->lw / 2,
		    THEME_TEXT, THEME_BAR_BG, 0);
	if (f->unlocked) {
		int bw = button_w(m, _("Lock"));
		button(t, "lock", _("Lock"), (struct ui_rect){ t->lw - THEME_MARGIN - bw, 8, bw, CTRL_H },
		       FA_LOCK, 0);
	}
}

static void note(struct ui_tree *t, const struct ui_measure *m, const char *id, const char *text,
		 int x, int *y, int w)
{
	int h = layout_text_height(m, text, TXT, 0, w - 32) + 20;
	struct ui_widget *p = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ x, *y, w, h });
	int ty = *y + 10;

	if (p)
		p->bg = THEME_NOTE_BG;
	layout_text(t, m, id, text, TXT, 0, x + 16, &ty, w - 32, THEME_NOTE_FG, THEME_NOTE_BG, 0);
	*y += h + 8;
}

static struct ui_widget *text_field(struct ui_tree *t, const char *id, const char *shown,
				    struct ui_rect r)
{
	struct ui_widget *w = ui_add(t, ROLE_FIELD, id, shown, r);

	if (!w)
		return NULL;
	w->fg = THEME_FIELD_FG;
	w->bg = THEME_FIELD_BG;
	w->size = TXT + 2;
	w->flags = UI_FOCUSABLE | UI_PERSONAL | UI_LTR_TEXT;
	w->action = FA_FIELD;
	return w;
}

/* The passphrase field: one bullet a character, never the text. */
static void pass_field(struct field *f, struct ui_tree *t, const struct ui_measure *m, int x,
		       int *y, int w)
{
	char shown[3 * 64 + 2] = "";
	size_t n = 0;

	layout_text(t, m, "pass-label", _("Passphrase"), LABEL, 1, x, y, w, THEME_TEXT, THEME_BG, 6);
	for (size_t i = 0; i < f->pass_len && n + 4 < sizeof(shown); i++)
		if (((unsigned char)f->pass[i] & 0xC0) != 0x80)
			memcpy(shown + n, "\xe2\x80\xa2", 4), n += 3;
	shown[n] = '|', shown[n + 1] = '\0';
	text_field(t, "pass", shown, (struct ui_rect){ x, *y, w, CTRL_H });
	*y += CTRL_H + 16;
}

static void build_signin(struct field *f, struct ui_tree *t, const struct ui_measure *m)
{
	int x = THEME_MARGIN * 3, w = t->lw / 2 - x, y = BAR_H + 32;

	layout_text(t, m, "title", _("Sign in"), THEME_TEXT_TITLE, 1, x, &y, w, THEME_TEXT, THEME_BG, 8);
	if (!f->n_cons) {
		note(t, m, "no-consultant", _("No consultant is enrolled on this laptop yet. ICT: inloop consultant add NAME."),
		     x, &y, t->lw - 2 * x);
		return;
	}
	layout_text(t, m, "help", _("Choose your name and type your passphrase."), TXT, 0, x, &y,
		    t->lw - 2 * x, THEME_TEXT, THEME_BG, 16);
	for (int i = 0; i < f->n_cons; i++) {
		char id[UI_ID_MAX];
		struct ui_widget *c;
		snprintf(id, sizeof(id), "cons-%s", f->cons[i]);
		c = ui_add(t, ROLE_CHOICE, id, f->cons[i], (struct ui_rect){ x + (i % 2) * (w / 2 + 8),
			   y + (i / 2) * (CTRL_H + 8), w / 2 - 8, CTRL_H });
		if (!c)
			break;
		c->fg = f->sel == i ? THEME_SELECTED_FG : THEME_CHOICE_FG;
		c->bg = f->sel == i ? THEME_SELECTED_BG : THEME_CHOICE_BG;
		c->size = TXT + 2;
		c->flags = UI_FOCUSABLE | (f->sel == i ? UI_SELECTED : 0);
		c->action = FA_CONS;
		c->arg = i;
	}
	y += ((f->n_cons + 1) / 2) * (CTRL_H + 8) + 16;
	pass_field(f, t, m, x, &y, w);
	if (f->msg)
		note(t, m, "message", _(f->msg), x, &y, w);
	button(t, "next", _("Unlock"), (struct ui_rect){ x, y, button_w(m, _("Unlock")), CTRL_H + 8 }, FA_UNLOCK, 1);
}

static void build_locked(struct field *f, struct ui_tree *t, const struct ui_measure *m)
{
	int x = THEME_MARGIN * 3, w = t->lw / 2 - x, y = BAR_H + 48;
	char who[128];

	layout_text(t, m, "title", _("Locked"), THEME_TEXT_TITLE, 1, x, &y, w, THEME_TEXT, THEME_BG, 8);
	snprintf(who, sizeof(who), _("Signed in: %s. Type your passphrase to go on."), f->who);
	layout_text(t, m, "help", who, TXT, 0, x, &y, t->lw - 2 * x, THEME_TEXT, THEME_BG, 16);
	pass_field(f, t, m, x, &y, w);
	if (f->msg)
		note(t, m, "message", _(f->msg), x, &y, w);
	button(t, "next", _("Unlock"), (struct ui_rect){ x, y, button_w(m, _("Unlock")), CTRL_H + 8 }, FA_UNLOCK, 1);
	button(t, "other", _("Another consultant"), (struct ui_rect){ x + button_w(m, _("Unlock")) + 24, y,
	       button_w(m, _("Another consultant")), CTRL_H + 8 }, FA_OTHER, 0);
}

/* One line of the draft list: started, crisis, name, and the warning before erasure. */
static void draft_line(const struct draft_info *d, char *buf, size_t size)
{
	time_t s = (time_t)d->started;
	struct tm tm;
	char when[32] = "?";

	if (localtime_r(&s, &tm))
		strftime(when, sizeof(when), "%d-%m-%Y %H:%M", &tm);
	snprintf(buf, size, "%s   %s%s%s%s%s", when, d->crisis ? _("CRISIS") : "", d->crisis ? "   " : "",
		 d->name[0] ? d->name : _("(no name yet)"), d->days_left <= 1 ? "   — " : "",
		 d->days_left <= 1 ? _("erased tomorrow: send or finish it today") : "");
}

/* "2026-12-09" as "09-12-2026" (as the consultant writes dates); "" stays "". */
static void dmy(const char *iso, char out[11])
{
	if (strlen(iso) == 10)
		snprintf(out, 11, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, 11, "%s", iso);
}

/* The crisis kinds of a visit in the intake form's own words ("Ontruiming, Afsluiting
 * water"); an unknown kind, or "unknown", gives "" (the line then says CRISIS alone). */
static void kind_words(const struct field *f, const char *kinds, char *buf, size_t size)
{
	const struct question *q = form_find(f->form, "crisis");
	const char *lang = i18n_lang();
	char list[96], *save = NULL;
	size_t n = 0;

	buf[0] = '\0';
	snprintf(list, sizeof(list), "%s", kinds);
	for (char *k = strtok_r(list, ",", &save); q && k; k = strtok_r(NULL, ",", &save))
		for (size_t i = 0; i < q->n_options; i++)
			if (!strcmp(q->options[i].id, k) && n < size)
				n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
						      form_option_label(q, &q->options[i], lang));
}

/* One line of the visit list: reference, name, the crisis (its kinds and date), the date
 * by which to make contact, and the warning before erasure. */
static void visit_line(const struct field *f, const struct visit_info *v, char *buf, size_t size)
{
	char crisis[192] = "", kinds[128], deadline[11], date[11], due[64];

	dmy(v->deadline, deadline);
	dmy(v->crisis_date, date);
	kind_words(f, v->kinds, kinds, sizeof(kinds));
	if (v->crisis)
		snprintf(crisis, sizeof(crisis), "   %s%s%s%s%s", _("CRISIS"), kinds[0] ? ": " : "", kinds,
			 date[0] ? " " : "", date);
	snprintf(due, sizeof(due), _("call by %s"), deadline);
	snprintf(buf, size, "%s   %s%s   %s%s%s", v->reference, v->name[0] ? v->name : _("(no name)"), crisis,
		 due, v->days_left <= 1 ? "   — " : "",
		 v->days_left <= 1 ? _("erased tomorrow: do the intake today") : "");
}

/* ---- the lists that page (visits, drafts) ---- */

#define ROW_GAP 8

/* What one list shows: its rows' texts come from line(), a crisis row stands out. */
struct list_spec {
	enum field_list which;
	const char *prefix;              /* row ids: "visit-3", "draft-0" (the index in the list) */
	const char *title_id, *title;
	int n, action;
	void (*line)(const struct field *f, int i, char *buf, size_t size);
	int (*crisis)(const struct field *f, int i);
};

static void visit_row(const struct field *f, int i, char *buf, size_t size)
{
	visit_line(f, &f->visits[i], buf, size);
}

static int visit_crisis(const struct field *f, int i)
{
	return f->visits[i].crisis;
}

static void draft_row(const struct field *f, int i, char *buf, size_t size)
{
	draft_line(&f->drafts[i], buf, size);
}

static int draft_crisis(const struct field *f, int i)
{
	return f->drafts[i].crisis;
}

/* The height of row i of list l (a long name wraps to a second line). */
static int row_h(const struct field *f, const struct ui_measure *m, const struct list_spec *l, int i, int w)
{
	char line[UI_TEXT_MAX];
	int h;

	l->line(f, i, line, sizeof(line));
	h = layout_text_height(m, line, TXT + 2, 0, w - 2 * LAYOUT_PAD - 16) + 20;
	util_cleanse(line, sizeof(line));
	return h < CTRL_H ? CTRL_H : h;
}

/* How many rows of l from top fit in room (at least one when there is a row). */
static int rows_fit(const struct field *f, const struct ui_measure *m, const struct list_spec *l, int top,
		    int room, int w)
{
	int n = 0;

	for (int i = top; i < l->n; i++, n++) {
		room -= row_h(f, m, l, i, w) + ROW_GAP;
		if (room < 0)
			break;
	}
	return n || top >= l->n ? n : 1;
}

/* The first row of the last page of l in room: the list never shows fewer rows than fit. */
static int last_top(const struct field *f, const struct ui_measure *m, const struct list_spec *l, int room,
		    int w)
{
	int top = l->n;

	while (top > 0 && (room -= row_h(f, m, l, top - 1, w) + ROW_GAP) >= 0)
		top--;
	return top < l->n ? top : l->n > 0 ? l->n - 1 : 0;
}

/* The rows from top and their height (gaps included). */
static int rows_height(const struct field *f, const struct ui_measure *m, const struct list_spec *l, int top,
		       int rows, int w)
{
	int h = 0;

	for (int i = top; i < top + rows && i < l->n; i++)
		h += row_h(f, m, l, i, w) + ROW_GAP;
	return h;
}

static int title_height(const struct ui_measure *m, const char *title)
{
	return layout_text_height(m, title, THEME_TEXT_TITLE - 6, 1, 10000) + 8;
}

/* "Earlier" and "More" on the title's line, right-aligned, with "3–8 of 14" before them;
 * added after the rows, so Tab reaches them after the last row shown. At the list's start
 * (end) "Earlier" ("More") is left out: Tab never stops on a button that does nothing. */
static void pager(struct field *f, struct ui_tree *t, const struct ui_measure *m, const struct list_spec *l,
		  int x, int y, int w)
{
	const char *label[2] = { _("Earlier"), _("More") };
	int top = f->top[l->which], rows = f->rows[l->which], show[2] = { top > 0, top + rows < l->n };
	int bx = x + w, ty = y + (CTRL_H - 8 - m->height(m->ctx, "0", TXT, 0)) / 2, at[2] = { 0, 0 }, sw;
	char id[UI_ID_MAX], span[64];
	struct ui_widget *b;

	for (int k = 1; k >= 0; k--)   /* from the right: More, then Earlier */
		if (show[k])
			bx -= button_w(m, label[k]) + (bx < x + w ? 12 : 0), at[k] = bx;
	snprintf(span, sizeof(span), _("%d–%d of %d"), top + 1, top + rows, l->n);
	snprintf(id, sizeof(id), "%ss-count", l->prefix);
	sw = width_of(m, span, TXT, 0) + 8;
	layout_text(t, m, id, span, TXT, 0, bx - 24 - sw, &ty, sw, THEME_TEXT, THEME_BG, 0);
	for (int k = 0; k < 2; k++) {
		if (!show[k])
			continue;
		snprintf(id, sizeof(id), "%ss-%s", l->prefix, k ? "down" : "up");
		b = button(t, id, label[k], (struct ui_rect){ at[k], y, button_w(m, label[k]), CTRL_H - 8 }, FA_PAGE, 0);
		if (b)
			b->arg = l->which, b->arg2 = k ? 1 : -1;
	}
}

/* The rows of list l that fit (f->rows), from f->top; returns y below. */
static int list_rows(struct field *f, struct ui_tree *t, const struct ui_measure *m, const struct list_spec *l,
		     int x, int y, int w)
{
	char line[UI_TEXT_MAX], id[UI_ID_MAX];
	int top = f->top[l->which];

	for (int i = top; i < l->n && i < top + f->rows[l->which]; i++) {
		struct ui_widget *b;
		int h = row_h(f, m, l, i, w);
		l->line(f, i, line, sizeof(line));
		snprintf(id, sizeof(id), "%s-%d", l->prefix, i);
		b = button(t, id, line, (struct ui_rect){ x, y, w, h }, l->action, 0);
		if (b) {
			b->align = ALIGN_START, b->arg = i, b->flags |= UI_PERSONAL;
			if (l->crisis(f, i))
				b->fg = THEME_NOTE_FG, b->bg = THEME_NOTE_BG;   /* a crisis stands out */
		}
		util_cleanse(line, sizeof(line));
		y += h + ROW_GAP;
	}
	return y;
}

/* Shares room between the visits (vl) and the drafts (dl): all of both when they fit,
 * else the drafts at least a third (one row when they have one), the visits the rest,
 * the drafts then what the visits leave. Each list's top stays within its last page. */
static void share_rows(struct field *f, const struct ui_measure *m, const struct list_spec *vl,
		       const struct list_spec *dl, int room, int w)
{
	int all_v = rows_height(f, m, vl, 0, vl->n, w), all_d = rows_height(f, m, dl, 0, dl->n, w), droom, vroom;

	droom = all_d < room / 3 ? all_d : room / 3;
	vroom = all_v + all_d <= room ? all_v : room - droom;
	f->top[FL_VISITS] = f->top[FL_VISITS] > last_top(f, m, vl, vroom, w) ? last_top(f, m, vl, vroom, w) :
			    f->top[FL_VISITS] < 0 ? 0 : f->top[FL_VISITS];
	f->rows[FL_VISITS] = rows_fit(f, m, vl, f->top[FL_VISITS], vroom, w);
	droom = room - rows_height(f, m, vl, f->top[FL_VISITS], f->rows[FL_VISITS], w);
	f->top[FL_DRAFTS] = f->top[FL_DRAFTS] > last_top(f, m, dl, droom, w) ? last_top(f, m, dl, droom, w) :
			    f->top[FL_DRAFTS] < 0 ? 0 : f->top[FL_DRAFTS];
	f->rows[FL_DRAFTS] = rows_fit(f, m, dl, f->top[FL_DRAFTS], droom, w);
}

/* One list: its title (with the pager when not all rows show), notes, rows. */
static int list_block(struct field *f, struct ui_tree *t, const struct ui_measure *m, const struct list_spec *l,
		      int x, int y, int w, const char *note_id, const char *note_text)
{
	int ty = y, y0 = y;

	layout_text(t, m, l->title_id, l->title, THEME_TEXT_TITLE - 6, 1, x, &ty, w / 2, THEME_TEXT, THEME_BG, 8);
	if (note_text)
		note(t, m, note_id, note_text, x, &ty, w);
	y = list_rows(f, t, m, l, x, ty, w);
	if (f->rows[l->which] < l->n)
		pager(f, t, m, l, x, y0, w);   /* on the title's line */
	return y;
}

static void build_drafts(struct field *f, struct ui_tree *t, const struct ui_measure *m)
{
	int x = THEME_MARGIN * 2, w = t->lw - 2 * x, y = BAR_H + 24, fw = 360, fy, room;
	const char *vnote = f->visits_aside ?
		_("A visit could not be opened: it was changed or is not for you. It is kept aside for ICT.") : NULL;
	const char *dnote = f->tampered || f->aside ?
		_("A draft could not be opened: it was changed or damaged. It is kept aside for ICT.") : NULL;
	const struct list_spec vl = { FL_VISITS, "visit", "visits-title", _("Visits"), f->n_visits, FA_VISIT,
				      visit_row, visit_crisis };
	const struct list_spec dl = { FL_DRAFTS, "draft", "title", _("Your drafts"), f->n_drafts, FA_OPEN,
				      draft_row, draft_crisis };
	int show_v = f->n_visits || f->visits_aside;
	char line[UI_TEXT_MAX], end[11];

	if (f->cert_warn) {   /* before the lists: without a certificate no visit comes */
		dmy(f->cert_end, end);
		snprintf(line, sizeof(line), f->cert_days < 0 ?
			 _("Your certificate for visits ended on %s: no visit from the office reaches this laptop. Ask ICT to renew it.") :
			 _("Your certificate for visits ends on %s: after that no visit from the office reaches this laptop. Ask ICT to renew it now."),
			 end);
		note(t, m, "cert-expiry", line, x, &y, w);
	}

	fy = t->lh - 32 - CTRL_H - layout_text_height(m, _("Reference of the kiosk registration (if any)"), TXT, 1, w) - 6;
	room = fy - 24 - y - title_height(m, dl.title) - (dnote ? layout_text_height(m, dnote, TXT, 0, w - 32) + 28 : 0) -
	       (f->n_drafts ? 0 : layout_text_height(m, _("No drafts. Start a new intake below."), TXT, 0, w) + 12) -
	       (show_v ? title_height(m, vl.title) + 16 + (vnote ? layout_text_height(m, vnote, TXT, 0, w - 32) + 28 : 0) : 0);
	share_rows(f, m, &vl, &dl, room, w);
	if (show_v)
		y = list_block(f, t, m, &vl, x, y, w, "visits-aside", vnote) + 16;
	y = list_block(f, t, m, &dl, x, y, w, "aside", dnote);
	if (!f->n_drafts)
		layout_text(t, m, "none", _("No drafts. Start a new intake below."), TXT, 0, x, &y, w,
			    THEME_TEXT, THEME_BG, 12);
	layout_text(t, m, "follows-label", _("Reference of the kiosk registration (if any)"), TXT, 1, x, &fy,
		    w, THEME_TEXT, THEME_BG, 6);
	snprintf(line, sizeof(line), "%s%s", f->follows, f->focus && !strcmp(f->focus, "follows") ? "|" : "");
	text_field(t, "follows", line, (struct ui_rect){ x, fy, fw, CTRL_H });
	button(t, "new", _("New intake"), (struct ui_rect){ x + fw + 24, fy, button_w(m, _("New intake")), CTRL_H },
	       FA_NEW, 1);
}

/* ---- pages ---- */

static const char *option_label(const struct question *q, size_t k, const char *lang)
{
	return form_option_label(q, &q->options[k], lang);
}

/* The choices of q flowing in rows from (x, *y) within w; dry: only measured. */
static void choices(struct field *f, struct ui_tree *t, const struct ui_measure *m, int qi,
		    int x, int *y, int w, const char *lang, int dry)
{
	const struct question *q = form_question(f->form, (size_t)qi);
	const json_t *v = json_object_get(json_object_get(f->doc, "answers"), q->id), *e;
	int cx = x, n = (int)q->n_options + (q->allow_unknown ? 1 : 0);

	for (int k = 0; k < n; k++) {
		int unk = k == (int)q->n_options, sel = 0;
		const char *label = unk ? _("Don't know") : option_label(q, (size_t)k, lang);
		int bw = width_of(m, label, TXT, 0) + 3 * LAYOUT_PAD + LAYOUT_CHECK;
		char id[UI_ID_MAX];
		struct ui_widget *c;
		size_t i;
		if (bw > w)
			bw = w;
		if (cx > x && cx + bw > x + w)
			cx = x, *y += CTRL_H - 4 + 8;
		if (dry) {
			cx += bw + 8;
			continue;
		}
		if (unk)
			sel = json_is_string(v) && !strcmp(json_string_value(v), "unknown");
		else if (json_is_string(v))
			sel = !strcmp(json_string_value(v), q->options[k].id);
		else
			json_array_foreach(v, i, e)
				sel |= json_is_string(e) && !strcmp(json_string_value(e), q->options[k].id);
		snprintf(id, sizeof(id), "opt-%s-%s", q->id, unk ? "unknown" : q->options[k].id);
		c = ui_add(t, ROLE_CHOICE, id, label, (struct ui_rect){ cx, *y, bw, CTRL_H - 4 });
		if (c) {
			c->fg = sel ? THEME_SELECTED_FG : THEME_CHOICE_FG;
			c->bg = sel ? THEME_SELECTED_BG : THEME_CHOICE_BG;
			c->size = TXT;
			c->flags = UI_FOCUSABLE | (sel ? UI_SELECTED : 0);
			c->action = unk ? FA_UNKNOWN : FA_OPTION;
			c->arg = qi;
			c->arg2 = unk ? -1 : k;
		}
		cx += bw + 8;
	}
	*y += CTRL_H - 4 + 16;
}

/* What a typed question's field shows: the text as typed (or its answer), and a caret. */
static void shown_text(struct field *f, const struct question *q, char *buf, size_t size)
{
	const char *s = json_string_value(json_object_get(json_object_get(f->doc, "typed"), q->id));
	const char *a = json_string_value(json_object_get(json_object_get(f->doc, "answers"), q->id));

	if (!s && a && strcmp(a, "unknown"))
		s = a;
	snprintf(buf, size, "%s%s", s ? s : "", f->focus && !strncmp(f->focus, "field-", 6) &&
		 !strcmp(f->focus + 6, q->id) ? "|" : "");
}

/* "Don't know" beside a typed answer that allows it (a date). */
static void unknown_button(struct field *f, struct ui_tree *t, int qi, int x, int y, int w)
{
	const struct question *q = form_question(f->form, (size_t)qi);
	const json_t *v = json_object_get(json_object_get(f->doc, "answers"), q->id);
	int sel = json_is_string(v) && !strcmp(json_string_value(v), "unknown");
	char id[UI_ID_MAX];
	struct ui_widget *c;

	snprintf(id, sizeof(id), "opt-%s-unknown", q->id);
	c = ui_add(t, ROLE_CHOICE, id, _("Don't know"), (struct ui_rect){ x, y, w, CTRL_H });
	if (!c)
		return;
	c->fg = sel ? THEME_SELECTED_FG : THEME_CHOICE_FG;
	c->bg = sel ? THEME_SELECTED_BG : THEME_CHOICE_BG;
	c->size = TXT;
	c->flags = UI_FOCUSABLE | (sel ? UI_SELECTED : 0);
	c->action = FA_UNKNOWN;
	c->arg = qi;
	c->arg2 = -1;
}

/* One question's block: its label, help, choices or field, and its problem. Returns the
 * height it takes (dry: nothing added). */
static int block(struct field *f, struct ui_tree *t, const struct ui_measure *m, int qi, int x,
		 int y0, int w, const char *lang, int dry)
{
	const struct question *q = form_question(f->form, (size_t)qi);
	const char *title = form_text_for(q, "title", lang, json_object_get(f->doc, "answers"));
	const char *help = form_text(q, "help", lang);
	char id[UI_ID_MAX], shown[UI_TEXT_MAX];
	int y = y0;

	snprintf(id, sizeof(id), "label-%s", q->id);
	if (dry)
		y += layout_text_height(m, title, LABEL, 1, w) + 6;
	else
		layout_text(t, m, id, title, LABEL, 1, x, &y, w, THEME_TEXT, THEME_BG, 6);
	if (help && !dry)
		layout_text(t, m, "", help, TXT, 0, x, &y, w, THEME_TEXT, THEME_BG, 4);
	else if (help)
		y += layout_text_height(m, help, TXT, 0, w) + 4;
	if (q->type == Q_SINGLE || q->type == Q_MULTI || q->type == Q_CONSENT) {
		choices(f, t, m, qi, x, &y, w, lang, dry);
	} else {
		int fw = q->type == Q_TEXT && q->max_chars > 40 ? w : w / 2;
		snprintf(id, sizeof(id), "field-%s", q->id);
		shown_text(f, q, shown, sizeof(shown));
		if (!dry)
			text_field(t, id, shown, (struct ui_rect){ x, y, fw, CTRL_H });
		if (!dry && q->allow_unknown)
			unknown_button(f, t, qi, x + fw + 12, y, w - fw - 12);
		util_cleanse(shown, sizeof(shown));
		y += CTRL_H + 16;
	}
	if (f->problem && !strcmp(f->problem_q, q->id)) {
		if (dry)
			y += layout_text_height(m, _(f->problem), TXT, 0, w - 32) + 28;
		else
			note(t, m, "problem", _(f->problem), x, &y, w);
	}
	return y - y0;
}

static const char *section_title(const char *icon)
{
	static const struct { const char *icon, *msgid; } names[] = {
		{ "warning", N_("Crisis") }, { "users", N_("Household") }, { "income", N_("Income") },
		{ "home", N_("Housing and landlord") }, { "bills", N_("Arrears") },
		{ "debt", N_("Debts by creditor") }, { "list", N_("Next steps") },
		{ "privacy", N_("Consent") },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].icon, icon))
			return _(names[i].msgid);
	return "";
}

/* The bottom bar of a page: Back, the list of drafts, Next (Send on the last page). */
static void foot(struct field *f, struct ui_tree *t, const struct ui_measure *m)
{
	struct ui_widget *p = ui_add(t, ROLE_PANEL, "", "", (struct ui_rect){ 0, t->lh - FOOT_H, t->lw, FOOT_H });
	int y = t->lh - FOOT_H + (FOOT_H - CTRL_H - 8) / 2, last = field_last_page(f);
	const char *next = last ? _("Send the intake") : _("Next");
	int nw = button_w(m, next), bw = button_w(m, _("Back")), dw = button_w(m, _("My drafts"));

	if (p)
		p->bg = THEME_BAR_BG;
	button(t, "back", _("Back"), (struct ui_rect){ THEME_MARGIN, y, bw, CTRL_H + 8 }, FA_BACK, 0);
	button(t, "drafts", _("My drafts"), (struct ui_rect){ THEME_MARGIN + bw + 16, y, dw, CTRL_H + 8 },
	       FA_DRAFTS, 0);
	button(t, last ? "send" : "next", next, (struct ui_rect){ t->lw - THEME_MARGIN - nw, y, nw, CTRL_H + 8 },
	       last ? FA_SEND : FA_NEXT, 1);
}

static void build_page(struct field *f, struct ui_tree *t, const struct ui_measure *m, const char *lang)
{
	const struct question *lead = form_question(f->form, (size_t)f->leads[f->page]);
	int x = THEME_MARGIN, colw = (t->lw - 3 * THEME_MARGIN) / 2, y = BAR_H + 16, col = 0;
	int top, bottom = t->lh - FOOT_H - 8, at, of;
	char step[64];

	field_page_steps(f, &at, &of);   /* the pages the answers show */
	snprintf(step, sizeof(step), _("Step %d of %d"), at, of);
	layout_text(t, m, "title", section_title(lead->icon), THEME_TEXT_TITLE - 6, 1, x, &y,
		    colw, THEME_TEXT, THEME_BG, 4);
	layout_text(t, m, "step", step, TXT, 0, x, &y, colw, THEME_TEXT, THEME_BG, 12);
	top = y;
	for (int i = f->leads[f->page]; i < f->leads[f->page + 1]; i++) {
		const struct question *q = form_question(f->form, (size_t)i);
		int h;
		if (!q->enabled || !form_is_visible(f->form, q, json_object_get(f->doc, "answers")))
			continue;
		h = block(f, t, m, i, 0, 0, colw, lang, 1);
		if (y + h > bottom && col == 0 && y > top)
			col = 1, y = top;
		block(f, t, m, i, x + col * (colw + THEME_MARGIN), y, colw, lang, 0);
		y += h;
	}
	if (f->save_failed)
		note(t, m, "save-failed", _("This laptop cannot save the draft (disk full?). Call ICT before you go on."),
		     x, &y, colw);
	foot(f, t, m);
}

static void build_sent(struct field *f, struct ui_tree *t, const struct ui_measure *m)
{
	int x = THEME_MARGIN * 3, w = t->lw - 2 * x, y = BAR_H + 48;
	char line[160];

	layout_text(t, m, "title", _("Intake sealed"), THEME_TEXT_TITLE, 1, x, &y, w, THEME_TEXT, THEME_BG, 12);
	snprintf(line, sizeof(line), _("Reference %s. It is sent to the office as soon as there is a network; the draft is erased."),
		 f->sent_ref);
	layout_text(t, m, "sent-ref", line, TXT + 2, 0, x, &y, w, THEME_TEXT, THEME_BG, 24);
	button(t, "next", _("My drafts"), (struct ui_rect){ x, y, button_w(m, _("My drafts")), CTRL_H + 8 }, FA_DRAFTS, 1);
}

void field_build(struct field *f, struct ui_tree *t, const struct ui_measure *m, const char *lang)
{
	char id[UI_ID_MAX];

	snprintf(t->screen, sizeof(t->screen), "%s", field_screen_id(f, id, sizeof(id)));
	switch (f->view) {
	case FV_SIGNIN: build_signin(f, t, m); break;
	case FV_LOCKED: build_locked(f, t, m); break;
	case FV_DRAFTS: build_drafts(f, t, m); break;
	case FV_PAGE: f->doc ? build_page(f, t, m, lang) : build_drafts(f, t, m); break;
	case FV_SENT: build_sent(f, t, m); break;
	}
	top_bar(f, t, m);   /* last: Tab starts at the screen's first question, not at Lock */
}
