/*
 * page_record.c — one record (issue 11 "Record page", "Act on it"): every answer in
 * plain words beside its question, the crisis block, the deadline and how it was computed,
 * device, location and times, a gap warning, and the forms to assign, log a contact
 * attempt, record the first conversation, add a note and mark the hand-over. Every change
 * is a new row in `events` (history, never overwritten) and a line in the audit log.
 */
#include "sync/office/web.h"
#include "sync/office/field_visit.h"
#include "sync/office/html.h"
#include "sync/office/odb.h"
#include "sync/office/oindex.h"
#include "sync/office/openrec.h"
#include "sync/office/recheck.h"
#include "sync/office/words.h"
#include "sync/record/record.h"
#include "sync/rules/form.h"

#include <event2/buffer.h>
#include <stdlib.h>
#include <string.h>

struct rec_row {
	char id[40], ref[16], effective[11], legal[11], created[40], day[11], device[64], location[128];
	char language[16], mode[16], kinds[128], crisis_date[11], dl_kind[32], holidays[64], status[16];
	char assignee[AUTH_NAME_MAX], first_conv[11];
	long long received, seq, handed_over, erased;
	int acuut, crisis;
};

static int id_ok(const char *id)
{
	if (strlen(id) != 36)
		return 0;
	for (int i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? id[i] != '-' : !strchr("0123456789abcdef", id[i]))
			return 0;
	return 1;
}

static void col(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	snprintf(buf, size, "%s", v ? v : "");
}

/* The index row of id: 0 found, 1 absent, -1 error. */
static int load_row(sqlite3 *db, const char *id, struct rec_row *r)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT id, ref, effective, legal, created_at, created_day, device,"
		" location, language, mode, kinds, crisis_date, dl_kind, holidays, status, assignee, first_conv,"
		" received_at, seq, coalesce(handed_over, 0), coalesce(erased_at, 0), acuut, crisis"
		" FROM records WHERE id = ?1");
	int rc;

	memset(r, 0, sizeof(*r));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		col(st, 0, r->id, sizeof(r->id)); col(st, 1, r->ref, sizeof(r->ref));
		col(st, 2, r->effective, sizeof(r->effective)); col(st, 3, r->legal, sizeof(r->legal));
		col(st, 4, r->created, sizeof(r->created)); col(st, 5, r->day, sizeof(r->day));
		col(st, 6, r->device, sizeof(r->device)); col(st, 7, r->location, sizeof(r->location));
		col(st, 8, r->language, sizeof(r->language)); col(st, 9, r->mode, sizeof(r->mode));
		col(st, 10, r->kinds, sizeof(r->kinds)); col(st, 11, r->crisis_date, sizeof(r->crisis_date));
		col(st, 12, r->dl_kind, sizeof(r->dl_kind)); col(st, 13, r->holidays, sizeof(r->holidays));
		col(st, 14, r->status, sizeof(r->status)); col(st, 15, r->assignee, sizeof(r->assignee));
		col(st, 16, r->first_conv, sizeof(r->first_conv));
		r->received = sqlite3_column_int64(st, 17);
		r->seq = sqlite3_column_int64(st, 18);
		r->handed_over = sqlite3_column_int64(st, 19);
		r->erased = sqlite3_column_int64(st, 20);
		r->acuut = sqlite3_column_int(st, 21);
		r->crisis = sqlite3_column_int(st, 22);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* "2026-05-12 14:03" of a Unix time, Europe/Amsterdam. */
static void when_text(long long t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M", &tm))
		snprintf(out, 32, "?");
}

/* ---- the answers ---- */

/* A value in plain Dutch words: option labels for choices, "Weet ik niet", Ja/Nee. */
static void value_words(struct req *q, const struct question *qu, const json_t *v)
{
	size_t i;
	json_t *e;

	if (json_is_string(v) && !strcmp(json_string_value(v), "unknown"))
		return html_printf(q->out, "%s", W_(q, "Weet ik niet"));
	if (json_is_boolean(v))
		return html_printf(q->out, "%s", W_(q, json_is_true(v) ? "Ja" : "Nee"));
	if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			html_printf(q->out, "%r", i ? ", " : "");
			value_words(q, qu, e);
		}
		return;
	}
	if (!json_is_string(v))
		return (void)evbuffer_add_printf(q->out, "?");
	for (const struct q_option *o = qu ? qu->options : NULL; o && o->id; o++)
		if (!strcmp(o->id, json_string_value(v)))
			return html_printf(q->out, "%s", form_option_label(qu, o, q->lang));
	html_printf(q->out, "%s", json_string_value(v));
}

static void answer_row(struct req *q, const char *question, const char *aid, const struct question *qu,
		       const json_t *v)
{
	html_printf(q->out, "<tr class=\"utrecht-table__row\" data-answer=\"%s\"><th scope=\"row\""
		    " class=\"utrecht-table__header-cell\">%s</th><td class=\"utrecht-table__cell\" dir=\"auto\">", aid, question);
	value_words(q, qu, v);
	evbuffer_add_printf(q->out, "</td></tr>");
}

/* Every answer with the question it answered, in the form's order; answers the form does
 * not know (an older form) follow under their id. */
static void answers_table(struct req *q, const json_t *answers)
{
	const struct form *f = q->of->form;
	const char *key;
	json_t *v, *shown = json_object();

	html_printf(q->out, "<table class=\"utrecht-table utrecht-table--html-table\" id=\"answers\">"
		    "<caption class=\"utrecht-table__caption\">%s</caption>"
		    "<thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">"
		    "<th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th>"
		    "<th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th></tr></thead>"
		    "<tbody class=\"utrecht-table__body\">", W_(q, "Antwoorden"), W_(q, "Vraag"), W_(q, "Antwoord"));
	for (size_t i = 0; f && i < form_count(f); i++) {
		const struct question *qu = form_question(f, i);
		const char *ids[2];
		size_t n = form_answer_ids(qu, ids);
		for (size_t k = 0; k < n; k++) {
			const char *title = form_text(qu, "title", q->lang);
			if (!(v = json_object_get(answers, ids[k])))
				continue;
			if (n == 2)   /* one question, two answers (postcode and house number): each its own word */
				title = W_(q, !strcmp(ids[k], "house_number") ? "Huisnummer" : "Postcode");
			answer_row(q, title ? title : ids[k], ids[k], qu, v);
			json_object_set_new(shown, ids[k], json_true());
		}
	}
	json_object_foreach((json_t *)answers, key, v)
		if (!json_object_get(shown, key))
			answer_row(q, key, key, NULL, v);
	json_decref(shown);
	evbuffer_add_printf(q->out, "</tbody></table>");
}

/* ---- facts, gaps, history ---- */

static void fact(struct req *q, const char *key, const char *value, const char *id)
{
	html_printf(q->out, "<div class=\"utrecht-data-list__item\"%r%s%r><dt class=\"utrecht-data-list__item-key\">%s</dt>"
		    "<dd class=\"utrecht-data-list__item-value\">%s</dd></div>", id ? " id=\"" : "", id ? id : "",
		    id ? "\"" : "", W_(q, key), value && *value ? value : "-");
}

/* Missing sequence numbers of device below seq ("3, 5-7"), into out; "" when none. */
static void gaps_before(sqlite3 *db, const char *device, long long seq, char *out, size_t size)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT seq FROM records WHERE device = ?1 AND seq <= ?2"
				    " UNION SELECT 0 ORDER BY 1");
	long long prev = -1;
	size_t off = 0;

	out[0] = '\0';
	if (!st)
		return;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	while (sqlite3_step(st) == SQLITE_ROW && off < size) {
		long long s = sqlite3_column_int64(st, 0);
		if (prev >= 0 && s > prev + 1)
			off += (size_t)(s == prev + 2 ? snprintf(out + off, size - off, "%s%lld", off ? ", " : "", prev + 1)
				: snprintf(out + off, size - off, "%s%lld-%lld", off ? ", " : "", prev + 1, s - 1));
		prev = s;
	}
	sqlite3_finalize(st);
}

static void facts(struct req *q, const struct rec_row *r)
{
	char recv[32], seq[24], gaps[256], dl[96], made[20];

	when_text(r->received, recv);
	snprintf(seq, sizeof(seq), "%lld", r->seq);
	snprintf(dl, sizeof(dl), "%s", !strcmp(r->dl_kind, "3_working_days") ? W_(q, "3 werkdagen (crisis)") : W_(q, "4 weken"));
	html_printf(q->out, "<h2 class=\"utrecht-heading-2\">%s</h2><dl class=\"utrecht-data-list\">", W_(q, "Termijn"));
	fact(q, "Moet gebeld zijn op", r->effective, "effective");
	if (r->acuut)
		fact(q, "Waarom vandaag", W_(q, "Acuut: de crisisdatum valt op of voor de Wgs-termijn. Bel vandaag."), NULL);
	fact(q, "Wgs-termijn (wettelijk)", r->legal, "legal");
	fact(q, "Berekend als", dl, NULL);
	fact(q, "Feestdagentabel", r->holidays, NULL);
	fact(q, "Crisisdatum", r->crisis_date, "crisis-date");
	fact(q, "Eerste gesprek", r->first_conv, "first-conv");
	html_printf(q->out, "</dl><h2 class=\"utrecht-heading-2\">%s</h2><dl class=\"utrecht-data-list\">", W_(q, "Herkomst"));
	/* the device's own clock ("2026-05-12T14:03:07+02:00") read as the received time is */
	snprintf(made, sizeof(made), "%.10s %.5s", r->created, strlen(r->created) >= 16 ? r->created + 11 : "");
	fact(q, "Aangemeld op", made, "created");
	fact(q, "Ontvangen op", recv, "received");
	fact(q, "Apparaat", r->device, "device");
	fact(q, "Volgnummer", seq, NULL);
	fact(q, "Locatie", r->location, "location");
	fact(q, "Taal", r->language, NULL);
	fact(q, "Soort", W_(q, !strcmp(r->mode, "field") ? "Huisbezoek" : "Inloop (kiosk)"), NULL);
	evbuffer_add_printf(q->out, "</dl>");
	gaps_before(q->of->db, r->device, r->seq, gaps, sizeof(gaps));
	if (gaps[0])
		html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--warning\" id=\"gap\" data-missing=\"%s\">"
			    "<div class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message utrecht-paragraph\">%s: %s (%s %s). %s</p>"
			    "</div></div>", gaps, W_(q, "Aanmeldingen die nooit aankwamen"), gaps, W_(q, "apparaat"), r->device,
			    W_(q, "Vraag ICT het apparaat na te kijken."));
}

static void history(struct req *q, const char *id)
{
	sqlite3_stmt *st = odb_prep(q->of->db, "SELECT at, user, kind, value, happened, note FROM events"
				    " WHERE record_id = ?1 ORDER BY n");
	int n = 0;

	html_printf(q->out, "<h2 class=\"utrecht-heading-2\" id=\"history\">%s</h2>"
		    "<ol class=\"utrecht-ordered-list office-history\" id=\"events\">", W_(q, "Geschiedenis"));
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 2);
		const char *value = (const char *)sqlite3_column_text(st, 3);
		const char *word = words_nl(words_outcomes, value) ? W_(q, words_nl(words_outcomes, value)) : NULL;
		char at[32];
		when_text(sqlite3_column_int64(st, 0), at);
		html_printf(q->out, "<li class=\"utrecht-ordered-list__item\" data-kind=\"%s\" data-value=\"%s\""
			    " data-user=\"%s\">%s, %s: %s", kind, value ? value : "", (const char *)sqlite3_column_text(st, 1),
			    at, (const char *)sqlite3_column_text(st, 1),
			    words_nl(words_events, kind) ? W_(q, words_nl(words_events, kind)) : kind);
		if (value)
			html_printf(q->out, " %s", word ? word : value);
		if (sqlite3_column_text(st, 4))
			html_printf(q->out, " (%s)", (const char *)sqlite3_column_text(st, 4));
		if (sqlite3_column_text(st, 5))
			html_printf(q->out, " &mdash; %s", (const char *)sqlite3_column_text(st, 5));
		evbuffer_add_printf(q->out, "</li>");
		n++;
	}
	sqlite3_finalize(st);
	if (!n)
		html_printf(q->out, "<li class=\"utrecht-ordered-list__item\">%s</li>", W_(q, "Nog niets gedaan."));
	evbuffer_add_printf(q->out, "</ol>");
}

/* ---- the forms ---- */

static void form_open(struct req *q, const char *id, const char *action, const char *title)
{
	html_printf(q->out, "<form method=\"post\" action=\"/r/%s\" class=\"office-action\" id=\"f-%r\">"
		    "<h3 class=\"utrecht-heading-3\">%s</h3><input type=\"hidden\" name=\"action\" value=\"%r\">",
		    id, action, W_(q, title), action);
	web_csrf_field(q);
}

static void form_close(struct req *q, const char *action, const char *label)
{
	html_printf(q->out, "<div class=\"utrecht-button-group\"><button type=\"submit\" id=\"do-%r\""
		    " class=\"utrecht-button utrecht-button--primary-action\">%s</button></div></form>", action, W_(q, label));
}

static void field_open(struct req *q, const char *id, const char *label)
{
	html_printf(q->out, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
		    "<label class=\"utrecht-form-label\" for=\"%r\">%s</label></div><div class=\"utrecht-form-field__input\">",
		    id, W_(q, label));
}

static void assign_form(struct req *q, const struct rec_row *r)
{
	sqlite3_stmt *st = odb_prep(q->of->db, "SELECT name FROM users WHERE disabled = 0 AND role IN"
				    " ('team', 'coordinator') ORDER BY name");

	form_open(q, r->id, "assign", "Toewijzen");
	field_open(q, "to", "Behandelaar");
	evbuffer_add_printf(q->out, "<select class=\"utrecht-select\" id=\"to\" name=\"to\">");
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(st, 0);
		int fc = field_visit_is_consultant(q, n);   /* assigning makes a visit for their laptop */
		html_printf(q->out, "<option value=\"%s\"%r%r>%s%r%s%r</option>", n, !strcmp(n, r->assignee) ? " selected" : "",
			    fc ? " data-consultant=\"1\"" : "", n, fc ? " (" : "", fc ? W_(q, "huisbezoek") : "", fc ? ")" : "");
	}
	sqlite3_finalize(st);
	evbuffer_add_printf(q->out, "</select></div></div>");
	form_close(q, "assign", "Toewijzen");
}

static void contact_form(struct req *q, const struct rec_row *r)
{
	form_open(q, r->id, "contact", "Contactpoging");
	field_open(q, "outcome", "Uitkomst");
	evbuffer_add_printf(q->out, "<select class=\"utrecht-select\" id=\"outcome\" name=\"outcome\">");
	for (const struct word *w = words_outcomes; w->id; w++)
		html_printf(q->out, "<option value=\"%r\">%s</option>", w->id, W_(q, w->nl));
	evbuffer_add_printf(q->out, "</select></div></div>");
	field_open(q, "when", "Wanneer (leeg: nu)");
	evbuffer_add_printf(q->out, "<input class=\"utrecht-textbox utrecht-textbox--html-input\" type=\"datetime-local\""
			    " id=\"when\" name=\"when\"></div></div>");
	form_close(q, "contact", "Contactpoging vastleggen");
}

static void first_form(struct req *q, const struct rec_row *r)
{
	char today[11];

	web_today(today);
	form_open(q, r->id, "first_conversation", "Eerste gesprek");
	field_open(q, "date", "Datum van het eerste gesprek");
	html_printf(q->out, "<input class=\"utrecht-textbox utrecht-textbox--html-input\" type=\"date\" id=\"date\""
		    " name=\"date\" value=\"%s\" max=\"%s\" min=\"%s\"></div></div>", today, today, r->day);
	form_close(q, "first_conversation", "Eerste gesprek vastleggen");
}

static void note_form(struct req *q, const struct rec_row *r)
{
	form_open(q, r->id, "note", "Notitie");
	field_open(q, "note", "Notitie (geen gegevens die niet nodig zijn)");
	evbuffer_add_printf(q->out, "<textarea class=\"utrecht-textarea\" id=\"note\" name=\"note\" rows=\"3\""
			    " maxlength=\"2000\"></textarea></div></div>");
	form_close(q, "note", "Notitie opslaan");
}

static void actions(struct req *q, const struct rec_row *r)
{
	html_printf(q->out, "<h2 class=\"utrecht-heading-2\">%s</h2><div class=\"office-actions\">", W_(q, "Handelingen"));
	if (q->s->role == ROLE_COORD)
		assign_form(q, r);
	contact_form(q, r);
	if (!r->first_conv[0])
		first_form(q, r);
	note_form(q, r);
	if (r->first_conv[0] && !r->handed_over) {
		form_open(q, r->id, "handover", "Overdracht");
		html_printf(q->out, "<p class=\"utrecht-paragraph\">%s</p>", W_(q, "De aanmelding staat nu in het klantvolgsysteem."));
		form_close(q, "handover", "Overdracht vastleggen");
	}
	evbuffer_add_printf(q->out, "</div>");
}

/* ---- the page ---- */

/* The record of the request's path (/r/<id>): 0 with r filled, else answered (404). */
static int record_of(struct req *q, struct rec_row *r)
{
	const char *id = q->path + 3;

	if (!id_ok(id) || load_row(q->of->db, id, r) != 0) {
		web_fail(q, 404, "Niet gevonden", "Deze aanmelding bestaat niet.");
		return -1;
	}
	return 0;
}

/* What the clock says, under the heading, in words beside any badge (id="due", data-due:
 * acuut, overdue, today, later, or done once the first conversation stopped the clock). */
static void due_line(struct req *q, const struct rec_row *r)
{
	char today[11];
	int cmp;

	web_today(today);
	cmp = strcmp(r->effective, today);
	html_printf(q->out, "<p class=\"utrecht-paragraph office-due\" id=\"due\" data-due=\"%r\">",
		    r->first_conv[0] ? "done" : r->acuut ? "acuut" : cmp < 0 ? "overdue" : cmp == 0 ? "today" : "later");
	if (r->acuut)
		html_printf(q->out, "<span class=\"utrecht-status-badge utrecht-status-badge--danger office-acuut\">%s</span> ",
			    W_(q, "ACUUT"));
	if (r->first_conv[0])
		html_printf(q->out, "%s %s.", W_(q, "Eerste gesprek gevoerd op"), r->first_conv);
	else if (r->acuut || cmp == 0)
		html_printf(q->out, "%s", W_(q, "Bel vandaag."));
	else if (cmp < 0)
		html_printf(q->out, "<span class=\"utrecht-status-badge utrecht-status-badge--danger office-overdue\">%s</span> %s %s.",
			    W_(q, "Te laat"), W_(q, "Moest gebeld zijn op"), r->effective);
	else
		html_printf(q->out, "%s %s.", W_(q, "Bellen uiterlijk op"), r->effective);
	evbuffer_add_printf(q->out, "</p>");
}

static void heading(struct req *q, const struct rec_row *r)
{
	char ref[12];

	words_ref(r->ref, ref);
	html_printf(q->out, "<h1 class=\"utrecht-heading-1\" id=\"ref\" data-ref=\"%s\">%s %s</h1>", r->ref,
		    W_(q, "Aanmelding"), ref);
	due_line(q, r);
	html_printf(q->out, "<p class=\"utrecht-paragraph\" id=\"status\" data-status=\"%s\">%s: %s"
		    " &middot; %s: %s</p>", r->status, W_(q, "Status"),
		    words_nl(words_status, r->status) ? W_(q, words_nl(words_status, r->status)) : r->status,
		    W_(q, "Behandelaar"), r->assignee[0] ? r->assignee : W_(q, "niemand"));
}

/* Whom to call and how, first thing under the heading: name, number or e-mail, best time. */
static void call_line(struct req *q, const json_t *a)
{
	const char *how = json_string_value(json_object_get(a, "contact"));
	const char *name = json_string_value(json_object_get(a, "name"));
	const char *best = json_string_value(json_object_get(a, "best_time"));
	const char *value = how && !strcmp(how, "phone") ? json_string_value(json_object_get(a, "phone")) :
			    how && !strcmp(how, "email") ? json_string_value(json_object_get(a, "email")) : NULL;
	static const struct word times[] = { { "morning", WN_("liefst 's ochtends") }, { "afternoon", WN_("liefst 's middags") },
					     { "evening", WN_("liefst 's avonds") }, { NULL, NULL } };

	html_printf(q->out, "<p class=\"utrecht-paragraph office-call\" id=\"call\"><strong dir=\"auto\">%s</strong> &middot; %s",
		    name ? name : "?", value ? value : how && !strcmp(how, "come_back") ? W_(q, "komt terug op het inloopspreekuur") : "?");
	if (words_nl(times, best))
		html_printf(q->out, " &middot; %s", W_(q, words_nl(times, best)));
	evbuffer_add_printf(q->out, "</p>");
}

/* A refused record: the reason (ids and rules, never an answer's value), nothing of its text. */
static void refused_alert(struct req *q, int rc, const char *why)
{
	html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--error\" id=\"not-opened\" data-refused=\"%d\">"
		    "<div class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message utrecht-paragraph\">%s: %s</p>"
		    "</div></div>", rc == OPENREC_REFUSED, W_(q, "Deze aanmelding kon niet worden geopend"),
		    rc == OPENREC_ABSENT ? W_(q, "niet meer in de case store") : why);
}

/* A record the index refused (table unopened): its page says so with the reason, 200, so
 * the team sees what came in and why it is not trusted. 1 when id is not one either. */
static int page_unopened(struct req *q, const char *id)
{
	sqlite3_stmt *st = odb_prep(q->of->db, "SELECT device, why FROM unopened WHERE id = ?1");
	char ref[12];
	int rc = 1;

	if (!st)
		return 1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && web_audit(q, "view-refused", id) == 0) {
		record_ref_from_id(id, ref);
		web_page_begin(q, "Aanmelding");
		html_printf(q->out, "<h1 class=\"utrecht-heading-1\" id=\"ref\">%s %s</h1>", W_(q, "Aanmelding"), ref);
		refused_alert(q, OPENREC_REFUSED, (const char *)sqlite3_column_text(st, 1));
		html_printf(q->out, "<p class=\"utrecht-paragraph\" id=\"device\">%s: %s</p>", W_(q, "Apparaat"),
			    (const char *)sqlite3_column_text(st, 0));
		web_page_end(q, 200);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

void page_record(struct req *q)
{
	struct rec_row r;
	struct opened op = { 0 };
	char why[256] = "";
	int rc = OPENREC_ABSENT;

	if (id_ok(q->path + 3) && load_row(q->of->db, q->path + 3, &r) == 1 && page_unopened(q, q->path + 3) == 0)
		return;
	if (record_of(q, &r) < 0)
		return;
	if (web_audit(q, "view", r.ref) < 0)
		return web_fail(q, 503, "Auditlog", "Het auditlog kan niet worden geschreven.");
	if (!r.erased)   /* the one way: seal, ids, signer, and the office's re-check */
		rc = openrec_id(&q->of->open, q->of->store, r.id, &op, why, sizeof(why));
	web_page_begin(q, "Aanmelding");
	heading(q, &r);
	field_visit_show(q, r.id);
	if (r.erased)
		html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--info\" id=\"erased\"><div class=\"utrecht-alert__content\">"
				    "<p class=\"utrecht-alert__message utrecht-paragraph\">%s</p></div></div>", W_(q, "De inhoud is gewist na de bewaartermijn."));
	else if (rc != OPENREC_OK)
		refused_alert(q, rc, why);
	else {
		if (op.triage_note == RECHECK_CHANGED)
			html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--warning\" id=\"triage-note\"><div"
				    " class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message utrecht-paragraph\">%s</p>"
				    "</div></div>", W_(q, "Het apparaat berekende een andere crisis of termijn; hier staat die van het kantoor."));
		call_line(q, json_object_get(op.rec, "answers"));
		answers_table(q, json_object_get(op.rec, "answers"));
	}
	opened_release(&op);
	facts(q, &r);
	if (!r.erased)
		actions(q, &r);
	history(q, r.id);
	web_page_end(q, 200);
}

/* ---- acting on a record ---- */

struct change {
	const char *kind, *value, *happened, *note;
	const char *set_sql;       /* the index update, ?1 = id, ?2 = value, or NULL */
};

static int user_can_take(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT 1 FROM users WHERE name = ?1 AND disabled = 0"
				    " AND role IN ('team', 'coordinator')");
	int ok;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

/* "YYYY-MM-DDTHH:MM" as sent by a datetime-local field. */
static int local_time_ok(const char *s)
{
	struct ymd d;
	char day[11];

	if (strlen(s) != 16 || s[10] != 'T' || s[13] != ':' || strspn(s + 11, "0123456789") != 2 ||
	    strspn(s + 14, "0123456789") != 2)
		return 0;
	snprintf(day, sizeof(day), "%.10s", s);
	return ymd_parse(day, &d) == 0;
}

/* Checks the action's fields into c; 0 ok, else the status to refuse with. */
static int read_change(struct req *q, const struct rec_row *r, struct change *c)
{
	const char *action = web_arg(q, "action");
	char today[11];
	struct ymd d;

	memset(c, 0, sizeof(*c));
	web_today(today);
	if (!action)
		return 400;
	c->kind = action;
	if (!strcmp(action, "assign")) {
		c->value = web_arg(q, "to");
		c->set_sql = "UPDATE records SET assignee = ?2, status = CASE WHEN status = 'open'"
			     " THEN 'assigned' ELSE status END WHERE id = ?1";
		return q->s->role != ROLE_COORD ? 403 : !c->value || !user_can_take(q->of->db, c->value) ? 400 : 0;
	}
	if (!strcmp(action, "contact")) {
		c->value = web_arg(q, "outcome");
		c->happened = web_arg(q, "when") && *web_arg(q, "when") ? web_arg(q, "when") : NULL;
		/* when it happened: a day from the registration to today, never in the future */
		return !words_nl(words_outcomes, c->value) || (c->happened && (!local_time_ok(c->happened) ||
		       strncmp(c->happened, today, 10) > 0 || strncmp(c->happened, r->day, 10) < 0)) ? 400 : 0;
	}
	if (!strcmp(action, "first_conversation")) {
		c->happened = web_arg(q, "date");
		c->set_sql = "UPDATE records SET first_conv = ?2, status = 'contacted' WHERE id = ?1 AND first_conv IS NULL";
		if (!c->happened || ymd_parse(c->happened, &d) < 0 || strcmp(c->happened, today) > 0 ||
		    strcmp(c->happened, r->day) < 0)
			return 400;
		c->value = c->happened;
		return r->first_conv[0] ? 409 : 0;
	}
	if (!strcmp(action, "note")) {
		c->note = web_arg(q, "note");
		return !c->note || !*c->note || strlen(c->note) > 2000 ? 400 : 0;
	}
	if (!strcmp(action, "handover")) {
		c->set_sql = "UPDATE records SET handed_over = strftime('%s', 'now'), status = 'handed_over'"
			     " WHERE id = ?1 AND handed_over IS NULL";
		return !r->first_conv[0] ? 409 : r->handed_over ? 409 : 0;
	}
	return 400;
}

static int bind_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The history row and the index update, in one transaction. */
static int apply_change(struct req *q, const struct rec_row *r, const struct change *c)
{
	sqlite3 *db = q->of->db;
	sqlite3_stmt *st;

	if (odb_exec(db, "BEGIN IMMEDIATE", "change") < 0)
		return -1;
	st = odb_prep(db, "INSERT INTO events(record_id, at, user, kind, value, happened, note)"
		      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)q->now);
	sqlite3_bind_text(st, 3, q->s->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, c->happened, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, c->note, -1, SQLITE_STATIC);
	if (bind_step(st) < 0)
		goto fail;
	if (c->set_sql) {
		if (!(st = odb_prep(db, c->set_sql)))
			goto fail;
		sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->value, -1, SQLITE_STATIC);
		if (bind_step(st) < 0)
			goto fail;
	}
	if (odb_exec(db, "COMMIT", "change") < 0)
		goto fail;
	return 0;
fail:
	odb_exec(db, "ROLLBACK", "change");
	return -1;
}

void page_record_post(struct req *q)
{
	struct rec_row r;
	struct change c;
	struct field_visit v = { 0 };
	enum field_visit_result fv;
	char path[64], action[40];
	int code, assign;

	if (record_of(q, &r) < 0)
		return;
	if (r.erased)
		return web_fail(q, 409, "Gewist", "De inhoud van deze aanmelding is gewist.");
	if ((code = read_change(q, &r, &c)) != 0)
		return web_fail(q, code, code == 403 ? "Geen toegang" : "Niet opgeslagen",
				code == 403 ? "Alleen een coördinator wijst aanmeldingen toe." :
				code == 409 ? "Dit is al vastgelegd." : "Een van de velden klopt niet.");
	/* assigned to a consultant: the visit is sealed first, so a refusal changes nothing */
	assign = !strcmp(c.kind, "assign");
	if (assign && (fv = field_visit_prepare(q, r.id, r.ref, c.value, &v)) < 0)
		return web_fail(q, fv == FIELD_VISIT_NO_SIGNER ? 503 : 409, "Niet toegewezen", field_visit_refusal(fv));
	snprintf(action, sizeof(action), "record-%s", c.kind);
	code = web_audit(q, action, r.ref) < 0 || apply_change(q, &r, &c) < 0 ? 503 :
	       assign && field_visit_commit(q, r.id, r.ref, &v) < 0 ? 500 : 0;
	if (!code && (!strcmp(c.kind, "first_conversation") || !strcmp(c.kind, "handover")))
		field_visit_end(q, r.id, r.ref, c.kind[0] == 'f' ? "contacted" : "handed-over");   /* logged */
	field_visit_release(&v);
	if (code)
		return web_fail(q, code, "Niet opgeslagen", code == 503 ? "De wijziging kon niet worden opgeslagen." :
				"Toegewezen, maar het bezoek kon niet worden klaargezet voor de laptop.");
	snprintf(path, sizeof(path), "/r/%s", r.id);
	web_redirect(q, path);
}
