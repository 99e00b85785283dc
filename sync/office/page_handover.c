/*
 * page_handover.c — export and hand-over to the client-tracking system (coordinator; issue
 * 11 "Act on it", "Export CSV/JSON as today, from the same code"). The records whose first
 * conversation is recorded and that are not yet handed over are written by
 * backoffice_export, the code of `inloopctl export` (the same columns, ';'-separated CSV
 * with every cell quoted and formula starts defused, or JSON). GET /handover shows how many
 * wait; GET /handover?format=csv|json downloads them without changing anything; POST
 * /handover downloads them and marks each handed over (history row, status, audit line per
 * record), so the next hand-over holds only what is new.
 */
#include "sync/office/web.h"
#include "sync/office/html.h"
#include "sync/office/odb.h"
#include "sync/office/backoffice.h"
#include "sync/rules/calendar.h"
#include "platform/util.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#define HANDOVER_MAX 10000     /* records in one file; the rest follow in the next */

struct batch {
	char **ids, **conv, **refs;
	size_t n;
};

static void batch_release(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->ids[i]);
		free(b->conv[i]);
		free(b->refs[i]);
	}
	free(b->ids);
	free(b->conv);
	free(b->refs);
	memset(b, 0, sizeof(*b));
}

/* The records waiting for hand-over, oldest registration first (at most HANDOVER_MAX). */
static int batch_load(sqlite3 *db, struct batch *b)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT id, first_conv, ref FROM records WHERE first_conv IS NOT NULL"
				    " AND handed_over IS NULL AND erased_at IS NULL ORDER BY created_at, id LIMIT ?1");
	int oom = 0, rc;

	memset(b, 0, sizeof(*b));
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, HANDOVER_MAX);
	b->ids = calloc(HANDOVER_MAX, sizeof(char *));
	b->conv = calloc(HANDOVER_MAX, sizeof(char *));
	b->refs = calloc(HANDOVER_MAX, sizeof(char *));
	while (b->ids && b->conv && b->refs && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		b->ids[b->n] = strdup((const char *)sqlite3_column_text(st, 0));
		b->conv[b->n] = strdup((const char *)sqlite3_column_text(st, 1));
		b->refs[b->n] = strdup((const char *)sqlite3_column_text(st, 2));
		if ((oom = !b->ids[b->n] || !b->conv[b->n] || !b->refs[b->n]) != 0) {
			b->n++;
			break;
		}
		b->n++;
	}
	rc = b->ids && b->conv && b->refs && !oom ? 0 : -1;
	sqlite3_finalize(st);
	if (rc < 0)
		batch_release(b);
	return rc;
}

/* Marks every record of b handed over: an audit line each first (as every change in the
 * office: the log says what was about to happen), then index and history rows in one
 * transaction. */
static int batch_mark(struct req *q, const struct batch *b, const char *format)
{
	sqlite3 *db = q->of->db;
	sqlite3_stmt *up = NULL, *ev = NULL;
	int rc = -1;

	for (size_t i = 0; i < b->n; i++)
		if (web_audit(q, "handover", b->refs[i]) < 0)
			return -1;
	if (odb_exec(db, "BEGIN IMMEDIATE", "hand-over") < 0)
		return -1;
	up = odb_prep(db, "UPDATE records SET handed_over = ?2, status = 'handed_over' WHERE id = ?1"
		      " AND handed_over IS NULL");
	ev = odb_prep(db, "INSERT INTO events(record_id, at, user, kind, value) VALUES(?1, ?2, ?3, 'handover', ?4)");
	for (size_t i = 0; up && ev && i < b->n; i++) {
		sqlite3_reset(up);
		sqlite3_reset(ev);
		sqlite3_bind_text(up, 1, b->ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(up, 2, (sqlite3_int64)q->now);
		sqlite3_bind_text(ev, 1, b->ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(ev, 2, (sqlite3_int64)q->now);
		sqlite3_bind_text(ev, 3, q->s->user, -1, SQLITE_STATIC);
		sqlite3_bind_text(ev, 4, format, -1, SQLITE_STATIC);
		if (sqlite3_step(up) != SQLITE_DONE || sqlite3_step(ev) != SQLITE_DONE)
			goto out;
	}
	rc = up && ev ? 0 : -1;
out:
	sqlite3_finalize(up);
	sqlite3_finalize(ev);
	if (odb_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", "hand-over") < 0)
		rc = -1;
	return rc;
}

/* The export of b into out (memory wiped after copying). */
static int batch_export(struct req *q, const struct batch *b, const char *format, struct evbuffer *out)
{
	char *buf = NULL;
	size_t len = 0;
	struct ymd today;
	FILE *m = open_memstream(&buf, &len);
	int rc;

	if (!m)
		return -1;
	if (ymd_today(&today) < 0)
		today = (struct ymd){ 1970, 1, 1 };
	rc = backoffice_export(m, format, q->of->store, &q->of->open, &today, (const char *const *)b->ids,
			       (const char *const *)b->conv, b->n);
	if (fclose(m) != 0)
		rc = -1;
	if (rc == 0 && evbuffer_add(out, buf, len) < 0)
		rc = -1;
	util_clear_free(buf);
	return rc;
}

static void overview(struct req *q, size_t waiting)
{
	web_page_begin(q, "Overdracht");
	html_printf(q->out, "<h1 class=\"utrecht-heading-1\">%s</h1><p class=\"utrecht-paragraph\" id=\"waiting\""
		    " data-count=\"%L\">%s: <strong>%L</strong></p><p class=\"utrecht-paragraph\">%s</p>"
		    "<div class=\"utrecht-button-group\"><a class=\"utrecht-link utrecht-link--html-a\" id=\"dl-csv\""
		    " href=\"/handover?format=csv\">%s (CSV)</a> <a class=\"utrecht-link utrecht-link--html-a\" id=\"dl-json\""
		    " href=\"/handover?format=json\">%s (JSON)</a></div>", W_(q, "Overdracht"), (long long)waiting,
		    W_(q, "Klaar voor het klantvolgsysteem (eerste gesprek gevoerd, nog niet overgedragen)"),
		    (long long)waiting, W_(q, "Een download verandert niets; overdragen markeert elke aanmelding als overgedragen."),
		    W_(q, "Bekijken"), W_(q, "Bekijken"));
	html_printf(q->out, "<form method=\"post\" action=\"/handover\" class=\"office-form\" id=\"f-handover\">");
	web_csrf_field(q);
	html_printf(q->out, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\"><label"
		    " class=\"utrecht-form-label\" for=\"format\">%s</label></div><div class=\"utrecht-form-field__input\">"
		    "<select class=\"utrecht-select utrecht-select--html-select\" id=\"format\" name=\"format\">"
		    "<option value=\"csv\">CSV</option><option value=\"json\">JSON</option></select></div></div>"
		    "<div class=\"utrecht-button-group\"><button type=\"submit\" id=\"do-handover\" class=\"utrecht-button"
		    " utrecht-button--primary-action\">%s</button></div></form>", W_(q, "Bestandsformaat"),
		    W_(q, "Exporteren en als overgedragen markeren"));
	web_page_end(q, 200);
}

/* GET shows the overview or (with format) downloads; POST downloads and marks. */
static void handover(struct req *q, int mark)
{
	const char *format = web_arg(q, "format");
	struct evbuffer *file;
	struct batch b;
	char name[64], today[11];

	if (format && strcmp(format, "csv") && strcmp(format, "json"))
		return web_fail(q, 400, "Onjuist verzoek", "Kies CSV of JSON.");
	if (batch_load(q->of->db, &b) < 0)
		return web_fail(q, 503, "Serverfout", "De aanmeldingen konden niet worden gelezen.");
	if (!format && !mark) {
		overview(q, b.n);
		return batch_release(&b);
	}
	format = format ? format : "csv";
	if (!(file = evbuffer_new()) || batch_export(q, &b, format, file) < 0 ||
	    web_audit(q, mark ? "handover-export" : "export", format) < 0 || (mark && batch_mark(q, &b, format) < 0)) {
		if (file)
			evbuffer_free(file);
		batch_release(&b);
		return web_fail(q, 503, "Niet geëxporteerd", "De export kon niet worden gemaakt; er is niets gemarkeerd.");
	}
	web_today(today);
	snprintf(name, sizeof(name), "attachment; filename=\"overdracht-%s.%s\"", today, format);
	web_send_file(q, !strcmp(format, "csv") ? "text/csv; charset=utf-8" : "application/json", name, file);
	evbuffer_free(file);
	batch_release(&b);
}

void page_handover(struct req *q)
{
	handover(q, 0);
}

void page_handover_post(struct req *q)
{
	handover(q, 1);
}
