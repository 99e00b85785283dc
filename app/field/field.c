/*
 * field.c — field mode's state and events (field.h): sign-in and lock, the draft list,
 * answers saved into the sealed draft as they are given, the pages, Send.
 */
#include "app/field/field.h"
#include "sync/device/submit.h"
#include "sync/device/visitbox.h"
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "platform/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Pages: runs of consecutive enabled questions with the same icon; the questions a yes/no
 * answer brings ("another creditor?": yes) start a page of their own, so the next
 * creditor's questions never fall below the bottom bar. */
static void make_pages(struct field *f)
{
	const char *icon = NULL;
	const struct question *group = NULL;   /* the yes/no question the page follows from */

	f->n_pages = 0;
	for (size_t i = 0; i < form_count(f->form) && f->n_pages < FIELD_PAGES_MAX; i++) {
		const struct question *q = form_question(f->form, i), *src;
		if (!q->enabled)
			continue;
		src = q->show_if.op == COND_ALWAYS ? NULL : form_find(f->form, q->show_if.question);
		if (src && src->type != Q_SINGLE)
			src = NULL;
		if (!icon || strcmp(icon, q->icon) || (src && src != group)) {
			f->leads[f->n_pages++] = (int)i;
			group = src;
		}
		icon = q->icon;
	}
	f->leads[f->n_pages] = (int)form_count(f->form);
}

static void list_consultants(struct field *f)
{
	f->n_cons = consultant_list(f->state_dir, f->cons, CONSULTANT_MAX);
	if (f->n_cons < 0)
		f->n_cons = 0;
	if (f->sel >= f->n_cons)
		f->sel = f->n_cons ? 0 : -1;
}

int field_open(struct field *f, const char *state_dir, const struct form *form,
	       struct submit_ctx *sub, int draft_days)
{
	f->state_dir = state_dir;
	f->form = form;
	f->sub = sub;
	f->draft_days = draft_days;
	f->visit_days = 14;
	f->view = FV_SIGNIN;
	make_pages(f);
	list_consultants(f);
	return f->n_pages ? 0 : error("the intake form has no questions");
}

static void forget_draft(struct field *f)
{
	json_decref(f->doc);       /* jansson wipes on free (util_json_wipe_on_free) */
	f->doc = NULL;
	f->draft_id[0] = '\0';
	f->problem = NULL;
	f->problem_q[0] = '\0';
}

static void wipe_secrets(struct field *f)
{
	sodium_memzero(f->key, sizeof(f->key));
	sodium_memzero(f->pass, sizeof(f->pass));
	f->pass_len = 0;
	util_cleanse(f->drafts, sizeof(f->drafts));
	util_cleanse(f->follows, sizeof(f->follows));
	visitbox_clear(f->visits, VISITBOX_MAX);
	f->n_drafts = 0;
	f->n_visits = 0;
	f->unlocked = 0;
}

void field_lock(struct field *f)
{
	if (!f->unlocked)
		return;
	wipe_secrets(f);
	json_decref(f->doc);       /* the draft id and page stay: unlock reopens them */
	f->doc = NULL;
	f->msg = NULL;
	f->view = FV_LOCKED;
}

void field_close(struct field *f)
{
	wipe_secrets(f);
	forget_draft(f);
}

int field_unlocked(const struct field *f)
{
	return f->unlocked;
}

/* 1 when page p has a question the answers show. */
static int page_shown(const struct field *f, int p)
{
	const json_t *a = json_object_get(f->doc, "answers");

	for (int i = f->leads[p]; i < f->leads[p + 1]; i++)
		if (form_question(f->form, (size_t)i)->enabled &&
		    form_is_visible(f->form, form_question(f->form, (size_t)i), a))
			return 1;
	return 0;
}

void field_page_steps(const struct field *f, int *step, int *total)
{
	*step = *total = 0;
	for (int p = 0; p < f->n_pages; p++)
		if (page_shown(f, p)) {
			++*total;
			*step += p <= f->page;
		}
}

const char *field_screen_id(const struct field *f, char *buf, size_t size)
{
	static const char *const names[] = { "field-signin", "field-locked", "field-drafts",
					     "field-page", "field-sent" };
	int step, total;

	field_page_steps(f, &step, &total);
	if (f->view == FV_PAGE)   /* numbered as shown: a second creditor's page moves the rest */
		snprintf(buf, size, "field-page-%d", step);
	else
		snprintf(buf, size, "%s", names[f->view]);
	return buf;
}

/* ---- drafts ---- */

static json_t *answers(struct field *f)
{
	return json_object_get(f->doc, "answers");
}

static json_t *typed(struct field *f)
{
	return json_object_get(f->doc, "typed");
}

/* Seals the draft as it is now; a failure is shown, never hidden. */
static void save(struct field *f)
{
	if (!f->doc || !f->unlocked)
		return;
	json_object_set_new(f->doc, "page", json_integer(f->page));
	f->save_failed = draft_save(f->state_dir, f->who, f->key, f->draft_id, f->started, f->doc) < 0;
}

static void refresh_drafts(struct field *f)
{
	draft_expire(f->state_dir, f->who, f->draft_days, (long long)time(NULL));
	f->n_drafts = draft_list(f->state_dir, f->who, f->key, f->draft_days, f->drafts, DRAFT_MAX,
				 &f->tampered);
	if (f->n_drafts < 0)
		f->n_drafts = 0;
	f->aside = draft_aside_count(f->state_dir, f->who);
}

/* The consultant's visits, opened with their private key (unsealed for this call only). */
static void refresh_visits(struct field *f)
{
	unsigned char *der = NULL;
	size_t len = 0;

	visitbox_clear(f->visits, VISITBOX_MAX);
	f->n_visits = 0;
	visitbox_expire(f->state_dir, f->who, f->visit_days, (long long)time(NULL));
	if (consultant_has_cert(f->state_dir, f->who) &&
	    consultant_key_der(f->state_dir, f->who, f->key, &der, &len) == 0) {
		f->n_visits = visitbox_list(f->state_dir, f->who, der, len, f->visit_days, f->visits,
					    VISITBOX_MAX, NULL);
		consultant_key_free(der, len);
	}
	if (f->n_visits < 0)
		f->n_visits = 0;
	f->visits_aside = visitbox_aside_count(f->state_dir, f->who);
}

/* Erases the visits an intake that follows ref was sealed for. */
static void erase_visit(struct field *f, const char *ref)
{
	unsigned char *der = NULL;
	size_t len = 0;

	if (!ref || !*ref || consultant_key_der(f->state_dir, f->who, f->key, &der, &len) != 0)
		return;
	visitbox_erase_ref(f->state_dir, f->who, der, len, ref);
	consultant_key_free(der, len);
}

static void show_drafts(struct field *f, char focus[UI_ID_MAX])
{
	forget_draft(f);
	if (consultant_failures(f->state_dir, f->who) < 0) {   /* removed meanwhile (the office: 410) */
		wipe_secrets(f);
		f->who[0] = '\0';
		f->view = FV_SIGNIN;
		list_consultants(f);
		f->msg = N_("This consultant was disabled by the office and removed from this laptop.");
		snprintf(focus, UI_ID_MAX, "pass");
		return;
	}
	refresh_drafts(f);
	refresh_visits(f);
	f->cert_warn = consultant_cert_days(f->state_dir, f->who, (long long)time(NULL), &f->cert_days,
					    f->cert_end) == 0 && f->cert_days <= VISIT_CONSULTANT_RENEW_DAYS;
	f->view = FV_DRAFTS;
	snprintf(focus, UI_ID_MAX, "new");
}

/* Opens page p, or the first page with a visible question from p in direction dir. */
static int visible_page(struct field *f, int p, int dir)
{
	for (; p >= 0 && p < f->n_pages; p += dir)
		for (int i = f->leads[p]; i < f->leads[p + 1]; i++)
			if (form_question(f->form, (size_t)i)->enabled &&
			    form_is_visible(f->form, form_question(f->form, (size_t)i), answers(f)))
				return p;
	return -1;
}

int field_last_page(struct field *f)
{
	return f->doc && visible_page(f, f->page + 1, 1) < 0;
}

static void open_page(struct field *f, int p, char focus[UI_ID_MAX])
{
	f->page = p < 0 ? 0 : p;
	f->view = FV_PAGE;
	focus[0] = '\0';
}

static void new_draft(struct field *f, char focus[UI_ID_MAX])
{
	forget_draft(f);
	draft_new_id(f->draft_id);
	f->started = (long long)time(NULL);
	f->doc = json_pack("{s:{}, s:{}}", "answers", "typed");
	if (f->follows[0])
		json_object_set_new(f->doc, "follows", json_string(f->follows));
	util_cleanse(f->follows, sizeof(f->follows));
	open_page(f, 0, focus);
	save(f);
}

/* An intake for visit i: it follows the visit's reference, and what the resident told the
 * kiosk (name, phone number) is filled in as answers the consultant may change. */
static void start_visit(struct field *f, int i, char focus[UI_ID_MAX])
{
	const struct visit_info *v = &f->visits[i];

	snprintf(f->follows, sizeof(f->follows), "%s", v->reference);
	new_draft(f, focus);
	if (v->name[0])
		json_object_set_new(answers(f), "name", json_string(v->name));
	if (v->phone[0])
		json_object_set_new(answers(f), "phone_number", json_string(v->phone));
	save(f);
}

/* Opens a draft by id; a draft that no longer opens is put aside by draft_load. */
static void open_draft(struct field *f, const char *id, char focus[UI_ID_MAX])
{
	json_t *doc = NULL;
	long long started = 0;
	char keep[DRAFT_ID_MAX];

	snprintf(keep, sizeof(keep), "%s", id);
	forget_draft(f);
	if (draft_load(f->state_dir, f->who, f->key, keep, &doc, &started) != DRAFT_OK ||
	    !json_is_object(json_object_get(doc, "answers"))) {
		json_decref(doc);
		return show_drafts(f, focus);
	}
	if (!json_is_object(json_object_get(doc, "typed")))
		json_object_set_new(doc, "typed", json_object());
	snprintf(f->draft_id, sizeof(f->draft_id), "%s", keep);
	f->started = started;
	f->doc = doc;
	open_page(f, (int)json_integer_value(json_object_get(doc, "page")), focus);
	if (f->page >= f->n_pages)
		f->page = 0;
}

/* ---- sign-in ---- */

static void unlock(struct field *f, char focus[UI_ID_MAX])
{
	const char *id = f->view == FV_LOCKED ? f->who : f->sel >= 0 ? f->cons[f->sel] : NULL;
	char keep[DRAFT_ID_MAX];
	int rc, page = f->page;

	if (!id || !f->pass_len) {
		f->msg = N_("Type your passphrase.");
		return;
	}
	if (id != f->who)
		snprintf(f->who, sizeof(f->who), "%s", id);
	rc = consultant_unlock(f->state_dir, f->who, f->pass, f->pass_len, f->key, &f->wait_s);
	sodium_memzero(f->pass, sizeof(f->pass));
	f->pass_len = 0;
	snprintf(focus, UI_ID_MAX, "pass");
	f->msg = rc == CONSULTANT_WRONG ? N_("That passphrase is not right. Try again.") :
		 rc == CONSULTANT_WAIT ? N_("Too many wrong attempts. Wait a moment and try again.") :
		 rc == CONSULTANT_LOCKED ? N_("Locked after too many wrong attempts. The office must enrol you again.") :
		 rc != CONSULTANT_OK ? N_("This laptop cannot open your account. Call ICT.") : NULL;
	if (rc != CONSULTANT_OK)
		return;
	f->unlocked = 1;
	snprintf(keep, sizeof(keep), "%s", f->draft_id);
	if (f->view == FV_LOCKED && keep[0]) {   /* back where the lock came */
		open_draft(f, keep, focus);
		if (f->doc && visible_page(f, page, 1) >= 0)
			f->page = page;
		return;
	}
	show_drafts(f, focus);
}

static void type_pass(struct field *f, const char *text)
{
	size_t n = strlen(text);

	if (f->pass_len + n < sizeof(f->pass)) {
		memcpy(f->pass + f->pass_len, text, n);
		f->pass_len += n;
		f->pass[f->pass_len] = '\0';
	}
	f->msg = NULL;
}

static void backspace(char *s, size_t *len)
{
	while (*len > 0 && ((unsigned char)s[*len - 1] & 0xC0) == 0x80)
		s[--*len] = '\0';
	if (*len > 0)
		s[--*len] = '\0';
}

/* ---- answers ---- */

/* "DD-MM-YYYY" (also / or . between, or already YYYY-MM-DD) to "YYYY-MM-DD"; 0 or -1. */
static int parse_date(const char *s, char out[11])
{
	int d, m, y, n = 0;

	if (!(sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10) &&
	    !((n = 0, sscanf(s, "%2d%*[-/.]%2d%*[-/.]%4d%n", &d, &m, &y, &n)) == 3 && s[n] == '\0'))
		return -1;
	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	return snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100) == 10 ? 0 : -1;
}

/* The typed text of q becomes its answer: as typed (a date converted), or none. */
static void typed_to_answer(struct field *f, const struct question *q)
{
	const char *s = json_string_value(json_object_get(typed(f), q->id));
	char date[11];
	size_t b = 0, e;

	if (!s) {
		return;
	}
	e = strlen(s);
	while (b < e && s[b] == ' ')
		b++;
	while (e > b && s[e - 1] == ' ')
		e--;
	if (b == e)
		json_object_del(answers(f), q->id);
	else if (q->type == Q_DATE)
		parse_date(s + b, date) == 0 ? json_object_set_new(answers(f), q->id, json_string(date))
					     : json_object_set_new(answers(f), q->id, json_stringn(s + b, e - b));
	else
		json_object_set_new(answers(f), q->id, json_stringn(s + b, e - b));
}

static const struct question *question_of_field(struct field *f, const char *focus)
{
	const struct question *q;

	if (strncmp(focus, "field-", 6) || !(q = form_find(f->form, focus + 6)))
		return NULL;
	return q->type == Q_SINGLE || q->type == Q_MULTI || q->type == Q_CONSENT ? NULL : q;
}

/* Text typed into the focused field of the page: kept as typed, sealed at once. */
static int type_answer(struct field *f, const char *focus, const char *text, int bs)
{
	const struct question *q = question_of_field(f, focus);
	char buf[FIELD_TYPED_MAX];
	const char *old;
	size_t n;

	if (!q)
		return 0;
	old = json_string_value(json_object_get(typed(f), q->id));
	if (!old && json_is_string(json_object_get(answers(f), q->id)) &&
	    strcmp(json_string_value(json_object_get(answers(f), q->id)), "unknown"))
		old = json_string_value(json_object_get(answers(f), q->id));
	snprintf(buf, sizeof(buf), "%s", old ? old : "");
	n = strlen(buf);
	if (bs)
		backspace(buf, &n);
	else if (n + strlen(text) < sizeof(buf) && !(text[0] == '\n' || text[0] == '\t'))
		memcpy(buf + n, text, strlen(text) + 1);
	json_object_set_new(typed(f), q->id, json_string(buf));
	util_cleanse(buf, sizeof(buf));
	typed_to_answer(f, q);
	if (f->problem_q[0] && !strcmp(f->problem_q, q->id))
		f->problem = NULL;
	save(f);
	return 1;
}

/* Drops answers of questions hidden now (crisis changed to "none"). */
static void drop_hidden(struct field *f)
{
	for (size_t i = 0; i < form_count(f->form); i++) {
		const struct question *q = form_question(f->form, i);
		if (!form_is_visible(f->form, q, answers(f))) {
			json_object_del(answers(f), q->id);
			json_object_del(typed(f), q->id);
		}
	}
}

/* 1 when the option with id is exclusive ("none"). */
static int exclusive(const struct question *q, const char *id)
{
	for (size_t k = 0; k < q->n_options; k++)
		if (!strcmp(q->options[k].id, id))
			return q->options[k].exclusive;
	return 0;
}

/* A single choice is set; a multi choice toggles, an exclusive option stands alone. */
static void choose(struct field *f, const struct question *q, int opt)
{
	json_t *a = answers(f), *cur = json_object_get(a, q->id), *arr, *e;
	const struct q_option *o = &q->options[opt];
	int had = 0;
	size_t i;

	if (q->type != Q_MULTI) {
		json_object_set_new(a, q->id, json_string(o->id));
		return;
	}
	arr = json_array();
	json_array_foreach(json_is_array(cur) ? cur : NULL, i, e) {
		const char *id = json_string_value(e);
		if (!id || !strcmp(id, o->id)) {
			had = 1;
			continue;
		}
		if (!o->exclusive && !exclusive(q, id))
			json_array_append(arr, e);
	}
	if (!had)
		json_array_append_new(arr, json_string(o->id));
	if (json_array_size(arr))
		json_object_set_new(a, q->id, arr);
	else
		json_decref(arr), json_object_del(a, q->id);
}

/* An option (or "don't know") of question w->arg tapped: the answer changes, sealed. */
static void option(struct field *f, const struct ui_widget *w)
{
	const struct question *q = form_question(f->form, (size_t)w->arg);

	if (w->action == FA_UNKNOWN) {
		json_object_set_new(answers(f), q->id, json_string("unknown"));
		json_object_del(typed(f), q->id);
	} else if (w->arg2 >= 0 && (size_t)w->arg2 < q->n_options) {
		if (json_is_string(json_object_get(answers(f), q->id)) && q->type == Q_MULTI)
			json_object_del(answers(f), q->id);   /* "unknown" gives way to a choice */
		choose(f, q, w->arg2);
	}
	if (f->problem_q[0] && !strcmp(f->problem_q, q->id))
		f->problem = NULL;
	drop_hidden(f);
	save(f);
}

/* The kiosk's message for a date speaks to a resident who picks it on a calendar; the
 * consultant types it, so a date that does not exist (31-02, 2026-13-01, "next week") is
 * said as such, with the form to type. */
static const char *field_words(const struct question *q, const char *msgid)
{
	if (q->type == Q_DATE && msgid && !strcmp(msgid, "Please choose a date: day, month and year."))
		return N_("This date does not exist. Type it as day-month-year, for example 07-12-2026.");
	return msgid;
}

/* The first problem of the visible questions on the page, or 0 when it may be left. */
static int page_problem(struct field *f)
{
	for (int i = f->leads[f->page]; i < f->leads[f->page + 1]; i++) {
		const struct question *q = form_question(f->form, (size_t)i);
		const json_t *v = json_object_get(answers(f), q->id);
		const char *msgid = NULL;
		if (!q->enabled || !form_is_visible(f->form, q, answers(f)))
			continue;
		if (!v && q->required)
			msgid = N_("This question needs an answer.");
		else if (v && form_check(q, v, &msgid) == 0)
			msgid = NULL;
		else if (v && !msgid)
			msgid = N_("This answer cannot be used.");
		if (msgid) {
			snprintf(f->problem_q, sizeof(f->problem_q), "%s", q->id);
			f->problem = field_words(q, msgid);
			return 1;
		}
	}
	f->problem = NULL;
	return 0;
}

/* Problems reported by submit_answers: the first opens its page. */
static void on_refused(const char *question_id, const char *msgid, void *arg)
{
	struct field *f = arg;
	const struct question *q = form_find(f->form, question_id);

	if (f->problem || !q)
		return;
	for (int p = 0; p < f->n_pages; p++)
		if (form_question(f->form, (size_t)f->leads[p])->id &&
		    q >= form_question(f->form, (size_t)f->leads[p]) &&
		    (p + 1 == f->n_pages || q < form_question(f->form, (size_t)f->leads[p + 1])))
			f->page = p;
	snprintf(f->problem_q, sizeof(f->problem_q), "%s", question_id);
	f->problem = field_words(q, msgid);
}

/* Seals the intake as a record (the kiosk's submit path) with the consultant's id and
 * the registration it follows; the draft is erased once the record is in the outbox. */
static void send(struct field *f, char focus[UI_ID_MAX])
{
	struct submit_result res;
	json_t *extra = json_pack("{s:s, s:s}", "form", "intake", "consultant_id", f->who);
	const char *follows = json_string_value(json_object_get(f->doc, "follows"));
	int rc;

	if (follows && *follows)
		json_object_set_new(extra, "follows", json_string(follows));
	f->problem = NULL;
	f->sub->extra = extra;
	rc = submit_answers(f->sub, answers(f), NULL, "field", on_refused, f, &res);
	f->sub->extra = NULL;
	json_decref(extra);
	if (rc == 1) {
		f->view = FV_PAGE;
		focus[0] = '\0';
		return;
	}
	if (rc < 0) {
		f->problem_q[0] = '\0';
		f->problem = N_("The intake could not be stored. It stays as a draft.");
		return;
	}
	snprintf(f->sent_ref, sizeof(f->sent_ref), "%s", res.ref);
	util_cleanse(&res, sizeof(res));
	draft_erase(f->state_dir, f->who, f->draft_id);
	erase_visit(f, follows);   /* the record is in the outbox: its visit is done */
	forget_draft(f);
	f->sent_now = 1;
	f->view = FV_SENT;
	snprintf(focus, UI_ID_MAX, "next");
}

static void next_page(struct field *f, char focus[UI_ID_MAX])
{
	int p;

	if (page_problem(f))
		return;
	p = visible_page(f, f->page + 1, 1);
	if (p < 0)
		return send(f, focus);
	open_page(f, p, focus);
	save(f);
}

static void prev_page(struct field *f, char focus[UI_ID_MAX])
{
	int p = visible_page(f, f->page - 1, -1);

	if (p < 0)
		return show_drafts(f, focus);
	open_page(f, p, focus);
	save(f);
}

/* ---- the lists that page (visits, drafts) ---- */

static const char *const list_prefix[FL_COUNT] = { "visit-", "draft-" };

static int list_count(const struct field *f, enum field_list l)
{
	return l == FL_VISITS ? f->n_visits : f->n_drafts;
}

/* The list a widget id belongs to ("visit-3", "visits-down", "draft-0"), or -1; *row gets
 * the row's index (-1 for the pager). */
static int list_of(const char *id, int *row)
{
	static const char *const pagers[FL_COUNT] = { "visits-", "drafts-" };

	*row = -1;
	for (int l = 0; id && l < FL_COUNT; l++) {
		size_t n = strlen(list_prefix[l]);
		if (!strncmp(id, pagers[l], n + 1))
			return l;
		if (!strncmp(id, list_prefix[l], n) && id[n] >= '0' && id[n] <= '9') {
			*row = atoi(id + n);
			return l;
		}
	}
	return -1;
}

/* Shows rows from top (kept within the list) and, when row >= 0, focuses that row, moved
 * into view. */
static void list_show(struct field *f, enum field_list l, int top, int row, char focus[UI_ID_MAX])
{
	int n = list_count(f, l), rows = f->rows[l] > 0 ? f->rows[l] : 1;

	if (row >= 0) {
		row = row >= n ? n - 1 : row < 0 ? 0 : row;
		top = row < top ? row : row >= top + rows ? row - rows + 1 : top;
	}
	f->top[l] = top > n - rows ? n - rows : top;
	f->top[l] = f->top[l] < 0 ? 0 : f->top[l];
	if (row >= 0 && n > 0)
		snprintf(focus, UI_ID_MAX, "%s%d", list_prefix[l], row);
}

/* "Earlier"/"More": a page back or on; the focus goes to the first row of the new page
 * (or stays on the button when the list is at its end). */
static void list_page(struct field *f, enum field_list l, int dir, char focus[UI_ID_MAX])
{
	int rows = f->rows[l] > 0 ? f->rows[l] : 1, old = f->top[l];

	list_show(f, l, f->top[l] + dir * rows, -1, focus);
	if (f->top[l] != old)
		snprintf(focus, UI_ID_MAX, "%s%d", list_prefix[l], f->top[l]);
}

/* Up/Down move the focus a row, PageUp/PageDown a page, in the list the focus is in (from
 * outside a list, Down and PageDown enter the first one); the wheel scrolls the list under
 * the pointer (w) by a row a notch. 1 when something changed. */
static int list_key(struct field *f, int key, const struct ui_widget *w, char focus[UI_ID_MAX])
{
	int row, l, wheel = key == FK_WHEEL_UP || key == FK_WHEEL_DOWN, dir;

	dir = key == FK_UP || key == FK_PAGE_UP || key == FK_WHEEL_UP ? -1 : 1;
	l = list_of(wheel ? (w ? w->id : NULL) : focus, &row);
	if (l < 0 && (wheel || dir > 0))   /* into the first list that has rows */
		l = f->n_visits ? FL_VISITS : f->n_drafts ? FL_DRAFTS : -1, row = wheel ? -1 : -2;
	if (l < 0 || !list_count(f, l))
		return 0;
	if (wheel)
		list_show(f, l, f->top[l] + dir, -1, focus);
	else if (row == -2)   /* entering: the first row shown */
		list_show(f, l, f->top[l], f->top[l], focus);
	else if (row < 0)     /* on the pager */
		list_page(f, l, dir, focus);
	else
		list_show(f, l, f->top[l], row + dir * (key == FK_UP || key == FK_DOWN ? 1 : f->rows[l]), focus);
	return 1;
}

static int activate(struct field *f, const struct ui_widget *w, char focus[UI_ID_MAX])
{
	switch (w->action) {
	case FA_CONS:
		f->sel = w->arg;
		f->msg = NULL;
		sodium_memzero(f->pass, sizeof(f->pass));
		f->pass_len = 0;
		snprintf(focus, UI_ID_MAX, "pass");
		return 1;
	case FA_FIELD:
		if (!strcmp(w->id, "pass") && f->pass_len)
			unlock(f, focus);   /* Return in the passphrase field */
		return 1;
	case FA_UNLOCK:
		return unlock(f, focus), 1;
	case FA_OTHER:
		sodium_memzero(f->pass, sizeof(f->pass));
		f->pass_len = 0;
		forget_draft(f);
		f->who[0] = '\0';
		f->view = FV_SIGNIN;
		list_consultants(f);
		return 1;
	case FA_NEW:
		return new_draft(f, focus), 1;
	case FA_OPEN:
		if (w->arg >= 0 && w->arg < f->n_drafts)
			open_draft(f, f->drafts[w->arg].id, focus);
		return 1;
	case FA_OPTION: case FA_UNKNOWN:
		return f->doc ? (option(f, w), 1) : 0;
	case FA_NEXT: case FA_SEND:
		return f->doc ? (next_page(f, focus), 1) : 0;
	case FA_BACK:
		return f->doc ? (prev_page(f, focus), 1) : 0;
	case FA_DRAFTS:
		return show_drafts(f, focus), 1;
	case FA_VISIT:
		if (f->unlocked && w->arg >= 0 && w->arg < f->n_visits)
			start_visit(f, w->arg, focus);
		return 1;
	case FA_LOCK:
		return field_lock(f), 1;
	case FA_PAGE:
		if (w->arg >= 0 && w->arg < FL_COUNT)
			list_page(f, (enum field_list)w->arg, w->arg2 < 0 ? -1 : 1, focus);
		return 1;
	default:
		return 0;
	}
}

/* Typed text on the draft list: the kiosk reference this intake follows. */
static int type_follows(struct field *f, const char *text, int bs)
{
	size_t n = strlen(f->follows);

	if (bs)
		backspace(f->follows, &n);
	else if (n + strlen(text) < sizeof(f->follows))
		memcpy(f->follows + n, text, strlen(text) + 1);
	return 1;
}

int field_event(struct field *f, enum field_event_kind kind, const struct ui_widget *w,
		const char *text, int key, char focus[UI_ID_MAX])
{
	int bs = kind == FE_KEY && key == FK_BACKSPACE;

	if (kind == FE_ACTIVATE)
		return w ? activate(f, w, focus) : 0;
	if (kind == FE_KEY && key >= FK_UP && key <= FK_WHEEL_DOWN)
		return f->view == FV_DRAFTS || (f->view == FV_PAGE && !f->doc) ? list_key(f, key, w, focus) : 0;
	if (kind == FE_KEY && key != FK_BACKSPACE)
		return 0;
	if (f->view == FV_SIGNIN || f->view == FV_LOCKED) {
		if (bs)
			backspace(f->pass, &f->pass_len);
		else
			type_pass(f, text);
		if (!focus[0])
			snprintf(focus, UI_ID_MAX, "pass");
		return 1;
	}
	if (f->view == FV_DRAFTS && !strcmp(focus, "follows"))
		return type_follows(f, bs ? "" : text, bs);
	if (f->view == FV_PAGE && f->doc)
		return type_answer(f, focus, bs ? "" : text, bs);
	return 0;
}
