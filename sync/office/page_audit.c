/*
 * page_audit.c — the audit log page (coordinator) and retention (web.h).
 */
#include "sync/office/web.h"
#include "sync/office/audit.h"
#include "sync/office/html.h"
#include "sync/office/odb.h"

#include <event2/buffer.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_ROWS 200

static void chain_state(struct req *q)
{
	char why[256] = "";
	long long lines = 0;

	if (audit_verify(q->of->db, &lines, why, sizeof(why)) == 0)
		html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--ok\" id=\"chain\" data-intact=\"1\">"
			    "<div class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message utrecht-paragraph\">"
			    "%s: %L</p></div></div>", W_(q, "De keten is intact; regels"), lines);
	else
		html_printf(q->out, "<div class=\"utrecht-alert utrecht-alert--error\" id=\"chain\" data-intact=\"0\">"
			    "<div class=\"utrecht-alert__content\"><p class=\"utrecht-alert__message utrecht-paragraph\">"
			    "%s: %s</p></div></div>", W_(q, "Het auditlog is aangetast"), why);
}

void page_audit(struct req *q)
{
	sqlite3_stmt *st = odb_prep(q->of->db, "SELECT n, at, user, addr, action, target FROM audit"
				    " ORDER BY n DESC LIMIT ?1");
	static const char *const cols[] = { WN_("Nr."), WN_("Tijd"), WN_("Wie"), WN_("Adres"), WN_("Wat"), WN_("Waarop") };

	if (web_audit(q, "audit-view", "") < 0 || !st) {
		sqlite3_finalize(st);
		return web_fail(q, 503, "Auditlog", "Het auditlog kan niet worden gelezen.");
	}
	web_page_begin(q, "Auditlog");
	html_printf(q->out, "<h1 class=\"utrecht-heading-1\">%s</h1>", W_(q, "Auditlog"));
	chain_state(q);
	html_printf(q->out, "<table class=\"utrecht-table utrecht-table--html-table\" id=\"audit\">"
		    "<caption class=\"utrecht-table__caption\">%s: %d</caption>"
		    "<thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">",
		    W_(q, "De laatste regels, nieuwste eerst"), AUDIT_ROWS);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		html_printf(q->out, "<th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th>", W_(q, cols[i]));
	evbuffer_add_printf(q->out, "</tr></thead><tbody class=\"utrecht-table__body\">");
	sqlite3_bind_int(st, 1, AUDIT_ROWS);
	while (sqlite3_step(st) == SQLITE_ROW) {
		time_t t = (time_t)sqlite3_column_int64(st, 1);
		struct tm tm;
		char at[32] = "?";
		if (localtime_r(&t, &tm))
			strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S", &tm);
		html_printf(q->out, "<tr class=\"utrecht-table__row\" data-action=\"%s\"><td class=\"utrecht-table__cell\">%L</td>"
			    "<td class=\"utrecht-table__cell\">%s</td><td class=\"utrecht-table__cell\">%s</td>"
			    "<td class=\"utrecht-table__cell\">%s</td><td class=\"utrecht-table__cell\">%s</td>"
			    "<td class=\"utrecht-table__cell\">%s</td></tr>", (const char *)sqlite3_column_text(st, 4),
			    (long long)sqlite3_column_int64(st, 0), at, (const char *)sqlite3_column_text(st, 2),
			    (const char *)sqlite3_column_text(st, 3), (const char *)sqlite3_column_text(st, 4),
			    (const char *)sqlite3_column_text(st, 5));
	}
	sqlite3_finalize(st);
	evbuffer_add_printf(q->out, "</tbody></table>");
	web_page_end(q, 200);
}
