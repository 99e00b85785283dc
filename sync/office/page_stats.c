/*
 * page_stats.c — stats with pictures (coordinator; issue 11 "Stats with pictures"): share
 * contacted within the legal deadline per week and per location, registrations per
 * location and per hour of the day, the crisis share and the median days to the first
 * conversation. Charts are SVG drawn here (bars coloured by office.css from theme
 * tokens; no inline style, no script), each beside a table of the same figures. All
 * figures come from the index: no envelope is opened.
 */
#include "sync/office/web.h"
#include "sync/office/html.h"
#include "sync/office/odb.h"

#include <event2/buffer.h>
#include <stdlib.h>
#include <string.h>

#define SERIES_MAX 64

struct series {
	char label[SERIES_MAX][64];
	long long value[SERIES_MAX], whole[SERIES_MAX];   /* whole: the denominator of a share, or 0 */
	int n;
	int percent;                                         /* values are shares of whole */
};

/* Runs sql (label, value[, whole]) into s. */
static void series_of(sqlite3 *db, const char *sql, const char *today, struct series *s)
{
	sqlite3_stmt *st = odb_prep(db, sql);

	s->n = 0;
	if (st && strstr(sql, "?1"))
		sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	while (st && s->n < SERIES_MAX && sqlite3_step(st) == SQLITE_ROW) {
		const char *l = (const char *)sqlite3_column_text(st, 0);
		snprintf(s->label[s->n], sizeof(s->label[0]), "%s", l ? l : "?");
		s->value[s->n] = sqlite3_column_int64(st, 1);
		s->whole[s->n] = sqlite3_column_count(st) > 2 ? sqlite3_column_int64(st, 2) : 0;
		s->n++;
	}
	sqlite3_finalize(st);
}

/* The bar height value of entry i: a count, or a share in percent (0..100). */
static long long bar_value(const struct series *s, int i)
{
	return s->percent ? (s->whole[i] ? s->value[i] * 100 / s->whole[i] : 0) : s->value[i];
}

static void figure_text(struct req *q, struct evbuffer *out, const struct series *s, int i)
{
	if (s->percent)
		html_printf(out, "%L%% (%L %s %L)", bar_value(s, i), s->value[i], W_(q, "van"), s->whole[i]);
	else
		html_printf(out, "%L", s->value[i]);
}

#define LABEL_PX 7     /* the width of one character of a bar's label, at 12 px */
#define SLOT_MAX 200   /* the widest slot a bar gets for its label */

static int utf8_chars(const char *l)
{
	int k = 0;

	for (; *l; l++)
		k += ((unsigned char)*l & 0xC0) != 0x80;
	return k;
}

/* The label as drawn under its bar, in at most chars characters: whole when it fits, else
 * its first chars - 1 characters (never half of one) and an ellipsis. Over 12 bars (weeks)
 * its last three ("W19"). The table beside the chart has every label whole. */
static void bar_label(const char *l, int chars, int many, char out[80])
{
	size_t n = 0;
	int k = 0;

	if (many) {
		snprintf(out, 80, "%s", strlen(l) > 8 ? l + strlen(l) - 3 : l);
		return;
	}
	if (utf8_chars(l) <= chars) {
		snprintf(out, 80, "%s", l);
		return;
	}
	for (; l[n]; n++)
		if (((unsigned char)l[n] & 0xC0) != 0x80 && k++ == chars - 1)
			break;
	snprintf(out, 80, "%.*s\xe2\x80\xa6", (int)n, l);
}

/* The width of one bar's slot: the bar and a gap, wider (up to SLOT_MAX) for the longest
 * label when there are few bars, so a location's name is read under its bar. */
static int slot_width(const struct series *s, int bw)
{
	int slot = bw + 8;

	for (int i = 0; s->n <= 12 && i < s->n; i++)
		if (utf8_chars(s->label[i]) * LABEL_PX + 8 > slot)
			slot = utf8_chars(s->label[i]) * LABEL_PX + 8;
	return slot > SLOT_MAX ? SLOT_MAX : slot;
}

/* An SVG bar chart of s: title labels it, desc lists every figure (OFFICE.md §8). */
static void bar_chart(struct req *q, const char *id, const char *title, const struct series *s)
{
	int bw = s->n > 12 ? 22 : 56, slot = slot_width(s, bw), w = 50 + s->n * slot, h = 220;
	long long max = 1;
	char label[80];

	for (int i = 0; i < s->n; i++)
		if (bar_value(s, i) > max)
			max = bar_value(s, i);
	if (s->percent)
		max = 100;
	html_printf(q->out, "<svg class=\"office-svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\""
		    " aria-labelledby=\"%r-t\" aria-describedby=\"%r-d\" id=\"%r-chart\"><title id=\"%r-t\">%s</title>"
		    "<desc id=\"%r-d\">", w, h, w, h, id, id, id, id, title, id);
	for (int i = 0; i < s->n; i++) {
		html_printf(q->out, "%r%s: ", i ? ", " : "", s->label[i]);
		figure_text(q, q->out, s, i);
	}
	evbuffer_add_printf(q->out, ".</desc><line x1=\"40\" y1=\"190\" x2=\"%d\" y2=\"190\" stroke=\"currentColor\"/>", w - 5);
	for (int i = 0; i < s->n; i++) {
		int bh = (int)(bar_value(s, i) * 160 / max), x = 45 + i * slot + (slot - 8 - bw) / 2;
		bar_label(s->label[i], (slot - 4) / LABEL_PX, s->n > 12, label);
		html_printf(q->out, "<rect class=\"office-bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
			    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"currentColor\">%L%r</text>"
			    "<text x=\"%d\" y=\"206\" text-anchor=\"middle\" fill=\"currentColor\">%s</text>",
			    x, 190 - bh, bw, bh, x + bw / 2, 184 - bh, bar_value(s, i), s->percent ? "%" : "",
			    x + bw / 2, label);
	}
	evbuffer_add_printf(q->out, "</svg>");
}

static void figure_table(struct req *q, const char *id, const char *caption, const char *col,
			 const char *what, const struct series *s)
{
	html_printf(q->out, "<table class=\"utrecht-table utrecht-table--html-table\" id=\"%r\"><caption"
		    " class=\"utrecht-table__caption\">%s</caption><thead class=\"utrecht-table__header\">"
		    "<tr class=\"utrecht-table__row\"><th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th>"
		    "<th scope=\"col\" class=\"utrecht-table__header-cell\">%s</th></tr></thead>"
		    "<tbody class=\"utrecht-table__body\">", id, caption, col, what);
	for (int i = 0; i < s->n; i++) {
		html_printf(q->out, "<tr class=\"utrecht-table__row\" data-label=\"%s\" data-value=\"%L\" data-whole=\"%L\">"
			    "<th scope=\"row\" class=\"utrecht-table__header-cell\">%s</th><td class=\"utrecht-table__cell\">",
			    s->label[i], s->value[i], s->whole[i], s->label[i]);
		figure_text(q, q->out, s, i);
		evbuffer_add_printf(q->out, "</td></tr>");
	}
	if (!s->n)
		html_printf(q->out, "<tr class=\"utrecht-table__row\"><td class=\"utrecht-table__cell\" colspan=\"2\">"
			    "%s</td></tr>", W_(q, "Nog geen gegevens."));
	evbuffer_add_printf(q->out, "</tbody></table>");
}

static void section(struct req *q, const char *id, const char *title, const char *col, const char *what,
		    const struct series *s)
{
	title = W_(q, title);
	html_printf(q->out, "<h2 class=\"utrecht-heading-2\">%s</h2><div class=\"office-chart\">", title);
	bar_chart(q, id, title, s);
	figure_table(q, id, title, W_(q, col), W_(q, what), s);
	evbuffer_add_printf(q->out, "</div>");
}

#define IN_TIME "sum(first_conv IS NOT NULL AND first_conv <= legal)"
#define DUE "sum(first_conv IS NOT NULL OR legal < ?1)"

/* Median of the days from registration to the first conversation, or -1 when none. */
static double median_days(sqlite3 *db, long long *n)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT julianday(first_conv) - julianday(created_day) FROM records"
				    " WHERE first_conv IS NOT NULL ORDER BY 1");
	double *v = NULL, med = -1;
	long long k = 0, cap = 0;

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		if (k == cap) {
			double *p = realloc(v, (size_t)(cap = cap ? cap * 2 : 64) * sizeof(*v));
			if (!p)
				break;
			v = p;
		}
		v[k++] = sqlite3_column_double(st, 0);
	}
	sqlite3_finalize(st);
	if (k)
		med = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
	free(v);
	*n = k;
	return med;
}

static void headline(struct req *q)
{
	sqlite3_stmt *st = odb_prep(q->of->db, "SELECT count(*), coalesce(sum(crisis), 0) FROM records");
	long long total = 0, crises = 0, contacted = 0;
	double med = median_days(q->of->db, &contacted);

	if (st && sqlite3_step(st) == SQLITE_ROW) {
		total = sqlite3_column_int64(st, 0);
		crises = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	html_printf(q->out, "<dl class=\"utrecht-data-list\" id=\"headline\"><div class=\"utrecht-data-list__item\">"
		    "<dt class=\"utrecht-data-list__item-key\">%s</dt><dd class=\"utrecht-data-list__item-value\""
		    " id=\"total\" data-value=\"%L\">%L</dd></div><div class=\"utrecht-data-list__item\">"
		    "<dt class=\"utrecht-data-list__item-key\">%s</dt><dd class=\"utrecht-data-list__item-value\""
		    " id=\"crises\" data-value=\"%L\">%L (%L%%)</dd></div>", W_(q, "Aanmeldingen"), total, total,
		    W_(q, "Met een crisis"), crises, crises,
		    total ? crises * 100 / total : 0);
	html_printf(q->out, "<div class=\"utrecht-data-list__item\"><dt class=\"utrecht-data-list__item-key\">"
		    "%s</dt><dd class=\"utrecht-data-list__item-value\" id=\"median\""
		    " data-contacted=\"%L\">", W_(q, "Mediaan dagen tot het eerste gesprek"), contacted);
	if (med < 0)
		html_printf(q->out, "%s", W_(q, "nog geen eerste gesprekken"));
	else {
		evbuffer_add_printf(q->out, "%.1f ", med);
		html_printf(q->out, "(%s %L %s)", W_(q, "over"), contacted, W_(q, "gesprekken"));
	}
	evbuffer_add_printf(q->out, "</dd></div></dl>");
}

void page_stats(struct req *q)
{
	struct series *s = calloc(1, sizeof(*s));
	char today[11];

	if (!s)
		return web_fail(q, 500, "Serverfout", "Onvoldoende geheugen.");
	web_today(today);
	if (web_audit(q, "stats-view", "") < 0) {
		free(s);
		return web_fail(q, 503, "Auditlog", "Het auditlog kan niet worden geschreven.");
	}
	web_page_begin(q, "Statistiek");
	html_printf(q->out, "<h1 class=\"utrecht-heading-1\">%s</h1>", W_(q, "Statistiek"));
	headline(q);
	s->percent = 1;
	series_of(q->of->db, "SELECT week, " IN_TIME ", " DUE " FROM (SELECT * FROM records) GROUP BY week"
		  " ORDER BY week DESC LIMIT 12", today, s);
	section(q, "in-time-week", "Op tijd gesproken, per week van aanmelding", "Week", "Binnen de Wgs-termijn", s);
	series_of(q->of->db, "SELECT location, " IN_TIME ", " DUE " FROM records GROUP BY location ORDER BY location",
		  today, s);
	section(q, "in-time-loc", "Op tijd gesproken, per locatie", "Locatie", "Binnen de Wgs-termijn", s);
	s->percent = 0;
	series_of(q->of->db, "SELECT location, count(*) FROM records GROUP BY location ORDER BY location", today, s);
	section(q, "per-loc", "Aanmeldingen per locatie", "Locatie", "Aanmeldingen", s);
	series_of(q->of->db, "SELECT printf('%02d', hour), count(*) FROM records GROUP BY hour ORDER BY hour", today, s);
	section(q, "per-hour", "Aanmeldingen per uur van de dag", "Uur", "Aanmeldingen", s);
	free(s);
	web_page_end(q, 200);
}
