/*
 * page_worklist.c — the worklist (issue 11 "Worklist"): acuut first, then by effective
 * deadline; overdue marked; filters by location, status, crisis kind, assignee and week;
 * search by reference (dashes and case ignored); pages of WEB_PAGE_ROWS. The list is read
 * from the index; only the envelopes of the rows shown are opened, for name and contact.
 */
#include "sync/office/web.h"
#include "sync/office/html.h"
#include "sync/office/odb.h"
#include "sync/office/oindex.h"
#include "sync/office/openrec.h"
#include "sync/office/vault.h"
#include "sync/office/words.h"
#include "sync/record/record.h"
#include "platform/util.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BINDS 8

struct filter {
	const char *loc, *status, *kind, *assignee, *week, *q;
	char ref[16], today[11], week_n[9];
	int page;
	char where[512];
	const char *binds[MAX_BINDS];
	int nbinds;
};

static void add_cond(struct filter *f, const char *cond, const char *bind)
{
	size_t n = strlen(f->where);

	snprintf(f->where + n, sizeof(f->where) - n, "%s%s", n ? " AND " : " WHERE ", cond);
	if (bind && f->nbinds < MAX_BINDS)
		f->binds[f->nbinds++] = bind;
}

/* An ISO week as typed ("2026-W19", "2026-w19", "2026W19", "2026-W9", "2026 w 9") as
 * "2026-W19" in out; 0 when it is not one (week 1 to 53). */
static int week_norm(const char *in, char out[9])
{
	char t[16];
	size_t k = 0;
	int w;

	for (; *in && k < sizeof(t) - 1; in++)
		if (*in != ' ' && *in != '-')
			t[k++] = *in == 'w' ? 'W' : *in;
	t[k] = '\0';
	if (*in || k < 6 || k > 7 || strspn(t, "0123456789") != 4 || t[4] != 'W' ||
	    strspn(t + 5, "0123456789") != k - 5)
		return 0;
	w = atoi(t + 5);
	if (w < 1 || w > 53)
		return 0;
	snprintf(out, 9, "%.4s-W%02d", t, w);
	return 1;
}

/* Reads the filters from the query; 400 for a value that is not one of the choices. */
static int read_filter(struct req *q, struct filter *f)
{
	const char *page = web_arg(q, "page");

	memset(f, 0, sizeof(*f));
	web_today(f->today);
#define ARG(k) (web_arg(q, k) && *web_arg(q, k) ? web_arg(q, k) : NULL)
	f->loc = ARG("loc"), f->status = ARG("status"), f->kind = ARG("kind");
	f->assignee = ARG("assignee"), f->week = ARG("week"), f->q = ARG("q");
#undef ARG
	f->page = page ? atoi(page) : 1;
	if (f->page < 1 || f->page > 100000 || (f->kind && !words_nl(words_kinds, f->kind)) ||
	    (f->week && !week_norm(f->week, f->week_n)) ||
	    (f->status && strcmp(f->status, "overdue") && strcmp(f->status, "today") &&
	     !words_nl(words_status, f->status)))
		return 400;
	if (f->loc)
		add_cond(f, "location = ?", f->loc);
	if (f->status && !strcmp(f->status, "overdue"))
		add_cond(f, "first_conv IS NULL AND erased_at IS NULL AND effective < ?", f->today);
	else if (f->status && !strcmp(f->status, "today"))
		add_cond(f, "first_conv IS NULL AND erased_at IS NULL AND effective <= ?", f->today);
	else if (f->status)
		add_cond(f, "status = ?", f->status);
	if (f->kind)
		add_cond(f, "crisis = 1 AND (',' || kinds || ',') LIKE ('%,' || ? || ',%')", f->kind);
	if (f->assignee && !strcmp(f->assignee, "-"))
		add_cond(f, "assignee IS NULL", NULL);
	else if (f->assignee)
		add_cond(f, "assignee = ?", f->assignee);
	if (f->week)
		add_cond(f, "week = ?", f->week = f->week_n);
	if (f->q) {
		oindex_norm_ref(f->q, f->ref);
		add_cond(f, "ref = ?", f->ref);
	}
	return 0;
}

/* A <select> of the distinct values of column in the index (location, assignee). */
static void select_of(struct req *q, const char *id, const char *label, const char *sql, const char *cur,
		      const char *none_label)
{
	sqlite3_stmt *st = odb_prep(q->of->db, sql);

	html_printf(q->out, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
		    "<label class=\"utrecht-form-label\" for=\"%r\">%s</label></div><div class=\"utrecht-form-field__input\">"
		    "<select class=\"utrecht-select utrecht-select--html-select\" id=\"%r\" name=\"%r\">"
		    "<option value=\"\">%s</option>", id, W_(q, label), id, id, W_(q, "Alle"));
	if (none_label)
		html_printf(q->out, "<option value=\"-\"%r>%s</option>", cur && !strcmp(cur, "-") ? " selected" : "",
			    W_(q, none_label));
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		html_printf(q->out, "<option value=\"%s\"%r>%s</option>", v, cur && !strcmp(cur, v) ? " selected" : "", v);
	}
	sqlite3_finalize(st);
	evbuffer_add_printf(q->out, "</select></div></div>");
}

static void select_words(struct req *q, const char *id, const char *label, const struct word *w,
			 const char *cur, int with_overdue)
{
	html_printf(q->out, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
		    "<label class=\"utrecht-form-label\" for=\"%r\">%s</label></div><div class=\"utrecht-form-field__input\">"
		    "<select class=\"utrecht-select utrecht-select--html-select\" id=\"%r\" name=\"%r\">"
		    "<option value=\"\">%s</option>", id, W_(q, label), id, id, W_(q, "Alle"));
	if (with_overdue)
		html_printf(q->out, "<option value=\"today\"%r>%s</option><option value=\"overdue\"%r>%s</option>",
			    cur && !strcmp(cur, "today") ? " selected" : "", W_(q, "Vandaag bellen"),
			    cur && !strcmp(cur, "overdue") ? " selected" : "", W_(q, "Te laat"));
	for (; w->id; w++)
		html_printf(q->out, "<option value=\"%r\"%r>%s</option>", w->id, cur && !strcmp(cur, w->id) ? " selected" : "",
			    W_(q, w->nl));
	evbuffer_add_printf(q->out, "</select></div></div>");
}

/* The distinct values of an indexed column by skipping from one to the next (a few index
 * lookups per value) rather than reading every row: SQLite's DISTINCT walks them all. */
#define DISTINCT_OF(c) "WITH RECURSIVE v(x) AS (SELECT min(" c ") FROM records UNION ALL SELECT" \
	" (SELECT min(" c ") FROM records WHERE " c " > v.x) FROM v WHERE v.x IS NOT NULL)" \
	" SELECT x FROM v WHERE x IS NOT NULL"

static void filter_form(struct req *q, const struct filter *f)
{
	html_printf(q->out, "<form method=\"get\" action=\"/worklist\" class=\"office-filters\" id=\"filters\">"
		    "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
		    "<label class=\"utrecht-form-label\" for=\"q\">%s</label></div>"
		    "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox utrecht-textbox--html-input\""
		    " id=\"q\" name=\"q\" value=\"%s\" autocomplete=\"off\"></div></div>", W_(q, "Referentie"), f->q ? f->q : "");
	select_of(q, "loc", WN_("Locatie"), DISTINCT_OF("location"), f->loc, NULL);
	select_words(q, "status", WN_("Status"), words_status, f->status, 1);
	select_words(q, "kind", WN_("Crisis"), words_kinds, f->kind, 0);
	select_of(q, "assignee", WN_("Behandelaar"), DISTINCT_OF("assignee"), f->assignee, WN_("Niemand"));
	html_printf(q->out, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
		    "<label class=\"utrecht-form-label\" for=\"week\">%s</label></div>"
		    "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox utrecht-textbox--html-input\""
		    " type=\"week\" id=\"week\" name=\"week\" value=\"%s\" size=\"9\"></div></div>"
		    "<div class=\"utrecht-button-group\"><button type=\"submit\" id=\"apply\""
		    " class=\"utrecht-button utrecht-button--primary-action\">%s</button>"
		    "<a class=\"utrecht-link utrecht-link--html-a\" href=\"/worklist\">%s</a>",
		    W_(q, "Week (2026-W19)"), f->week ? f->week : "", W_(q, "Zoeken"), W_(q, "Alles tonen"));
	/* one click to the consultant's own cases (user names are [a-z0-9._@-]: nothing to encode) */
	if (q->s)
		html_printf(q->out, "<a class=\"utrecht-link utrecht-link--html-a\" id=\"mine\" href=\"/worklist?assignee=%s\">%s</a>",
			    q->s->user, W_(q, "Mijn aanmeldingen"));
	evbuffer_add_printf(q->out, "</div></form>");
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Name and how to reach the resident (a, from the row's sealed fields or its opened
 * envelope); NULL a: refused, with why (a reason, never the record's text). The name's
 * direction is its own (dir="auto"): an Arabic name reads right to left in a Dutch list. */
static void person_cells(struct req *q, const json_t *a, const char *why)
{
	const char *how = jstr(a, "contact");
	const char *value = how && !strcmp(how, "phone") ? jstr(a, "phone") :
			    how && !strcmp(how, "email") ? jstr(a, "email") : NULL;

	if (!a)
		return html_printf(q->out, "<td class=\"utrecht-table__cell office-refused\" data-refused=\"1\">%s</td>"
				   "<td class=\"utrecht-table__cell\">%s</td>", W_(q, "(niet te openen)"), why);
	html_printf(q->out, "<td class=\"utrecht-table__cell office-name\" dir=\"auto\">%s</td><td class=\"utrecht-table__cell office-nowrap\">%s%r</td>",
		    jstr(a, "name") ? jstr(a, "name") : "?",
		    value ? value : how && !strcmp(how, "come_back") ? W_(q, "Komt terug") : "?", "");
}

/* The row's sealed list fields (vault.h) as JSON (caller json_decref), or NULL when the
 * row has none or they do not open (then the envelope is opened instead). */
static json_t *sealed_person(struct req *q, sqlite3_stmt *st, int col, const char *id)
{
	const void *blob = sqlite3_column_blob(st, col);
	char *text = NULL;
	size_t n = 0;
	json_t *p;

	if (!blob || !q->of->vault)
		return NULL;
	if (vault_open(q->of->vault, id, blob, (size_t)sqlite3_column_bytes(st, col), &text, &n) < 0) {
		util_log("office", "warning: the sealed list fields of a row do not open (record %s): its envelope is opened", id);
		return NULL;
	}
	p = json_loadb(text, n, JSON_REJECT_DUPLICATES, NULL);
	util_cleanse(text, n);
	util_clear_free(text);
	return json_is_object(p) ? p : (json_decref(p), NULL);
}

/* The person cells of one row: from the sealed fields, else from the envelope, opened
 * the office's one way (openrec.h; a refused record shows its reason). */
static void row_person(struct req *q, sqlite3_stmt *st, int col, const char *id)
{
	json_t *p = sealed_person(q, st, col, id);
	struct opened op;
	char why[256];

	if (p) {
		person_cells(q, p, NULL);
		json_decref(p);
		return;
	}
	if (openrec_id(&q->of->open, q->of->store, id, &op, why, sizeof(why)) != OPENREC_OK)
		return person_cells(q, NULL, why);
	p = oindex_person(op.rec);
	opened_release(&op);
	person_cells(q, p, NULL);
	json_decref(p);
}

static void kind_words(struct req *q, const char *kinds, int crisis)
{
	char buf[128], *save = NULL, *k;
	int first = 1;

	if (!crisis)
		return html_printf(q->out, "%s", W_(q, "Geen"));
	snprintf(buf, sizeof(buf), "%s", kinds);
	for (k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save), first = 0)
		html_printf(q->out, "%r%s", first ? "" : ", ", words_nl(words_kinds, k) ? W_(q, words_nl(words_kinds, k)) : k);
	if (first)
		html_printf(q->out, "%s", W_(q, "Crisis (soort onbekend)"));
}

/* "2026-05-12T14:03:07+02:00" as "2026-05-12 14:03" into out. */
static const char *created_short(const char *iso, char out[20])
{
	snprintf(out, 20, "%.10s %.5s", iso, strlen(iso) >= 16 ? iso + 11 : "");
	return out;
}

enum { C_ID, C_REF, C_EFFECTIVE, C_ACUUT, C_CRISIS, C_KINDS, C_STATUS, C_ASSIGNEE, C_LOCATION,
       C_LANGUAGE, C_CREATED, C_FIRST, C_ERASED, C_CRISIS_DATE, C_PERSON };

static void row_html(struct req *q, sqlite3_stmt *st, const char *today)
{
#define T(c) ((const char *)sqlite3_column_text(st, c))
	const char *effective = T(C_EFFECTIVE), *status = T(C_STATUS);
	int acuut = sqlite3_column_int(st, C_ACUUT), erased = sqlite3_column_type(st, C_ERASED) != SQLITE_NULL;
	int overdue = sqlite3_column_type(st, C_FIRST) == SQLITE_NULL && !erased && strcmp(effective, today) < 0;
	char ref[12], when[20];

	words_ref(T(C_REF), ref);
	html_printf(q->out, "<tr class=\"utrecht-table__row%r\" data-ref=\"%s\" data-acuut=\"%d\" data-overdue=\"%d\">"
		    "<th scope=\"row\" class=\"utrecht-table__header-cell office-nowrap\"><a class=\"utrecht-link utrecht-link--html-a\""
		    " href=\"/r/%s\">%s</a></th>", acuut && sqlite3_column_type(st, C_FIRST) == SQLITE_NULL ? " office-row-acuut" : "",
		    T(C_REF), acuut, overdue, T(C_ID), ref);
	if (erased)
		html_printf(q->out, "<td class=\"utrecht-table__cell\">%s</td><td class=\"utrecht-table__cell\"></td>",
			    W_(q, "(gewist)"));
	else
		row_person(q, st, C_PERSON, T(C_ID));
	evbuffer_add_printf(q->out, "<td class=\"utrecht-table__cell\">");
	if (acuut)
		html_printf(q->out, "<span class=\"utrecht-status-badge utrecht-status-badge--danger office-acuut\">%s</span> ",
			    W_(q, "ACUUT"));
	kind_words(q, T(C_KINDS), sqlite3_column_int(st, C_CRISIS));
	if (T(C_CRISIS_DATE))
		html_printf(q->out, " (%s)", T(C_CRISIS_DATE));
	html_printf(q->out, "</td><td class=\"utrecht-table__cell office-nowrap\">");
	if (!strcmp(effective, today) && sqlite3_column_type(st, C_FIRST) == SQLITE_NULL)
		html_printf(q->out, "<strong>%s</strong> ", W_(q, "vandaag"));
	html_printf(q->out, "%s", effective);
	if (overdue)
		html_printf(q->out, " <span class=\"utrecht-status-badge utrecht-status-badge--danger office-overdue\">%s</span>",
			    W_(q, "Te laat"));
	evbuffer_add_printf(q->out, "</td>");
	html_printf(q->out, "<td class=\"utrecht-table__cell office-nowrap\">%s</td><td class=\"utrecht-table__cell\">%s</td>"
		    "<td class=\"utrecht-table__cell\">%s</td><td class=\"utrecht-table__cell\">%s</td>"
		    "<td class=\"utrecht-table__cell office-nowrap\">%s</td></tr>",
		    words_nl(words_status, status) ? W_(q, words_nl(words_status, status)) : status,
		    T(C_ASSIGNEE) ? T(C_ASSIGNEE) : "-", T(C_LOCATION), T(C_LANGUAGE), created_short(T(C_CREATED), when));
#undef T
}

/* The same query with page n, for the paging links. */
static void page_link(struct req *q, const struct filter *f, int n, const char *label, const char *rel)
{
	html_printf(q->out, "<a class=\"utrecht-link utrecht-link--html-a\" rel=\"%r\" id=\"page-%r\" href=\"/worklist?page=%d",
		    rel, rel, n);
#define KEEP(k, v) if (v) { char *e = evhttp_encode_uri(v); html_printf(q->out, "&amp;%r=%s", k, e ? e : ""); free(e); }
	KEEP("q", f->q) KEEP("loc", f->loc) KEEP("status", f->status) KEEP("kind", f->kind)
	KEEP("assignee", f->assignee) KEEP("week", f->week)
#undef KEEP
	html_printf(q->out, "\">%s</a>", label);
}

static int list_rows(struct req *q, const struct filter *f, int *more)
{
	char sql[1024];
	sqlite3_stmt *st;
	int n = 0;

	snprintf(sql, sizeof(sql), "SELECT id, ref, effective, acuut, crisis, kinds, status, assignee, location,"
		 " language, created_at, first_conv, erased_at, crisis_date, person FROM records%s ORDER BY"
		 " first_conv IS NOT NULL, acuut DESC, effective, created_at, id LIMIT %d OFFSET %d",
		 f->where, WEB_PAGE_ROWS + 1, (f->page - 1) * WEB_PAGE_ROWS);
	if (!(st = odb_prep(q->of->db, sql)))
		return -1;
	for (int i = 0; i < f->nbinds; i++)
		sqlite3_bind_text(st, i + 1, f->binds[i], -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && n < WEB_PAGE_ROWS + 1)
		if (++n <= WEB_PAGE_ROWS)
			row_html(q, st, f->today);
	sqlite3_finalize(st);
	*more = n > WEB_PAGE_ROWS;
	return n > WEB_PAGE_ROWS ? WEB_PAGE_ROWS : n;
}

/* Who must be called today, counted over the open records only (records_open), so it
 * costs what is open and due, not the store: acuut, due today, overdue. */
static void today_banner(struct req *q, const char *today)
{
#define OPEN_ROWS "SELECT count(*) FROM records WHERE first_conv IS NULL AND erased_at IS NULL AND "
	/* three counts over ranges of records_open, not a sum over every open row */
	sqlite3_stmt *st = odb_prep(q->of->db, "SELECT (" OPEN_ROWS "acuut = 1), (" OPEN_ROWS "acuut = 0 AND effective = ?1),"
				    " (" OPEN_ROWS "acuut = 0 AND effective < ?1)");
#undef OPEN_ROWS
	long long acuut = 0, due = 0, late = 0;

	if (st) {
		sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			acuut = sqlite3_column_int64(st, 0);
			due = sqlite3_column_int64(st, 1);
			late = sqlite3_column_int64(st, 2);
		}
		sqlite3_finalize(st);
	}
	html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--%r office-today\" id=\"today\" data-acuut=\"%L\""
		    " data-due=\"%L\" data-overdue=\"%L\"><div class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message"
		    " utrecht-paragraph\">", acuut + late ? "error" : due ? "warning" : "ok", acuut, due, late);
	if (!acuut && !due && !late)
		html_printf(q->out, "%s", W_(q, "Vandaag hoeft niemand meer gebeld te worden."));
	else
		html_printf(q->out, "<strong>%s</strong> <a class=\"utrecht-link utrecht-link--html-a\""
			    " href=\"/worklist?status=today\" id=\"today-link\">%L %s, %L %s, %L %s</a>",
			    W_(q, "Vandaag bellen:"), acuut, W_(q, "acuut"), due, W_(q, "met de termijn vandaag"),
			    late, W_(q, "te laat"));
	evbuffer_add_printf(q->out, "</p></div></div>");
}

static void table_head(struct req *q)
{
	static const char *const cols[] = { WN_("Referentie"), WN_("Naam"), WN_("Contact"), WN_("Crisis"),
					    WN_("Termijn"), WN_("Status"), WN_("Behandelaar"), WN_("Locatie"),
					    WN_("Taal"), WN_("Aangemeld") };

	html_printf(q->out, "<table class=\"utrecht-table utrecht-table--html-table\" id=\"wl\">"
		    "<caption class=\"utrecht-table__caption\">%s</caption>"
		    "<thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">",
		    W_(q, "Aanmeldingen, acuut eerst, dan op termijn"));
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		html_printf(q->out, "<th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th>", W_(q, cols[i]));
	evbuffer_add_printf(q->out, "</tr></thead><tbody class=\"utrecht-table__body\">");
}

/* The records the index refused (table unopened, newest first, at most a page): each with
 * its reason, never its text, so the team sees what arrived and why it is not trusted. */
static void refused_list(struct req *q)
{
	sqlite3_stmt *st = odb_prep(q->of->db, "SELECT id, device, why FROM unopened ORDER BY received_at DESC, id LIMIT ?1");
	char ref[12];
	int n = 0;

	if (st)
		sqlite3_bind_int(st, 1, WEB_PAGE_ROWS);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		if (n++ == 0)
			html_printf(q->out, "<table class=\"utrecht-table utrecht-table--html-table\" id=\"refused\">"
				    "<caption class=\"utrecht-table__caption\">%s</caption><thead class=\"utrecht-table__header\">"
				    "<tr class=\"utrecht-table__row\"><th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th>"
				    "<th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th><th scope=\"col\""
				    " class=\"utrecht-table__header-cell\">%s</th></tr></thead><tbody class=\"utrecht-table__body\">",
				    W_(q, "Niet geopend: niet vertrouwd"), W_(q, "Referentie"), W_(q, "Apparaat"), W_(q, "Reden"));
		record_ref_from_id(id, ref);
		html_printf(q->out, "<tr class=\"utrecht-table__row\" data-id=\"%s\"><th scope=\"row\" class=\"utrecht-table__header-cell\">"
			    "<a class=\"utrecht-link utrecht-link--html-a\" href=\"/r/%s\">%s</a></th><td class=\"utrecht-table__cell\">%s</td>"
			    "<td class=\"utrecht-table__cell\">%s</td></tr>", id, id, ref, (const char *)sqlite3_column_text(st, 1),
			    (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	if (n)
		evbuffer_add_printf(q->out, "</tbody></table>");
}

void page_worklist(struct req *q)
{
	struct filter f;
	int more = 0, n;

	if (read_filter(q, &f) != 0)
		return web_fail(q, 400, "Onjuist filter", "Een van de filters heeft een waarde die niet bestaat.");
	if (f.q && web_audit(q, "search", f.ref[0] ? f.ref : "(invalid)") < 0)
		return web_fail(q, 503, "Auditlog", "Het auditlog kan niet worden geschreven.");
	web_page_begin(q, "Werklijst");
	html_printf(q->out, "<h1 class=\"utrecht-heading-1\">%s</h1>", W_(q, "Werklijst"));
	today_banner(q, f.today);
	filter_form(q, &f);
	table_head(q);
	n = list_rows(q, &f, &more);
	evbuffer_add_printf(q->out, "</tbody></table>");
	if (n == 0)
		html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--info\" id=\"none\"><div class=\"utrecht-alert__content\">"
			    "<p class=\"utrecht-alert__message utrecht-paragraph\">%s</p></div></div>",
			    W_(q, f.q ? "Geen aanmelding met deze referentie." : "Geen aanmeldingen met deze filters."));
	html_printf(q->out, "<nav class=\"office-paging\" aria-label=\"%s\" data-rows=\"%d\"><span>%s %d</span> ",
		    W_(q, "Pagina's"), n, W_(q, "Pagina"), f.page);
	if (f.page > 1)
		page_link(q, &f, f.page - 1, W_(q, "Vorige"), "prev");
	if (more)
		page_link(q, &f, f.page + 1, W_(q, "Volgende"), "next");
	evbuffer_add_printf(q->out, "</nav>");
	if (f.page == 1 && !f.q)
		refused_list(q);
	web_page_end(q, n == 0 && f.q ? 404 : 200);
}
